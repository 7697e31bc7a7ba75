"""Read an uploaded CSV or XLSX file into a table of text cells, safely.

Nothing here trusts the file: size and row limits come first, binary data and unknown encodings
are refused with a message, and parse errors become :class:`~talentgap.seeds.validate.Problem` s.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from talentgap.seeds.validate import Problem, canonical_header

#: Extra columns an upload may carry to define the sources its rows cite (the export writes them).
SOURCE_FIELDS = ("source_kind", "source_ref")
SOURCE_KINDS = ("seed", "url", "document")


class UploadError(ValueError):
    """An upload that cannot be accepted; ``problems`` lists every reason, by row and column."""

    code = "upload.invalid"

    def __init__(self, problems: list[Problem], limit: int = 200):
        self.problems = problems
        shown = [str(p) for p in problems[:limit]]
        if len(problems) > limit:
            shown.append(f"... and {len(problems) - limit} more problems")
        super().__init__("\n".join(shown))


def read_upload(content: bytes, filename: str, *, max_bytes: int, max_rows: int) -> pd.DataFrame:
    """Parse ``content`` (CSV or XLSX, told apart by its first bytes) into text cells with canonical
    column names. Raises :class:`UploadError` on anything unreadable."""
    if len(content) > max_bytes:
        raise UploadError([Problem(0, "file", f"is larger than the {max_bytes:,}-byte limit", f"{len(content):,} bytes")])
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UploadError([Problem(0, "file", "is empty", filename)])
    if content[:4] == b"PK\x03\x04":
        frame = _read_xlsx(content)
    else:
        frame = _read_csv(content)
    if frame.empty and len(frame.columns) == 0:
        raise UploadError([Problem(0, "file", "has no header row", filename)])
    if len(frame) > max_rows:
        raise UploadError([Problem(0, "file", f"has more than the {max_rows:,}-row limit", f"{len(frame):,} rows")])
    frame = _canonical_columns(frame)
    if frame.empty:
        raise UploadError([Problem(0, "file", "has a header but no data rows", filename)])
    return frame


def _read_csv(content: bytes) -> pd.DataFrame:
    if b"\x00" in content[:65536]:
        raise UploadError([Problem(0, "file", "holds binary data, not CSV text", _peek(content))])
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadError([Problem(0, "file", "is neither UTF-8 nor CP949 text", _peek(content))])
    if sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096]) < 0.95 * min(len(text), 4096):
        raise UploadError([Problem(0, "file", "is not CSV text (unprintable characters)", _peek(content))])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return pd.DataFrame()
    header, body = rows[0], rows[1:]
    problems = [Problem(i + 2, "file", f"has {len(r)} cells but the header has {len(header)}")
                for i, r in enumerate(body) if len(r) > len(header)]
    if problems:
        raise UploadError(problems)
    body = [r + [""] * (len(header) - len(r)) for r in body]
    return pd.DataFrame(body, columns=header, dtype=str)


def _read_xlsx(content: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UploadError([Problem(0, "file", "is not a readable XLSX workbook", type(exc).__name__)]) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else _cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return pd.DataFrame()
    width = max(i + 1 for i, c in enumerate(rows[0]) if c.strip())
    return pd.DataFrame([r[:width] + [""] * (width - len(r[:width])) for r in rows[1:]], columns=rows[0][:width], dtype=str)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _canonical_columns(frame: pd.DataFrame) -> pd.DataFrame:
    problems, names = [], []
    for col in frame.columns:
        key = str(col).replace("\ufeff", "").strip()
        name = canonical_header(key) or (key.lower() if key.lower() in SOURCE_FIELDS else None)
        if name is None:
            problems.append(Problem(0, key or "(blank)", "unknown column; expected the columns of the long "
                                    "format (series_id, sector, metric, definition, occupation, education, "
                                    "region, year, value, unit, source_id) and optionally source_kind, source_ref"))
        elif name in names:
            problems.append(Problem(0, key, "appears twice"))
        names.append(name or key)
    if problems:
        raise UploadError(problems)
    frame = frame.copy()
    frame.columns = names
    return frame.fillna("").astype(str)


def _peek(content: bytes) -> str:
    return content[:16].hex(" ")


def read_path(path: Path, *, max_bytes: int, max_rows: int) -> pd.DataFrame:
    """Read an upload from disk, checking its size before reading it."""
    size = path.stat().st_size
    if size > max_bytes:
        raise UploadError([Problem(0, "file", f"is larger than the {max_bytes:,}-byte limit", f"{size:,} bytes")])
    return read_upload(path.read_bytes(), path.name, max_bytes=max_bytes, max_rows=max_rows)
