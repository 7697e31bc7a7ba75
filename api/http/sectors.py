"""``/sectors`` and ``/sources``: what the active dataset holds, and where each figure comes from."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import service
from .cache import CacheDep, model_bytes
from .deps import StoreDep, require
from .public import SectorDetailPublic, SectorPublic, SourcePublic

router = APIRouter(tags=["data"], dependencies=[require("read")])


@router.get("/sectors", response_model=list[SectorPublic])
async def sectors(store: StoreDep, cache: CacheDep) -> Response:
    """Every sector with its labels and how many series and observations the active data hold."""
    version = await cache.version()
    body = cache.get(version, "sectors")
    if body is None:
        summaries = await run_in_threadpool(service.sector_summaries, store=store, version=version)
        body = model_bytes(list[SectorPublic], summaries)
        cache.put(version, "sectors", body)
    return Response(body, media_type="application/json")


@router.get("/sectors/{sector}", response_model=SectorDetailPublic)
async def sector_detail(sector: str, store: StoreDep, cache: CacheDep) -> Response:
    """One sector's series and definitions in the active dataset, labelled with the version read."""
    service.check_sector(sector)
    version = await cache.version()
    key = f"sector:{sector}"
    body = cache.get(version, key)
    if body is None:
        detail = await run_in_threadpool(service.sector_detail, store=store, sector=sector, version=version)
        body = model_bytes(SectorDetailPublic, detail)
        cache.put(version, key, body)
    return Response(body, media_type="application/json")


@router.get("/sources/{source_id}", response_model=SourcePublic)
def source(source_id: str, store: StoreDep):
    """A source: seed document and lines, or a published page, with a description."""
    return service.data.get_source(store=store, source_id=source_id)
