"""``POST /series/forecast``: forecast any annual series sent in the body."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter

from .. import service
from ..errors import TooLarge
from .deps import SettingsDep, require
from .public_forecasts import SeriesForecastPublic
from .schemas import SeriesForecastRequest

router = APIRouter(tags=["forecasts"])


@router.post("/series/forecast", dependencies=[require("write")], response_model=SeriesForecastPublic)
def series_forecast(body: SeriesForecastRequest, settings: SettingsDep):
    """Forecast every series ``horizon`` years past its own last year, with ``level`` % intervals."""
    if len(body.series) > settings.max_upload_rows:
        raise TooLarge(f"series: at most {settings.max_upload_rows:,} points per request; got {len(body.series):,}")
    frame = pd.DataFrame([p.model_dump() for p in body.series])
    n = frame["series_id"].nunique()
    if n > service.MAX_API_SERIES:
        raise TooLarge(f"series: at most {service.MAX_API_SERIES:,} series per request; got {n:,}")
    dup = frame.duplicated(["series_id", "year"])
    if dup.any():
        i = int(dup.idxmax())
        raise service.ForecastInputError(f"series[{i}]: duplicate year {frame.at[i, 'year']} for series "
                                         f"{frame.at[i, 'series_id']!r}")
    frame = frame.sort_values(["series_id", "year"], kind="stable")
    out = service.series_forecast(frame, horizon=body.horizon, level=body.level, workers=1)
    return {"horizon": body.horizon, "level": body.level,
            "rows": out.drop(columns="fallback_reason").to_dict("records"),
            "fallbacks": out.loc[out["fallback_reason"] != ""].drop_duplicates("series_id")[
                ["series_id", "model", "fallback_reason"]].to_dict("records")}
