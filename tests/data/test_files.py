"""Reading uploads: CSV and XLSX into text cells, and every way a file can be refused."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from talentgap.data.files import MAX_COLUMNS, UploadError, check_cells, read_upload, text_limits
from talentgap.data.schema import Observation, Source

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id"
ROW = ",semiconductor,stock,kiat_itw,,,,2024,120000,persons,t-w01"


def read(content: bytes | str, *, max_rows: int = 1000) -> pd.DataFrame:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return read_upload(data, "upload.csv", max_bytes=10_000_000, max_rows=max_rows)


def refused(content: bytes | str, **kw) -> list[str]:
    with pytest.raises(UploadError) as info:
        read(content, **kw)
    assert info.value.code == "upload.invalid"
    return [str(p) for p in info.value.problems]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_csv_is_read_as_text_cells_with_canonical_names():
    frame = read(HEADER.replace("series_id", "Series_ID") + "\n" + ROW + "\n")
    assert list(frame.columns) == HEADER.split(",")
    assert frame.iloc[0].to_dict()["value"] == "120000"


def test_xlsx_formulas_are_read_as_values_never_as_formula_text():
    frame = read(xlsx([HEADER.split(","), ["", "semiconductor", "stock", "kiat_itw", "", "", "", 2024,
                                           "=1+2", "persons", "t-w01"]]))
    assert frame["value"].tolist() == [""]  # no cached value was saved: the cell is blank, not "=1+2"


def test_a_quoted_formula_from_an_export_reads_back_as_its_text():
    frame = read(HEADER + ",source_kind,source_ref\n" + ROW.replace("t-w01", "'=x") + ",url,'@SUM(1)\n")
    assert (frame.loc[0, "source_id"], frame.loc[0, "source_ref"]) == ("=x", "@SUM(1)")


def test_blank_cells_beyond_the_header_are_allowed_but_filled_ones_are_refused():
    assert len(read(HEADER + "\n" + ROW + ",,\n")) == 1
    assert refused(HEADER + "\n" + ROW + ",,x\n") == ["file: has 13 cells but the header has 11"]


def test_text_limits_come_from_the_store_columns():
    limits = text_limits()
    assert limits["region"] == Observation.__table__.c.region.type.length == 120
    assert limits["source_id"] == Source.__table__.c.source_id.type.length == 120
    assert limits["series_id"] == 300 and limits["source_ref"] == 2000
    assert "year" not in limits and "value" not in limits


@pytest.mark.parametrize(("column", "length"), [("source_id", 121), ("region", 121), ("unit", 41),
                                                 ("series_id", 301), ("source_ref", 2001)])
def test_text_one_character_too_long_names_row_and_column(column, length):
    frame = pd.DataFrame({column: ["ok", "x" * length]})
    assert [(p.row, p.column) for p in check_cells(frame)] == [(3, column)]
    assert check_cells(pd.DataFrame({column: ["x" * (length - 1)]})) == []


def test_a_control_character_is_named():
    problems = [str(p) for p in check_cells(pd.DataFrame({"source_id": ["t-w01\x00x"]}))]
    assert problems == ["row 2, column source_id: contains the control character U+0000; remove it "
                        "(got 't-w01\\x00x')"]


def test_the_row_cap_is_exact():
    assert len(read(HEADER + "\n" + (ROW + "\n") * 5, max_rows=5)) == 5
    assert refused(HEADER + "\n" + (ROW + "\n") * 6, max_rows=5) == [
        "file: has more than the 5-row limit (got 'more than 5 rows')"]


HOSTILE = {
    "binary garbage": (bytes([0, 159, 146, 150]) * 100, "holds binary data"),
    "not utf-8 nor cp949": (b"a,b\n\xff\xfe\xfa\xfb\n" * 3, "neither UTF-8 nor CP949"),
    "control characters": (("\x01\x02\x03abc" * 200).encode(), "unprintable characters"),
    "a million columns": ("a," * 1_000_000 + "a\n1\n", f"has 1,000,001 columns; an upload has at most {MAX_COLUMNS}"),
    "legacy xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy .xls"),
    "zip without a workbook": (None, "a zip archive without xl/workbook.xml"),
    "damaged zip": (b"PK\x03\x04" + bytes(200), "(damaged zip archive)"),
    "unknown columns": ("year,colour\n2024,red\n", "column colour: unknown column"),
    "header only": (HEADER + "\n", "has a header but no data rows"),
    "blank lines only": ("\ufeff\r\n \n", "is empty"),
    "blank rows only": (",,\n,,\n", "has no header row"),
}


def _zip_of_text() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_files_get_a_clean_upload_error(case):
    content, expected = HOSTILE[case]
    problems = refused(_zip_of_text() if content is None else content)
    assert expected in problems[0], problems


def test_an_xlsx_with_no_sheet_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["a"]]))) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheet [^>]*/>", b"", data)
            dst.writestr(item, data)
    assert refused(buf.getvalue())[0].startswith("file: is an XLSX workbook without a worksheet")


# -- property tests: whatever the bytes, the answer is a frame or an UploadError --------------------------

def _only_upload_errors(content: bytes) -> None:
    try:
        frame = read_upload(content, "fuzz", max_bytes=100_000, max_rows=50)
    except UploadError as exc:
        assert exc.problems and all(len(str(p)) < 2000 for p in exc.problems)
    else:
        assert isinstance(frame, pd.DataFrame) and not frame.empty


FUZZ = settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_give_only_upload_errors(content):
    _only_upload_errors(content)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_behind_a_zip_signature_give_only_upload_errors(content):
    _only_upload_errors(b"PK\x03\x04" + content)


_cells = st.one_of(st.sampled_from(["", "semiconductor", "stock", "2024", "1e999", "NaN", "=1+2", "'-x", "t-w01",
                                    "persons", '"', "\r\n", ",", "\x00", "\ufeff", "x" * 300]),
                   st.text(max_size=12))
_header = st.lists(st.sampled_from(HEADER.split(",") + ["source_kind", "source_ref", "연도", "?"]), max_size=14)


@FUZZ
@given(_header, st.lists(st.lists(_cells, max_size=15), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_random_csv_text_gives_only_upload_errors(header, rows, sep):
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    _only_upload_errors("\n".join(lines).encode("utf-8"))


def test_random_zip_member_corruption_gives_only_upload_errors():
    good = xlsx([HEADER.split(","), ["", "semiconductor", "stock", "kiat_itw", "", "", "", 2024, 1, "persons",
                                     "t-w01"]])
    rng = random.Random(7)
    for _ in range(200):
        broken = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            broken[rng.randrange(4, len(broken))] = rng.randrange(256)
        _only_upload_errors(bytes(broken))


def excel_like(sheet_rows: str, shared: str) -> bytes:
    """An XLSX as Excel writes it: text in a shared-string table, formulas with cached values."""
    buf = io.BytesIO()
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(io.BytesIO(xlsx([["x"]]))) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = f"<worksheet {ns}><sheetData>{sheet_rows}</sheetData></worksheet>".encode()
            dst.writestr(item, data)
        dst.writestr("xl/sharedStrings.xml", f"<sst {ns}>{shared}</sst>".encode())
    return buf.getvalue()


def test_excel_shared_strings_rich_text_formulas_and_errors_are_read_as_values():
    shared = ("<si><t>연도</t></si><si><t>value</t></si><si><t>source_ref</t></si>"
              "<si><r><t>https://</t></r><r><t>e.org</t></r><rPh><t>ignored</t></rPh></si>"
              "<si><t>a_x0041_b</t></si>")
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
            '<row r="2"><c r="A2"><f>2000+24</f><v>2024</v></c><c r="B2"><v>4.4000000000000004</v></c>'
            '<c r="C2" t="s"><v>3</v></c></row>'
            '<row r="4"><c r="A4"><v>2.025E3</v></c><c r="B4" t="e"><v>#DIV/0!</v></c><c r="C4" t="s"><v>4</v></c></row>')
    frame = read(excel_like(rows, shared))
    assert frame.to_dict("records") == [
        {"year": "2024", "value": "4.4", "source_ref": "https://e.org"},
        {"year": "2025", "value": "#DIV/0!", "source_ref": "aAb"},
    ]


def test_a_shared_string_index_out_of_range_is_refused():
    problems = refused(excel_like('<row r="1"><c t="s"><v>7</v></c></row>', "<si><t>year</t></si>"))
    assert problems == ["file: refers to shared string '7', which the workbook does not have"]


def test_a_long_unknown_header_is_cut_in_the_message():
    (problem,) = refused("year," + "q" * 100_000 + "\n2024,1\n")
    assert problem.startswith("column " + "q" * 60 + "…(cut, 100,000 characters): unknown column")
    assert len(problem) < 500
