"""Data and versions: opening the database, uploads imported as a new version (refused with an
:class:`UploadError` listing every problem), sector summaries and details, tables as spreadsheets."""

from __future__ import annotations

import pandas as pd

from talentgap.data.export import xlsx_bytes
from talentgap.data.files import UploadError, read_upload
from talentgap.data.settings import get_settings
from talentgap.data.store import ImportResult, Store
from talentgap.seeds.vocab import SECTORS

from .common import check_sector

__all__ = ["UploadError", "import_upload", "open_store", "sector_detail", "sector_summaries", "spreadsheet"]


def open_store(url: str | None = None) -> Store:
    """The store at database ``url`` (default: the configured database), at the current schema: whether
    it was upgraded on the way is ``store.schema_upgrade``."""
    return Store(url)


def spreadsheet(frame: pd.DataFrame, *, sheet: str = "data") -> bytes:
    """A table as an XLSX workbook of one sheet, formula-looking text neutralised as in every export."""
    return xlsx_bytes(frame, sheet=sheet)


def import_upload(*, store: Store, content: bytes, filename: str, allow_implausible: bool = False) -> ImportResult:
    """Parse an uploaded CSV/XLSX and import it as a new active version (all or nothing); values
    implausible against the data they extend are refused unless ``allow_implausible``."""
    settings = get_settings()
    frame = read_upload(content, filename, max_bytes=settings.max_upload_bytes, max_rows=settings.max_upload_rows)
    return store.import_frame(frame, origin=f"upload {filename[:200]}", allow_implausible=allow_implausible)


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
    return {"sector": sector, "label_en": t.label_en, "label_ko": t.label_ko, "dataset_version": detail.version,
            "series": [s._asdict() for s in detail.series], "definitions": [d._asdict() for d in detail.definitions]}
