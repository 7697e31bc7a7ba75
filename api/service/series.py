"""Forecasts of user-supplied series (a panel, checked once) in memory or file to file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from talentgap.i18n import msg
from talentgap.models.panel import Panel, SeriesInputError, resolve_h
from talentgap.models.timeseries import forecast_panel

#: Most series ``series_forecast`` accepts in one call.
MAX_SERIES = 100_000
#: Most series one ``POST /series/forecast`` request may hold.
MAX_API_SERIES = 2_000


def series_forecast(frame: pd.DataFrame, *, h: int | None = None, horizon: int | None = None, level: float = 80,
                    items: bool = False) -> pd.DataFrame:
    """Forecast every series of ``frame`` (``series_id, year, value``), each ``h`` years past its own
    last year or up to the calendar year ``horizon`` (give one). The frame is checked once
    (:meth:`~talentgap.models.panel.Panel.from_frame`; ``items`` numbers problems as request items);
    the ensemble is vectorised over all series and pools its interval calibration over them."""
    panel = Panel.from_frame(frame, items=items)
    if len(panel) > MAX_SERIES:
        raise SeriesInputError(msg("series.too_many", max=MAX_SERIES, count=len(panel)))
    steps, until = resolve_h(panel, h=h, horizon=horizon)
    return forecast_panel(panel, steps, level).frame(until=until)


def series_forecast_files(*, input_path: str | Path, output_path: str | Path, h: int | None = None,
                          horizon: int | None = None, level: float = 80, engine: str = "local",
                          scheduler: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Forecast the series in a CSV or Parquet file (or a folder of them) into ``output_path`` (``-``:
    CSV on standard output), on this process or a dask cluster (``engine="dask"``, same numbers); see
    :func:`talentgap.models.distributed.forecast_files`."""
    from talentgap.models.distributed import forecast_files

    return forecast_files(input_path, output_path, h=h, horizon=horizon, level=level, engine=engine,
                          scheduler=scheduler, progress=progress)
