"""Births and the projected 18-year-old population (``seeds/population/``): the cohorts behind supply.

* ``observations.csv`` — ``series_id, metric, definition, year, value, unit, source_id``: Statistics
  Korea births by year (``population.births.kostat_births``) and the 2019 special projection of
  18-year-olds (a different population: never mixed into the births series).
* ``definitions.csv``, ``sources.csv`` — as in a sector folder (see seeds/README.md).

Years without a published figure are absent, never filled here; the cohort model interpolates and says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .loader import SOURCE_COLUMNS, SeedDataError, _check_sources, read_text_csv

POPULATION_DIR = Path(__file__).resolve().parent / "population"
BIRTHS_SERIES = "population.births.kostat_births"
COLUMNS = ("series_id", "metric", "definition", "year", "value", "unit", "source_id")


def load_population(folder: Path = POPULATION_DIR) -> pd.DataFrame:
    """The population observations, typed (``year`` int, ``value`` float); raise :class:`SeedDataError`
    listing every problem (unknown source or definition, non-positive value, duplicate year, a series
    with two definitions)."""
    sources = read_text_csv(folder / "sources.csv")[list(SOURCE_COLUMNS)]
    problems = _check_sources(folder / "sources.csv", sources)
    definitions = set(read_text_csv(folder / "definitions.csv")["definition"])
    frame = read_text_csv(folder / "observations.csv")
    absent = [c for c in COLUMNS if c not in frame.columns]
    if absent:
        raise SeedDataError([f"{folder / 'observations.csv'}: missing columns {absent}"])
    where = folder / "observations.csv"
    years = pd.to_numeric(frame["year"], errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    for i, rec in enumerate(frame.to_dict("records")):
        row = f"{where}: row {i + 2}"
        if pd.isna(years[i]) or pd.isna(values[i]) or values[i] <= 0:
            problems.append(f"{row}: year and value must be numbers, value above 0 (got {rec['year']!r}, {rec['value']!r})")
        if rec["source_id"] not in set(sources["source_id"]):
            problems.append(f"{row}: unknown source_id {rec['source_id']!r}")
        if rec["definition"] not in definitions:
            problems.append(f"{row}: definition {rec['definition']!r} is not in definitions.csv")
    if frame.groupby("series_id")["definition"].nunique().gt(1).any():
        problems.append(f"{where}: a series has more than one definition")
    if frame.duplicated(["series_id", "year"]).any():
        problems.append(f"{where}: a series has two rows for one year")
    if problems:
        raise SeedDataError(problems)
    return frame.assign(year=years.astype(int), value=values.astype(float)).sort_values(["series_id", "year"],
                                                                                        ignore_index=True)


@lru_cache(maxsize=1)
def births() -> pd.DataFrame:
    """Published births by year: ``year, value, source_id`` (gaps left as gaps)."""
    frame = load_population()
    return frame.loc[frame["series_id"] == BIRTHS_SERIES, ["year", "value", "source_id"]].reset_index(drop=True)
