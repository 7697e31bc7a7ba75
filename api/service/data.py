"""Data and versions: opening the database, uploads imported as a new version (refused with an
:class:`UploadError` listing every problem), sector summaries and details, tables as spreadsheets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from talentgap.data.export import xlsx_bytes
from talentgap.data.files import UploadError, read_sectors_sheet, read_upload
from talentgap.data.settings import get_settings
from talentgap.data.store import ImportResult, Store, VersionInfo
from talentgap.i18n import msg
from talentgap.seeds.sectors import links_of
from talentgap.seeds.vocab import SECTORS

from ..errors import NotFound
from .common import check_sector

__all__ = ["UploadError", "activate", "active_version", "export", "get_source", "import_file", "import_upload",
           "open_store", "sector_detail", "sector_summaries", "spreadsheet", "versions"]


def open_store(url: str | None = None) -> Store:
    """The store at database ``url`` (default: the configured database), at the current schema: whether
    it was upgraded on the way is ``store.schema_upgrade``; a new database gets the seed dataset."""
    return Store.open(url)


def versions(*, store: Store) -> list[VersionInfo]:
    """Every dataset version, oldest first, each with its row counts, origin and whether it is active."""
    return store.versions()


def active_version(*, store: Store) -> int:
    """The dataset version in use."""
    return store.active_version()


def activate(*, store: Store, version: int) -> None:
    """Make dataset version ``version`` the active one (404 / exit 2 when there is none)."""
    store.activate(version)


def import_file(*, store: Store, path: Path, allow_implausible: bool = False) -> ImportResult:
    """Import a CSV/XLSX file as a new active version (all or nothing; see :func:`import_upload`)."""
    return store.import_file(path, allow_implausible=allow_implausible)


def export(*, store: Store, out: Path | str, fmt: str = "csv", version: int | None = None) -> int:
    """Write every observation of a dataset version (default: the active one) with its source columns
    to ``out`` (``-``: standard output) as CSV or XLSX; returns how many observations were written."""
    return store.export(out, fmt=fmt, version=version)


def get_source(*, store: Store, source_id: str) -> dict:
    """A source (a seed document and its lines, or a published page) with its description; an unknown
    id is a 404."""
    src = store.source(source_id)
    if src is None:
        raise NotFound(msg("source.unknown", source=repr(source_id)))
    return src


def spreadsheet(frame: pd.DataFrame, *, sheet: str = "data") -> bytes:
    """A table as an XLSX workbook of one sheet, formula-looking text neutralised as in every export."""
    return xlsx_bytes(frame, sheet=sheet)


def import_upload(*, store: Store, content: bytes, filename: str, allow_implausible: bool = False) -> ImportResult:
    """Parse an uploaded CSV/XLSX and import it as a new active version (all or nothing); values
    implausible against the data they extend are refused unless ``allow_implausible``."""
    settings = get_settings()
    frame = read_upload(content, filename, max_bytes=settings.max_upload_bytes, max_rows=settings.max_upload_rows)
    return store.import_frame(frame, origin=f"upload {filename[:200]}", allow_implausible=allow_implausible,
                              sectors=read_sectors_sheet(content))


def sector_summaries(*, store: Store, version: int | None = None) -> list[dict]:
    """Every sector with its labels and how many series and observations a dataset version (default: the
    active one) holds, from the store's stored summaries."""
    counts = {c.sector: c for c in store.sector_summaries(version).sectors}
    return [{"sector": s, "label_en": t.label_en, "label_ko": t.label_ko,
             "series": counts[s].series if s in counts else 0,
             "observations": counts[s].observations if s in counts else 0}
            for s, t in SECTORS.items()]


def sector_detail(*, store: Store, sector: str, version: int | None = None) -> dict:
    """One sector's series (with their years and point counts) and definitions in a dataset version
    (default: the active one), labelled with the version they were read from (one snapshot)."""
    check_sector(sector)
    detail = store.sector_detail(sector, version)
    t = SECTORS[sector]
    occupations, feeders = links_of(sector)
    return {"sector": sector, "label_en": t.label_en, "label_ko": t.label_ko, "dataset_version": detail.version,
            "series": [s._asdict() for s in detail.series], "definitions": [d._asdict() for d in detail.definitions],
            "occupations": list(occupations), "feeder_fields": list(feeders)}
