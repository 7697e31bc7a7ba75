"""Births and the 18-year-old projection: sourced, validated, never mixed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from talentgap.seeds.loader import SeedDataError, seed_dataset
from talentgap.seeds.population import POPULATION_DIR, births, load_population


def test_births_hold_the_published_figures():
    b = births().set_index("year")["value"]
    assert b[2017] == 357771 and b[2012] == 484550 and b[1995] == 715020
    assert not set(range(1996, 2001)) & set(b.index), "unpublished years are left as gaps, not invented"
    assert 2002 not in b.index


def test_every_population_figure_has_a_known_source():
    frame = load_population()
    sources = set(seed_dataset().sources["source_id"])
    assert frame["source_id"].isin(sources).all()
    assert frame.groupby("series_id")["definition"].nunique().eq(1).all()
    age18 = frame[frame["metric"] == "population_18"]
    assert set(age18["year"]) == {2020, 2030, 2040} and age18["definition"].nunique() == 1
    assert age18["definition"].iloc[0] != frame.loc[frame["metric"] == "births", "definition"].iloc[0]


def test_bad_rows_are_listed(tmp_path: Path):
    folder = tmp_path / "population"
    shutil.copytree(POPULATION_DIR, folder)
    with (folder / "observations.csv").open("a", encoding="utf-8") as f:
        f.write("population.births.kostat_births,births,kostat_births,2024,5,persons,pop-w05\n")
        f.write("population.births.kostat_births,births,kostat_births,2025,-1,persons,nope\n")
    with pytest.raises(SeedDataError) as err:
        load_population(folder)
    text = str(err.value)
    assert "unknown source_id 'nope'" in text and "two rows for one year" in text and "value above 0" in text
