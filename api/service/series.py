"""Forecasts of user-supplied series (a panel, checked once) in memory or file to file.

:func:`check_series` is the one check of series input for every interface: the HTTP body and the CLI's
files go through it, and the engine is handed the checked panel with ``h`` resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from talentgap.data.series_io import read_series
from talentgap.i18n import msg
from talentgap.models.panel import Panel, SeriesInputError, check_levels, resolve_h
from talentgap.models.timeseries import forecast_panel

from ..errors import TooLarge

#: Most series ``series_forecast`` accepts in one call (a file run).
MAX_SERIES = 100_000
#: Most series one ``POST /series/forecast`` request may hold.
MAX_API_SERIES = 2_000


@dataclass(frozen=True)
class CheckedSeries:
    """Series input that passed :func:`check_series`: the panel, the steps ``h`` past each series' last
    year, the calendar year ``until`` the rows stop at (or ``None``), and the interval level."""

    panel: Panel
    h: int
    until: int | None
    level: float


def check_series(frame: pd.DataFrame, *, h: object = None, horizon: object = None,
                 level: float | Sequence[float] = 80, items: bool = False, source: str = "series",
                 max_points: int | None = None, max_series: int | None = None,
                 max_panel: int | None = None) -> CheckedSeries:
    """Check series input (``series_id, year, value`` rows) once, for every interface: at most
    ``max_points`` rows and ``max_series`` distinct series (413, before any parsing), the level, every
    row (:meth:`~talentgap.models.panel.Panel.from_frame`, problems listed by row, or by request item
    with ``items``), at most ``max_panel`` series in the panel, then ``h`` or ``horizon`` (give one)."""
    if max_points is not None and len(frame) > max_points:
        raise TooLarge(msg("series.too_many_points", limit=max_points, count=len(frame)))
    if max_series is not None and "series_id" in frame and (n := frame["series_id"].nunique()) > max_series:
        raise TooLarge(msg("series.too_many_series", limit=max_series, count=n))
    (level,) = check_levels(level)
    panel = Panel.from_frame(frame, source=source, items=items)
    if max_panel is not None and len(panel) > max_panel:
        raise SeriesInputError(msg("series.too_many", max=max_panel, count=len(panel)))
    steps, until = resolve_h(panel, h=h, horizon=horizon)
    return CheckedSeries(panel, steps, until, level)


def series_forecast(frame: pd.DataFrame, *, h: int | None = None, horizon: int | None = None, level: float = 80,
                    items: bool = False, max_points: int | None = None,
                    max_series: int | None = None) -> pd.DataFrame:
    """Forecast every series of ``frame`` (``series_id, year, value``), each ``h`` years past its own
    last year or up to the calendar year ``horizon`` (give one). The frame is checked once
    (:func:`check_series`, at most :data:`MAX_SERIES` series; ``items`` numbers problems as request items,
    ``max_points`` and ``max_series`` are a request's limits); the ensemble is vectorised over all series
    and pools its interval calibration over them."""
    run = check_series(frame, h=h, horizon=horizon, level=level, items=items, max_points=max_points,
                       max_series=max_series, max_panel=MAX_SERIES)
    return forecast_panel(run.panel, run.h, run.level).frame(until=run.until)


def series_forecast_files(*, input_path: str | Path, output_path: str | Path, h: int | None = None,
                          horizon: int | None = None, level: float = 80, engine: str = "local",
                          scheduler: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Forecast the series in a CSV or Parquet file (or a folder of them) into ``output_path`` (``-``:
    CSV on standard output), on this process or a dask cluster (``engine="dask"``, same numbers): the run
    options are checked first, then the series (:func:`check_series`); see
    :func:`talentgap.models.distributed.write_forecasts`."""
    from talentgap.models.distributed import check_run, write_forecasts

    check_run(output_path, engine=engine, scheduler=scheduler)
    mode: Literal["local", "dask"] = "dask" if engine == "dask" else "local"  # check_run refused any other
    run = check_series(read_series(input_path), h=h, horizon=horizon, level=level, source=str(input_path))
    return write_forecasts(run.panel, output_path, h=run.h, until=run.until, level=run.level, engine=mode,
                           scheduler=scheduler, progress=progress)
