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


def shared_row(index: int, refs: Iterable[int]) -> bytes:
    """One ``<row>`` whose cells each cite a shared string by its index."""
    return b'<row r="%d">' % index + b"".join(b'<c t="s"><v>%d</v></c>' % i for i in refs) + b"</row>"


def with_shared_strings(content: bytes, strings: Iterable[str]) -> bytes:
    """``content`` (an XLSX) with ``xl/sharedStrings.xml`` holding ``strings``, streamed into the archive."""
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w") as table:
            table.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for text in strings:
                table.write(b"<si><t>" + escape(text).encode() + b"</t></si>")
            table.write(b"</sst>")
    return out.getvalue()


def shared_string_amplifier(header: list[str], *, cells: int = 1100, length: int = 1_000_000, seed: int = 0) -> bytes:
    """The issue's workbook: ``cells`` data cells (as wide as ``header``, under it) that all cite one
    shared string of ``length`` seeded random letters (so the archive stays a few hundred KB)."""
    import random

    rng = random.Random(seed)
    text = "".join(rng.choices("abcdefgh", k=length))
    rows = [shared_row(r + 2, [0] * len(header)) for r in range(cells // len(header))]
    header = inline_row(1, header)
    return with_shared_strings(workbook_with_sheet([header, *rows]), [text])
