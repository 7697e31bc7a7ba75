"""``/sectors`` and ``/sources``: what the active dataset holds, and where each figure comes from."""

from __future__ import annotations

from fastapi import APIRouter

from .. import service
from ..errors import NotFound
from .deps import StoreDep, require
from .public import SectorDetailPublic, SectorPublic, SourcePublic

router = APIRouter(tags=["data"], dependencies=[require("read")])


@router.get("/sectors", response_model=list[SectorPublic])
def sectors(store: StoreDep):
    """Every sector with its labels and how many series and observations the active data hold."""
    return service.sector_summaries(store=store)


@router.get("/sectors/{sector}", response_model=SectorDetailPublic)
def sector_detail(sector: str, store: StoreDep):
    """One sector's series and definitions in the active dataset."""
    return service.sector_detail(store=store, sector=sector)


@router.get("/sources/{source_id}", response_model=SourcePublic)
def source(source_id: str, store: StoreDep):
    """A source: seed document and lines, or a published page, with a description."""
    src = store.source(source_id)
    if src is None:
        raise NotFound(f"no source {source_id!r}")
    return src
