"""Forecasting annual series: the entry point every caller uses.

:func:`forecast_panel` forecasts every series of a :class:`~.panel.Panel` (built from a long frame by
:meth:`Panel.from_frame`, or one series by :meth:`Panel.one`) ``h`` years past each series' last year.
The default (``auto``) is ``ensemble`` (:mod:`.engine`, fitted to all series at once, with empirically
calibrated intervals); the named per-series models live in :mod:`.univariate`. Every model implements one
protocol (:class:`~.panel.Forecaster`: ``fit(panel)`` → ``predict(h, levels)``), and every series too short
or unfit for its model falls back and says why (``fallback_reason``). :func:`forecast_series` is the
one-series shorthand.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .engine import Ensemble
from .panel import Forecast, Forecaster, Panel, PanelForecast, check_h, check_levels
from .univariate import (  # noqa: F401  (re-exported: callers import the result type and models from here)
    THIN_SERIES_SIGMA,
    Arima,
    Combo,
    DampedDrift,
    DampedETS,
    Drift,
    Naive,
    NotFittedError,
    Theta,
    TooFewObservations,
)

#: The model ``auto`` uses (see benchmarks/accuracy/README.md).
DEFAULT_MODEL = "ensemble"

MODELS: dict[str, type[Forecaster]] = {
    c.name: c for c in (Ensemble, Naive, Drift, DampedDrift, DampedETS, Theta, Arima, Combo)}
#: Every model name :func:`forecast_panel` accepts (besides ``auto``).
MODEL_NAMES = tuple(MODELS)


def make_model(model: str = "auto") -> Forecaster:
    """A new, unfitted forecaster by name (``auto`` is :data:`DEFAULT_MODEL`)."""
    wanted = DEFAULT_MODEL if model == "auto" else model
    if wanted not in MODELS:
        raise ValueError(f"model must be auto or one of {', '.join(MODEL_NAMES)}; got {model!r}")
    return MODELS[wanted]()


def forecast_panel(panel: Panel, h: int, levels: float | Sequence[float] = 80, *, model: str = "auto") -> PanelForecast:
    """Forecast every series of ``panel`` ``h`` years past its own last year with ``levels`` % intervals."""
    h, levels = check_h(h), check_levels(levels)
    return make_model(model).fit(panel).predict(h, levels)


def forecast_series(years, values, h: int, *, level: float = 80, model: str = "auto") -> Forecast:
    """Forecast one annual series ``h`` years past its last observation (a one-series panel).

    ``model="auto"`` uses :data:`DEFAULT_MODEL` when the series has enough points and otherwise
    falls back (2–3 points: damped drift, its interval no narrower than the calibration prior; 1: flat
    with an assumed spread), recording ``fallback_reason``. A one-series ensemble's intervals are
    calibrated on its own validation errors and the random-walk prior; :func:`forecast_panel` pools over
    the panel.
    """
    return forecast_panel(Panel.one(np.asarray(years), np.asarray(values, dtype=float)), h, level,
                          model=model).forecast(0)
