"""The skill taxonomy, occupation profiles and programme catalogue (``seeds/taxonomy/``).

* ``skills.csv`` — ``id, label_en, label_ko, sectors, source_id``; ``sectors`` is ``;``-separated, or
  ``shared`` for cross-sector skills (AI/ML, embedded SW, data), which are listed once.
* ``occupations.csv`` — per sector, each occupation's share of the sector's demand (an assumption with
  ``low``/``high``, ``source_id`` and ``rationale``) and its skill weights ``id=weight;...``.
* ``programmes.csv`` — named programmes with degree, seats a year, region and skill weights.
* ``sources.csv`` — the sources these files cite (same columns as a sector's ``sources.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from talentgap.errors import TalentgapError

from .loader import SOURCE_COLUMNS, read_text_csv
from .validate import SLUG
from .vocab import EDUCATION
from .vocab import SHIPPED_SECTORS as SECTORS

TAXONOMY_DIR = Path(__file__).resolve().parent / "taxonomy"
#: Degrees a programme may award: the education levels plus short non-degree training.
DEGREES = (*EDUCATION, "non_degree")


class TaxonomyError(TalentgapError, ValueError):
    code = "seeds.taxonomy_invalid"


@dataclass(frozen=True)
class Taxonomy:
    skills: pd.DataFrame  # id, label_en, label_ko, sectors (list), source_id
    occupations: pd.DataFrame  # sector, id, labels, share, low, high, source_id, rationale, skills (dict)
    programmes: pd.DataFrame  # id, names, sector, degree, seats_per_year (float, NaN unknown), region, skills
    sources: pd.DataFrame

    def skill_ids(self, sector: str | None = None) -> list[str]:
        if sector is None:
            return self.skills["id"].tolist()
        keep = self.skills["sectors"].map(lambda s: sector in s or "shared" in s)
        return self.skills.loc[keep, "id"].tolist()


def parse_weights(text: str) -> dict[str, float]:
    """``"rtl_design=1;verification=0.5"`` → ``{"rtl_design": 1.0, "verification": 0.5}``."""
    out: dict[str, float] = {}
    for part in text.split(";"):
        if part.strip():
            key, _, value = part.partition("=")
            out[key.strip()] = float(value)
    return out


def load_taxonomy(folder: Path = TAXONOMY_DIR) -> Taxonomy:
    """Read and check the taxonomy files; raise :class:`TaxonomyError` listing every problem."""
    problems: list[str] = []
    sources = read_text_csv(folder / "sources.csv")[list(SOURCE_COLUMNS)]
    known_sources = set(sources["source_id"])
    skills = read_text_csv(folder / "skills.csv")
    skills["sectors"] = skills["sectors"].str.split(";")
    ids = set(skills["id"])
    for i, r in enumerate(skills.itertuples(), start=2):
        if not SLUG.match(r.id):
            problems.append(f"skills.csv row {i}: bad id {r.id!r}")
        if any(s not in SECTORS and s != "shared" for s in r.sectors):
            problems.append(f"skills.csv row {i}: unknown sector in {r.sectors}")
        if r.source_id not in known_sources:
            problems.append(f"skills.csv row {i}: unknown source_id {r.source_id!r}")
    if skills["id"].duplicated().any():
        problems.append(f"skills.csv: duplicate ids {skills.loc[skills['id'].duplicated(), 'id'].tolist()}")

    def weights(frame: pd.DataFrame, name: str) -> pd.Series:
        out = []
        for i, text in enumerate(frame["skills"], start=2):
            try:
                w = parse_weights(text)
            except ValueError:
                problems.append(f"{name} row {i}: skills must be id=weight;... (got {text!r})")
                w = {}
            for k, v in w.items():
                if k not in ids:
                    problems.append(f"{name} row {i}: unknown skill {k!r}")
                if not v >= 0:
                    problems.append(f"{name} row {i}: weight of {k} must be non-negative (got {v})")
            if w and sum(w.values()) <= 0:
                problems.append(f"{name} row {i}: all weights are zero")
            out.append(w)
        return pd.Series(out, index=frame.index)

    occ = read_text_csv(folder / "occupations.csv")
    occ["skills"] = weights(occ, "occupations.csv")
    for col in ("share", "low", "high"):
        occ[col] = pd.to_numeric(occ[col], errors="coerce")
    for i, r in enumerate(occ.itertuples(), start=2):
        if r.sector not in SECTORS:
            problems.append(f"occupations.csv row {i}: unknown sector {r.sector!r}")
        if not (r.low <= r.share <= r.high):
            problems.append(f"occupations.csv row {i}: need low <= share <= high")
        if r.source_id not in known_sources or not r.rationale.strip():
            problems.append(f"occupations.csv row {i}: needs a known source_id and a rationale")
    for sector, total in occ.groupby("sector")["share"].sum().items():
        if abs(total - 1) > 0.005:
            problems.append(f"occupations.csv: {sector} shares add up to {total:.3f}, not 1")
    prog = read_text_csv(folder / "programmes.csv")
    prog["skills"] = weights(prog, "programmes.csv")
    prog["seats_per_year"] = pd.to_numeric(prog["seats_per_year"].replace("", None), errors="coerce")
    for i, r in enumerate(prog.itertuples(), start=2):
        if r.sector not in SECTORS or r.degree not in DEGREES:
            problems.append(f"programmes.csv row {i}: unknown sector {r.sector!r} or degree {r.degree!r}")
        if r.source_id not in known_sources:
            problems.append(f"programmes.csv row {i}: unknown source_id {r.source_id!r}")
    if problems:
        raise TaxonomyError("\n".join(problems))
    return Taxonomy(skills=skills, occupations=occ, programmes=prog, sources=sources)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The shipped taxonomy, loaded once per process."""
    return load_taxonomy()


#: Why a linked occupation's share of its sector's demand is what it is (no published split exists).
LINKED_SHARE_RATIONALE = ("assumed: no published figure. Occupation linked by the sector's file; the sector's "
                          "linked occupations share its demand equally (range half to twice the equal share)")


def with_links(tax: Taxonomy, links: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> Taxonomy:
    """The taxonomy with each linked sector's occupations and feeder programmes as rows of that sector.

    ``links`` holds ``(sector, occupation ids, programme ids)``. A linked occupation keeps its skill weights
    and labels; its share of the new sector's demand is equal among the sector's linked occupations (no
    published split), its source blank and its rationale saying so. A linked programme keeps its seats and
    skills: the sector's supply mix is that of its feeder programmes. Skills used by linked rows are listed
    for the sector too. Ids are assumed valid (:func:`~.sectors.link_problems` refuses others).
    """
    if not links:
        return tax
    occ_parts, prog_parts = [tax.occupations], [tax.programmes]
    skill_sectors: dict[str, set[str]] = {}
    for sector, occupations, programmes in links:
        occ = tax.occupations.drop_duplicates("id").set_index("id").reindex(list(occupations)).dropna(how="all")
        if len(occ):
            share = 1.0 / len(occ)
            occ = occ.reset_index().assign(sector=sector, share=share, low=share / 2, high=min(1.0, 2 * share),
                                           source_id="", rationale=LINKED_SHARE_RATIONALE)
            occ_parts.append(occ[tax.occupations.columns])
        prog = tax.programmes.drop_duplicates("id").set_index("id").reindex(list(programmes)).dropna(how="all")
        if len(prog):
            prog_parts.append(prog.reset_index().assign(sector=sector)[tax.programmes.columns])
        for weights in [*occ.get("skills", []), *prog.get("skills", [])]:
            for skill in weights:
                skill_sectors.setdefault(skill, set()).add(sector)
    skills = tax.skills.copy()
    skills["sectors"] = [[*s, *sorted(skill_sectors.get(i, set()) - set(s))]
                         for i, s in zip(skills["id"], skills["sectors"])]
    return Taxonomy(skills=skills, occupations=pd.concat(occ_parts, ignore_index=True),
                    programmes=pd.concat(prog_parts, ignore_index=True), sources=tax.sources)
