"""The versioned store: seeding, versions, activation, import semantics, export round trip."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentgap.data.files import UploadError
from talentgap.data.schema import Observation
from talentgap.data.store import Store, UnknownVersion

from ..conftest import FIXTURES, write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


def test_new_database_is_seeded_as_version_one(store, small_seed):
    versions = store.versions()
    assert [(v.id, v.active, v.origin) for v in versions] == [(1, True, "seed")]
    assert len(store.observations()) == len(small_seed.observations)


def test_reopening_does_not_seed_twice(store, db_url, small_seed):
    again = Store.open(db_url, seed=small_seed)
    assert len(again.versions()) == 1
    assert len(again.observations()) == len(small_seed.observations)


def test_import_adds_and_replaces_by_series_and_year(store, tmp_path):
    f = write(tmp_path / "new.csv", HEADER +
              ",semiconductor,stock,kiat_itw,,,,2024,120000,persons,t-w01\n"   # replaces 118721
              ",semiconductor,stock,kiat_itw,,,,2025,125000,persons,t-w01\n")  # new year
    result = store.import_file(f)
    assert (result.version, result.added_rows, result.replaced_rows) == (2, 1, 1)
    assert store.active_version() == 2
    stock = store.observations().query("series_id == 'semiconductor.stock.kiat_itw'").set_index("year")["value"]
    assert stock.to_dict() == {2016: 86525.0, 2020: 99285.0, 2024: 120000.0, 2025: 125000.0}
    # version 1 is untouched and can be re-activated
    assert store.observations(1).query("year == 2024 and metric == 'stock'")["value"].item() == 118721.0
    store.activate(1)
    assert store.active_version() == 1
    assert len(store.observations()) == 5


def test_activate_unknown_version_is_an_error(store):
    with pytest.raises(UnknownVersion, match="version 9 does not exist"):
        store.activate(9)
    assert store.active_version() == 1


def test_export_then_import_gives_identical_data(store, tmp_path):
    store.import_file(write(tmp_path / "a.csv", HEADER + ",semiconductor,shortage_rate,kiat_itw,,,,2023,1.7,%,t-w01\n"))
    before = store.observations()
    out = tmp_path / "export.csv"
    assert store.export(out) == len(before)
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(exported.columns)[-5:] == ["source_id", "source_kind", "source_ref", "source_description",
                                           "source_description_ko"]
    assert set(exported["source_ref"]) == {"https://example.org/kiat-2020", "004_e64dba568495b49d.txt:2602"}
    assert set(exported["source_description_ko"]) == {"테스트 출처: KIAT 반도체 현원", "테스트 출처: 2022년 방안의 양성 목표"}
    result = store.import_file(out)
    assert (result.added_rows, result.replaced_rows) == (0, len(before))
    pd.testing.assert_frame_equal(store.observations(), before)


def test_xlsx_export_round_trips(store, tmp_path):
    before = store.observations()
    out = tmp_path / "export.xlsx"
    store.export(out, fmt="xlsx")
    store.import_file(out)
    pd.testing.assert_frame_equal(store.observations(), before)


def test_upload_can_define_a_new_source(store, tmp_path):
    f = write(tmp_path / "n.csv", HEADER.strip() + ",source_kind,source_ref\n"
              ",battery,stock,kiat_emerging,,,,2023,60000,persons,new-1,url,https://example.org/new\n")
    store.import_file(f)
    assert store.source("new-1")["ref"] == "https://example.org/new"
    assert (store.source("new-1")["description"], store.source("new-1")["description_ko"]) == (
        "defined by an upload", "업로드로 정의된 출처")


def test_upload_may_describe_its_sources_in_either_language(store, tmp_path):
    f = write(tmp_path / "n.csv", HEADER.strip() + ",source_kind,source_ref,source_description,source_description_ko\n"
              ",battery,stock,kiat_emerging,,,,2023,60000,persons,new-1,url,https://example.org/1,Firm survey,기업 조사\n"
              ",battery,stock,kiat_emerging,,,,2024,61000,persons,new-2,url,https://example.org/2,Press release,\n")
    store.import_file(f)
    assert {k: store.source("new-1")[k] for k in ("description", "description_ko")} == {
        "description": "Firm survey", "description_ko": "기업 조사"}
    # no Korean text: left empty, so pages show the English one
    assert (store.source("new-2")["description"], store.source("new-2")["description_ko"]) == ("Press release", "")
    exported = store.export_frame().set_index("source_id")
    assert exported.loc["new-1", "source_description_ko"] == "기업 조사"


def test_upload_may_not_redefine_a_stored_source(store, tmp_path):
    f = write(tmp_path / "n.csv", HEADER.strip() + ",source_kind,source_ref\n"
              ",battery,stock,kiat_emerging,,,,2023,60000,persons,t-w01,url,https://example.org/other\n")
    with pytest.raises(UploadError, match="row 2, column source_ref: differs from the stored source"):
        store.import_file(f)


def test_unit_must_match_the_existing_series(store, tmp_path):
    f = write(tmp_path / "u.csv", HEADER + ",semiconductor,stock,kiat_itw,,,,2030,5,%,t-w01\n")
    with pytest.raises(UploadError, match="row 2, column unit: series 'semiconductor.stock.kiat_itw' uses unit 'persons'"):
        store.import_file(f)
    assert store.active_version() == 1


def test_failure_mid_import_rolls_back(store, tmp_path, monkeypatch):
    f = write(tmp_path / "a.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,60000,persons,t-w01\n")

    def broken(s, frame, version):
        s.execute(Observation.__table__.insert(), [{"version_id": version, "series_id": "x", "sector": "battery",
                                                     "metric": "stock", "definition": "d", "occupation": "",
                                                     "education": "", "region": "", "year": 2000, "value": 1.0,
                                                     "unit": "persons", "source_id": "t-w01"}])
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert_observations", staticmethod(broken))
    with pytest.raises(RuntimeError):
        store.import_file(f)
    assert [v.id for v in store.versions()] == [1]
    with Session(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == 5


def test_killed_import_leaves_store_as_it_was(store, db_url, tmp_path):
    rows = "".join(f",battery,stock,d{i},,,,2023,{i},persons,t-w01\n" for i in range(20000))
    f = write(tmp_path / "big.csv", HEADER + rows)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from talentgap.data.store import Store
        from talentgap.seeds.loader import load_seed_dataset
        original = Store._insert_observations
        def half_then_die(s, frame, version):
            original(s, frame.iloc[: len(frame) // 2], version)
            s.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        Store._insert_observations = staticmethod(half_then_die)
        store = Store.open({db_url!r}, seed=load_seed_dataset(Path({str(FIXTURES / 'seed')!r})))
        store.import_file(Path({str(f)!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    reopened = Store.open(db_url)
    assert [v.id for v in reopened.versions()] == [1]
    assert reopened.active_version() == 1
    with Session(reopened.engine) as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == 5
    if db_url.startswith("sqlite"):
        assert os.path.exists(db_url.removeprefix("sqlite:///"))
