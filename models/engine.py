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
where a single series is short. Series with fewer than :attr:`Ensemble.min_obs` points fall back to damped drift
(:func:`.univariate.fallback_row`) and say why.

The estimator follows the panel protocol: ``fit(panel)`` prepares the series (normalised, grouped by
length), ``predict(h, levels)`` validates and combines for that ``h`` (cached per ``h``).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Self

import numpy as np

from talentgap.i18n import note

from . import kernels
from .calibration import Calibration, calibrate
from .panel import Panel, PanelForecast, check_h, check_levels
from .univariate import NotFittedError, fallback_row

#: Smallest per-series spread scale: 1 % a year on the log scale, 1 % of the mean level otherwise.
SPREAD_FLOOR = 0.01
_MAX = np.finfo(float).max
_EXP_CAP = 700.0  # exp(700) is finite; larger exponents are capped


def _combine(weights: np.ndarray, forecasts: np.ndarray) -> np.ndarray:
    """Weighted mean over candidates, (n, M) × (n, M, h) → (n, h). An explicit sum rather than a BLAS
    product, so each row's result is bit-identical whatever the batch it is computed in."""
    return (weights[:, :, None] * forecasts).sum(axis=1)


@dataclass(frozen=True)
class Run:
    """The ensemble's fit for one ``h``: point forecasts ``mean`` (n, h) on the normalised scale,
    candidate ``weights`` (n, M), per-series ``spread`` scales (n,) and the pooled scaled validation
    ``errors`` (one array per horizon)."""

    mean: np.ndarray
    weights: np.ndarray
    spread: np.ndarray
    errors: list[np.ndarray]


class Ensemble:
    """Validation-weighted combination of drift, damped drift and Theta on the log and level scales,
    with empirically calibrated intervals, for a panel of annual series (see the module docstring).

    ``fit(panel)`` prepares the series; ``run(h)`` fits the candidates and weights for ``h`` years
    ahead (``weights`` per series over :attr:`candidates_`, scaled validation ``errors``); ``predict(h,
    levels, calibration=None)`` returns the :class:`~.panel.PanelForecast`, with intervals from
    ``calibration`` (pooled over partitions: one :class:`~.calibration.Calibration` per level) or from
    this panel's own errors.
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
    def fit(self, panel: Panel) -> Self:
        """Prepare every series of ``panel``: normalised by its largest magnitude, gaps interpolated
        (geometrically on the log scale for positive series), grouped by span so each group is one array."""
        self.panel_ = panel
        self.candidates_ = [f"{k}_level" for k in self.kernels] + [f"{k}_log" for k in self.kernels]
        n = len(panel)
        self.norm_ = np.ones(n)
        self.positive_ = np.zeros(n, dtype=bool)
        self.nonnegative_ = np.zeros(n, dtype=bool)
        self.notes_: list[tuple[str, ...]] = [()] * n
        self.short_: list[int] = []
        groups: dict[int, list[int]] = {}
        for i in range(n):
            years, values = panel.series(i)
            self.nonnegative_[i] = bool(np.all(values >= 0))
            if len(years) < self.min_obs:
                self.short_.append(i)
                continue
            span = int(years[-1] - years[0] + 1)
            groups.setdefault(span, []).append(i)
            if len(years) < span:
                missing = sorted(set(range(int(years[0]), int(years[-1]) + 1)) - set(years.tolist()))
                self.notes_[i] = (note("series.interpolated", years=missing),)
        self.groups_: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for T, idx in groups.items():
            lev, lg, pos = np.empty((len(idx), T)), np.zeros((len(idx), T)), np.zeros(len(idx), dtype=bool)
            for r, i in enumerate(idx):
                years, values = panel.series(i)
                m = float(np.max(np.abs(values))) or 1.0
                self.norm_[i] = m
                grid = np.arange(years[0], years[-1] + 1)
                lev[r] = np.interp(grid, years, values / m)
                pos[r] = bool(np.all(values > 0))
                if pos[r]:  # gaps filled geometrically on the log scale
                    lg[r] = np.interp(grid, years, np.log(values / m))
            self.positive_[idx] = pos
            self.groups_.append((np.asarray(idx), lev, lg, pos))
        self._runs: dict[int, Run] = {}
        return self

    def run(self, h: int) -> Run:
        """Candidates, weights and validation errors for ``h`` years ahead (computed once per ``h``)."""
        if not hasattr(self, "groups_"):
            raise NotFittedError(f"{self.name}: call fit() before predict()")
        h = check_h(h)
        if h not in self._runs:
            n, n_c = len(self.panel_), len(self.candidates_)
            mean, weights, spread = np.full((n, h), np.nan), np.full((n, n_c), np.nan), np.full(n, np.nan)
            errors = []
            for idx, lev, lg, pos in self.groups_:
                with np.errstate(all="ignore"):
                    m, w, s, err = self._fit_group(lev, lg, pos, h)
                mean[idx], weights[idx], spread[idx] = m, w, s
                errors.append(err.reshape(-1, h))
            stacked = np.vstack(errors) if errors else np.empty((0, h))
            self._runs[h] = Run(mean=mean, weights=weights, spread=spread,
                                errors=[stacked[:, k][np.isfinite(stacked[:, k])] for k in range(h)])
        return self._runs[h]

    def errors(self, h: int) -> list[np.ndarray]:
        """The scaled validation errors for ``h`` years ahead, one array per horizon (for :func:`calibrate`)."""
        return self.run(h).errors

    def predict(self, h: int, levels: float | tuple[float, ...] = 80, *,
                calibration: dict[float, Calibration] | None = None) -> PanelForecast:
        """Forecasts ``h`` years past each series' last year with ``levels`` % intervals, in panel order;
        ``calibration`` maps each level to its pooled :class:`Calibration` (default: this panel's own)."""
        run, levels = self.run(h), check_levels(levels)
        h = run.mean.shape[1]
        cals = {lv: (calibration or {}).get(lv) or calibrate([run.errors], h, lv) for lv in levels}
        for lv, cal in cals.items():
            if cal.level != lv or len(cal.lower) < h:
                raise ValueError(f"calibration for level {lv:g} is for {cal.level:g}% over {len(cal.lower)} years; "
                                 f"need {h}")
        n = len(self.panel_)
        with np.errstate(all="ignore"):
            cap = _MAX / self.norm_[:, None]
            mean = np.clip(run.mean, -cap, cap)
            s = run.spread[:, None]
            pos, nonneg, m = self.positive_[:, None], self.nonnegative_[:, None], self.norm_[:, None]
            base = np.maximum(mean, 0)
            lower, upper = np.empty((n, len(levels), h)), np.empty((n, len(levels), h))
            sd = np.zeros((n, h))
            for k, lv in enumerate(levels):
                lo_q, hi_q = cals[lv].lower[:h], cals[lv].upper[:h]
                lo = np.where(pos, base * np.exp(np.clip(lo_q * s, -_EXP_CAP, _EXP_CAP)), mean + lo_q * s)
                hi = np.where(pos, base * np.exp(np.clip(hi_q * s, -_EXP_CAP, _EXP_CAP)), mean + hi_q * s)
                lo, hi = (np.where(nonneg, np.maximum(a, 0), a) for a in (lo, hi))
                mm = np.where(nonneg, np.maximum(mean, 0), mean)
                lo, hi = np.clip(np.minimum(lo, mm), -cap, cap), np.clip(np.maximum(hi, mm), -cap, cap)
                lower[:, k], upper[:, k] = lo * m, hi * m
                if k == 0:  # log-scale sd for positive series, else on the value scale
                    z = NormalDist().inv_cdf(0.5 + lv / 200)
                    width = np.minimum((hi_q - lo_q) * s / (2 * z), cap)
                    sd = np.where(pos, width, width * m)
            mean = np.where(nonneg, np.maximum(mean, 0), mean) * m
        out = PanelForecast(ids=self.panel_.ids, first_year=self.panel_.last_years + 1, levels=levels, mean=mean,
                            lower=lower, upper=upper, sd=sd, log_scale=self.positive_.copy(),
                            model=np.full(n, self.name, dtype=object), fallback_reason=np.full(n, "", dtype=object),
                            notes=tuple(self.notes_), members=np.full(n, "", dtype=object))
        notes = list(out.notes)
        for i in self.short_:
            years, values = self.panel_.series(i)
            row = fallback_row(years, values, h, levels, auto=True,
                               reason=note("fallback.too_few", n=len(years), model=self.name, needed=self.min_obs))
            out.mean[i], out.lower[i], out.upper[i], out.sd[i] = row.mean, row.lower, row.upper, row.sd
            out.log_scale[i], out.model[i], out.fallback_reason[i] = row.log_scale, row.model, row.reason
            notes[i] = row.notes
        if self.short_:
            out = PanelForecast(**{**out.__dict__, "notes": tuple(notes)})
        return out
