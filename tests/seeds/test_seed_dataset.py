"""The shipped seed dataset: complete, valid, sourced, and true to the seed documents."""

from __future__ import annotations

import pandas as pd
import pytest

from talentgap.seeds.citations import citation_problems
from talentgap.seeds.loader import SeedDataError, load_seed_dataset, seed_dataset, seed_docs_dir
from talentgap.seeds.vocab import SECTORS


@pytest.fixture(scope="module")
def ds():
    return seed_dataset()


def test_every_sector_has_figures(ds):
    counts = ds.observations.groupby("sector").size()
    assert set(counts.index) == set(SECTORS)
    assert len(ds.observations) >= 300, "expected several hundred rows"


def test_every_row_has_a_known_source_and_definition(ds):
    assert ds.observations["source_id"].isin(ds.sources["source_id"]).all()
    defs = set(zip(ds.definitions["sector"], ds.definitions["definition"]))
    assert all(k in defs for k in zip(ds.observations["sector"], ds.observations["definition"]))
    assert (ds.sources["description"].str.len() > 10).all()


def test_one_definition_and_unit_per_series(ds):
    per_series = ds.observations.groupby("series_id")[["definition", "unit", "metric", "sector"]].nunique()
    assert (per_series == 1).all().all()
    assert not ds.observations.duplicated(["series_id", "year"]).any()


def test_conflicting_semiconductor_stocks_are_kept_apart(ds):
    semi = ds.observations[(ds.observations.sector == "semiconductor") & (ds.observations.metric == "stock")]
    # KIAT 99,285 (2020) and the all-workers 179,885 (2020) describe different populations
    y2020 = semi[(semi.year == 2020) & semi.occupation.eq("") & semi.region.eq("")]
    assert {99285.0, 179885.0} <= set(y2020["value"])
    assert y2020.groupby("value")["definition"].first().nunique() == len(y2020)


def test_counts_are_in_persons_not_thousands(ds):
    obs = ds.observations
    projection = obs[(obs.sector == "battery") & (obs.metric == "projection")]
    assert {56340.0, 110791.0} <= set(projection["value"])
    semi = obs[(obs.sector == "semiconductor") & (obs.metric == "projection")]
    assert 304000.0 in set(semi["value"])
    persons = obs[obs.unit == "persons"]
    assert (persons["value"] >= 0).all()
    rates = obs[obs.unit == "%"]
    assert rates["value"].between(-100, 100).all()


def test_battery_destination_table_is_complete(ds):
    dest = ds.observations[(ds.observations.sector == "battery") & (ds.observations.metric == "alumni_destination")]
    assert dest["definition"].nunique() == 4
    assert set(dest["education"]) == {"master", "phd"}
    assert {"academia", "industry", "research_institute"} <= set(dest["occupation"])


def test_seed_citations_hold_their_numbers(ds):
    docs = seed_docs_dir()
    if docs is None:
        pytest.skip("seed documents (../shared/seeds or $TALENTGAP_SEED_DOCS) not present: citations not checked")
    cited = ds.sources[ds.sources["kind"] == "seed"]
    assert len(cited) >= 20
    assert citation_problems(ds.observations, ds.sources, docs) == []


def test_citation_check_catches_a_wrong_number(ds, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "x.txt").write_text("첫 줄\n2031년까지 15만명 양성\n", encoding="utf-8")
    sources = pd.DataFrame([{"source_id": "s", "kind": "seed", "ref": "x.txt", "lines": "2"}])
    good = pd.DataFrame([{"series_id": "a", "year": 2031, "value": 150000.0, "source_id": "s"}])
    bad = good.assign(value=140000.0)
    assert citation_problems(good, sources, docs) == []
    assert len(citation_problems(bad, sources, docs)) == 1


def test_loader_reports_every_problem(tmp_path):
    folder = tmp_path / "battery"
    folder.mkdir()
    (folder / "sources.csv").write_text("source_id,kind,ref,lines,publisher,published,description,description_ko\n"
                                        "b1,url,https://x.org,,x,,a source that exists,\n", encoding="utf-8")
    (folder / "definitions.csv").write_text("definition,label_en,label_ko,description,description_ko\n"
                                            "d,D,디,desc,desc\n", encoding="utf-8")
    (folder / "categories.csv").write_text("kind,id,label_en,label_ko,source_id\n", encoding="utf-8")
    (folder / "observations.csv").write_text(
        "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
        ",battery,stock,d,,,,2022,abc,persons,b1\n"
        ",battery,stock,other,,,,2023,5,persons,nope\n", encoding="utf-8")
    with pytest.raises(SeedDataError) as err:
        load_seed_dataset(tmp_path)
    text = str(err.value)
    assert "row 2, column value" in text and "row 3, column source_id" in text
    assert "sources.csv: row 2: description_ko is blank" in text
    assert "definitions.csv: row 2: description_ko holds no Korean (got 'desc')" in text
