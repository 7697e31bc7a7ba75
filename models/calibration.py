"""Empirical interval calibration shared by the ensemble and the short-series fallbacks.

Scaled validation errors (rolling-origin errors of a forecaster divided by each series' spread scale)
are pooled per step ahead; their quantiles, blended with a random-walk prior, give the interval at each
step ahead (conformal-style: Vovk et al. 2005, Stankevičiūtė et al. 2021).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

#: Weight, in pseudo-errors per step ahead, of the random-walk prior on the calibration quantiles.
PRIOR_WEIGHT = 20


@dataclass(frozen=True)
class Calibration:
    """Interval quantiles per step ahead in scaled units: ``lower[k]``/``upper[k]`` for ``k + 1`` years ahead,
    at ``level`` percent, from ``counts[k]`` pooled validation errors."""

    lower: np.ndarray
    upper: np.ndarray
    level: float
    counts: np.ndarray


def prior(h: int, level: float) -> np.ndarray:
    """The random walk's scaled ``k``-year error quantile ``z·√(π/2)·√k``, k = 1…h (in units of the
    mean absolute yearly change)."""
    tail = (1 - level / 100) / 2
    return NormalDist().inv_cdf(1 - tail) * np.sqrt(np.pi / 2) * np.sqrt(np.arange(1, h + 1))


def calibrate(errors: list[list[np.ndarray]], h: int, level: float = 80) -> Calibration:
    """Pool scaled validation errors (one list per batch or partition, one array per step ahead) into
    interval quantiles. The empirical quantile at each step is blended with the random-walk
    :func:`prior` weighted :data:`PRIOR_WEIGHT`, and the interval is made to widen with the steps ahead."""
    tail = (1 - level / 100) / 2
    rw = prior(h, level)
    lo, hi, counts = -rw.copy(), rw.copy(), np.zeros(h, dtype=int)
    for k in range(h):
        parts = [e[k] for e in errors if k < len(e) and len(e[k])]
        vals = np.concatenate(parts) if parts else np.empty(0)
        counts[k] = len(vals)
        if len(vals):
            q_lo, q_hi = np.quantile(vals, [tail, 1 - tail])
            w = len(vals) / (len(vals) + PRIOR_WEIGHT)
            lo[k], hi[k] = w * q_lo + (1 - w) * lo[k], w * q_hi + (1 - w) * hi[k]
    return Calibration(lower=np.minimum.accumulate(np.minimum(lo, 0)), upper=np.maximum.accumulate(np.maximum(hi, 0)),
                       level=level, counts=counts)
