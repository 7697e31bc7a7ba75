"""Reading and writing long series frames as CSV or Parquet, one file or a folder of files.

A series file holds the long format ``series_id, year, value`` (other columns are kept). A folder is
read as the concatenation of its ``*.csv`` and ``*.parquet`` files in name order; each series should sit
in one file. CSV is read as text: the values are checked by the time-series layer
(``talentgap.models.panel.Panel.from_frame``), which lists every problem by row. CSV is written with
formula-looking text neutralised (:mod:`.export`). Parquet needs ``pyarrow`` (the ``scale`` extra).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

from .export import write_csv

SERIES_COLUMNS = ("series_id", "year", "value")
PARQUET_SUFFIXES = (".parquet", ".pq")


class SeriesFileError(TalentgapError, ValueError):
    """A series file or folder is missing, empty, of an unknown type or lacks the long-format columns."""

    code = "series.file"


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise SeriesFileError(msg("series.no_input", path=repr(str(path))))
    if path.is_file():
        return [path]
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", *PARQUET_SUFFIXES))
    if not files:
        raise SeriesFileError(msg("series.empty_folder", path=repr(str(path))))
    return files


def _read_one(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        try:
            return pd.read_parquet(path)
        except ImportError:
            raise SeriesFileError(msg("series.parquet_missing", path=repr(str(path)))) from None
        except (OSError, ValueError) as exc:
            raise SeriesFileError(msg("series.unreadable", path=repr(str(path)), kind=type(exc).__name__,
                                      error=str(exc)[:300])) from None
    try:
        with warnings.catch_warnings():
            # a row wider than the header: never shift the columns into an index, never drop fields
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False)
    except pd.errors.ParserWarning:
        raise SeriesFileError(msg("series.too_wide", path=repr(str(path)), detail="line 2")) from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1].removeprefix("Error tokenizing data. C error: ")[:200]
        raise SeriesFileError(msg("series.too_wide", path=repr(str(path)), detail=detail)) from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SeriesFileError(msg("series.not_csv", path=repr(str(path)), kind=type(exc).__name__)) from None


def read_series(path: str | Path) -> pd.DataFrame:
    """Read a long series frame from a CSV file (as text; a file of another name is read as CSV) or a
    Parquet file, or from a folder of them (concatenated in name order), as stored: the caller checks the
    values. ``series_id`` is made text."""
    frames = [_read_one(p) for p in _files(Path(path))]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    missing = [c for c in SERIES_COLUMNS if c not in frame.columns]
    if missing:
        raise SeriesFileError(msg("series.missing_columns", path=repr(str(path)), missing=", ".join(missing),
                                  expected=", ".join(SERIES_COLUMNS)))
    ids = frame["series_id"]
    frame["series_id"] = ids.astype(object).where(ids.isna(), ids.astype(str))  # a missing id stays missing
    return frame


def is_folder_target(path: str | Path) -> bool:
    """An output path without a .csv or .parquet suffix is a folder of part files."""
    return Path(path).suffix.lower() not in (".csv", *PARQUET_SUFFIXES)


def write_frame(frame: pd.DataFrame, path: str | Path) -> str | Path:
    """Write ``frame`` to ``path`` as Parquet (``.parquet``/``.pq``) or CSV (anything else, ``-`` standard
    output; formula-looking text neutralised); returns the path."""
    if str(path) == "-":
        write_csv(frame, "-")
        return "-"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        frame.to_parquet(path, index=False)
    else:
        write_csv(frame, path)
    return path


def write_part(frame: pd.DataFrame, folder: str | Path, index: int, *, suffix: str = ".parquet") -> Path:
    """Write one partition as ``part-NNNNN<suffix>`` inside ``folder`` (created if needed)."""
    path = Path(folder) / f"part-{index:05d}{suffix}"
    write_frame(frame, path)
    return path
