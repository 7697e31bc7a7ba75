"""Read an uploaded CSV or XLSX file into a table of text cells, safely.

Nothing here trusts the file: size limits come first, rows are read as a stream and reading stops as
soon as a limit is passed, an XLSX archive's unpacked size is checked before any XML is parsed,
binary data and unknown encodings are refused with a message, and every cell is checked against the
column sizes of the store (so PostgreSQL and SQLite accept and refuse the same files). Everything a
file can get wrong becomes a :class:`~talentgap.seeds.validate.Problem` in an :class:`UploadError`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import msg
from talentgap.seeds.validate import Problem, canonical_header, cut
from talentgap.seeds.vocab import OBSERVATION_COLUMNS

from .export import unquote_cell
from .schema import Observation, Source
from .xlsx import XlsxError, iter_rows

#: Extra columns an upload may carry to define the sources its rows cite (the export writes them);
#: the descriptions are optional, and a source without a Korean one is shown with its English one.
SOURCE_FIELDS = ("source_kind", "source_ref", "source_description", "source_description_ko")
SOURCE_KINDS = ("seed", "url", "document")
#: Widest header read; the long format has 13 columns, so anything wider is refused early.
MAX_COLUMNS = 64
#: Longest text accepted in a column the store keeps as unbounded text (``source_ref``, the descriptions).
MAX_FREE_TEXT = 2000
#: Blank rows an XLSX sheet may hold beyond its data rows, before reading stops.
MAX_BLANK_ROWS = 10_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# A field may be as long as the file (already capped by ``max_bytes`` and held in memory); column
# lengths are checked afterwards against the store, naming row and column.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def text_limits() -> dict[str, int]:
    """The longest text each upload column may hold, taken from the store's column sizes
    (:mod:`talentgap.data.schema`); unbounded text columns get :data:`MAX_FREE_TEXT`."""
    columns = {c: Observation.__table__.c[c] for c in OBSERVATION_COLUMNS if c not in ("year", "value")}
    columns |= {"source_kind": Source.__table__.c.kind, "source_ref": Source.__table__.c.ref,
                "source_description": Source.__table__.c.description,
                "source_description_ko": Source.__table__.c.description_ko}
    return {name: getattr(col.type, "length", None) or MAX_FREE_TEXT for name, col in columns.items()}


class UploadError(TalentgapError, ValueError):
    """An upload that cannot be accepted; ``problems`` lists every reason, by row and column."""

    code = "upload.invalid"

    def __init__(self, problems: list[Problem], limit: int = 200):
        self.problems = problems
        shown = [str(p) for p in problems[:limit]]
        if len(problems) > limit:
            shown.append(msg("upload.more_problems", count=len(problems) - limit))
        super().__init__("\n".join(shown))


def _refuse(message: str, got: str | None = None) -> UploadError:
    return UploadError([Problem(0, "file", message, got)])


def read_upload(content: bytes, filename: str, *, max_bytes: int, max_rows: int,
                max_unpacked_bytes: int | None = None) -> pd.DataFrame:
    """Parse ``content`` (CSV or XLSX, told apart by its first bytes) into text cells with canonical
    column names. Raises :class:`UploadError` on anything unreadable or out of bounds.

    ``max_bytes`` caps the file, ``max_rows`` its data rows (reading stops at the first row past it),
    ``max_unpacked_bytes`` the unpacked size of an XLSX archive (default: the
    ``max_upload_unpacked_bytes`` setting)."""
    if len(content) > max_bytes:
        raise _refuse(msg("upload.too_large", limit=max_bytes), msg("upload.size_got", size=len(content)))
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _refuse(msg("upload.empty"), filename)
    if content[:4] == b"PK\x03\x04":
        if max_unpacked_bytes is None:
            from .settings import get_settings

            max_unpacked_bytes = get_settings().max_upload_unpacked_bytes
        frame = _collect(_xlsx_rows(content, max_unpacked_bytes), max_rows, filename, xlsx=True)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(msg("upload.legacy_xls"), _peek(content))
    else:
        frame = _collect(_csv_rows(content), max_rows, filename, xlsx=False)
    problems = check_cells(frame)
    if problems:
        raise UploadError(problems)
    return frame


def _collect(rows: Iterable[list[str]], max_rows: int, filename: str, *, xlsx: bool) -> pd.DataFrame:
    """The header and data rows of ``rows``, stopping at the first row past ``max_rows``.

    Blank rows are skipped; a row with non-blank cells beyond the header is a problem (nothing is
    dropped silently); unknown header names are refused before the body is read."""
    header: list[str] | None = None
    body: list[list[str]] = []
    problems: list[Problem] = []
    blank = 0
    for cells in rows:
        if not any(c.strip() for c in cells):
            blank += 1
            if xlsx and blank > MAX_BLANK_ROWS:
                raise _refuse(msg("upload.too_many_blank_rows", limit=MAX_BLANK_ROWS))
            continue
        if header is None:
            width = max(i + 1 for i, c in enumerate(cells) if c.strip())
            if width > MAX_COLUMNS:
                raise _refuse(msg("upload.too_many_columns", width=width, limit=MAX_COLUMNS), _peek_row(cells))
            header = _canonical_header(cells[:width])
            continue
        if len(body) >= max_rows:
            raise _refuse(msg("upload.too_many_rows", limit=max_rows), msg("upload.rows_got", limit=max_rows))
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            used = max(i + 1 for i, c in enumerate(cells) if c.strip())
            problems.append(Problem(len(body) + 2, "file", msg("upload.row_too_wide", used=used, width=width)))
            body.append([])
            continue
        row = [unquote_cell(c) for c in cells[:width]]
        body.append(row + [""] * (width - len(row)))
    if header is None:
        raise _refuse(msg("upload.no_header"), filename)
    if problems:
        raise UploadError(problems)
    if not body:
        raise _refuse(msg("upload.no_rows"), filename)
    return pd.DataFrame(body, columns=header, dtype=object).fillna("").astype(str)


def check_cells(frame: pd.DataFrame) -> list[Problem]:
    """Problems with the text of ``frame``'s cells (canonical columns, text cells, data rows from
    row 2): a control character anywhere, or text longer than the store's column
    (:func:`text_limits`), including the line part of a seed ``source_ref`` (``file:lines``)."""
    problems: list[Problem] = []
    limits = text_limits()
    lines_limit = getattr(Source.__table__.c.lines.type, "length", None) or MAX_FREE_TEXT
    for column in frame.columns:
        cells = frame[column].str.strip()
        for i in cells.index[cells.str.contains(_CONTROL, regex=True)]:
            char = _CONTROL.findall(cells[i])[0]
            problems.append(Problem(i + 2, column, msg("upload.control_character", char=format(ord(char), "04X")),
                                    cells[i]))
        limit = limits.get(column)
        if limit is not None:
            for i in cells.index[cells.str.len() > limit]:
                problems.append(Problem(i + 2, column, msg("upload.cell_too_long", length=len(cells[i]), limit=limit),
                                        cells[i]))
    if "source_ref" in frame.columns and "source_kind" in frame.columns and lines_limit:
        for i, (kind, ref) in enumerate(zip(frame["source_kind"].str.strip(), frame["source_ref"].str.strip())):
            # the store splits a seed reference into file and lines at the last ':'
            lines = ref.rsplit(":", 1)[1] if kind == "seed" and ":" in ref else ""
            if len(lines) > lines_limit:
                problems.append(Problem(i + 2, "source_ref", msg("upload.lines_too_long", length=len(lines),
                                                                   limit=lines_limit), lines))
    return sorted(problems, key=lambda p: p.row)


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    if b"\x00" in content[:65536]:
        raise _refuse(msg("upload.binary"), _peek(content))
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(msg("upload.bad_encoding"), _peek(content))
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096]) < 0.95 * min(len(text), 4096):
        raise _refuse(msg("upload.unprintable"), _peek(content))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise _refuse(msg("upload.bad_csv", line=reader.line_num, error=exc)) from None


def _xlsx_rows(content: bytes, max_unpacked_bytes: int) -> Iterator[list[str]]:
    try:
        yield from iter_rows(content, max_unpacked_bytes=max_unpacked_bytes, max_columns=MAX_COLUMNS,
                             max_gap=MAX_BLANK_ROWS, max_cell_chars=max(text_limits().values()))
    except XlsxError as exc:
        raise _refuse(exc.args[0], exc.detail) from None


def _canonical_header(cells: list[str]) -> list[str]:
    problems, names = [], []
    for cell in cells:
        key = str(cell).replace("\ufeff", "").strip()
        name = canonical_header(key) or (key.lower() if key.lower() in SOURCE_FIELDS else None)
        if name is None:
            problems.append(Problem(0, cut(key, 60) or "(blank)", msg("upload.unknown_column",
                                                                     optional=", ".join(SOURCE_FIELDS))))
        elif name in names:
            problems.append(Problem(0, cut(key, 60), msg("upload.column_twice")))
        names.append(name or key)
    if problems:
        raise UploadError(problems)
    return names


def _peek(content: bytes) -> str:
    return content[:16].hex(" ")


def _peek_row(cells: list[str]) -> str:
    return ",".join(cells[:8]) + ",..."


def read_path(path: Path, *, max_bytes: int, max_rows: int) -> pd.DataFrame:
    """Read an upload from disk, checking its size before reading it."""
    size = path.stat().st_size
    if size > max_bytes:
        raise _refuse(msg("upload.too_large", limit=max_bytes), msg("upload.size_got", size=size))
    return read_upload(path.read_bytes(), path.name, max_bytes=max_bytes, max_rows=max_rows)


def read_sectors_sheet(content: bytes) -> list[dict[str, str]]:
    """The rows of an XLSX upload's ``sectors`` sheet (header ``id, name_ko, name_en``, lower-cased), none
    for a CSV or a workbook without one; each row carries its sheet row number as ``row``."""
    if content[:4] != b"PK\x03\x04":
        return []
    from .settings import get_settings

    try:
        rows = list(iter_rows(content, max_unpacked_bytes=get_settings().max_upload_unpacked_bytes,
                              max_columns=MAX_COLUMNS, max_gap=MAX_BLANK_ROWS, sheet="sectors"))
    except XlsxError as exc:
        raise _refuse(exc.args[0], exc.detail) from None
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    return [{**dict(zip(header, (c.strip() for c in r))), "row": str(i)} for i, r in enumerate(rows[1:], start=2)
            if any(c.strip() for c in r)]
