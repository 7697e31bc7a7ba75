"""``/sectors`` and ``/sources``: what the active dataset holds, and where each figure comes from; sectors
added (``POST /sectors``, admin) and removed (``DELETE /sectors/{sector}``, admin) as data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
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
    sector = service.check_sector(sector)
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


class SectorIn(BaseModel):
    """A new sector: id and names; optionally its definitions (each with the metrics observed on it),
    assumptions and model tables, as in a sector file (README, "Add a sector")."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(max_length=40, description="lower-case id, e.g. display")
    name_ko: str = Field(default="", max_length=200, description="Korean name (in Hangul)")
    name_en: str = Field(default="", max_length=200, description="English name, e.g. Display")
    definitions: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    assumptions: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    model: dict[str, Any] = Field(default_factory=dict)
    occupations: list[str] = Field(default_factory=list, max_length=100,
                                   description="occupation ids of the skill taxonomy (GET /api/v1/skills) the "
                                               "sector's demand has; they share it equally")
    feeder_fields: list[str] = Field(default_factory=list, max_length=100,
                                     description="programme ids of the taxonomy's catalogue whose graduates feed "
                                                 "the sector (its supply mix)")


@router.post("/sectors", status_code=201, dependencies=[require("sectors")])
def add_sector(body: SectorIn, store: StoreDep) -> dict:
    """Add a sector as a new dataset version (admin); its observations then import through
    ``POST /datasets``. A colliding id or name is refused (409); bad fields are named (422)."""
    entry = service.sectors.sector_entry(body.model_dump())
    return service.sectors.add_sector(store=store, entry=entry)


@router.delete("/sectors/{sector}", dependencies=[require("sectors")])
def remove_sector(sector: str, store: StoreDep) -> dict:
    """Remove a sector as a new dataset version (admin); refused (409) while a saved scenario or report
    schedule uses it, with the reason."""
    return service.sectors.remove_sector(store=store, sector=sector)
