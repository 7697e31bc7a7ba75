"""`talentgap data ...`: exit codes, messages, and that bad input changes nothing."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.data.store import Store

from ..conftest import write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
runner = CliRunner()


@pytest.fixture
def db(store, db_url):
    """A database seeded with the small fixture dataset (the CLI then does not re-seed it)."""
    return db_url


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def versions(db):
    return [v.id for v in Store.open(db).versions()]


def test_import_and_versions_and_activate(db, tmp_path):
    f = write(tmp_path / "new.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,60000,persons,t-w01\n")
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 0, res.output
    assert "dataset version 2 is now active (6 rows: 1 added, 0 replaced)" in res.output
    res = run("data", "versions", "--db", db)
    lines = res.output.splitlines()
    assert lines[1].split()[:2] == ["1", "2026"] or lines[1].lstrip().startswith("1")
    assert lines[2].startswith("*") and "import new.csv" in lines[2]
    assert run("data", "activate", "1", "--db", db).exit_code == 0
    assert Store.open(db).active_version() == 1
    res = run("data", "activate", "7", "--db", db)
    assert res.exit_code == 2 and "version 7 does not exist" in res.output


def test_export_every_row_with_sources(db, tmp_path):
    out = tmp_path / "x.csv"
    res = run("data", "export", "--out", out, "--db", db)
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    assert len(frame) == 5 and frame["source_ref"].notna().all()
    res = run("data", "export", "--out", tmp_path / "x.xlsx", "--version", 1, "--db", db)
    assert res.exit_code == 0 and (tmp_path / "x.xlsx").stat().st_size > 0
    res = run("data", "export", "--out", tmp_path / "y.csv", "--version", 5, "--db", db)
    assert res.exit_code == 2 and "version 5 does not exist" in res.output


BAD_FILES = {
    "text in value": (HEADER + ",battery,stock,kiat_emerging,,,,2023,many,persons,t-w01\n",
                      ["row 2, column value: must be a finite number (got 'many')"]),
    "unknown sector": (HEADER + ",steel,stock,kiat_itw,,,,2023,5,persons,t-w01\n",
                       ["row 2, column sector: unknown sector; expected one of semiconductor, battery"]),
    "duplicate series and year": (HEADER + ",battery,stock,kiat_emerging,,,,2023,5,persons,t-w01\n"
                                  ",battery,stock,kiat_emerging,,,,2023,6,persons,t-w01\n",
                                  ["row 3, column year: duplicate of row 2 for series 'battery.stock.kiat_emerging' (got '2023')"]),
    "missing column": ("sector,metric,definition,year,unit,source_id\nbattery,stock,d,2023,persons,t-w01\n",
                       ["column value: required column is missing"]),
    "empty file": ("", ["file: is empty"]),
    "header only": (HEADER, ["file: has a header but no data rows"]),
    "several problems": (HEADER + ",battery,stok,kiat_emerging,,,,20x3,5,persons,t-w01\n"
                         ",battery,stock,kiat_emerging,,doctor,,2023,5,persons,missing-source\n",
                         ["row 2, column metric: unknown metric", "row 2, column year: must be a whole year",
                          "row 3, column education: unknown education level", "row 3, column source_id: unknown source"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_import_is_rejected_whole(db, tmp_path, case):
    text, expected = BAD_FILES[case]
    before = Store.open(db).observations()
    f = write(tmp_path / "bad.csv", text)
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 2, res.output
    for message in expected:
        assert message in res.output
    assert versions(db) == [1]
    pd.testing.assert_frame_equal(Store.open(db).observations(), before)


def test_ten_megabytes_of_garbage_is_rejected(db, tmp_path):
    f = tmp_path / "garbage.csv"
    f.write_bytes(random.Random(0).randbytes(10 * 1024 * 1024))
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 2
    assert "file: holds binary data, not CSV text" in res.output
    assert versions(db) == [1]


def test_oversized_file_is_rejected_before_parsing(db, tmp_path, monkeypatch):
    from talentgap.data import settings

    monkeypatch.setenv("TALENTGAP_MAX_UPLOAD_BYTES", "1000")
    settings.get_settings.cache_clear()
    try:
        f = write(tmp_path / "big.csv", HEADER + ",battery,stock,d,,,,2023,5,persons,t-w01\n" * 50)
        res = run("data", "import", f, "--db", db)
        assert res.exit_code == 2 and "larger than the 1,000-byte limit" in res.output
    finally:
        settings.get_settings.cache_clear()


def test_bom_and_korean_headers_and_labels_are_understood(db, tmp_path):
    text = ("시리즈,산업,지표,정의,직무,학력,지역,연도,값,단위,출처\n"
            ",이차전지,현원,kiat_emerging,,석사,,2023,\"1,500\",명,t-w01\n")
    f = tmp_path / "korean.csv"
    f.write_bytes(text.encode("utf-8-sig"))
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 0, res.output
    row = Store.open(db).observations().query("sector == 'battery'").iloc[0]
    assert (row.series_id, row.education, row.value, row.unit) == ("battery.stock.kiat_emerging.master", "master", 1500.0, "persons")


def test_cp949_file_is_read(db, tmp_path):
    f = tmp_path / "cp949.csv"
    f.write_bytes(("산업,지표,정의,연도,값,단위,출처\n양자,현원,nia_core_phd,2024,643,명,t-w01\n").encode("cp949"))
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 0, res.output


def test_xlsx_import(db, tmp_path):
    frame = pd.DataFrame([{"sector": "quantum", "metric": "stock", "definition": "nia_core_phd", "year": 2024,
                           "value": 643, "unit": "persons", "source_id": "t-w01"}])
    f = tmp_path / "q.xlsx"
    frame.to_excel(f, index=False)
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 0, res.output
    assert Store.open(db).observations().query("sector == 'quantum'")["value"].tolist() == [643.0]


def test_not_an_xlsx(db, tmp_path):
    f = tmp_path / "broken.xlsx"
    f.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    res = run("data", "import", f, "--db", db)
    assert res.exit_code == 2 and "file: is not a readable XLSX workbook" in res.output


def test_missing_file(db, tmp_path):
    res = run("data", "import", tmp_path / "nope.csv", "--db", db)
    assert res.exit_code == 2 and "no such file" in res.output


def test_unknown_command_option_exits_2(db):
    assert run("data", "export", "--db", db).exit_code == 2  # --out is required


def test_full_seed_export_has_every_sector_and_round_trips(tmp_path):
    db = f"sqlite:///{tmp_path / 'full.db'}"
    out = tmp_path / "x.csv"
    assert run("data", "export", "--out", out, "--db", db).exit_code == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(frame["sector"]) == {"semiconductor", "battery", "quantum", "6g", "security"}
    assert (frame["source_ref"] != "").all() and (frame["source_kind"] != "").all()
    before = Store.open(db).observations()
    res = run("data", "import", out, "--db", db)
    assert res.exit_code == 0, res.output
    pd.testing.assert_frame_equal(Store.open(db).observations(), before)


def test_a_command_upgrades_an_old_database_and_says_so(tmp_path):
    """A database made before schema migrations opens through any command, which says it upgraded it."""
    import shutil
    from pathlib import Path

    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "store_rev1" / "talentgap.db", old)
    res = CliRunner().invoke(app, ["data", "versions", "--db", f"sqlite:///{old}"])
    assert res.exit_code == 0, res.output
    assert "upgraded the database schema from revision 0001" in res.stderr
    assert "*       2" in res.stdout  # version 2 stays the active one
    again = CliRunner().invoke(app, ["data", "versions", "--db", f"sqlite:///{old}"])
    assert "upgraded" not in again.stderr
