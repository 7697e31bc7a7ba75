"""Exports that a spreadsheet cannot turn against its reader, written where the user asked.

Three small pieces, shared by every interface that hands out a table (``data export``, the UI
downloads, a report's ``data.csv``):

- :func:`safe_cell` neutralises text a spreadsheet would read as a formula (OWASP "CSV injection":
  a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``). Numbers, and
  text that is a plain number such as ``-5`` or ``1e-05``, are left as they are.
- :func:`write_csv` and :func:`write_xlsx` write a frame; CSV cells go through :func:`safe_cell`,
  XLSX text cells are stored as text (never as formulas), numbers as numbers.
- :func:`open_output` opens the target: ``-`` is standard output, a device, FIFO or symlink is
  written in place, a regular file is replaced atomically (temporary file in the same folder, then
  ``os.replace``), a folder is refused. Failures are :class:`OutputError` with a stable ``code``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

#: Leading characters that make a spreadsheet evaluate a cell (OWASP CSV injection guidance).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# characters XML 1.0 cannot hold; openpyxl refuses them, so an export replaces them
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Target = str | os.PathLike[str] | IO[bytes] | IO[str]


class OutputError(TalentgapError, ValueError):
    """An output path that cannot be written as asked (a folder, a missing folder)."""

    code = "output.invalid"


class OutputWriteFailed(OutputError):
    """Writing the output failed in the operating system (disk full, permission, broken pipe).

    ``errno`` is the operating system's error number (``errno.ENOSPC`` for a full disk)."""

    code = "output.write_failed"

    def __init__(self, message: str, errno_: int | None = None):
        super().__init__(message)
        self.errno = errno_


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet should show it: text starting with ``= + - @``, tab or CR gets a
    leading ``'`` unless it is a plain number (``-5``, ``+1.5``, ``1e-05``); anything else, numbers
    included, is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a text cell read back from a file (``'=x`` becomes ``=x``), so an
    export imports as the data it came from."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index), every text cell and header passed through :func:`safe_cell`."""
    safe = frame.copy()
    safe.columns = [safe_cell(str(c)) for c in frame.columns]
    for i in range(safe.shape[1]):
        col = safe.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(col.dtype):  # object, string, category: any may hold text
            safe.isetitem(i, col.map(safe_cell, na_action="ignore"))
    return safe.to_csv(index=False, lineterminator="\n")


def write_csv(frame: pd.DataFrame, target: Target) -> None:
    """Write ``frame`` as UTF-8 CSV with formula-looking text neutralised (see :func:`csv_text`).

    ``target`` is a path (opened with :func:`open_output`, so ``-`` is standard output), or an open
    binary or text file."""
    _write(csv_text(frame).encode("utf-8"), target)


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data") -> bytes:
    """``frame`` as an XLSX workbook of one sheet: text cells stored as text (a leading ``=`` stays
    text), ints and floats as numbers, missing values as empty cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)

    def cell(value: object) -> object:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return None
        if isinstance(value, bool | int | float) and not (isinstance(value, float) and math.isinf(value)):
            return value.item() if hasattr(value, "item") else value
        out = WriteOnlyCell(ws, value=_XML_ILLEGAL.sub("\ufffd", str(value))[:32767])
        out.data_type = "s"  # never a formula or an error code, whatever the text starts with
        return out

    ws.append([cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(v.item() if hasattr(v, "item") else v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_xlsx(frame: pd.DataFrame, target: Target, *, sheet: str = "data") -> None:
    """Write ``frame`` as XLSX (see :func:`xlsx_bytes`) to a path (via :func:`open_output`) or an open
    binary file."""
    _write(xlsx_bytes(frame, sheet=sheet), target)


def _write(data: bytes, target: Target) -> None:
    if isinstance(target, str | os.PathLike):
        with open_output(target) as f:
            f.write(data)
    elif isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8"))
    else:
        target.write(data)  # type: ignore[arg-type]


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open ``path`` for writing bytes, doing the right thing for what it is.

    - ``-``: standard output (binary), flushed at the end, never closed;
    - an existing folder (or a symlink to one): :class:`OutputError`, naming it;
    - a character device, FIFO, socket, or a symlink to anything: opened and written in place, so
      ``/dev/null``, ``/dev/stdout`` or a link survive as they are;
    - a regular file or a new name: written to a temporary file in the same folder, which replaces
      the target with ``os.replace`` only when the block ends without an error, and is removed
      otherwise (the target is then left as it was).

    Operating-system failures (``/dev/full``, a read-only folder) raise :class:`OutputWriteFailed`.
    """
    name = os.fspath(path)
    if name == "-":
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None) or _TextSink(sys.stdout)
        with _os_errors("standard output"):
            yield out  # type: ignore[misc]
            out.flush()
        return
    target = Path(name)
    try:
        st = target.lstat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputWriteFailed(msg("output.cannot_write", target=target, reason=exc.strerror), exc.errno) from None
    if target.is_dir():
        raise OutputError(msg("output.is_folder", target=target, example=target / "export.csv"))
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _os_errors(str(target)), open(target, "wb") as f:
            yield f
        return
    if not target.parent.is_dir():
        raise OutputError(msg("output.no_folder", folder=target.parent))
    with _os_errors(str(target)):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        if st is not None:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))  # the replacement keeps the file's permissions
        try:
            with open(fd, "wb") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


class _TextSink(io.RawIOBase):
    """Bytes written to a text stream that has no binary buffer (a test harness's stdout)."""

    def __init__(self, stream: IO[str]):
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._stream.write(bytes(data).decode("utf-8", errors="replace"))
        return len(data)

    def flush(self) -> None:
        self._stream.flush()


@contextlib.contextmanager
def _os_errors(what: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or os.strerror(exc.errno or errno.EIO)
        raise OutputWriteFailed(msg("output.cannot_write", target=what, reason=reason), exc.errno) from None
