"""Forecasting annual series: the entry points every caller uses.

:func:`forecast_series` forecasts one series, :func:`forecast_frame` every series of a long frame
(``series_id, year, value``). The default (``auto``) is ``ensemble`` (:mod:`.engine`: a validation-weighted
combination of drift, damped drift and Theta fitted to many series at once, with empirically calibrated
intervals); series too short for it fall back by length and say why (``fallback_reason``). The named
per-series models live in :mod:`.univariate` and are re-exported here.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import NormalDist

import numpy as np
import pandas as pd

from talentgap.i18n import note

from .univariate import (  # noqa: F401  (re-exported: callers import the result type and models from here)
    THIN_SERIES_SIGMA,
    Arima,
    Combo,
    DampedDrift,
    DampedETS,
    Drift,
    Forecast,
    Naive,
    NotFittedError,
    Theta,
    TooFewObservations,
    _exp,
    _Forecaster,
    clean_series,
)

#: The model ``auto`` uses where the series is long enough for it (see benchmarks/accuracy/README.md).
DEFAULT_MODEL = "ensemble"

MODELS: dict[str, type[_Forecaster]] = {c.name: c for c in (Naive, Drift, DampedDrift, DampedETS, Theta, Arima,
                                                             Combo)}
#: Every model name ``forecast_series`` and ``forecast_frame`` accept (besides ``auto``).
MODEL_NAMES = ("ensemble", *MODELS)


def _ensemble_one(years: np.ndarray, values: np.ndarray, horizon: int, level: float) -> Forecast:
    from .engine import Ensemble

    frame = pd.DataFrame({"series_id": 0, "year": years, "value": values})
    est = Ensemble().fit(frame, horizon)
    out = est.predict(level)
    return Forecast(years=out["year"].to_numpy(), mean=out["forecast"].to_numpy(), lower=out["lower"].to_numpy(),
                    upper=out["upper"].to_numpy(), level=level, model=Ensemble.name,
                    log_scale=bool(out["log_scale"].iloc[0]), sd=out["sd"].to_numpy(dtype=float),
                    notes=(est.notes_[0],) if est.notes_[0] else ())


def _widen_to_prior(fc: Forecast, years: np.ndarray, values: np.ndarray) -> Forecast:
    """Widen a short series' fallback interval to at least the ensemble's calibration prior: the
    random-walk interval ``±z·√(π/2)·√k`` in units of the series' mean absolute yearly change (on the log
    scale when it is positive). A residual spread from two or three points understates the error; the
    change between points does not vanish on a steady trend."""
    from .engine import calibrate

    cal = calibrate([], len(fc.years), fc.level)
    z = NormalDist().inv_cdf(0.5 + fc.level / 200)
    with np.errstate(all="ignore"):
        scaled = np.log(values) if fc.log_scale else values
        step = float(np.mean(np.abs(np.diff(scaled)) / np.diff(years)))
        if fc.log_scale:
            lo, hi = fc.mean * _exp(cal.lower * step), fc.mean * _exp(cal.upper * step)
        else:
            lo, hi = fc.mean + cal.lower * step, fc.mean + cal.upper * step
        lo, hi = np.nan_to_num(lo, neginf=-np.finfo(float).max), np.nan_to_num(hi, posinf=np.finfo(float).max)
        sd = np.maximum(fc.sd, np.nan_to_num((cal.upper - cal.lower) / 2 * step / z, posinf=np.finfo(float).max))
    if np.all(values >= 0):
        lo = np.maximum(lo, 0)
    return replace(fc, lower=np.minimum(fc.lower, lo), upper=np.maximum(fc.upper, hi), sd=sd)


def forecast_series(years, values, horizon: int, *, level: float = 80, model: str = "auto") -> Forecast:
    """Forecast one annual series ``horizon`` years past its last observation.

    ``model="auto"`` uses :data:`DEFAULT_MODEL` when the series has enough points and otherwise
    falls back (2–3 points: damped drift, with an assumed spread at 2; 1: flat with an assumed
    spread), recording ``fallback_reason``. A named model that cannot fit falls back to drift (or naive) the
    same way, so one bad series never stops a batch. A single series' ensemble intervals are calibrated on
    its own validation errors and the random-walk prior; :func:`forecast_frame` pools over the batch.
    """
    wanted = DEFAULT_MODEL if model == "auto" else model
    if wanted not in MODEL_NAMES:
        raise ValueError(f"model must be auto or one of {', '.join(MODEL_NAMES)}; got {model!r}")
    if int(horizon) < 1:
        raise ValueError(f"horizon must be at least 1 year; got {horizon}")
    if not 0 < level < 100:
        raise ValueError(f"level must be between 0 and 100; got {level}")
    years, values = clean_series(years, values)
    n = len(years)
    fallback = (DampedDrift if model == "auto" else Drift) if n >= 2 else Naive
    reason, fc = None, None
    try:
        if wanted == "ensemble":
            from .engine import Ensemble

            if n < Ensemble.min_obs:
                raise TooFewObservations(wanted, Ensemble.min_obs, n)
            fc = _ensemble_one(years, values, horizon, level)
        else:
            fc = MODELS[wanted]().fit(years, values).predict(horizon, level)
    except TooFewObservations as exc:
        reason = note("fallback.too_few", n=n, model=exc.model, needed=exc.needed)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
        reason = note("fallback.failed", model=wanted, error=str(exc))
        fallback = Drift if n >= 2 else Naive
    if fc is None:
        fc = fallback().fit(years, values).predict(horizon, level)
        if model == "auto" and n >= 2:
            fc = _widen_to_prior(fc, years, values)
    if n <= 2:
        spread = note("fallback.spread_assumed", sigma=THIN_SERIES_SIGMA)
        reason = note("fallback.and", reason=reason, then=spread) if reason else spread
    if not all(np.all(np.isfinite(a)) for a in (fc.mean, fc.lower, fc.upper)):
        reason = note("fallback.non_finite", model=fc.model)
        fc = (Drift if n >= 2 else Naive)().fit(years, values).predict(horizon, level)
    return replace(fc, fallback_reason=reason)


def forecast_frame(frame: pd.DataFrame, horizon: int, *, level: float = 80, model: str = "auto") -> pd.DataFrame:
    """Forecast every series of a long frame (``series_id, year, value``).

    Returns ``series_id, year, forecast, lower, upper, model, fallback_reason``. The default runs the
    vectorised :class:`~talentgap.models.engine.Ensemble` over all series at once, its intervals calibrated
    on the validation errors pooled over the frame; a named model runs series by series.
    """
    cols = ["series_id", "year", "forecast", "lower", "upper", "model", "fallback_reason"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    if model in ("auto", "ensemble"):
        from .engine import Ensemble

        return Ensemble().fit(frame, horizon).predict(level)[cols]
    out = []
    for sid, g in frame.groupby("series_id", sort=False):
        fc = forecast_series(g["year"].to_numpy(), g["value"].to_numpy(), horizon, level=level, model=model)
        part = fc.frame()
        part.insert(0, "series_id", sid)
        part["fallback_reason"] = fc.fallback_reason or ""
        out.append(part)
    return pd.concat(out, ignore_index=True)
