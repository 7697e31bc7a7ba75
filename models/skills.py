"""Skill profiles and mismatch (PRODUCT.md §4.1).

Vectors live in one skill space (the taxonomy's ids). Occupation and programme vectors are their
skill weights normalised to sum to 1, so a vector is a *mix* of skills.

* Demand mix of a sector: ``Σ_o share_o · v_o``; supply mix: ``Σ_p seats_p · v_p / Σ seats`` over the
  sector's catalogued programmes. Openings and supply by skill are the sector's openings and supply
  (Monte-Carlo draws from the stock-flow model) times these mixes; the gap by skill is their difference.
* A query profile is matched to occupations and programmes by cosine similarity (scikit-learn).
  Demand for the profile is the similarity-weighted openings of the matched occupations
  (``Σ sim_o · share_o · O_sector``); supply is the similarity-weighted supply of matched programmes
  (``Σ sim_p · seat-share_p · S_sector``); the gap is their difference.
* Mismatch of a programme: ``1 − cos(v_programme, demand mix of its sector)``, in [0, 1] since all
  weights are non-negative (0: the programme teaches exactly the demanded mix; 1: nothing in common).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics.pairwise import cosine_similarity

from talentgap.errors import TalentgapError
from talentgap.i18n import Listing, msg
from talentgap.seeds.taxonomy import DEGREES, Taxonomy

#: Smallest cosine similarity for an occupation or programme to count as a match.
MATCH_THRESHOLD = 0.2


class SkillInputError(TalentgapError, ValueError):
    """A skill profile or programme description that cannot be used; names the field."""

    code = "skills.bad_input"


@dataclass(frozen=True)
class SkillSpace:
    """Matrices over the taxonomy's skill ids, built once per taxonomy."""

    ids: list[str]
    occupations: pd.DataFrame
    occ_matrix: np.ndarray  # (occupations, skills), rows sum to 1
    programmes: pd.DataFrame
    prog_matrix: np.ndarray

    @classmethod
    def build(cls, tax: Taxonomy) -> SkillSpace:
        ids = tax.skill_ids()
        return cls(ids, tax.occupations.reset_index(drop=True), _matrix(tax.occupations["skills"], ids),
                   tax.programmes.reset_index(drop=True), _matrix(tax.programmes["skills"], ids))

    def vector(self, profile: dict[str, float], field: str = "skills") -> np.ndarray:
        """Validate a profile and return it as a normalised vector."""
        if not isinstance(profile, dict) or not profile:
            raise SkillInputError(msg("skills.empty_profile", field=field))
        unknown = [k for k in profile if k not in self.ids]
        if unknown:
            raise SkillInputError(msg("skills.unknown_ids", field=field, ids=", ".join(map(repr, unknown))))
        v = np.zeros(len(self.ids))
        for k, w in profile.items():
            try:
                w = float(w)
            except (TypeError, ValueError):
                raise SkillInputError(msg("skills.weight_not_number", field=field, skill=k, weight=repr(w))) from None
            if not np.isfinite(w) or w < 0:
                raise SkillInputError(msg("skills.weight_negative", field=field, skill=k, weight=repr(w)))
            v[self.ids.index(k)] = w
        if v.sum() <= 0:
            raise SkillInputError(msg("skills.all_zero", field=field))
        return v / v.sum()

    def demand_mix(self, sector: str) -> np.ndarray:
        rows = self.occupations["sector"] == sector
        shares = self.occupations.loc[rows, "share"].to_numpy()
        return shares @ self.occ_matrix[rows.to_numpy()]

    def supply_mix(self, sector: str) -> np.ndarray:
        rows = (self.programmes["sector"] == sector) & self.programmes["seats_per_year"].notna()
        seats = self.programmes.loc[rows, "seats_per_year"].to_numpy()
        if seats.sum() <= 0:
            return self.demand_mix(sector)
        return (seats / seats.sum()) @ self.prog_matrix[rows.to_numpy()]

    def occupation_supply_shares(self, sector: str) -> dict[str, float]:
        """Each occupation's share of the sector's supply: every catalogued programme's seat share is
        spread over the sector's occupations in proportion to their cosine similarity to the programme
        (``Σ_p seat-share_p · sim(p, o) / Σ_o' sim(p, o')``). Without programmes with seats, the
        occupations' demand shares. Shares add up to 1."""
        occ_rows = (self.occupations["sector"] == sector).to_numpy()
        ids = self.occupations.loc[occ_rows, "id"].tolist()
        prog_rows = ((self.programmes["sector"] == sector) & self.programmes["seats_per_year"].notna()).to_numpy()
        seats = self.programmes.loc[prog_rows, "seats_per_year"].to_numpy(dtype=float)
        if not ids:
            return {}
        if seats.sum() <= 0:
            shares = self.occupations.loc[occ_rows, "share"].to_numpy(dtype=float)
            return dict(zip(ids, (shares / shares.sum()).tolist()))
        sim = cosine_similarity(self.prog_matrix[prog_rows], self.occ_matrix[occ_rows])
        totals = sim.sum(axis=1, keepdims=True)
        weights = np.where(totals > 0, sim / np.where(totals > 0, totals, 1), 1 / len(ids))
        shares = (seats / seats.sum()) @ weights
        return dict(zip(ids, shares.tolist()))

    def match(self, v: np.ndarray, *, sectors: list[str] | None = None, top: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Occupations and programmes by cosine similarity to ``v`` (above :data:`MATCH_THRESHOLD`)."""
        out = []
        for frame, matrix in ((self.occupations, self.occ_matrix), (self.programmes, self.prog_matrix)):
            sim = cosine_similarity(v[None, :], matrix)[0]
            f = frame.assign(similarity=sim)
            if sectors:
                f = f[f["sector"].isin(sectors)]
            f = f[f["similarity"] >= MATCH_THRESHOLD].sort_values("similarity", ascending=False).head(top)
            out.append(f)
        return out[0], out[1]


def _matrix(weights: pd.Series, ids: list[str]) -> np.ndarray:
    m = np.zeros((len(weights), len(ids)))
    for i, w in enumerate(weights):
        for k, x in w.items():
            m[i, ids.index(k)] = x
        if m[i].sum() > 0:
            m[i] /= m[i].sum()
    return m


def mismatch(v: np.ndarray, demand_mix: np.ndarray) -> float:
    """``1 − cosine similarity`` between a programme's skill mix and the demand mix, in [0, 1]."""
    return float(np.clip(1 - cosine_similarity(v[None, :], demand_mix[None, :])[0, 0], 0, 1))


def skills_to_add(space: SkillSpace, profile: dict[str, float], sector: str, *, top: int = 5) -> list[dict]:
    """Skills the programme lacks (weight 0) whose addition lowers the mismatch most, each at the weight
    that lowers it most among a tenth, two tenths, ... all of the profile's largest weight (so never above
    it: on the forms' 0–1 scale, within 0–1); returns ``skill, weight, mismatch_after, effect``."""
    v = space.vector(profile)
    demand = space.demand_mix(sector)
    now = mismatch(v, demand)
    largest = max(float(w) for w in profile.values())
    out: list[dict[str, float | str]] = []
    for skill in space.ids:
        if demand[space.ids.index(skill)] <= 0 or float(profile.get(skill, 0)) > 0:
            continue
        best = None
        for step in range(1, 11):
            weight = largest * step / 10
            after = mismatch(space.vector({**profile, skill: weight}), demand)
            if best is None or after < best[1]:
                best = (weight, after)
        if best and best[1] < now - 1e-9:
            out.append({"skill": skill, "weight": round(best[0], 3), "mismatch_after": best[1],
                        "effect": best[1] - now})
    return sorted(out, key=lambda r: float(r["mismatch_after"]))[:top]


def quantiles(draws: np.ndarray) -> list[dict]:
    """``[{p10, p50, p90}]`` per year from draws shaped ``(draws, years)``."""
    q = np.quantile(draws, [0.1, 0.5, 0.9], axis=0)
    return [{"p10": float(a), "p50": float(b), "p90": float(c)} for a, b, c in zip(*q)]


def gap_by_skill(space: SkillSpace, sector: str, sim: dict[str, np.ndarray]) -> list[dict]:
    """Openings, supply and gap per skill and year for one sector (p10/p50/p90 over the draws)."""
    dmix, smix = space.demand_mix(sector), space.supply_mix(sector)
    rows = []
    for j, skill in enumerate(space.ids):
        if dmix[j] <= 0 and smix[j] <= 0:
            continue
        dem, sup = sim["openings"] * dmix[j], sim["supply"] * smix[j]
        for i, (d, s, g) in enumerate(zip(quantiles(dem), quantiles(sup), quantiles(dem - sup))):
            rows.append({"skill": skill, "year": int(sim["years"][i]), "demand": d, "supply": s, "gap": g})
    return rows


def profile_gap(space: SkillSpace, profile: dict[str, float], sims: dict[str, dict[str, np.ndarray]],
                *, sectors: list[str] | None = None) -> dict:
    """Project demand (openings), supply and gap for a skill profile across the matched occupations.

    ``sims`` maps sector → Monte-Carlo draws of that sector (same draws count and years).
    """
    v = space.vector(profile)
    occ, prog = space.match(v, sectors=sectors)
    if occ.empty:
        raise SkillInputError(msg("skills.no_match_threshold", threshold=MATCH_THRESHOLD))
    years = next(iter(sims.values()))["years"]
    demand = np.zeros_like(next(iter(sims.values()))["openings"])
    supply = np.zeros_like(demand)
    for r in occ.itertuples():
        demand = demand + r.similarity * r.share * sims[r.sector]["openings"]
    for sector in occ["sector"].unique():
        sp = prog[(prog["sector"] == sector) & prog["seats_per_year"].notna()]
        seats = space.programmes.loc[(space.programmes["sector"] == sector)
                                     & space.programmes["seats_per_year"].notna(), "seats_per_year"].sum()
        if seats > 0 and not sp.empty:
            weight = float((sp["similarity"] * sp["seats_per_year"]).sum() / seats)
            supply = supply + weight * sims[sector]["supply"]
    rows = [{"year": int(y), "demand": d, "supply": s, "gap": g}
            for y, d, s, g in zip(years, quantiles(demand), quantiles(supply), quantiles(demand - supply))]
    total = occ["similarity"].sum()
    return {
        "profile": {k: float(w) for k, w in profile.items()},
        "matches": [{"occupation": r.id, "label_en": r.label_en, "label_ko": r.label_ko, "sector": r.sector,
                     "similarity": float(r.similarity), "weight": float(r.similarity / total)}
                    for r in occ.itertuples()],
        "programmes": [{"programme": r.id, "name_en": r.name_en, "sector": r.sector, "similarity": float(r.similarity)}
                       for r in prog.itertuples()],
        "rows": rows,
    }


def assess_programme(space: SkillSpace, programme: dict, sim: dict[str, np.ndarray], *, entry_rate: float,
                     entry_rate_source: str, entry_rate_source_ko: str = "") -> dict:
    """A programme's demand outlook, mismatch and skills to add.

    ``openings_per_graduate[t] = matched openings[t] / (similar supply[t] + seats × entry_rate)``:
    openings in the occupations the programme matches (similarity-weighted), per graduate of a similar
    profile entering the sector (the sector's supply weighted by its similarity to the programme, plus
    the programme's own entrants). Above 1: more openings than comparable graduates. Each year also gives
    the two in people (``openings``, ``graduates``); each skill to add gives the sector's ``gap`` in people
    with that skill in the last year (``gap_year``; openings × demand mix − supply × supply mix).
    ``entry_rate_source_ko`` is the Korean edition of ``entry_rate_source`` (empty: none).
    """
    sector = programme["sector"]
    v = space.vector(programme["skills"])
    occ, _ = space.match(v, sectors=[sector])
    demand = np.zeros_like(sim["openings"])
    for r in occ.itertuples():
        demand = demand + r.similarity * r.share * sim["openings"]
    similar = float(cosine_similarity(v[None, :], space.supply_mix(sector)[None, :])[0, 0])
    competitors = similar * sim["supply"] + programme["seats_per_year"] * entry_rate
    ratio = demand / np.maximum(competitors, 1e-9)
    m = mismatch(v, space.demand_mix(sector))
    add = skills_to_add(space, programme["skills"], sector)
    dmix, smix = space.demand_mix(sector), space.supply_mix(sector)
    for s in add:  # the sector's gap in people with the skill, in the last year (as gap_by_skill counts it)
        j = space.ids.index(str(s["skill"]))
        s["gap"] = quantiles(sim["openings"][:, -1:] * dmix[j] - sim["supply"][:, -1:] * smix[j])[0]
        s["gap_year"] = int(sim["years"][-1])
    return {
        "name": programme["name"],
        "sector": sector,
        "degree": programme["degree"],
        "seats_per_year": programme["seats_per_year"],
        "region": programme.get("region"),
        "entry_rate": entry_rate,
        "entry_rate_source": entry_rate_source,
        "entry_rate_source_ko": entry_rate_source_ko,
        "outlook": [{"year": int(y), "openings_per_graduate": q, "openings": o, "graduates": g}
                    for y, q, o, g in zip(sim["years"], quantiles(ratio), quantiles(demand), quantiles(competitors))],
        "mismatch": m,
        "skills_to_add": add,
        "matches": [{"occupation": r.id, "sector": r.sector, "similarity": float(r.similarity)} for r in occ.itertuples()],
    }


def validate_programme(raw: object, space: SkillSpace) -> dict:
    """Check a programme description (``name, sector, degree, seats_per_year, skills, region?``)."""
    from talentgap.seeds.vocab import SECTORS

    if not isinstance(raw, dict):
        raise SkillInputError(msg("programme.not_object"))
    # every problem of the file at once, so one round of corrections is enough
    problems = []
    missing = [k for k in ("name", "sector", "degree", "seats_per_year", "skills") if k not in raw]
    if missing:
        problems.append(msg("programme.missing_fields", fields=", ".join(missing)))
    if "name" in raw and (not isinstance(raw["name"], str) or not raw["name"].strip()):
        problems.append(msg("programme.bad_name", name=repr(raw["name"])))
    if "sector" in raw and raw["sector"] not in SECTORS:
        problems.append(msg("programme.bad_sector", sector=repr(raw["sector"]), sectors=", ".join(SECTORS)))
    if "degree" in raw and raw["degree"] not in DEGREES:
        problems.append(msg("programme.bad_degree", degree=repr(raw["degree"]), degrees=", ".join(DEGREES)))
    seats = raw.get("seats_per_year", 1)
    if isinstance(seats, bool) or not isinstance(seats, int | float) or not np.isfinite(seats) or not 0 < seats <= 100_000:
        problems.append(msg("programme.bad_seats", seats=repr(seats)))
    region = raw.get("region")
    if region is not None and not isinstance(region, str):
        problems.append(msg("programme.bad_region", region=repr(region)))
    if "skills" in raw:
        try:
            space.vector(raw["skills"])
        except SkillInputError as exc:
            problems.append(exc.args[0])
    if len(problems) == 1:
        raise SkillInputError(problems[0])
    if problems:
        raise SkillInputError(msg("programme.problems", count=len(problems), problems=Listing(problems, sep="; ")))
    return {"name": raw["name"].strip(), "sector": raw["sector"], "degree": raw["degree"],
            "seats_per_year": float(seats), "skills": {k: float(w) for k, w in raw["skills"].items()},
            "region": region}
