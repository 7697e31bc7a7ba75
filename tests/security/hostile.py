"""Builders for hostile files: XLSX workbooks with a hand-written sheet, and zip size lies."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def inline_row(index: int | None, values: Iterable[object]) -> bytes:
    """One ``<row>`` of inline-string cells (``index`` None: no row number, as some writers do)."""
    cells = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % str(v).encode() for v in values)
    return (b'<row r="%d">' % index if index else b"<row>") + cells + b"</row>"


def workbook_with_sheet(chunks: Iterable[bytes], *, head: bytes = SHEET_HEAD, tail: bytes = SHEET_TAIL) -> bytes:
    """A valid XLSX (openpyxl's skeleton) whose only sheet is ``head + chunks + tail``,
    streamed into the archive so a large sheet never sits in memory unpacked."""
    skeleton = io.BytesIO()
    Workbook().save(skeleton)
    out = io.BytesIO()
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != SHEET:
                dst.writestr(item, src.read(item))
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w") as sheet:
            sheet.write(head)
            for chunk in chunks:
                sheet.write(chunk)
            sheet.write(tail)
    return out.getvalue()


def declare_size(content: bytes, member: str, size: int) -> bytes:
    """``content`` with the central directory claiming ``member`` unpacks to ``size`` bytes (< 4 GiB)."""
    data = bytearray(content)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]).decode() == member:
            struct.pack_into("<I", data, pos + 24, size)
            return bytes(data)
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{member} is not in the archive")
