"""Schema migrations: a database made before them upgrades and reads back the same data; a new one
matches the models; a failed or refused upgrade leaves the database as it was."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, func, insert, inspect, select, text

from talentgap.api.render.names import localized
from talentgap.data.migrate import SchemaTooNew, SchemaUpgrade, alembic_config, current_revision, head_revision
from talentgap.data.schema import Base, Observation
from talentgap.data.store import Store

from ..conftest import FIXTURES

REV1 = FIXTURES / "store_rev1"
# versions of the fixture as the code before migrations listed them: id, parent, rows, added, replaced, active
REV1_VERSIONS = [(1, None, 5, 5, 0, False), (2, 1, 8, 3, 1, True), (3, 1, 6, 1, 2, False)]


def rev1_database(db_url: str, tmp_path) -> str:
    """The fixture database behind ``db_url``: the file itself for SQLite; for PostgreSQL its rows
    copied into revision 0001's tables, with no ``alembic_version`` (as the code before migrations left it)."""
    if db_url.startswith("sqlite"):
        target = tmp_path / "rev1.db"
        shutil.copy(REV1 / "talentgap.db", target)
        return f"sqlite:///{target}"
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.exec_driver_sql("DROP TABLE alembic_version")
    source = create_engine(f"sqlite:///{REV1 / 'talentgap.db'}")
    tables = MetaData()
    tables.reflect(source)
    with source.connect() as src, engine.begin() as dst:
        for table in tables.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            if rows:
                dst.execute(insert(table), rows)
        if db_url.startswith("postgresql"):
            dst.exec_driver_sql("SELECT setval('observation_id_seq', (SELECT max(id) FROM observation))")
    source.dispose()
    engine.dispose()
    return db_url


def test_database_from_before_migrations_upgrades_and_reads_the_same_data(db_url, tmp_path):
    url = rev1_database(db_url, tmp_path)
    store = Store.open(url)
    assert store.schema_upgrade == SchemaUpgrade("0001", head_revision())
    assert str(store.schema_upgrade) == f"upgraded the database schema from revision 0001 to {head_revision()}"
    assert [(v.id, v.parent_id, v.row_count, v.added_rows, v.replaced_rows, v.active)
            for v in store.versions()] == REV1_VERSIONS
    for version in (1, 2, 3):
        expected = pd.read_csv(REV1 / f"export_v{version}.csv", dtype=str, keep_default_na=False)
        exported = store.export_frame(version).astype(str)
        # the exports of the time, plus the source descriptions later exports carry
        pd.testing.assert_frame_equal(exported[list(expected.columns)], expected, check_dtype=False)
        assert list(exported.columns) == [*expected.columns, "source_description", "source_description_ko"]
    # only what changed is kept: v2 replaced one row and added three; v3 re-sent one unchanged row
    assert [v.stored_rows for v in store.versions()] == [5, 4, 2]
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Observation)) == 11
    assert Store.open(url).schema_upgrade is None


def test_sources_and_definitions_stored_before_0004_read_in_english(db_url, tmp_path):
    store = Store.open(rev1_database(db_url, tmp_path))
    assert current_revision(store.engine) == head_revision() == "0007"
    source = store.source("t-w01")
    assert (source["description"], source["description_ko"]) == ("Test source: KIAT semiconductor stock", "")
    assert localized(source, "description", "ko") == ("Test source: KIAT semiconductor stock", "en")
    definitions = store.definitions().set_index("definition")
    assert definitions.loc["kiat_itw", "description"] and definitions.loc["kiat_itw", "description_ko"] == ""
    detail = store.sector_detail("semiconductor")
    assert {d.definition: d.description_ko for d in detail.definitions}["kiat_itw"] == ""
    # a source defined after the upgrade keeps its Korean description
    frame = pd.DataFrame([{"series_id": "", "sector": "quantum", "metric": "stock", "definition": "nia_white",
                           "occupation": "", "education": "", "region": "", "year": "2023", "value": "2500",
                           "unit": "persons", "source_id": "n-1", "source_kind": "url",
                           "source_ref": "https://example.org/n", "source_description": "White paper",
                           "source_description_ko": "백서"}])
    store.import_frame(frame, origin="after upgrade")
    assert localized(store.source("n-1"), "description", "ko") == ("백서", "ko")


def test_0004_gives_seed_sources_and_definitions_stored_before_it_their_shipped_korean(db_url, tmp_path):
    import csv
    from importlib.resources import files

    with (files("talentgap.seeds") / "data" / "battery" / "sources.csv").open(encoding="utf-8") as f:
        shipped = next(r for r in csv.DictReader(f) if r["source_id"] == "bat-w01")
    with (files("talentgap.seeds") / "data" / "battery" / "definitions.csv").open(encoding="utf-8") as f:
        definition = next(r for r in csv.DictReader(f) if r["definition"] == "kiat_emerging")
    url = rev1_database(db_url, tmp_path)
    engine = create_engine(url)
    with engine.begin() as conn:
        add_source = text("INSERT INTO source (source_id, kind, ref, lines, publisher, published, description) "
                          "VALUES (:id, 'url', 'https://example.org', '', '', '', :description)")
        conn.execute(add_source, [{"id": "bat-w01", "description": shipped["description"]},
                                  {"id": "bat-w02", "description": "A description of our own"}])
        conn.execute(text("INSERT INTO definition (sector, definition, label_en, label_ko, description) "
                          "VALUES ('battery', 'kiat_emerging', 'x', 'x', :d)"), {"d": definition["description"]})
    engine.dispose()
    store = Store.open(url)
    assert store.source("bat-w01")["description_ko"] == shipped["description_ko"] != ""
    assert store.source("bat-w02")["description_ko"] == "", "an edited English text keeps no stale Korean"
    assert store.source("t-w01")["description_ko"] == ""
    defs = store.definitions().set_index("definition")
    assert defs.loc["kiat_emerging", "description_ko"] == definition["description_ko"]


def test_0006_keeps_results_stored_before_it_and_gives_old_reports_no_owner(db_url):
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0005")
        conn.execute(text("INSERT INTO stored_result (kind, key, dataset_version, model_version, params, payload, "
                          "created_at) VALUES ('forecast', 'k', 1, 'm', '{}', '{}', :t)"), {"t": "2026-01-01"})
        conn.execute(text("INSERT INTO report (id, created_at, status, error, error_id, model_version, params, "
                          "directory, schedule, worker) VALUES ('r1', :t, 'done', '', '', '', '{}', '', '', '')"),
                     {"t": "2026-01-01"})
    engine.dispose()
    store = Store.open(db_url)
    assert store.schema_upgrade == SchemaUpgrade("0005", head_revision())
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT kept, used_at FROM stored_result")).one() == (True, None)
        assert conn.execute(text("SELECT requested_by FROM report")).scalar() == ""


def test_upgraded_database_takes_new_imports_on_every_branch(db_url, tmp_path):
    store = Store.open(rev1_database(db_url, tmp_path))
    store.activate(3)
    frame = pd.DataFrame([{"series_id": "", "sector": "quantum", "metric": "stock", "definition": "nia_white",
                           "occupation": "", "education": "", "region": "", "year": "2023", "value": "2500",
                           "unit": "persons", "source_id": "t-w01"}])
    result = store.import_frame(frame, origin="after upgrade")
    assert (result.version, result.row_count, result.added_rows, result.stored_rows) == (4, 7, 1, 1)
    quantum = store.observations(4, sector="quantum").set_index("year")["value"].to_dict()
    assert quantum == {2022: 2000.0, 2023: 2500.0}
    assert store.sector_summaries(4).sectors == (("quantum", 1, 2), ("semiconductor", 3, 5))


def test_new_database_matches_the_models(db_url):
    store = Store.open(db_url)
    assert store.schema_upgrade == SchemaUpgrade(None, head_revision())
    assert str(store.schema_upgrade) == f"created the database schema at revision {head_revision()}"
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert current_revision(store.engine) == head_revision()


def test_constructing_a_store_does_not_touch_the_database_opening_it_upgrades_and_seeds_once(db_url, small_seed):
    bare = Store(db_url)
    assert bare.schema_upgrade is None
    assert inspect(bare.engine).get_table_names() == []
    assert current_revision(bare.engine) is None
    bare.engine.dispose()

    store = Store.open(db_url, seed=small_seed)
    assert store.schema_upgrade == SchemaUpgrade(None, head_revision())
    assert current_revision(store.engine) == head_revision()
    assert [(v.id, v.origin, v.active) for v in store.versions()] == [(1, "seed", True)]
    store.engine.dispose()

    again = Store.open(db_url, seed=small_seed)
    assert again.schema_upgrade is None
    assert [(v.id, v.origin) for v in again.versions()] == [(1, "seed")]


def test_failed_upgrade_leaves_the_database_as_it_was(db_url, tmp_path, monkeypatch):
    url = rev1_database(db_url, tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Operations, "drop_index", broken)  # late in revision 0002, after its data steps
    with pytest.raises(RuntimeError, match="disk full"):
        Store.open(url)
    engine = create_engine(url)
    assert current_revision(engine) is None
    names = set(inspect(engine).get_table_names())
    assert "series_summary" not in names and "alembic_version" not in names
    assert "stored_rows" not in {c["name"] for c in inspect(engine).get_columns("dataset_version")}
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Observation.__table__)) == 5 + 8 + 6
    engine.dispose()
    monkeypatch.undo()
    assert Store.open(url).schema_upgrade == SchemaUpgrade("0001", head_revision())


def test_a_newer_schema_is_refused(db_url):
    Store.open(db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="revision '9999', newer than this talentgap knows") as err:
        Store.open(db_url)
    assert err.value.code == "store.schema_too_new"


def test_stores_opened_at_once_upgrade_once(db_url, tmp_path):
    url = rev1_database(db_url, tmp_path)
    upgrades, errors = [], []

    def open_store():
        try:
            upgrades.append(Store.open(url).schema_upgrade)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(upgrades, key=str) == [None, None, None, SchemaUpgrade("0001", head_revision())]


def test_downgrade_to_0001_writes_the_full_copies_back(db_url, tmp_path):
    url = rev1_database(db_url, tmp_path)
    Store.open(url).engine.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with engine.connect() as conn:
        rows = pd.read_sql("SELECT version_id, series_id, year, value FROM observation", conn)
    engine.dispose()
    for version in (1, 2, 3):
        expected = pd.read_csv(REV1 / f"export_v{version}.csv")
        got = rows[rows["version_id"] == version].sort_values(["series_id", "year"])
        assert list(zip(got["series_id"], got["year"], got["value"])) == list(
            zip(expected["series_id"], expected["year"], expected["value"].astype(float)))
