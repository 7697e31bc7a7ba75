"""A streaming reader for the first worksheet of an XLSX upload: rows of text cells, values only.

Written for untrusted files rather than taken from a spreadsheet library, because the libraries read
more than they are asked: openpyxl's read-only mode parses a whole sheet once just to size it when the
sheet declares no dimension (the decompression-bomb case), and widens every row to the sheet's last
column. Here the archive is checked before any XML is parsed (member count, declared unpacked size,
packing ratio; :mod:`zipfile` never inflates a member past its declared size), rows are parsed one at
a time and dropped, row-number gaps and far-right cells are bounded, and formulas give their cached
value only. A shared string is stored once but may be cited by every cell, so the text the cells
expand to is bounded too: a cell longer than any column accepts is refused as it is read, and the
cells' text together counts against the unpacked-size limit (one 1,000,000-character string cited by
1,100 cells is 1.1 billion characters, not 1 MB). Everything wrong is an :class:`XlsxError` with a
message for the user.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

#: A member (over 1 MB) this many times larger than its packed size is refused as a decompression
#: bomb; real sheets pack 5 to 20 times, even a sheet of one repeated row.
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 1000
#: The shared-string table is held in memory whole, so it gets its own cap; the workbook part and
#: its relationships are small in any real file.
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_PART_BYTES = 4 * 1024 * 1024
#: What a damaged or hostile archive makes :mod:`zipfile` or the XML parser raise.
_READ_ERRORS = (ParseError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
                KeyError, NotImplementedError, RuntimeError)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_COLUMN = re.compile(r"[A-Z]{1,3}")


class XlsxError(TalentgapError, ValueError):
    """An XLSX upload that cannot be read; the message says why, for the user, and ``detail`` holds
    what was found (a parser's complaint, which may be long: shown cut)."""

    code = "upload.xlsx_invalid"

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


def _unreadable(part: str, exc: BaseException) -> XlsxError:
    return XlsxError(msg("xlsx.damaged", part=part), f"{type(exc).__name__}: {exc}")


def iter_rows(content: bytes, *, max_unpacked_bytes: int, max_columns: int, max_gap: int,
              max_cell_chars: int = 32_767, sheet: str | None = None) -> Iterator[list[str]]:
    """Rows of the first worksheet of ``content`` (or of the worksheet named ``sheet``, none when the
    workbook has no such sheet) as lists of text (blank cells ``""``), a blank list
    for each missing row. A row at most ``max_columns`` wide is read; a non-blank cell further right,
    a jump of more than ``max_gap`` blank rows, a cell of more than ``max_cell_chars`` characters, or
    cells whose text adds up to more than ``max_unpacked_bytes`` characters raise :class:`XlsxError`
    (nothing is dropped)."""
    archive = _open_archive(content, max_unpacked_bytes)
    with archive:
        path = _first_worksheet(archive, sheet)
        if not path:
            return
        strings = _shared_strings(archive)
        budget = _TextBudget(max_cell_chars, max_unpacked_bytes)
        try:
            with _open_part(archive, path) as src:
                yield from _rows(src, strings, max_columns, max_gap, budget)
        except XlsxError:
            raise
        except _READ_ERRORS as exc:
            raise _unreadable(path, exc) from None


def _open_archive(content: bytes, max_unpacked_bytes: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except _READ_ERRORS as exc:
        raise _unreadable("zip archive", exc) from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise XlsxError(msg("xlsx.too_many_members", count=len(members)))
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise XlsxError(msg("xlsx.no_workbook"))
    total = sum(m.file_size for m in members)
    if total > max_unpacked_bytes:
        raise XlsxError(msg("xlsx.too_large_unpacked", total=total, limit=max_unpacked_bytes))
    for m in members:
        if m.file_size > 1_000_000 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
            raise XlsxError(msg("xlsx.bomb", member=m.filename, ratio=m.file_size // max(m.compress_size, 1),
                                limit=MAX_COMPRESSION_RATIO))
    return archive


class _NoDoctype(io.RawIOBase):
    """An archive member that refuses a document type declaration as it streams by: OOXML parts
    never have one, and entities declared in one can expand a few bytes into gigabytes. UTF-16
    parts (which would hide the declaration from a byte search) are refused too."""

    def __init__(self, src: IO[bytes], name: str):
        self._src, self._name, self._tail, self._first = src, name, b"", True

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._src.read(size)
        if self._first:
            self._first = False
            if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
                raise XlsxError(msg("xlsx.not_utf8", part=self._name))
        window = self._tail + data
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise XlsxError(msg("xlsx.doctype", part=self._name))
        self._tail = data[-8:]
        return data

    def close(self) -> None:
        self._src.close()
        super().close()


def _open_part(archive: zipfile.ZipFile, name: str) -> _NoDoctype:
    return _NoDoctype(archive.open(name), name)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(archive: zipfile.ZipFile, name: str) -> Element | None:
    """A small part of the archive (workbook, relationships) as an element tree."""
    if name not in archive.namelist():
        return None
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        raise XlsxError(msg("xlsx.part_too_large", part=name, limit=MAX_PART_BYTES))
    try:
        with _open_part(archive, name) as src:
            root = None
            for _event, el in iterparse(src, events=("end",)):
                root = el
            return root
    except XlsxError:
        raise
    except _READ_ERRORS as exc:
        raise _unreadable(name, exc) from None


def _first_worksheet(archive: zipfile.ZipFile, name: str | None = None) -> str:
    """The archive path of the first sheet that is a worksheet (not a chart sheet); with ``name``, of the
    worksheet of that name (case aside), or ``""`` when there is none."""
    book = _parse(archive, "xl/workbook.xml")
    rels = _parse(archive, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        raise XlsxError(msg("xlsx.no_relationships"))
    targets = {r.get("Id"): (r.get("Target") or "", r.get("Type") or "") for r in rels if _local(r.tag) == "Relationship"}
    for sheet in (el for el in book.iter() if _local(el.tag) == "sheet"):
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id" and k.startswith("{")), None)
        target, kind = targets.get(rid, ("", ""))
        if name is not None and (sheet.get("name") or "").strip().lower() != name.lower():
            continue
        if target and kind.endswith("/worksheet"):
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            if path in archive.namelist():
                return path
    if name is not None:
        return ""
    raise XlsxError(msg("xlsx.no_worksheet"))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-string table, parsed one item at a time."""
    name = next((n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return []
    if archive.getinfo(name).file_size > MAX_SHARED_STRINGS_BYTES:
        raise XlsxError(msg("xlsx.strings_too_large", limit=MAX_SHARED_STRINGS_BYTES))
    strings: list[str] = []
    try:
        with _open_part(archive, name) as src:
            table = None
            for event, el in iterparse(src, events=("start", "end")):
                if event == "start":
                    table = el if table is None else table
                elif _local(el.tag) == "si":
                    strings.append(_text(el))
                    if table is not None:
                        table.clear()  # parsed items are not kept
    except XlsxError:
        raise
    except _READ_ERRORS as exc:
        raise _unreadable(name, exc) from None
    return strings


def _text(el: Element) -> str:
    """The text of a string item or inline string: its ``t``, or its rich-text runs, never the
    phonetic guide (``rPh``)."""
    parts = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), "".join(parts))


class _TextBudget:
    """The text a sheet's cells may expand to: each cell at most ``cell`` characters, all of them
    together at most ``total``."""

    def __init__(self, cell: int, total: int) -> None:
        self.cell, self.total, self.used = cell, total, 0

    def spend(self, value: str, where: str) -> None:
        if len(value) > self.cell:
            raise XlsxError(msg("xlsx.cell_too_long", cell=where, length=len(value), limit=self.cell))
        self.used += len(value)
        if self.used > self.total:
            raise XlsxError(msg("xlsx.text_too_large", limit=self.total))


def _rows(src, strings: list[str], max_columns: int, max_gap: int, budget: _TextBudget) -> Iterator[list[str]]:
    expected = 1
    parent = None
    for event, el in iterparse(src, events=("start", "end")):
        tag = _local(el.tag)
        if event == "start":
            if tag == "sheetData":
                parent = el
            continue
        if tag != "row":
            continue
        number = _int(el.get("r"), expected)
        if number < expected or number - expected > max_gap:
            raise XlsxError(msg("xlsx.rows_out_of_order", row=number, previous=expected - 1, gap=max_gap))
        yield from ([] for _ in range(number - expected))
        yield _row(el, number, strings, max_columns, budget)
        expected = number + 1
        if parent is not None:
            parent.clear()  # parsed rows are not kept


def _row(row: Element, number: int, strings: list[str], max_columns: int, budget: _TextBudget) -> list[str]:
    cells: list[str] = []
    for c in row:
        if _local(c.tag) != "c":
            continue
        ref = _COLUMN.match(c.get("r") or "")
        column = _column_index(ref.group()) if ref else len(cells) + 1
        value = _value(c, strings)
        budget.spend(value, (ref.group() if ref else _column_letters(column)) + str(number))
        if column > max_columns:
            if value.strip():
                if ref:
                    raise XlsxError(msg("xlsx.value_beyond_cell", cell=ref.group() + str(number), limit=max_columns))
                raise XlsxError(msg("xlsx.value_beyond_column", column=column, row=number, limit=max_columns))
            continue
        cells.extend([""] * (column - 1 - len(cells)))
        if column > len(cells):
            cells.append(value)
    return cells


def _value(c: Element, strings: list[str]) -> str:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = next((x for x in c if _local(x.tag) == "is"), None)
        return _text(inline) if inline is not None else ""
    v = next((x.text or "" for x in c if _local(x.tag) == "v"), "")  # a formula's cached value, never <f>
    if not v:
        return ""
    if kind == "s":
        index = _int(v, -1)
        if not 0 <= index < len(strings):
            raise XlsxError(msg("xlsx.missing_shared_string", ref=repr(v[:20])))
        return strings[index]
    if kind == "b":
        return "True" if v.strip() == "1" else "False"
    if kind == "n":
        return _number_text(v)
    return v  # str (a formula's text result), e (an error such as #DIV/0!), d (an ISO date)


def _number_text(v: str) -> str:
    """A numeric cell as text: ``2024`` not ``2024.0``; unparsable text is passed on for validation."""
    try:
        return str(int(v))
    except ValueError:
        pass
    try:
        number = float(v)
    except ValueError:
        return v
    return str(int(number)) if number.is_integer() else str(number)


def _column_letters(index: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``: a cell's column as a spreadsheet names it."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None and len(text) < 12 else default
    except ValueError:
        return default
