"""``/reconcile``: every published projection in the seeds beside the model's figure on the same
definition and window (the JSON of ``talentgap reconcile --format json``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from .. import service
from .deps import StoreDep, require

router = APIRouter(tags=["forecasts"], dependencies=[require("read")])


@router.get("/reconcile", response_model=service.Reconciliation)
async def reconcile(store: StoreDep,
                    sector: Annotated[str | None, Query(max_length=40, description="one sector (default: all)")] = None,
                    ) -> service.Reconciliation:
    """Published projections and targets beside the model's p10/p50/p90 on the same definition and window:
    the difference in percent and, where the published figure lies outside p10-p90, what makes them differ
    in numbers. Computed once per dataset version, then served from the store."""
    return await run_in_threadpool(service.get_reconciliation, store=store, sector=sector)
