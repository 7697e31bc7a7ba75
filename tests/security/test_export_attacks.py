"""Reproductions of the export findings of the hardening issue, through ``Store.export``: formula
injection through uploaded text, and ``--out`` pointing at a folder, a device, a FIFO or stdout."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import threading

import pytest
from openpyxl import load_workbook

from talentgap.data.export import OutputError, OutputWriteFailed
from talentgap.data.store import Store

from ..conftest import write

CSV_HEADER = ("series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id,"
              "source_kind,source_ref,source_description\n")
# Formula text in the source's reference and description (a new source id is plain ASCII since issue 21,
# so it can no longer hold any), and negative numbers of a metric that may be negative (a net inflow).
HOSTILE_UPLOAD = (CSV_HEADER + ",semiconductor,net_inflow,kiat_itw,,,,2025,-5,persons,f-1,document,@SUM(1+1),=1+2\n"
                  ",semiconductor,net_inflow,kiat_itw,,,,2026,-0.25,persons,f-2,document,+cmd|' /C calc'!A0,-2+3\n")


@pytest.fixture
def hostile(store, tmp_path):
    store.import_file(write(tmp_path / "hostile.csv", HOSTILE_UPLOAD))
    return store


def test_csv_export_neutralises_formula_text_and_keeps_negative_numbers(hostile, tmp_path):
    hostile.export(tmp_path / "out.csv", fmt="csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"), newline="")))
    new = {r["year"]: r for r in rows if r["year"] in ("2025", "2026")}
    assert (new["2025"]["source_description"], new["2025"]["source_ref"], new["2025"]["value"]) == (
        "'=1+2", "'@SUM(1+1)", "-5")
    assert (new["2026"]["source_description"], new["2026"]["source_ref"], new["2026"]["value"]) == (
        "'-2+3", "'+cmd|' /C calc'!A0", "-0.25")


def test_xlsx_export_has_no_formula_cells_and_numbers_stay_numbers(hostile, tmp_path):
    hostile.export(tmp_path / "out.xlsx", fmt="xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in sheet[1]]
    by_year = {r[header.index("year")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_year[2025][header.index("source_description")] == "=1+2"
    assert by_year[2025][header.index("value")] == -5 and by_year[2026][header.index("value")] == -0.25


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_formula_text_imports_back_unchanged(hostile, tmp_path, fmt):
    hostile.export(tmp_path / f"out.{fmt}", fmt=fmt)
    result = hostile.import_file(tmp_path / f"out.{fmt}")
    assert (result.added_rows, result.replaced_rows, result.unchanged) == (0, len(hostile.observations(2)), True)
    assert hostile.observations(result.version).equals(hostile.observations(2))


def test_export_to_a_folder_is_refused_by_name_and_leaves_nothing(store, tmp_path):
    folder = tmp_path / "out" / "exports"
    folder.mkdir(parents=True)
    with pytest.raises(OutputError, match=f"output path {folder} is a folder") as info:
        store.export(folder, fmt="csv")
    assert info.value.code == "output.invalid"
    assert os.listdir(folder.parent) == ["exports"] and os.listdir(folder) == []


def test_export_to_a_full_device_is_a_typed_error_and_the_device_stays(store, tmp_path):
    (tmp_path / "out").mkdir()
    node = tmp_path / "out" / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a private /dev/full
        open(node, "wb").close()
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc.strerror}")
    with pytest.raises(OutputWriteFailed, match="No space left on device") as info:
        store.export(node, fmt="csv")
    assert info.value.errno == errno.ENOSPC
    assert stat.S_ISCHR(node.lstat().st_mode) and os.listdir(node.parent) == ["full"]


def test_export_to_stdout(store, capsysbinary):
    assert store.export("-", fmt="csv") == 5
    out = capsysbinary.readouterr().out.decode("utf-8").splitlines()
    assert out[0].startswith("series_id,sector,") and len(out) == 6


def test_export_to_a_fifo_writes_through_it(store, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    store.export(fifo, fmt="xlsx")
    reader.join(timeout=10)
    assert load_workbook(io.BytesIO(got[0])).active.max_row == 6
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_an_unknown_format_writes_nothing(store, tmp_path):
    with pytest.raises(ValueError, match="format must be csv or xlsx; got 'ods'"):
        store.export(tmp_path / "out.ods", fmt="ods")
    assert not [n for n in os.listdir(tmp_path) if n.startswith(("out", ".out"))]


# -- the same through the command line: a coded error is the user's (exit 2), never "internal error" -------

def cli(*args: object):
    from typer.testing import CliRunner

    from talentgap.api.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_export_to_a_folder_exits_2_naming_it(db_url, small_seed, tmp_path):
    Store.open(db_url, seed=small_seed)
    folder = tmp_path / "out"
    folder.mkdir()
    res = cli("data", "export", "--out", folder, "--db", db_url)
    assert res.exit_code == 2 and f"output path {folder} is a folder" in res.output
    assert os.listdir(folder) == [] and not [n for n in os.listdir(tmp_path) if ".part" in n]


def test_cli_export_to_a_full_device_exits_2_saying_so(db_url, small_seed, tmp_path):
    Store.open(db_url, seed=small_seed)
    (tmp_path / "out").mkdir()
    node = tmp_path / "out" / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        open(node, "wb").close()
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc.strerror}")
    res = cli("data", "export", "--out", node, "--db", db_url)
    assert res.exit_code == 2 and "No space left on device" in res.output and "internal error" not in res.output
    assert stat.S_ISCHR(node.lstat().st_mode)
