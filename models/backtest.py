"""Rolling-origin backtests of the annual-series forecasters (Tashman 2000; Hyndman & Koehler 2006).

For every series with at least ``min_train + 2`` observed points, each origin from the
``min_train``-th point on is used to fit on the points up to it and forecast the later observed years
up to ``max_h`` years ahead. Errors are scored with MASE (scaled by the in-sample mean absolute
one-year naive change), sMAPE (percent) and the share of actuals inside the 80 % interval.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .timeseries import DEFAULT_MODEL, forecast_series

#: Models compared in the published table; ``auto`` is what the service uses by default.
BACKTEST_MODELS = ("naive", "drift", "theta", "ets", "arima", "combo", "auto")
#: Metrics that are observed histories (projections and targets are not backtested).
HISTORY_METRICS = frozenset({
    "stock", "shortage", "shortage_rate", "openings", "hires", "separations", "graduates", "entrants",
    "capacity", "stock_growth_rate", "workforce_share", "training_output", "employment_rate",
    "programme_count", "alumni_destination",
})


def eligible_series(observations: pd.DataFrame, *, min_points: int = 5) -> pd.DataFrame:
    """Observed-history series with at least ``min_points`` points (``series_id, year, value``)."""
    obs = observations[observations["metric"].isin(HISTORY_METRICS)]
    counts = obs.groupby("series_id")["year"].transform("size")
    return obs[counts >= min_points][["series_id", "year", "value"]].sort_values(["series_id", "year"])


class BacktestStopped(Exception):
    """A backtest given up part-way because its ``stop`` callback said so (its job is being stopped)."""


def rolling_origin(series: pd.DataFrame, *, models=BACKTEST_MODELS, min_train: int = 3, max_h: int = 3,
                   level: float = 80, stop: Callable[[], bool] | None = None) -> pd.DataFrame:
    """One row per (series, model, origin, target year): actual, forecast, interval, scale. ``stop`` is
    asked before each series; when it answers true, :class:`BacktestStopped` is raised."""
    rows = []
    for sid, g in series.groupby("series_id", sort=True):
        if stop is not None and stop():
            raise BacktestStopped(sid)
        years, values = g["year"].to_numpy(), g["value"].to_numpy(dtype=float)
        for k in range(min_train, len(years)):
            train_y, train_v = years[:k], values[:k]
            targets = [(years[j], values[j]) for j in range(k, len(years)) if years[j] - train_y[-1] <= max_h]
            if not targets:
                continue
            h = int(max(t for t, _ in targets) - train_y[-1])
            scale = float(np.mean(np.abs(np.diff(train_v)) / np.diff(train_y)))
            for model in models:
                fc = forecast_series(train_y, train_v, h, level=level, model=model)
                by_year = dict(zip(fc.years.tolist(), zip(fc.mean, fc.lower, fc.upper)))
                for year, actual in targets:
                    f, lo, hi = by_year[int(year)]
                    rows.append({"series_id": sid, "model": model, "used": fc.model, "origin": int(train_y[-1]),
                                 "year": int(year), "h": int(year - train_y[-1]), "actual": actual,
                                 "forecast": f, "lower": lo, "upper": hi, "scale": scale})
    return pd.DataFrame(rows)


def score(errors: pd.DataFrame) -> pd.DataFrame:
    """Per model: mean MASE, mean sMAPE (%), 80 % interval coverage (%), forecasts and series counts.

    MASE is averaged per series first, then across series, so long series do not dominate.
    """
    if errors.empty:
        return pd.DataFrame(columns=["model", "mase", "smape", "coverage", "forecasts", "series"])
    e = errors.assign(
        ase=lambda d: np.abs(d.actual - d.forecast) / d.scale.where(d.scale > 0),
        sape=lambda d: 200 * np.abs(d.actual - d.forecast) / (np.abs(d.actual) + np.abs(d.forecast)).where(
            lambda x: x > 0),
        inside=lambda d: ((d.actual >= d.lower) & (d.actual <= d.upper)).astype(float),
    )
    per_series = e.groupby(["model", "series_id"]).agg(mase=("ase", "mean"), smape=("sape", "mean"),
                                                      coverage=("inside", "mean"), forecasts=("h", "size"))
    table = per_series.groupby("model").agg(mase=("mase", "mean"), smape=("smape", "mean"),
                                            coverage=("coverage", "mean"), forecasts=("forecasts", "sum"),
                                            series=("mase", "size"))
    table["coverage"] *= 100
    order = {m: i for i, m in enumerate(BACKTEST_MODELS)}
    return table.reset_index().sort_values("model", key=lambda s: s.map(order)).reset_index(drop=True)


def run_backtest(observations: pd.DataFrame, **kwargs) -> dict:
    """Backtest every eligible series; returns ``{"default_model", "table", "series", "errors"}``."""
    series = eligible_series(observations)
    errors = rolling_origin(series, **kwargs)
    per_series = (score(errors[errors.series_id == sid]).assign(series_id=sid)
                  for sid in sorted(errors["series_id"].unique())) if not errors.empty else []
    return {"default_model": DEFAULT_MODEL, "table": score(errors),
            "series": pd.concat(per_series, ignore_index=True) if not errors.empty else pd.DataFrame(),
            "errors": errors}
