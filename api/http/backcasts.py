"""``/backcasts/{sector}``: the stock-flow model fitted on the data up to an origin year, beside what was
observed after it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from ..service.backcasts import Backcast, get_backcast
from .deps import StoreDep, require

router = APIRouter(tags=["forecasts"], dependencies=[require("read")])


@router.get("/backcasts/{sector}", response_model=Backcast)
async def backcasts(sector: str, store: StoreDep,
                    origin: Annotated[int, Query(ge=1990, le=2100, description="the last year of data the model "
                                                 "is fitted on")]) -> Backcast:
    """The trend projection from ``origin`` (p10/p50/p90) beside every stock (현원), shortage (부족인원) and
    shortage rate (부족률) observed after it, with whether each lies inside p10–p90 (same JSON as
    `talentgap backcast --format json`)."""
    return await run_in_threadpool(get_backcast, store=store, sector=sector, origin=origin)
