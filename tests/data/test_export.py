"""Safe exports: formula-looking text neutralised, numbers left alone, outputs opened for what they are."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from talentgap.data.export import (
    OutputError,
    OutputWriteFailed,
    csv_text,
    open_output,
    safe_cell,
    unquote_cell,
    write_csv,
    write_xlsx,
    xlsx_bytes,
)

HOSTILE = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\",\"y\")", "-", "+"]


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
def test_formula_looking_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text
    assert unquote_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["-5", "+1.5", "1e-05", "-.5", "304000", "ok", "", "'quoted", -5.0, -3, 2.5, None],
                         ids=repr)
def test_numbers_and_plain_text_are_unchanged(value):
    assert safe_cell(value) == value


@settings(max_examples=300, derandomize=True)
@given(st.text(max_size=20))
def test_unquote_undoes_safe_cell(text):
    if text.startswith("'") and text[1:].startswith(("=", "+", "-", "@", "\t", "\r")):
        return  # a literal quote before a formula character reads back without it (documented)
    assert unquote_cell(safe_cell(text)) == text


def frame() -> pd.DataFrame:
    return pd.DataFrame({"source_id": ["=cmd|' /C calc'!A0", "ok", "-7"], "value": [-5.0, 1.5, 3.0],
                         "note": ["@x", None, "\tq"]})


def test_csv_cells_are_neutralised_and_numbers_stay_numbers(tmp_path):
    write_csv(frame(), tmp_path / "out.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"), newline="")))
    assert rows == [["source_id", "value", "note"], ["'=cmd|' /C calc'!A0", "-5.0", "'@x"], ["ok", "1.5", ""],
                    ["-7", "3.0", "'\tq"]]


@pytest.mark.parametrize("dtype", ["object", "string", "category"])
def test_csv_neutralises_text_of_every_text_dtype(dtype):
    frame = pd.DataFrame({"a": ["=1", "-1"], "n": [-1, 2]}).astype({"a": dtype})
    assert csv_text(frame).splitlines() == ["a,n", "'=1,-1", "-1,2"]


def test_csv_header_is_neutralised_too():
    assert csv_text(pd.DataFrame({"=a": [1]})).splitlines()[0] == "'=a"


def test_xlsx_text_is_text_and_numbers_are_numbers(tmp_path):
    write_xlsx(frame(), tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells == [[("=cmd|' /C calc'!A0", "s"), (-5, "n"), ("@x", "s")],
                     [("ok", "s"), (1.5, "n"), (None, "n")],
                     [("-7", "s"), (3, "n"), ("\tq", "s")]]


def test_xlsx_replaces_characters_xml_cannot_hold():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({"a": ["x\x01y", "#N/A"]})))).active
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [("x\ufffdy", "s"), ("#N/A", "s")]


def test_writers_accept_open_files():
    text, raw = io.StringIO(), io.BytesIO()
    write_csv(frame(), text)
    write_csv(frame(), raw)
    assert text.getvalue().encode("utf-8") == raw.getvalue()
    assert text.getvalue().startswith("source_id,value,note\n'=cmd")


# -- open_output ---------------------------------------------------------------------------------------

def test_a_new_file_is_written_and_no_temporary_file_remains(tmp_path):
    with open_output(tmp_path / "new.csv") as f:
        f.write(b"a\n")
    assert os.listdir(tmp_path) == ["new.csv"]
    assert (tmp_path / "new.csv").read_bytes() == b"a\n"


def test_a_regular_file_is_replaced_keeping_its_permissions(tmp_path):
    target = tmp_path / "old.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    inode = target.stat().st_ino
    with open_output(target) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != inode  # replaced, not rewritten in place
    assert os.listdir(tmp_path) == ["old.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "old.csv"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"), open_output(target) as f:
        f.write(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["old.csv"]


def test_a_folder_is_refused_by_name(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(OutputError, match=f"output path {folder} is a folder") as info:
        with open_output(folder):
            pytest.fail("a folder must not be opened")
    assert info.value.code == "output.invalid"
    assert os.listdir(tmp_path) == ["exports"] and os.listdir(folder) == []


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match="does not exist"), open_output(tmp_path / "no" / "x.csv"):
        pass


def test_dash_is_standard_output_and_binary_safe(capsysbinary):
    payload = bytes(range(256))
    with open_output("-") as f:
        f.write(payload)
    assert capsysbinary.readouterr().out == payload


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    with open_output(fifo) as f:
        f.write(b"through the pipe")
    reader.join(timeout=5)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_a_symlink_to_dev_null_is_written_through_and_survives(tmp_path):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    with open_output(link) as f:
        f.write(b"discarded")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.listdir(tmp_path) == ["null"]


@pytest.fixture
def full_device(tmp_path) -> Path:
    """A private copy of the ``/dev/full`` device node, so no test can harm the real one."""
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        with open(node, "wb"):
            pass
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc.strerror}")
    return node


def test_a_full_device_is_a_typed_write_failure_and_stays_a_device(full_device):
    with pytest.raises(OutputWriteFailed, match="No space left on device") as info:
        write_csv(frame(), full_device)
    assert info.value.errno == errno.ENOSPC
    assert info.value.code == "output.write_failed"
    assert stat.S_ISCHR(full_device.lstat().st_mode)


def test_a_symlink_to_dev_full_fails_with_enospc_and_survives(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    with pytest.raises(OutputWriteFailed) as info:
        write_xlsx(frame(), link)
    assert info.value.errno == errno.ENOSPC
    assert link.is_symlink() and os.listdir(tmp_path) == ["full"]
