"""``POST /series/forecast``: forecast any annual series sent in the body."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter

from .. import service
from .deps import SettingsDep, require
from .public_skills import SeriesForecastPublic
from .schemas import SeriesForecastRequest

router = APIRouter(tags=["forecasts"])


@router.post("/series/forecast", dependencies=[require("write")], response_model=SeriesForecastPublic)
def series_forecast(body: SeriesForecastRequest, settings: SettingsDep):
    """Forecast every series ``h`` years past its own last year, or up to the calendar year ``horizon``,
    with ``level`` % intervals."""
    frame = pd.DataFrame([p.model_dump() for p in body.series], columns=["series_id", "year", "value"])
    out = service.series_forecast(frame, h=body.h, horizon=body.horizon, level=body.level, items=True,
                                  max_points=settings.max_upload_rows, max_series=service.MAX_API_SERIES)
    return {"h": body.h, "horizon": body.horizon, "level": body.level,
            "rows": out.drop(columns="fallback_reason").to_dict("records"),
            "fallbacks": out.loc[out["fallback_reason"] != ""].drop_duplicates("series_id")[
                ["series_id", "model", "fallback_reason"]].to_dict("records")}
