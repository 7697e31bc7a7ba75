"""Reproductions of the hostile uploads of the hardening issue: each must end in an UploadError that
names the problem, quickly and in little memory, and the same on SQLite and PostgreSQL."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from talentgap.data.files import MAX_BLANK_ROWS, UploadError, read_upload
from talentgap.data.xlsx import MAX_COMPRESSION_RATIO

from ..conftest import write
from .hostile import (
    SHEET,
    SHEET_HEAD,
    declare_size,
    inline_row,
    shared_row,
    shared_string_amplifier,
    with_shared_strings,
    workbook_with_sheet,
)

HEADER = ["series_id", "sector", "metric", "definition", "occupation", "education", "region", "year", "value",
          "unit", "source_id"]
CSV_HEADER = ",".join(HEADER) + ",source_kind,source_ref\n"


def data_row(i: int) -> list[object]:
    return ["", "semiconductor", "stock", "kiat_itw", "", "", f"r{i}", 2000 + i % 50, i, "persons", "t-w01"]


def refusal(content: bytes, *, max_rows: int = 1000, **kw) -> tuple[str, float, int]:
    """The first problem of the refusal, the seconds it took, and the peak of memory traced in a
    second run (tracing slows parsing several times, so it is not timed)."""
    def refuse() -> str:
        with pytest.raises(UploadError) as info:
            read_upload(content, "bomb.xlsx", max_bytes=50_000_000, max_rows=max_rows, **kw)
        return str(info.value.problems[0])

    start = time.perf_counter()
    problem = refuse()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        assert refuse() == problem
        return problem, seconds, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- XLSX decompression bombs -----------------------------------------------------------------------------

def test_a_member_declaring_a_huge_unpacked_size_is_refused_before_parsing():
    small = workbook_with_sheet([inline_row(1, HEADER), inline_row(2, data_row(2))])
    bomb = declare_size(small, SHEET, 3_000_000_000)
    problem, seconds, peak = refusal(bomb, max_unpacked_bytes=256 * 2**20)
    assert problem.startswith("file: unpacks to 3,000,0") and "268,435,456-byte limit" in problem
    assert seconds < 2 and peak < 20 * 2**20


def test_a_highly_packed_sheet_is_refused_by_its_packing_ratio():
    # 40 MB of identical rows packs into about 100 KB, like the 921 KB file holding 210 MB
    rows = inline_row(None, data_row(1)) * 2000
    bomb = workbook_with_sheet([inline_row(1, HEADER)] + [rows] * 100)
    assert len(bomb) < 1_000_000
    problem, seconds, peak = refusal(bomb)
    assert f"at most {MAX_COMPRESSION_RATIO} is accepted" in problem and SHEET in problem
    assert seconds < 2 and peak < 20 * 2**20


def test_one_huge_shared_string_cited_by_every_cell_is_refused_at_the_first_cell():
    """The issue's 419 KB workbook: 1,100 cells citing one 1,000,000-character shared string took 23.7 s
    and 2.5 GB before its 422."""
    bomb = shared_string_amplifier(HEADER, cells=1100, length=1_000_000)
    assert len(bomb) < 600_000
    problem, seconds, peak = refusal(bomb)
    assert problem.startswith("file: cell A2 holds 1,000,000 characters; no column takes more than 2,000")
    assert seconds < 2 and peak < 40 * 2**20


def test_shared_strings_count_once_per_citing_cell_against_the_unpacked_limit():
    text = "x" * 2000  # as long as a column takes: only the total can stop it
    header = inline_row(1, HEADER)
    rows = [shared_row(r, [0] * len(HEADER)) for r in range(2, 502)]  # 5,500 cells: 11 million characters
    workbook = with_shared_strings(workbook_with_sheet([header, *rows]), [text])
    assert len(workbook) < 100_000
    problem, seconds, _ = refusal(workbook, max_unpacked_bytes=10_000_000)
    assert "adds up to more than 10,000,000 characters" in problem
    assert seconds < 2


def test_a_real_sheet_past_the_row_cap_stops_at_the_cap():
    # 60,000 distinct rows pack normally (no ratio alarm); reading must stop at row 1,001, not parse all
    rows = (inline_row(i, data_row(i)) for i in range(2, 60_002))
    sheet = workbook_with_sheet([inline_row(1, HEADER), *rows])
    problem, seconds, peak = refusal(sheet, max_rows=1000)
    assert problem == "file: has more than the 1,000-row limit (got 'more than 1,000 rows')"
    assert seconds < 2 and peak < 20 * 2**20


def test_a_row_number_far_down_the_sheet_does_not_make_a_billion_blank_rows():
    sheet = workbook_with_sheet([inline_row(1, HEADER), inline_row(2, data_row(2)),
                                 inline_row(1_000_000_000, data_row(3))])
    problem, seconds, _ = refusal(sheet)
    assert problem == (f"file: has row 1,000,000,000 after row 2; rows must be in order with at most "
                       f"{MAX_BLANK_ROWS:,} blank rows between them")
    assert seconds < 2


def test_a_blank_cell_in_the_last_column_does_not_widen_every_row():
    rows = [inline_row(i, data_row(i))[:-6] + b'<c r="XFD%d"/></row>' % i for i in range(2, 5000)]
    sheet = workbook_with_sheet([inline_row(1, HEADER), *rows])
    start = time.perf_counter()
    frame = read_upload(sheet, "wide.xlsx", max_bytes=50_000_000, max_rows=10_000)
    assert list(frame.columns) == HEADER and len(frame) == 4998
    assert time.perf_counter() - start < 5


def test_a_value_in_the_last_column_is_refused_not_dropped():
    far = inline_row(3, data_row(3))[:-6] + b'<c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = workbook_with_sheet([inline_row(1, HEADER), inline_row(2, data_row(2)), far])
    problem, seconds, _ = refusal(sheet)
    assert problem == "file: has a value in cell XFD3, beyond the 64-column limit"
    assert seconds < 2


def test_entity_expansion_in_a_sheet_is_refused():
    entities = b"".join(b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10) for i in range(1, 10))
    head = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e0 "ha">' + entities + b"]>" + SHEET_HEAD[38:]
    sheet = workbook_with_sheet([b'<row r="1"><c t="inlineStr"><is><t>&e9;</t></is></c></row>'], head=head)
    problem, seconds, peak = refusal(sheet)
    assert problem == ("file: has a document type declaration in xl/worksheets/sheet1.xml; a workbook never "
                       "needs one (an entity-expansion attack?)")
    assert seconds < 2 and peak < 20 * 2**20


# -- 5xx from content: field sizes, column lengths, non-finite numbers, control characters ---------------

def test_a_csv_field_past_the_csv_module_limit_is_named_and_its_echo_cut():
    content = (CSV_HEADER + ",semiconductor,stock,kiat_itw,,,,2024,1,persons,t-w01,url," + "h" * 200_000 + "\n")
    with pytest.raises(UploadError) as info:
        read_upload(content.encode(), "long.csv", max_bytes=10_000_000, max_rows=10)
    (problem,) = [str(p) for p in info.value.problems]
    assert problem.startswith("row 2, column source_ref: is 200,000 characters long; at most 2,000 fit (got 'hhh")
    assert problem.endswith("'…(cut, 200,000 characters))") and len(problem) < 400


# a value near the fixture's stock (99,285 in 2020), so only the text's length is at stake
LONG = {
    "source_id": (",semiconductor,stock,kiat_itw,,,,2024,100000,persons,{x},url,https://example.org\n", "s" * 121),
    "region": (",semiconductor,stock,kiat_itw,,,{x},2024,100000,persons,t-w01,,\n", "r" * 121),
    "lines": (",semiconductor,stock,kiat_itw,,,,2024,100000,persons,t-new,seed,doc.txt:{x}\n", "1" * 201),
}


@pytest.mark.parametrize("field", LONG)
def test_over_long_text_is_refused_by_name_on_every_database(store, tmp_path, field):
    template, value = LONG[field]
    with pytest.raises(UploadError) as info:
        store.import_file(write(tmp_path / "long.csv", CSV_HEADER + template.format(x=value)))
    (problem,) = [str(p) for p in info.value.problems]
    column = "source_ref" if field == "lines" else field
    assert problem.startswith(f"row 2, column {column}: ")
    assert f"at most {len(value) - 1}" in problem
    assert store.active_version() == 1


@pytest.mark.parametrize("field", LONG)
def test_text_at_the_limit_fits_every_database(store, tmp_path, field):
    template, value = LONG[field]
    result = store.import_file(write(tmp_path / "fits.csv", CSV_HEADER + template.format(x=value[:-1])))
    assert result.version == 2 and result.added_rows + result.replaced_rows == 1


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "1e999"])
def test_non_finite_values_are_refused_by_name(store, tmp_path, value):
    f = write(tmp_path / "nan.csv", CSV_HEADER + f",semiconductor,stock,kiat_itw,,,,2024,{value},persons,t-w01,,\n")
    with pytest.raises(UploadError) as info:
        store.import_file(f)
    assert [str(p) for p in info.value.problems] == [f"row 2, column value: must be a finite number (got {value!r})"]


def test_a_nul_character_is_refused_before_it_reaches_the_database(store, tmp_path):
    # past the first 64 KB, where the binary-file sniffing looks; PostgreSQL text cannot hold NUL
    rows = "".join(f",semiconductor,stock,kiat_itw,,,r{i},2024,1,persons,t-w01,,\n" for i in range(1500))
    text = CSV_HEADER + rows + ",semiconductor,stock,kiat_itw,,,,2024,1,persons,t-x,url,https://e.org/\x00\n"
    with pytest.raises(UploadError) as info:
        store.import_file(write(tmp_path / "nul.csv", text))
    assert [str(p) for p in info.value.problems] == [
        "row 1502, column source_ref: contains the control character U+0000; remove it (got 'https://e.org/\\x00')"]
    assert store.active_version() == 1
