"""Read and validate the seed dataset shipped in ``seeds/data/<sector>/``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from talentgap.errors import TalentgapError

from .validate import SLUG, Problem, korean_text_problem, validate_observations
from .vocab import SHIPPED_SECTORS as SECTORS

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_COLUMNS = ("source_id", "kind", "ref", "lines", "publisher", "published", "description", "description_ko")
DEFINITION_COLUMNS = ("definition", "label_en", "label_ko", "description", "description_ko")
CATEGORY_COLUMNS = ("kind", "id", "label_en", "label_ko", "source_id")
SOURCE_KINDS = ("seed", "url")


class SeedDataError(TalentgapError, ValueError):
    """The shipped seed files are inconsistent; ``problems`` lists every issue."""

    code = "seeds.invalid"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("seed dataset is invalid:\n" + "\n".join(problems))


@dataclass(frozen=True)
class SeedDataset:
    """The validated seed tables (pandas frames with the columns documented in seeds/README.md)."""

    observations: pd.DataFrame
    sources: pd.DataFrame
    definitions: pd.DataFrame  # plus a ``sector`` column
    categories: pd.DataFrame  # plus a ``sector`` column


def read_text_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text and blanks as ``""``."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def seed_docs_dir() -> Path | None:
    """Where the seed documents are, for the citation check: ``$TALENTGAP_SEED_DOCS`` or
    ``../shared/seeds`` beside the repository; ``None`` when absent."""
    env = os.environ.get("TALENTGAP_SEED_DOCS")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "seeds")
    return next((p for p in candidates if p.is_dir()), None)


def load_seed_dataset(data_dir: Path = DATA_DIR, sectors: tuple[str, ...] | None = None) -> SeedDataset:
    """Load and validate every sector folder under ``data_dir``; raise :class:`SeedDataError`."""
    problems: list[str] = []
    obs, srcs, defs, cats = [], [], [], []
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir()) if data_dir.is_dir() else []
    if sectors is not None:
        folders = [p for p in folders if p.name in sectors]
    for folder in folders:
        sector = folder.name
        if sector not in SECTORS:
            problems.append(f"{folder}: unknown sector folder")
            continue
        tables = {}
        for name, cols in (("sources", SOURCE_COLUMNS), ("definitions", DEFINITION_COLUMNS),
                           ("categories", CATEGORY_COLUMNS), ("observations", None)):
            path = folder / f"{name}.csv"
            if not path.exists():
                problems.append(f"{path}: missing")
                continue
            frame = read_text_csv(path)
            if cols is not None:
                absent = [c for c in cols if c not in frame.columns]
                if absent:
                    problems.append(f"{path}: missing columns {absent}")
                    continue
                frame = frame[list(cols)]
            tables[name] = frame
        if len(tables) < 4:
            continue
        problems += _check_sources(folder / "sources.csv", tables["sources"])
        problems += _check_definitions(folder / "definitions.csv", tables["definitions"])
        known_defs = set(tables["definitions"]["definition"])
        frame, found = validate_observations(tables["observations"],
                                             known_sources=tables["sources"]["source_id"])
        problems += [f"{folder / 'observations.csv'}: {p}" for p in found]
        if not found:
            for i, (s, d) in enumerate(zip(frame["sector"], frame["definition"])):
                if s != sector:
                    problems.append(f"{folder / 'observations.csv'}: {Problem(i + 2, 'sector', f'must be {sector!r} in this folder', s)}")
                if d not in known_defs:
                    problems.append(f"{folder / 'observations.csv'}: {Problem(i + 2, 'definition', 'not described in definitions.csv', d)}")
        for i, rec in enumerate(tables["categories"].to_dict("records")):
            if rec["kind"] not in ("occupation", "skill") or not SLUG.match(rec["id"]):
                problems.append(f"{folder / 'categories.csv'}: row {i + 2}: bad kind or id ({rec['kind']!r}, {rec['id']!r})")
            if rec["source_id"] not in set(tables["sources"]["source_id"]):
                problems.append(f"{folder / 'categories.csv'}: row {i + 2}: unknown source_id {rec['source_id']!r}")
        obs.append(frame)
        srcs.append(tables["sources"])
        defs.append(tables["definitions"].assign(sector=sector))
        cats.append(tables["categories"].assign(sector=sector))
    if not obs and not problems:
        problems.append(f"{data_dir}: no sector folders")
    if problems:
        raise SeedDataError(problems)
    sources = pd.concat(srcs, ignore_index=True)
    dup = sources[sources.duplicated("source_id", keep=False)]
    clash = dup.drop_duplicates().duplicated("source_id")
    if clash.any():
        raise SeedDataError([f"source_id {s!r} is defined twice with different content"
                             for s in dup.drop_duplicates().loc[clash, "source_id"]])
    observations = pd.concat(obs, ignore_index=True)
    dups = observations.duplicated(["series_id", "year"], keep=False)
    if dups.any():
        raise SeedDataError([f"duplicate (series, year): {r.series_id} {r.year}"
                             for r in observations[dups].itertuples()])
    return SeedDataset(
        observations=observations.sort_values(["sector", "series_id", "year"], ignore_index=True),
        sources=sources.drop_duplicates("source_id").sort_values("source_id", ignore_index=True),
        definitions=pd.concat(defs, ignore_index=True),
        categories=pd.concat(cats, ignore_index=True),
    )


@lru_cache(maxsize=1)
def seed_dataset() -> SeedDataset:
    """The shipped seed dataset with the taxonomy's and the population figures' sources, loaded once per
    process."""
    ds = load_seed_dataset()
    problems: list[str] = []
    extra: list[pd.DataFrame] = []
    for path in (DATA_DIR.parent / "taxonomy" / "sources.csv", DATA_DIR.parent / "population" / "sources.csv"):
        frame = read_text_csv(path)[list(SOURCE_COLUMNS)]
        problems += _check_sources(path, frame)
        clash = sorted(set(frame["source_id"]) & (set(ds.sources["source_id"]).union(*(set(e["source_id"]) for e in extra))))
        problems += [f"{path}: source_id {c!r} is also defined elsewhere" for c in clash]
        extra.append(frame)
    if problems:
        raise SeedDataError(problems)
    sources = pd.concat([ds.sources, *extra], ignore_index=True).sort_values("source_id", ignore_index=True)
    return SeedDataset(ds.observations, sources, ds.definitions, ds.categories)


def _check_sources(path: Path, sources: pd.DataFrame) -> list[str]:
    problems = []
    for i, rec in enumerate(sources.to_dict("records")):
        where = f"{path}: row {i + 2}"
        if not rec["source_id"]:
            problems.append(f"{where}: source_id is blank")
        if rec["kind"] not in SOURCE_KINDS:
            problems.append(f"{where}: kind must be seed or url (got {rec['kind']!r})")
        elif rec["kind"] == "seed" and not rec["lines"]:
            problems.append(f"{where}: a seed source needs its lines")
        elif rec["kind"] == "url" and not rec["ref"].startswith(("http://", "https://")):
            problems.append(f"{where}: a url source needs an http(s) ref (got {rec['ref']!r})")
        if not rec["description"]:
            problems.append(f"{where}: description is blank")
        elif problem := korean_text_problem("description_ko", rec["description_ko"]):
            problems.append(f"{where}: {problem}")
    dup = sources["source_id"][sources["source_id"].duplicated()]
    problems += [f"{path}: source_id {s!r} appears twice" for s in dup]
    return problems


def _check_definitions(path: Path, definitions: pd.DataFrame) -> list[str]:
    """Every definition with a description has its Korean edition."""
    return [f"{path}: row {i + 2}: {problem}" for i, rec in enumerate(definitions.to_dict("records"))
            if rec["description"] and (problem := korean_text_problem("description_ko", rec["description_ko"]))]


def parse_lines(spec: str) -> list[int]:
    """``"5349;5377-5379"`` → ``[5349, 5377, 5378, 5379]`` (1-based line numbers)."""
    out: list[int] = []
    for part in spec.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out
