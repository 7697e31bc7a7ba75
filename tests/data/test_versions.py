"""Versions as deltas: an import stores only what changed, branches never see each other's rows, and
the stored summaries agree with the observations they summarise."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentgap.data.schema import Observation
from talentgap.data.store import UnknownVersion
from talentgap.seeds.validate import validate_observations

from ..conftest import write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


def stored(store) -> int:
    with Session(store.engine) as s:
        return s.scalar(select(func.count()).select_from(Observation))


def test_an_import_stores_only_new_and_changed_rows(store, tmp_path):
    f = write(tmp_path / "a.csv", HEADER +
              ",semiconductor,stock,kiat_itw,,,,2024,120000,persons,t-w01\n"  # changed
              ",semiconductor,stock,kiat_itw,,,,2020,99285,persons,t-w01\n"  # as it was
              ",semiconductor,stock,kiat_itw,,,,2025,125000,persons,t-w01\n")  # new
    result = store.import_file(f)
    assert (result.row_count, result.added_rows, result.replaced_rows, result.stored_rows) == (6, 1, 2, 2)
    assert stored(store) == 5 + 2
    assert [(v.id, v.row_count, v.stored_rows) for v in store.versions()] == [(1, 5, 5), (2, 6, 2)]


def test_reimporting_an_export_stores_nothing(store, tmp_path):
    out = tmp_path / "export.csv"
    store.export(out)
    result = store.import_file(out)
    # an import that changes nothing makes no version at all (issue 21): it says so and version 1 stays
    assert (result.version, result.replaced_rows, result.stored_rows, result.unchanged) == (1, 5, 0, True)
    assert stored(store) == 5
    assert [v.id for v in store.versions()] == [1] and store.active_version() == 1


def test_unknown_version_is_an_error_for_every_read(store):
    for read in (lambda: store.snapshot(4), lambda: store.sector_summaries(4),
                 lambda: store.sector_detail("semiconductor", 4), lambda: store.observations(4)):
        with pytest.raises(UnknownVersion, match="version 4 does not exist; known versions: 1$") as err:
            read()
        assert err.value.code == "dataset.unknown_version"


KEYS = [("semiconductor", "stock", "kiat_itw", ""), ("semiconductor", "openings", "kiat_itw", "design"),
        ("battery", "stock", "kiat_emerging", ""), ("battery", "hires", "kiat_emerging", "design"),
        ("quantum", "stock", "nia_white", "")]


def expected_summaries(frame: pd.DataFrame) -> tuple:
    counts = frame.groupby("sector").agg(series=("series_id", "nunique"), observations=("year", "size"))
    return tuple((s, int(r.series), int(r.observations)) for s, r in counts.iterrows())


def expected_series(frame: pd.DataFrame) -> list[tuple]:
    g = frame.groupby("series_id", sort=True)
    out = g[["metric", "definition", "occupation", "education", "region", "unit"]].first()
    out["first_year"], out["last_year"], out["points"] = g["year"].min(), g["year"].max(), g["year"].size()
    return [tuple(r) for r in out.reset_index().itertuples(index=False)]


@pytest.mark.parametrize("seed", [1, 2], ids=lambda s: f"seed={s}")
def test_random_imports_and_activations_match_full_copies(store, seed):
    """Against a naive model that keeps a full copy of every version, over a random tree of versions."""
    rng = random.Random(seed)
    copies = {1: store.observations(1)}
    for step in range(8):
        if step in (3, 6):
            store.activate(rng.choice(sorted(copies)))
        parent = store.active_version()
        rows = []
        for sector, metric, definition, occupation in rng.sample(KEYS, 3):
            for year in rng.sample(range(2018, 2026), 3):
                rows.append({"series_id": "", "sector": sector, "metric": metric, "definition": definition,
                             "occupation": occupation, "education": "", "region": "", "year": str(year),
                             "value": str(rng.choice([1, 2, 3])), "unit": "persons", "source_id": "t-w01"})
        # values of 1 to 3 persons on the seed's series are implausible (tests/data/test_plausibility.py);
        # here only the versions' bookkeeping is tested
        result = store.import_frame(pd.DataFrame(rows), origin=f"step {step}", allow_implausible=True)
        model = pd.concat([copies[parent], _typed(rows, store)], ignore_index=True)
        model = model.drop_duplicates(["series_id", "year"], keep="last")
        copies[result.version] = model.sort_values(["sector", "series_id", "year"]).reset_index(drop=True)
        assert result.row_count == len(model)
    assert any(v.parent_id != v.id - 1 for v in store.versions()[1:]), "the walk made no branch"
    for version, model in copies.items():
        got = store.observations(version)
        pd.testing.assert_frame_equal(got, model, check_dtype=False)
        assert store.sector_summaries(version).sectors == expected_summaries(model)
        for sector in ("semiconductor", "battery", "quantum"):
            detail = store.sector_detail(sector, version)
            assert [tuple(s) for s in detail.series] == expected_series(model[model["sector"] == sector])
            pd.testing.assert_frame_equal(store.snapshot(version, sector=sector).observations,
                                          model[model["sector"] == sector].reset_index(drop=True), check_dtype=False)


def _typed(rows: list[dict], store) -> pd.DataFrame:
    typed, problems = validate_observations(pd.DataFrame(rows), known_sources=set(store.sources()["source_id"]))
    assert problems == []
    return typed
