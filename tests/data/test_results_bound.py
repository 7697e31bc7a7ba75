"""Reads cannot grow the store without bound: forecasts with lever overrides and skill-gap profiles are
scratch results in a pool of ``max_scratch_results`` rows, the least recently served evicted first;
built-in scenarios are kept as vintages whatever the pool does."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentgap.api.http.app import create_app
from talentgap.data import results
from talentgap.data.keys import create_key
from talentgap.data.schema import StoredResult
from talentgap.data.settings import get_settings
from talentgap.data.store import Store


@pytest.fixture
def small_pool(monkeypatch):
    monkeypatch.setattr(get_settings(), "max_scratch_results", 5)


def counts(store: Store) -> tuple[int, int]:
    with Session(store.engine) as s:
        kept = s.scalar(select(func.count()).select_from(StoredResult).where(StoredResult.kept.is_(True)))
        scratch = s.scalar(select(func.count()).select_from(StoredResult).where(StoredResult.kept.is_(False)))
    return kept, scratch


def test_twenty_distinct_reads_by_a_read_only_key_keep_at_most_the_pool(tmp_path, small_pool):
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    key = create_key(store, role="university", name="uni")
    client = TestClient(create_app(store))
    auth = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/forecasts/battery", headers=auth).status_code == 200
    for i in range(20):
        r = client.get(f"/api/v1/forecasts/battery?extra_graduates={100 + i}", headers=auth)
        assert r.status_code == 200
    for i in range(4):
        r = client.post("/api/v1/gaps", json={"skills": {"cell_design": 1, "bms": i / 4}}, headers=auth)
        assert r.status_code == 200, r.text
    kept, scratch = counts(store)
    assert scratch == 5 and kept == 1  # the trend forecast stays; 24 scratch results were cut to 5


def test_the_least_recently_served_scratch_result_goes_first(store, small_pool):
    def put(i: int) -> None:
        results.put_result(store, kind="gap", params={"i": i}, dataset_version=1, model_version="m",
                           payload={"i": i}, keep=False)

    for i in range(5):
        put(i)
    with Session(store.engine) as s, s.begin():  # result 0 was served a minute ago; the others earlier
        s.execute(StoredResult.__table__.update().values(used_at=results.datetime(2020, 1, 1, tzinfo=results.UTC)))
    assert results.get_result(store, kind="gap", params={"i": 0}, dataset_version=1, model_version="m") == {"i": 0}
    put(5)
    assert results.get_result(store, kind="gap", params={"i": 0}, dataset_version=1, model_version="m") == {"i": 0}
    assert results.get_result(store, kind="gap", params={"i": 5}, dataset_version=1, model_version="m") == {"i": 5}
    gone = [i for i in range(1, 5) if results.get_result(store, kind="gap", params={"i": i}, dataset_version=1,
                                                         model_version="m") is None]
    assert len(gone) == 1 and counts(store) == (0, 5)
