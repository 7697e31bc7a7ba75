"""Vectorised point-forecast kernels: one numpy pass over a 2-D array of equally long annual series.

Every kernel takes ``z`` of shape ``(n_series, n_years)`` on the model scale (log or level, no gaps, no
NaN) and a count of years ``h`` and returns point forecasts of shape ``(n_series, h)``. Parameters that are
estimated (smoothing weights) are chosen per series by a grid search on the in-sample one-step
squared error, all series and all grid points at once, so fitting 10,000 series costs one loop over the
years. Kernels need at least two years (``z.shape[1] >= 2``); the engine only calls them so.

References: Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (FPP3) §5.2 (naive,
drift), §8.1–8.2 (simple exponential smoothing, damped trend); Gardner & McKenzie (1985) damped trend;
Assimakopoulos & Nikolopoulos (2000) and Hyndman & Billah (2003) Theta. Fiorucci et al. (2016)'s
optimised and dynamic Theta were tried as members on the accuracy benchmark's development holdout and did
not improve on the classic method there (benchmarks/accuracy/README.md).
"""

from __future__ import annotations

import numpy as np

#: Smoothing weights searched for simple exponential smoothing (SES) and the Theta lines.
ALPHAS = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
#: Yearly damping of the drift's step in :func:`damped_drift` (bounds total growth at ``slope·phi/(1−phi)``).
DAMPING = 0.85


def _steps(h: int) -> np.ndarray:
    return np.arange(1, h + 1, dtype=float)[None, :]


def naive(z: np.ndarray, h: int) -> np.ndarray:
    """Random walk: the last value carried forward (FPP3 §5.2)."""
    return np.repeat(z[:, -1:], h, axis=1)


def drift(z: np.ndarray, h: int) -> np.ndarray:
    """Random walk with drift: the average yearly change from first to last point extended (FPP3 §5.2)."""
    slope = (z[:, -1] - z[:, 0]) / (z.shape[1] - 1)
    return z[:, -1:] + slope[:, None] * _steps(h)


def damped_drift(z: np.ndarray, h: int, phi: float = DAMPING) -> np.ndarray:
    """Drift whose step shrinks by ``phi`` a year ahead (Gardner & McKenzie's damping on the drift slope)."""
    slope = (z[:, -1] - z[:, 0]) / (z.shape[1] - 1)
    return z[:, -1:] + slope[:, None] * np.cumsum(phi ** _steps(h), axis=1)


def _ses_levels(x: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SES of every row of ``x`` (n, T) under every weight in ``alphas`` (A,): final levels (n, A) and the
    sum of squared one-step errors (n, A), the first value serving as the initial level."""
    level = np.repeat(x[:, :1], len(alphas), axis=1)
    sse = np.zeros_like(level)
    for t in range(1, x.shape[1]):
        err = x[:, t:t + 1] - level
        sse += err * err
        level += alphas[None, :] * err
    return level, sse


def _pick(values: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """Per row, the entry of ``values`` (n, A) where ``loss`` (n, A) is smallest."""
    return np.take_along_axis(values, np.argmin(loss, axis=1)[:, None], axis=1)[:, 0]


def ses(z: np.ndarray, h: int) -> np.ndarray:
    """Simple exponential smoothing with the weight chosen per series (FPP3 §8.1): a flat forecast."""
    level, sse = _ses_levels(z, ALPHAS)
    return np.repeat(_pick(level, sse)[:, None], h, axis=1)


def _trend_line(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ordinary least-squares intercept and slope of every row against 0, 1, …, T−1."""
    t = np.arange(z.shape[1], dtype=float)
    tc = t - t.mean()
    slope = ((z - z.mean(axis=1, keepdims=True)) * tc).sum(axis=1) / (tc @ tc)  # no BLAS: batch-independent rows
    return z.mean(axis=1) - slope * t.mean(), slope


def theta_fit(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Classic Theta (θ = 2) fitted to every row: the linear trend's intercept and slope, the final SES
    level of the theta line ``2·z − trend`` and its smoothing weight, chosen per series by the in-sample
    one-step error of the combination (trend + SES) / 2."""
    n, T = z.shape
    a, b = _trend_line(z)
    trend = a[:, None] + b[:, None] * np.arange(T, dtype=float)[None, :]
    line = 2 * z - trend
    level = np.repeat(line[:, :1], len(ALPHAS), axis=1)
    sse = np.zeros_like(level)
    for k in range(1, T):
        err = z[:, k:k + 1] - (0.5 * trend[:, k:k + 1] + 0.5 * level)
        sse += err * err
        level += ALPHAS[None, :] * (line[:, k:k + 1] - level)
    i = np.argmin(sse, axis=1)
    return a, b, level[np.arange(n), i], ALPHAS[i]


def theta(z: np.ndarray, h: int) -> np.ndarray:
    """Classic Theta method (θ = 2, Assimakopoulos & Nikolopoulos 2000; Hyndman & Billah 2003): the mean
    of the extended linear trend and the flat SES forecast of the theta line (:func:`theta_fit`)."""
    a, b, level, _ = theta_fit(z)
    future = a[:, None] + b[:, None] * (z.shape[1] - 1 + _steps(h))
    return 0.5 * future + 0.5 * level[:, None]


#: Grids of the damped-trend exponential smoothing weights (level, trend) and damping searched per series.
ETS_ALPHAS = np.array([0.1, 0.3, 0.5, 0.7, 0.9, 1.0])
ETS_BETAS = np.array([0.02, 0.1, 0.3])
ETS_PHIS = np.array([0.8, 0.9, 0.98])


def damped_trend(z: np.ndarray, h: int) -> np.ndarray:
    """Additive damped-trend exponential smoothing, ETS(A,Ad,N) (Gardner & McKenzie 1985; FPP3 §8.2):
    level ``l`` and trend ``b`` updated each year, the forecast ``l + (φ + … + φ^k)·b``. The weights α
    (level), β (trend) and the damping φ are chosen per series from :data:`ETS_ALPHAS`, :data:`ETS_BETAS`
    and :data:`ETS_PHIS` by the in-sample one-step squared error, all series and grid points at once; the
    level starts at the first value and the trend at the first change. Unlike drift and Theta, the level
    adapts to the latest years and the trend to the latest changes."""
    n, T = z.shape
    a, b, p = np.meshgrid(ETS_ALPHAS, ETS_BETAS, ETS_PHIS, indexing="ij")
    a, b, p = a.ravel()[None, :], b.ravel()[None, :], p.ravel()[None, :]
    level = np.repeat(z[:, :1], a.shape[1], axis=1)
    trend = np.repeat(z[:, 1:2] - z[:, :1], a.shape[1], axis=1)
    sse = np.zeros_like(level)
    for t in range(1, T):
        step = level + p * trend
        err = z[:, t:t + 1] - step
        sse += err * err
        new = step + a * err
        trend = b * (new - level) + (1 - b) * p * trend
        level = new
    i = np.argmin(sse, axis=1)
    rows = np.arange(n)
    damp = np.cumsum(p[0, i][:, None] ** _steps(h), axis=1)
    return level[rows, i][:, None] + trend[rows, i][:, None] * damp


#: The kernels by name; the engine combines a subset of them on both scales.
KERNELS = {"naive": naive, "drift": drift, "damped_drift": damped_drift, "ses": ses, "theta": theta,
           "damped_trend": damped_trend}
