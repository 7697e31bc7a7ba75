"""The default forecaster: a validation-weighted ensemble fitted to many annual series at once.

:class:`Ensemble` forecasts every series of a long frame (``series_id, year, value``). For each series it
runs three kernels (:mod:`.kernels`: linear drift, damped drift, classic Theta) on the level scale and,
for positive series, on the log scale too, so the scale is chosen per series by validation rather than
always logging. Each of the six candidates is scored by rolling-origin validation on the series'
own history (the last :attr:`Ensemble.origins` origins, each forecasting up to the horizon; Tashman
2000) with errors scaled as in MASE, and the point forecast is the mean of the candidates weighted by the
inverse cube of that error (combinations weighted by validation error: Makridakis et al. 2020, M4
findings; Petropoulos & Svetunkov 2020). Series are grouped by length so every kernel is one numpy pass
over a 2-D array.

Intervals are empirical (conformal-style; Vovk et al. 2005, Stankevičiūtė et al. 2021): the ensemble's own
rolling-origin errors at each horizon, computed with weights that leave the origin out, are scaled per
series (on the log scale for positive series, by the mean absolute yearly log change; else by the mean
absolute yearly change) and pooled over the series of the batch. Their quantiles, blended with a
random-walk prior worth :data:`PRIOR_WEIGHT` errors, give each horizon's interval, so coverage holds
where a single series is short. Series with fewer than :attr:`Ensemble.min_obs` points fall back to the
per-series models of :mod:`.timeseries` and say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from talentgap.i18n import note

from . import kernels
from .univariate import NotFittedError

#: Weight, in pseudo-errors per horizon, of the random-walk prior on the calibration quantiles.
PRIOR_WEIGHT = 20
#: Smallest per-series spread scale: 1 % a year on the log scale, 1 % of the mean level otherwise.
SPREAD_FLOOR = 0.01
_MAX = np.finfo(float).max
_EXP_CAP = 700.0  # exp(700) is finite; larger exponents are capped
OUTPUT_COLUMNS = ["series_id", "year", "forecast", "lower", "upper", "model", "fallback_reason"]


@dataclass(frozen=True)
class Calibration:
    """Interval quantiles per horizon in scaled units: ``lower[k]``/``upper[k]`` for ``k + 1`` years ahead,
    at ``level`` percent, from ``counts[k]`` pooled validation errors."""

    lower: np.ndarray
    upper: np.ndarray
    level: float
    counts: np.ndarray


def calibrate(errors: list[list[np.ndarray]], horizon: int, level: float = 80) -> Calibration:
    """Pool scaled validation errors (one list per batch or partition, one array per horizon) into
    interval quantiles. The empirical quantile at each horizon is blended with the random-walk prior
    ``±z·√(π/2)·√k`` (the scaled ``k``-year error of a random walk) weighted :data:`PRIOR_WEIGHT`, and the
    interval is made to widen with the horizon."""
    if not 0 < level < 100:
        raise ValueError(f"level must be between 0 and 100; got {level}")
    tail = (1 - level / 100) / 2
    prior = NormalDist().inv_cdf(1 - tail) * np.sqrt(np.pi / 2) * np.sqrt(np.arange(1, horizon + 1))
    lo, hi, counts = -prior.copy(), prior.copy(), np.zeros(horizon, dtype=int)
    for k in range(horizon):
        parts = [e[k] for e in errors if k < len(e) and len(e[k])]
        vals = np.concatenate(parts) if parts else np.empty(0)
        counts[k] = len(vals)
        if len(vals):
            q_lo, q_hi = np.quantile(vals, [tail, 1 - tail])
            w = len(vals) / (len(vals) + PRIOR_WEIGHT)
            lo[k], hi[k] = w * q_lo + (1 - w) * lo[k], w * q_hi + (1 - w) * hi[k]
    return Calibration(lower=np.minimum.accumulate(np.minimum(lo, 0)), upper=np.maximum.accumulate(np.maximum(hi, 0)),
                       level=level, counts=counts)


def _combine(weights: np.ndarray, forecasts: np.ndarray) -> np.ndarray:
    """Weighted mean over candidates, (n, M) × (n, M, h) → (n, h). An explicit sum rather than a BLAS
    product, so each row's result is bit-identical whatever the batch it is computed in."""
    return (weights[:, :, None] * forecasts).sum(axis=1)


def _prepare(frame: pd.DataFrame) -> list[tuple[object, np.ndarray, np.ndarray]]:
    """Sorted ``(series_id, years, values)`` per series, in first-seen order; NaN values are dropped as missing."""
    missing = {"series_id", "year", "value"} - set(frame.columns)
    if missing:
        raise ValueError(f"frame must have columns series_id, year, value; missing {sorted(missing)}")
    f = frame[["series_id", "year", "value"]].copy()
    f["value"] = pd.to_numeric(f["value"], errors="coerce").astype(float)
    f = f[np.isfinite(f["value"].to_numpy())]
    f["year"] = f["year"].astype(int)
    order = pd.unique(frame["series_id"])
    f["_pos"] = f["series_id"].map({s: i for i, s in enumerate(order)})
    f = f.sort_values(["_pos", "year"], kind="stable")
    dup = f.duplicated(["series_id", "year"])
    if dup.any():
        first = f[dup].iloc[0]
        raise ValueError(f"years must be distinct within a series; series {first.series_id!r} repeats {first.year}")
    if f.empty:
        raise ValueError("frame has no finite values to forecast; supply rows with numeric values")
    ids, years, values = f["series_id"].to_numpy(), f["year"].to_numpy(), f["value"].to_numpy()
    cuts = np.flatnonzero(np.diff(f["_pos"].to_numpy())) + 1
    starts = np.r_[0, cuts]
    ends = np.r_[cuts, len(f)]
    series = [(ids[a], years[a:b], values[a:b]) for a, b in zip(starts, ends)]
    present = set(ids[starts])
    empty = [s for s in order if s not in present] if len(series) < len(order) else []
    if empty:
        raise ValueError(f"series {empty[0]!r} has no finite values; drop it or supply values")
    return series


class Ensemble:
    """Validation-weighted combination of drift, damped drift and Theta on the log and level scales,
    with empirically calibrated intervals, for a batch of annual series (see the module docstring).

    ``fit(frame, horizon)`` learns, per series, ``weights_`` (series × candidates, named in
    ``candidates_``) and the point forecasts, and keeps the scaled validation errors ``errors_`` (one
    array per horizon); ``predict(level, calibration=None)`` returns the long forecast frame, with
    intervals from ``calibration`` (pooled over partitions) or from this batch's own errors.
    """

    name = "ensemble"
    min_obs = 4  # three points to fit plus one to validate

    def __init__(self, *, kernels: tuple[str, ...] = ("drift", "damped_drift", "theta"), origins: int = 8,
                 power: float = 3.0):
        self.kernels = kernels
        self.origins = origins
        self.power = power

    # -- candidates ---------------------------------------------------------------------------------------
    def _candidates(self, level: np.ndarray, log: np.ndarray, positive: np.ndarray, h: int) -> np.ndarray:
        """Value-scale forecasts (n, candidates, h): every kernel on the level scale, then on the log scale
        (rows that are not positive repeat the level-scale forecast and are never weighted)."""
        out = [kernels.KERNELS[k](level, h) for k in self.kernels]
        for k in self.kernels:
            out.append(np.exp(np.minimum(kernels.KERNELS[k](log, h), _EXP_CAP)))
        c = np.stack(out, axis=1)
        n_k = len(self.kernels)
        c[~positive, n_k:, :] = c[~positive, :n_k, :]
        return c

    def _fit_group(self, level: np.ndarray, log: np.ndarray, positive: np.ndarray, h: int):
        """Fit equally long series (n, T) on the normalised scale; returns the forecasts (n, h), weights
        (n, M), spread scales (n,) and scaled validation errors (n, origins, h)."""
        n, T = level.shape
        n_k = len(self.kernels)
        scale = np.mean(np.abs(np.diff(level, axis=1)), axis=1)
        scale = np.where(scale > 0, scale, 1.0)
        lscale = np.mean(np.abs(np.diff(log, axis=1)), axis=1)
        runs = []
        for c in range(1, self.origins + 1):
            if T - c < 3:
                break
            k = min(h, c)
            f = self._candidates(level[:, :T - c], log[:, :T - c], positive, k)
            actual = level[:, T - c:T - c + k]
            runs.append((f, actual, np.abs(f - actual[:, None, :]).mean(axis=2) / scale[:, None]))
        total = sum(r[2] for r in runs)
        total[~positive, n_k:] = np.inf
        weights = self._weights(total / len(runs))
        errors = np.full((n, self.origins, h), np.nan)
        floor = np.min(level, axis=1, keepdims=True) * 1e-3
        spread = np.where(positive, np.maximum(lscale, SPREAD_FLOOR),
                          np.maximum(scale, SPREAD_FLOOR * np.mean(np.abs(level), axis=1)))
        for j, (f, actual, err) in enumerate(runs):
            w = self._weights((total - err) / (len(runs) - 1)) if len(runs) > 1 else weights
            fc = _combine(w, f)
            k = fc.shape[1]
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = (np.log(actual) - np.log(np.maximum(fc, floor))) / spread[:, None]
            errors[:, j, :k] = np.where(positive[:, None], rel, (actual - fc) / spread[:, None])
        final = _combine(weights, self._candidates(level, log, positive, h))
        return final, weights, spread, errors

    def _weights(self, err: np.ndarray) -> np.ndarray:
        w = 1.0 / np.maximum(err, 1e-12) ** self.power
        w[~np.isfinite(err)] = 0.0
        return w / w.sum(axis=1, keepdims=True)

    # -- estimator ----------------------------------------------------------------------------------------
    def fit(self, frame: pd.DataFrame, horizon: int) -> Ensemble:
        """Fit every series of the long frame ``series_id, year, value`` for ``horizon`` years ahead."""
        if int(horizon) < 1:
            raise ValueError(f"horizon must be at least 1 year; got {horizon}")
        h = int(horizon)
        series = _prepare(frame)
        self.horizon_ = h
        self.series_ids_ = np.array([s[0] for s in series], dtype=object)
        self.last_year_ = np.array([int(s[1][-1]) for s in series])
        n = len(series)
        n_c = 2 * len(self.kernels)
        self.candidates_ = [f"{k}_level" for k in self.kernels] + [f"{k}_log" for k in self.kernels]
        self.mean_ = np.full((n, h), np.nan)
        self.weights_ = np.full((n, n_c), np.nan)
        self.spread_ = np.full(n, np.nan)
        self.positive_ = np.zeros(n, dtype=bool)
        self.nonnegative_ = np.zeros(n, dtype=bool)
        self.notes_ = [""] * n
        self.short_ = {}
        errors = []
        groups: dict[int, list[int]] = {}
        for i, (_, years, values) in enumerate(series):
            if len(years) < self.min_obs:
                self.short_[i] = (years, values)
                continue
            groups.setdefault(int(years[-1] - years[0] + 1), []).append(i)
            if len(years) < years[-1] - years[0] + 1:
                missing = sorted(set(range(int(years[0]), int(years[-1]) + 1)) - set(years.tolist()))
                self.notes_[i] = note("series.interpolated", years=missing)
        self.norm_ = np.ones(n)
        for T, idx in groups.items():
            lev, lg, pos = np.empty((len(idx), T)), np.zeros((len(idx), T)), np.zeros(len(idx), dtype=bool)
            for r, i in enumerate(idx):
                _, years, values = series[i]
                m = float(np.max(np.abs(values))) or 1.0
                self.norm_[i] = m
                grid = np.arange(years[0], years[-1] + 1)
                lev[r] = np.interp(grid, years, values / m)
                pos[r] = bool(np.all(values > 0))
                self.nonnegative_[i] = bool(np.all(values >= 0))
                if pos[r]:  # gaps filled geometrically on the log scale
                    lg[r] = np.interp(grid, years, np.log(values / m))
            with np.errstate(all="ignore"):
                mean, weights, spread, err = self._fit_group(lev, lg, pos, h)
            self.mean_[idx], self.weights_[idx], self.spread_[idx], self.positive_[idx] = mean, weights, spread, pos
            errors.append(err.reshape(-1, h))
        stacked = np.vstack(errors) if errors else np.empty((0, h))
        self.errors_ = [stacked[:, k][np.isfinite(stacked[:, k])] for k in range(h)]
        return self

    def predict(self, level: float = 80, calibration: Calibration | None = None) -> pd.DataFrame:
        """The long forecast frame (``series_id, year, forecast, lower, upper, model, fallback_reason`` plus
        ``sd`` and ``log_scale`` for sampling), in the input's series order."""
        if not hasattr(self, "mean_"):
            raise NotFittedError(f"{self.name}: call fit() before predict()")
        h = self.horizon_
        if calibration is not None and calibration.level != level:
            raise ValueError(f"calibration is for a {calibration.level}% interval; got level={level}")
        cal = calibration or calibrate([self.errors_], h, level)
        if len(cal.lower) < h:
            raise ValueError(f"calibration covers {len(cal.lower)} years; the fit's horizon is {h}")
        lo_q, hi_q = cal.lower[:h], cal.upper[:h]
        z = NormalDist().inv_cdf(0.5 + cal.level / 200)
        with np.errstate(all="ignore"):
            cap = _MAX / self.norm_[:, None]
            mean = np.clip(self.mean_, -cap, cap)
            s = self.spread_[:, None]
            pos = self.positive_[:, None]
            base = np.maximum(mean, 0)
            lower = np.where(pos, base * np.exp(np.clip(lo_q * s, -_EXP_CAP, _EXP_CAP)), mean + lo_q * s)
            upper = np.where(pos, base * np.exp(np.clip(hi_q * s, -_EXP_CAP, _EXP_CAP)), mean + hi_q * s)
            nonneg = self.nonnegative_[:, None]
            mean, lower, upper = (np.where(nonneg, np.maximum(a, 0), a) for a in (mean, lower, upper))
            lower, upper = np.minimum(lower, mean), np.maximum(upper, mean)
            lower, upper = np.clip(lower, -cap, cap), np.clip(upper, -cap, cap)
            m = self.norm_[:, None]
            width = np.minimum((hi_q - lo_q) * s / (2 * z), cap)
            sd = np.where(pos, width, width * m)  # log-scale sd for positive series, else on the value scale
            mean, lower, upper = mean * m, lower * m, upper * m
        cols = {"forecast": mean, "lower": lower, "upper": upper, "sd": sd,
                "model": np.full((len(mean), h), self.name, dtype=object),
                "fallback_reason": np.full((len(mean), h), "", dtype=object),
                "log_scale": np.repeat(self.positive_[:, None], h, axis=1)}
        if self.short_:
            self._fill_fallbacks(cols, cal.level)
        return pd.DataFrame({
            "series_id": np.repeat(self.series_ids_, h),
            "year": (self.last_year_[:, None] + np.arange(1, h + 1)[None, :]).ravel(),
            **{k: v.ravel() for k, v in cols.items() if k not in ("sd", "log_scale")},
            "sd": cols["sd"].ravel(), "log_scale": cols["log_scale"].ravel(),
        })

    def _fill_fallbacks(self, cols: dict[str, np.ndarray], level: float) -> None:
        """Fill the rows of series too short for the ensemble with the per-series fallback."""
        from .timeseries import forecast_series

        for i, (years, values) in self.short_.items():
            fc = forecast_series(years, values, self.horizon_, level=level, model="auto")
            for key, val in (("forecast", fc.mean), ("lower", fc.lower), ("upper", fc.upper), ("sd", fc.sd),
                             ("model", fc.model), ("fallback_reason", fc.fallback_reason or ""),
                             ("log_scale", fc.log_scale)):
                cols[key][i] = val
