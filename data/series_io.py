"""Reading and writing long series frames as CSV or Parquet, one file or a folder of files.

A series file holds the long format ``series_id, year, value`` (other columns are kept). A folder is
read as the concatenation of its ``*.csv`` and ``*.parquet`` files in name order; each series should sit
in one file. Parquet needs ``pyarrow`` (the ``scale`` extra).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from talentgap.i18n import msg

SERIES_COLUMNS = ("series_id", "year", "value")
PARQUET_SUFFIXES = (".parquet", ".pq")


class SeriesFileError(ValueError):
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
        return pd.read_parquet(path)
    if suffix == ".csv":
        return pd.read_csv(path, dtype={"series_id": str})
    raise SeriesFileError(msg("series.bad_suffix", path=repr(str(path))))


def read_series(path: str | Path, *, typed: bool = True) -> pd.DataFrame:
    """Read a long series frame from a CSV or Parquet file, or from a folder of them (concatenated in
    name order). ``series_id`` is read as text; ``year`` as integer; ``value`` as float; with
    ``typed=False`` the columns are left as the files hold them, for a caller that checks every cell
    (a fractional year, a missing id or a boolean value must be refused, not coerced)."""
    frames = [_read_one(p) for p in _files(Path(path))]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    missing = [c for c in SERIES_COLUMNS if c not in frame.columns]
    if missing:
        raise SeriesFileError(msg("series.missing_columns", path=repr(str(path)), missing=missing,
                                     expected=", ".join(SERIES_COLUMNS)))
    if not typed:
        return frame
    frame["series_id"] = frame["series_id"].astype(str)
    frame["year"] = frame["year"].astype(int)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame


def is_folder_target(path: str | Path) -> bool:
    """An output path without a .csv or .parquet suffix is a folder of part files."""
    return Path(path).suffix.lower() not in (".csv", *PARQUET_SUFFIXES)


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` as Parquet (``.parquet``/``.pq``) or CSV (anything else); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def write_part(frame: pd.DataFrame, folder: str | Path, index: int, *, suffix: str = ".parquet") -> Path:
    """Write one partition as ``part-NNNNN<suffix>`` inside ``folder`` (created if needed)."""
    return write_frame(frame, Path(folder) / f"part-{index:05d}{suffix}")
