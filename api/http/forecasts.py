"""``/forecasts/{sector}`` and ``/backtests``: sector projections (served from memory and the store once
computed) and the rolling-origin accuracy of the forecasters."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import service
from ..render.formatting import forecast_csv
from .cache import CacheDep
from .deps import KnownQuery, StoreDep, require
from .schemas import HORIZON_HELP, Levers

router = APIRouter(tags=["forecasts"], dependencies=[require("read")])


@router.get("/forecasts/{sector}", response_model=service.SectorForecast, dependencies=[KnownQuery],
            responses={200: {"content": {"text/csv": {}}, "description": "The forecast (JSON, or CSV with format=csv)"}})
async def forecast(sector: str, store: StoreDep, cache: CacheDep,
                   horizon: Annotated[int | None, Query(description=HORIZON_HELP)] = None,
                   scenario: Annotated[str, Query(max_length=120)] = "trend",
                   by: Literal["education", "occupation"] | None = None, format: Literal["json", "csv"] = "json",
                   as_of: Annotated[int | None, Query(ge=1990, le=2100, description="current year: later rows are "
                                                      "projections, earlier ones nowcasts (default: this year)")] = None,
                   levers: Annotated[Levers | None, Depends(Levers)] = None) -> Response:
    """A sector's forecast for the active dataset (same JSON as `talentgap forecast --format json`).
    Computed once per dataset version and parameters, then served from the store and memory (the body
    kept as the bytes of the typed result's JSON)."""
    lever_values = {k: v for k, v in (levers.model_dump() if levers else {}).items() if v is not None}
    # a saved scenario is keyed by its content, so a scenario deleted and saved again is never stale
    content = await run_in_threadpool(service.scenarios.scenario_content, store=store, scenario=scenario)
    as_of = service.as_of_year(as_of)
    key = json.dumps([sector, horizon, scenario, content, by, format, as_of, sorted(lever_values.items())], default=str)
    version = await cache.version()
    body = cache.get(version, key)
    if body is None:
        result = await run_in_threadpool(service.get_forecast, store=store, sector=sector, horizon=horizon,
                                         scenario=scenario, levers=lever_values, by=by, as_of=as_of)
        if result.dataset_version is not None:  # activated meanwhile: cache under the version it used
            version = result.dataset_version
        body = forecast_csv(result).encode() if format == "csv" else result.model_dump_json().encode()
        cache.put(version, key, body)
    return Response(body, media_type="text/csv" if format == "csv" else "application/json")


@router.get("/backtests", response_model=service.Backtest)
def backtests(store: StoreDep) -> service.Backtest:
    """Rolling-origin backtests of every built-in series (MASE, sMAPE, 80 % coverage) by model, as the job
    of the active version's activation stored them; until it has, the previous version's (``status``
    says which)."""
    return service.get_backtest(store=store)
