"""The global member: gradient-boosted trees fitted across every series of a panel, on scaled windows.

A yearly series has 5–20 points, too few to learn how growth persists or fades; a panel of them has
thousands of windows. For every positive series (on the log scale, so changes are growth rates, free of
the series' level) and every origin ``t`` with at least three points up to it, the features are the last
three yearly changes, the mean change since the start and over the last three years, the distance below
the highest level reached so far (each in units of the series' mean absolute yearly change up to ``t``),
that scale itself, the log of the number of points, and the step ``k``; the target is the change from
``t`` to ``t + k`` in the same units, ``k = 1 … h`` (direct multi-step forecasting, the step a feature).
scikit-learn's histogram gradient boosting with the absolute-error loss (a median forecast, robust to the
wild years that competition series have) is fitted on the windows of all series together: a global model
in the sense of Montero-Manso & Hyndman (2021), the kind of pooled model that led M4 and M5 (Makridakis
et al. 2022).

Validation is out of sample: besides the model on every window (for the forecast), models are fitted on
the windows whose targets end at least :data:`VALIDATION_CUTS` points before each series' end, and the
ensemble's rolling-origin validation at cut ``c`` uses the model fitted without the last ``c'`` ≥ ``c``
points. At most :data:`MAX_ROWS` windows are used: a panel with more keeps each window with the same
probability, decided by a hash of the series id, origin and step, so the windows, their order (panel
order, origin, step) and the fitted models are the same whether the panel is fitted in one process or in
partitions on a cluster. Fitting is single-threaded and seeded: the same panel gives the same forecasts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Protocol

import numpy as np

#: Fewest points up to an origin for a window (two changes give a scale and a mean).
MIN_POINTS = 3
#: Smallest scale, in log units a year, so a flat stretch gives finite features.
SCALE_FLOOR = 1e-3
#: Lags of the yearly change used as features.
LAGS = 3
#: Models for validation: fitted without the last 2 and the last 8 points of every series.
VALIDATION_CUTS = (2, 8)
#: Most windows a model is fitted on, and fewest for a model at all (below: no global member).
MAX_ROWS = 30_000
MIN_ROWS = 500
#: Boosting settings (chosen on the accuracy benchmark's development holdout; benchmarks/accuracy).
BOOSTING = {"loss": "absolute_error", "max_iter": 50, "learning_rate": 0.1, "max_leaf_nodes": 15,
            "min_samples_leaf": 40, "early_stopping": False, "random_state": 0}


def features(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Features (n, T, p) of an origin at every index of the log-scale series ``z`` (n, T), and the scale
    (n, T); NaN before :data:`MIN_POINTS` points."""
    n, T = z.shape
    d = np.diff(z, axis=1)  # d[:, j] is the change into index j + 1
    count = np.arange(1, T)[None, :]
    mean = np.cumsum(d, axis=1) / np.maximum(count, 1)
    scale = np.maximum(np.cumsum(np.abs(d), axis=1) / np.maximum(count, 1), SCALE_FLOOR)
    top = np.maximum.accumulate(z, axis=1)
    feats = np.full((n, T, LAGS + 5), np.nan)
    out_scale = np.full((n, T), np.nan)
    for t in range(MIN_POINTS - 1, T):
        s, m = scale[:, t - 1], mean[:, t - 1]
        for j in range(LAGS):
            feats[:, t, j] = (d[:, t - 1 - j] if t - 1 - j >= 0 else m) / s
        feats[:, t, LAGS] = m / s
        feats[:, t, LAGS + 1] = d[:, max(t - 3, 0):t].mean(axis=1) / s
        feats[:, t, LAGS + 2] = (z[:, t] - top[:, t]) / s
        feats[:, t, LAGS + 3] = np.log(t + 1)
        feats[:, t, LAGS + 4] = s
        out_scale[:, t] = s
    return feats, out_scale


def window_count(lengths: np.ndarray, h: int) -> int:
    """Windows of series spanning ``lengths`` years for steps up to ``h`` (before any sampling)."""
    total = 0
    for T in np.unique(lengths):
        origins = np.arange(MIN_POINTS - 1, T - 1)
        total += int(np.minimum(h, T - 1 - origins).sum()) * int((lengths == T).sum())
    return total


def _crc(ids: np.ndarray) -> np.ndarray:
    """A stable 32-bit hash of each series id (the same in every process and on every machine)."""
    return np.array([zlib.crc32(str(s).encode("utf-8")) for s in ids], dtype=np.uint64)


def _keep(crc: np.ndarray, t: np.ndarray, k: np.ndarray, rate: float) -> np.ndarray:
    """Whether each window (series hash, origin, step; broadcast together) is kept at ``rate``: a
    splitmix64 hash of the three, the same in any process."""
    if rate >= 1:
        return np.ones(np.broadcast(crc, t, k).shape, dtype=bool)
    x = (crc << np.uint64(32)) + (t.astype(np.uint64) << np.uint64(8)) + k.astype(np.uint64)
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x < np.uint64(int(rate * 2**64 - 1))


@dataclass(frozen=True)
class Windows:
    """Training windows of (part of) a panel in canonical order: ``position`` in the panel, origin
    ``t``, ``room`` (points after the origin), step ``k``, features ``x`` and target ``y``."""

    position: np.ndarray
    t: np.ndarray
    room: np.ndarray
    k: np.ndarray
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def concat(cls, parts: list[Windows]) -> Windows:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.__dataclass_fields__))


def windows(blocks: list[tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray], np.ndarray]], h: int,
            rate: float) -> Windows:
    """The windows of ``blocks`` — (panel positions, series ids, (features, scale), log values) per group of
    equally long series — kept at ``rate``, sorted by position, origin and step."""
    parts: dict[str, list[np.ndarray]] = {f: [] for f in Windows.__dataclass_fields__}
    for pos, ids, (feats, scale), z in blocks:
        n, T = z.shape
        pairs = [(t, k) for t in range(MIN_POINTS - 1, T - 1) for k in range(1, min(h, T - 1 - t) + 1)]
        if not pairs or n == 0:
            continue
        t, k = (np.array(v) for v in zip(*pairs))
        keep = _keep(_crc(ids)[:, None], t[None, :], k[None, :], rate)  # (n, pairs)
        rows, cols = np.nonzero(keep)  # row-major: by series, then origin and step
        x = feats[rows, t[cols], :]
        y = (z[rows, t[cols] + k[cols]] - z[rows, t[cols]]) / scale[rows, t[cols]]
        ok = np.isfinite(y) & np.isfinite(x).all(axis=1)
        rows, cols = rows[ok], cols[ok]
        for f, v in (("position", pos[rows]), ("t", t[cols]), ("room", T - 1 - t[cols]), ("k", k[cols]),
                     ("x", x[ok]), ("y", y[ok])):
            parts[f].append(v)
    if not parts["y"]:
        return Windows(np.empty(0, int), np.empty(0, int), np.empty(0, int), np.empty(0, int),
                       np.empty((0, LAGS + 5)), np.empty(0))
    w = {f: np.concatenate(v) for f, v in parts.items()}
    order = np.lexsort((w["k"], w["t"], w["position"]))
    return Windows(**{f: v[order] for f, v in w.items()})


class Regressor(Protocol):
    """A fitted regressor (one boosted-tree model of :class:`GlobalModel`)."""

    def predict(self, x: np.ndarray) -> np.ndarray: ...


class GlobalModel:
    """The fitted global member: boosted-tree models by cut (``0`` for the forecast and each of
    :data:`VALIDATION_CUTS`), ``None`` where too few windows."""

    def __init__(self, models: dict[int, Regressor | None]):
        self.models = models

    @classmethod
    def fit(cls, w: Windows) -> GlobalModel:
        """Fit on the windows of a whole panel (one model per cut, on the windows ending before it)."""
        from sklearn.ensemble import HistGradientBoostingRegressor
        from threadpoolctl import threadpool_limits

        models: dict[int, Regressor | None] = {}
        for cut in (0, *VALIDATION_CUTS):
            use = w.room - w.k >= cut
            if use.sum() < MIN_ROWS:
                models[cut] = None
                continue
            x = np.column_stack([w.x[use], w.k[use]])
            with threadpool_limits(1):  # single-threaded: the same trees whatever the machine
                models[cut] = HistGradientBoostingRegressor(**BOOSTING).fit(x, w.y[use])
        return cls(models)

    @property
    def available(self) -> bool:
        return self.models.get(0) is not None

    def predict(self, requests: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, int]]) -> list[np.ndarray]:
        """Log-scale forecasts, one (n, k) array per request ``(features, scale, z, cut, k)`` of series ``z``
        (n, T) from ``cut`` points before their end, ``k`` steps; NaN where no model serves the cut or the
        origin has too few points. All requests a model serves are predicted in one call."""
        from threadpoolctl import threadpool_limits

        fitted = {c: m for c, m in self.models.items() if m is not None}
        outs: list[np.ndarray] = []
        batches: dict[int, list[tuple[int, np.ndarray, int, np.ndarray]]] = {}
        for r, (feats, _, z, cut, k) in enumerate(requests):
            n, T = z.shape
            t = T - 1 - cut
            outs.append(np.full((n, k), np.nan))
            usable = [c for c in fitted if c >= cut]
            if not usable or t < MIN_POINTS - 1 or n == 0:
                continue
            x = feats[:, t, :]
            ok = np.isfinite(x).all(axis=1)
            rows = np.vstack([np.column_stack([x[ok], np.full(ok.sum(), j)]) for j in range(1, k + 1)])
            batches.setdefault(min(usable), []).append((r, ok, t, rows))
        with threadpool_limits(1):  # single-threaded: the same numbers whatever the machine
            for cut, items in batches.items():
                pred = fitted[cut].predict(np.vstack([rows for *_, rows in items]))
                start = 0
                for r, ok, t, rows in items:
                    _, scale, z, _, k = requests[r]
                    steps = pred[start:start + len(rows)].reshape(k, ok.sum()).T
                    start += len(rows)
                    outs[r][ok] = z[ok, t:t + 1] + steps * scale[ok, t:t + 1]
        return outs
