"""The default forecaster: local members weighted per series, blended with a global member learnt across the
panel, with empirically calibrated intervals.

:class:`Ensemble` forecasts every series of a :class:`~.panel.Panel`:

- **Local members** (:mod:`.members`): linear drift, damped drift and classic Theta on the level scale
  and, for positive series, on the log scale, so the scale is chosen per series by validation. Each is
  scored by rolling-origin validation on the series' own history (the last :attr:`Ensemble.origins`
  origins, each forecasting up to ``h`` years ahead; Tashman 2000), errors scaled as in MASE, and weighted by
  the inverse cube of that error (Makridakis et al. 2020; Petropoulos & Svetunkov 2020). A member whose
  extrapolation leaves the growth the series' history supports is replaced by damped drift (the guard).
- **The global member** (:mod:`.global_member`): boosted trees fitted on scaled windows of every positive
  series of the panel. Its share is chosen per length class (:data:`CLASSES`) on the panel's own pooled
  rolling-origin validation (out of sample: the global models used there never saw the validated years),
  the local combination and the global forecast mixed geometrically. A panel too small to train it gets
  none, and every forecast names the members that carried it (``members``).
- **Intervals** are empirical (conformal-style; Vovk et al. 2005, Stankevičiūtė et al. 2021): the
  ensemble's own rolling-origin errors at each step ahead, scaled per series and pooled over the panel
  (:mod:`.calibration`). A positive series' scale is its mean absolute yearly log change over the last
  :data:`RECENT` years, shrunk towards the panel's median with :data:`SHRINK` pseudo-changes and capped at
  the panel's :data:`SCALE_CAP` quantile, so a short or erratic history does not blow the interval up;
  other series use their mean absolute yearly change.

Series with fewer than :attr:`Ensemble.min_obs` points fall back to damped drift, its range widened for a growth
rate read from few changes (mixed with the global member where it can forecast them; :func:`.univariate.fallback_row`)
and say why. The estimator implements the panel protocol (:class:`~.panel.Forecaster`): ``fit(panel)`` prepares
the series, ``predict(h, levels)`` fits and combines for ``h``.
The steps that pool over the panel (:meth:`Ensemble.windows`, :meth:`Ensemble.scales`,
:meth:`Ensemble.blend_errors`, :meth:`Ensemble.errors`) are separate so a cluster can pool them exactly
(:mod:`.distributed`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import Self

import numpy as np

from talentgap.i18n import note

from . import global_member as gm
from . import members as mb
from .calibration import Calibration, calibrate
from .panel import Panel, PanelForecast, check_h, check_levels
from .univariate import THIN_SERIES_SIGMA, NotFittedError, fallback_row

#: Smallest per-series spread scale: 1 % a year on the log scale, 1 % of the mean level otherwise.
SPREAD_FLOOR = 0.01
#: Years of changes a positive series' spread scale is taken over, and the pseudo-changes at the panel's
#: median that it is shrunk with (both chosen on the development holdout: benchmarks/accuracy).
RECENT = 10
SHRINK = 2
THIN_STEP = THIN_SERIES_SIGMA * float(np.sqrt(2 / np.pi))  #: the thin-series sd as a mean absolute yearly change
#: Quantile of the panel's spread scales that caps a positive series' scale, so one erratic history does not
#: give a 20-fold interval (chosen on the development holdout).
SCALE_CAP = 0.95
#: Length classes (years spanned, inclusive) that each get their own share of the global member.
CLASSES = ((0, 8), (9, 16), (17, 10**9))
#: Shares of the global member searched, and the fewest validated series a class needs for its own share.
GRID = np.round(np.linspace(0, 1, 21), 2)
MIN_CLASS = 20
_MAX = np.finfo(float).max
_EXP_CAP = 700.0
#: One group's stage for an ``h`` (:meth:`Ensemble._stage`): local weights, local forecast, global forecast,
#: validation runs (local, global, actual) and the validation scale; a group of short series has only the global.
Stage = tuple[np.ndarray | None, np.ndarray | None, np.ndarray, list[tuple[np.ndarray, np.ndarray, np.ndarray]],
              np.ndarray | None]


@dataclass(frozen=True)
class Context:
    """What the ensemble learns from the whole panel: the global member, the median and the
    :data:`SCALE_CAP` quantile of the spread scales, and (once chosen) the global share per length class."""

    model: gm.GlobalModel | None
    median_scale: float
    scale_cap: float
    shares: tuple[float, ...] | None = None

    @classmethod
    def of(cls, model: gm.GlobalModel | None, scales: np.ndarray) -> Context:
        """The context from a fitted global member and the per-series spread scales of the whole panel."""
        ok = scales[np.isfinite(scales)]
        return cls(model=model if model is not None and model.available else None,
                   median_scale=float(np.median(ok)) if len(ok) else 0.0,
                   scale_cap=float(np.quantile(ok, SCALE_CAP)) if len(ok) else np.inf)


@dataclass(frozen=True)
class Run:
    """The ensemble's fit for one ``h``: point forecasts ``mean`` (n, h) on the normalised scale, local
    ``weights`` (n, M), global ``share`` (n,), ``spread`` scales (n,) and the pooled scaled validation
    ``errors`` (one array per step ahead)."""

    mean: np.ndarray
    weights: np.ndarray
    share: np.ndarray
    spread: np.ndarray
    errors: list[np.ndarray]


def pooled_context(windows: list[gm.Windows], scales: list[np.ndarray], use_global: bool = True) -> Context:
    """The :class:`Context` (without shares) of a panel fitted in consecutive partitions, from each
    partition's :meth:`Ensemble.windows` and :meth:`Ensemble.scales` in order: the same as one process."""
    model = gm.GlobalModel.fit(gm.Windows.concat(windows)) if use_global and windows else None
    return Context.of(model, np.concatenate(scales) if scales else np.empty(0))


def choose_shares(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, ...]:
    """The global share per length class minimising the pooled validation error. ``parts`` are
    ``(class index per series, error per series and share on :data:`GRID`)`` in panel order; a class with
    fewer than :data:`MIN_CLASS` validated series takes the share chosen on all of them."""
    cls = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, int)
    err = np.concatenate([p[1] for p in parts]) if parts else np.empty((0, len(GRID)))
    ok = np.isfinite(err).all(axis=1)
    overall = float(GRID[np.argmin(err[ok].sum(axis=0))]) if ok.any() else 0.0
    shares = []
    for c in range(len(CLASSES)):
        mine = ok & (cls == c)
        shares.append(float(GRID[np.argmin(err[mine].sum(axis=0))]) if mine.sum() >= MIN_CLASS else overall)
    return tuple(shares)


class Ensemble:
    """Local members weighted per series, blended with the global member, with calibrated intervals (see
    the module docstring). ``fit(panel)`` prepares; ``predict(h, levels, calibration=None, context=None)``
    returns the :class:`~.panel.PanelForecast` (``calibration``: one pooled :class:`Calibration` per
    level; ``context``: the :class:`Context` pooled over a partitioned panel)."""

    name = "ensemble"
    min_obs = 4  # three points to fit plus one to validate

    def __init__(self, *, kernels: tuple[str, ...] = mb.LOCAL_KERNELS, origins: int = 8, power: float = 3.0,
                 use_global: bool = True):
        self.kernels = kernels
        self.origins = origins
        self.power = power
        self.use_global = use_global

    # -- preparation --------------------------------------------------------------------------------------
    def fit(self, panel: Panel) -> Self:
        """Prepare every series of ``panel``: normalised by its largest magnitude, gaps interpolated
        (geometrically on the log scale for positive series), grouped by span so each group is one array."""
        self.panel_ = panel
        self.candidates_ = mb.names(self.kernels)
        n = len(panel)
        self.norm_, self.span_ = np.ones(n), np.zeros(n, dtype=int)
        self.positive_, self.nonnegative_ = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        self.notes_: list[tuple[str, ...]] = [()] * n
        self.short_: list[int] = []
        groups: dict[tuple[int, bool], list[int]] = {}
        for i in range(n):
            years, values = panel.series(i)
            self.nonnegative_[i], self.positive_[i] = bool(np.all(values >= 0)), bool(np.all(values > 0))
            self.span_[i] = int(years[-1] - years[0] + 1)
            self.norm_[i] = float(np.max(np.abs(values))) or 1.0
            if len(years) < self.min_obs:
                self.short_.append(i)
            elif len(years) < self.span_[i]:
                missing = sorted(set(range(int(years[0]), int(years[-1]) + 1)) - set(years.tolist()))
                self.notes_[i] = (note("series.interpolated", years=missing),)
            groups.setdefault((self.span_[i], len(years) < self.min_obs), []).append(i)
        # (positions, level, log, positive, short) per span
        self.groups_: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]] = []
        for (T, short), idx in groups.items():
            lev, lg = np.empty((len(idx), T)), np.zeros((len(idx), T))
            for r, i in enumerate(idx):
                years, values = panel.series(i)
                grid = np.arange(years[0], years[-1] + 1)
                lev[r] = np.interp(grid, years, values / self.norm_[i])
                if self.positive_[i]:  # gaps filled geometrically on the log scale
                    lg[r] = np.interp(grid, years, np.log(values / self.norm_[i]))
            positions = np.asarray(idx)
            self.groups_.append((positions, lev, lg, self.positive_[positions], short))
        self._feats = [gm.features(lg) for _, _, lg, _, _ in self.groups_]
        self._stages: dict[int, list[Stage]] = {}
        self._runs: dict[tuple, Run] = {}
        return self

    def _check(self) -> None:
        if not hasattr(self, "groups_"):
            raise NotFittedError(f"{self.name}: call fit() before predict()")

    # -- what is pooled over the panel ----------------------------------------------------------------------
    def windows(self, h: int, rate: float) -> gm.Windows:
        """The global member's training windows of this panel's positive series with enough points, kept
        at ``rate`` (:func:`.global_member.window_count`), in panel order."""
        self._check()
        blocks = [(idx[pos], self.panel_.ids[idx[pos]], (f[pos], s[pos]), lg[pos])
                  for (idx, _, lg, pos, short), (f, s) in zip(self.groups_, self._feats) if not short and pos.any()]
        return gm.windows(blocks, h, rate)

    def scales(self) -> np.ndarray:
        """Each positive series' mean absolute yearly log change over the last :data:`RECENT` years (NaN
        for the others), in panel order: the panel's median is the spread prior."""
        self._check()
        out = np.full(len(self.panel_), np.nan)
        for idx, _, lg, pos, _ in self.groups_:
            if lg.shape[1] > 1:
                out[idx[pos]] = np.mean(np.abs(np.diff(lg[pos], axis=1))[:, -RECENT:], axis=1)
        return out

    def learn(self, h: int) -> Context:
        """The :class:`Context` of this panel alone (a cluster pools it over partitions instead)."""
        ctx = pooled_context([self.windows(h, sampling_rate(self.panel_, h, self.min_obs))], [self.scales()],
                             self.use_global)
        return replace(ctx, shares=choose_shares([self.blend_errors(h, ctx)]))

    # -- the fit for one h ----------------------------------------------------------------------------------
    def _stage(self, h: int, ctx: Context) -> list[Stage]:
        """Per group: local weights and forecasts, the global forecast, and the validation runs (local
        leave-one-origin-out combination, global forecast, actual values) for ``h``; cached per ``h``."""
        if h in self._stages:
            return self._stages[h]
        requests: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, int]] = []
        out: list[Stage] = []
        for (_, lev, lg, _, short), (feats, fscale) in zip(self.groups_, self._feats):
            n, T = lev.shape
            cuts = [0] if short else [0, *range(1, min(self.origins, T - 3) + 1)]
            requests += [(feats, fscale, lg, c, min(h, c) if c else h) for c in cuts]
        glob = iter(ctx.model.predict(requests) if ctx.model is not None else
                    [np.full((len(r[2]), r[4]), np.nan) for r in requests])
        for _, lev, lg, pos, short in self.groups_:
            n, T = lev.shape
            g0 = self._positive_only(next(glob), pos)
            if short:
                out.append((None, None, g0, [], None))
                continue
            with np.errstate(all="ignore"):
                scale = np.mean(np.abs(np.diff(lev, axis=1)), axis=1)
                scale = np.where(scale > 0, scale, 1.0)
                runs = []
                for c in range(1, min(self.origins, T - 3) + 1):
                    k = min(h, c)
                    f = mb.candidates(lev[:, :T - c], lg[:, :T - c], pos, k, self.kernels)
                    actual = lev[:, T - c:T - c + k]
                    runs.append((f, actual, np.abs(f - actual[:, None, :]).mean(axis=2) / scale[:, None],
                                 self._positive_only(next(glob), pos)))
                total = sum(r[2] for r in runs)
                total[~pos, len(self.kernels):] = np.inf
                weights = mb.inverse_weights(total / len(runs), self.power)
                val = []
                for f, actual, err, g in runs:
                    w = mb.inverse_weights((total - err) / (len(runs) - 1), self.power) if len(runs) > 1 else weights
                    val.append((mb.combine(w, f), g, actual))
                final = mb.combine(weights, mb.candidates(lev, lg, pos, h, self.kernels))
            out.append((weights, final, g0, val, scale))
        self._stages[h] = out
        return out

    @staticmethod
    def _positive_only(log_forecast: np.ndarray, positive: np.ndarray) -> np.ndarray:
        g = np.exp(np.minimum(log_forecast, _EXP_CAP))
        g[~positive] = np.nan
        return g

    def blend_errors(self, h: int, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
        """Per series in panel order: its length class and its mean scaled validation error for every
        global share on :data:`GRID` (NaN where the global member has no validation forecast)."""
        self._check()
        h = check_h(h)
        cls = np.searchsorted([hi for _, hi in CLASSES], self.span_)
        err = np.full((len(self.panel_), len(GRID)), np.nan)
        for (idx, *_), (_, _, _, val, scale) in zip(self.groups_, self._stage(h, ctx)):
            if not val or scale is None:
                continue
            tot = np.zeros((len(idx), len(GRID)))
            cnt = np.zeros(len(idx))
            for local, glob, actual in val:
                ok = np.isfinite(glob).all(axis=1)
                e = np.abs(mb.blend(local[None], glob[None], GRID[:, None, None]) - actual[None]).mean(axis=2)
                tot += np.where(ok.reshape(-1, 1), (e / scale[None, :]).T, 0.0)
                cnt += ok
            with np.errstate(invalid="ignore"):
                err[idx] = np.where(cnt[:, None] > 0, tot / np.maximum(cnt, 1)[:, None], np.nan)
        return cls, err

    def run(self, h: int, context: Context | None = None) -> Run:
        """Members, weights, global shares and validation errors for ``h`` years ahead (once per ``h``)."""
        self._check()
        h = check_h(h)
        key = (h, id(context))
        if key not in self._runs:
            ctx = context or self.learn(h)
            n = len(self.panel_)
            cls = np.searchsorted([hi for _, hi in CLASSES], self.span_)
            share = np.asarray(ctx.shares or (0.0,) * len(CLASSES))[cls]
            mean, weights = np.full((n, h), np.nan), np.full((n, len(self.candidates_)), np.nan)
            spread, errors = self._spread(ctx), []
            self._global = np.full((n, h), np.nan)
            for (idx, lev, *_), (w, final, glob, val, _) in zip(self.groups_, self._stage(h, ctx)):
                self._global[idx] = glob
                if w is None or final is None:
                    continue
                has = np.isfinite(glob).all(axis=1)
                share[idx] = np.where(has, share[idx], 0.0)
                mean[idx], weights[idx] = mb.blend(final, glob, share[idx][:, None]), w
                err = np.full((len(idx), self.origins, h), np.nan)
                floor = np.min(lev, axis=1, keepdims=True) * 1e-3
                for j, (local, g, actual) in enumerate(val):
                    fc = mb.blend(local, g, share[idx][:, None])
                    k = fc.shape[1]
                    s = spread[idx][:, None]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        rel = (np.log(actual) - np.log(np.maximum(fc, floor))) / s
                    err[:, j, :k] = np.where(self.positive_[idx][:, None], rel, (actual - fc) / s)
                errors.append(err.reshape(-1, h))
            for i in self.short_:
                share[i] = share[i] if np.isfinite(self._global[i]).all() else 0.0
            stacked = np.vstack(errors) if errors else np.empty((0, h))
            self._runs[key] = Run(mean=mean, weights=weights, share=share, spread=spread,
                                  errors=[stacked[:, k][np.isfinite(stacked[:, k])] for k in range(h)])
        return self._runs[key]

    def _spread(self, ctx: Context) -> np.ndarray:
        out = np.full(len(self.panel_), np.nan)
        for idx, lev, lg, pos, _ in self.groups_:
            if lev.shape[1] < 2:
                continue
            d = np.abs(np.diff(lg, axis=1))[:, -RECENT:]
            log_scale = (d.sum(axis=1) + SHRINK * ctx.median_scale) / (d.shape[1] + SHRINK)
            scale = np.mean(np.abs(np.diff(lev, axis=1)), axis=1)
            level_scale = np.maximum(np.where(scale > 0, scale, 1.0), SPREAD_FLOOR * np.mean(np.abs(lev), axis=1))
            out[idx] = np.where(pos, np.clip(log_scale, SPREAD_FLOOR, max(ctx.scale_cap, SPREAD_FLOOR)), level_scale)
        return out

    def errors(self, h: int, context: Context | None = None) -> list[np.ndarray]:
        """The scaled validation errors for ``h`` years ahead, one array per step ahead (for :func:`calibrate`)."""
        return self.run(h, context).errors

    # -- forecasts ------------------------------------------------------------------------------------------
    def predict(self, h: int, levels: float | tuple[float, ...] = 80, *,
                calibration: dict[float, Calibration] | None = None, context: Context | None = None) -> PanelForecast:
        """Forecasts ``h`` years past each series' last year with ``levels`` % intervals, in panel order."""
        run, levels = self.run(h, context), check_levels(levels)
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
            mm = np.where(nonneg, np.maximum(mean, 0), mean)
            lower, upper, sd = np.empty((n, len(levels), h)), np.empty((n, len(levels), h)), np.zeros((n, h))
            for k, lv in enumerate(levels):
                lo_q, hi_q = cals[lv].lower[:h], cals[lv].upper[:h]
                lo = np.where(pos, base * np.exp(np.clip(lo_q * s, -_EXP_CAP, _EXP_CAP)), mean + lo_q * s)
                hi = np.where(pos, base * np.exp(np.clip(hi_q * s, -_EXP_CAP, _EXP_CAP)), mean + hi_q * s)
                lo, hi = (np.where(nonneg, np.maximum(a, 0), a) for a in (lo, hi))
                lo, hi = np.clip(np.minimum(lo, mm), -cap, cap), np.clip(np.maximum(hi, mm), -cap, cap)
                lower[:, k], upper[:, k] = lo * m, hi * m
                if k == 0:  # log-scale sd for positive series, else on the value scale
                    width = np.minimum((hi_q - lo_q) * s / (2 * NormalDist().inv_cdf(0.5 + lv / 200)), cap)
                    sd = np.where(pos, width, width * m)
            mean = mm * m
        out = PanelForecast(ids=self.panel_.ids, first_year=self.panel_.last_years + 1, levels=levels, mean=mean,
                            lower=lower, upper=upper, sd=sd, log_scale=self.positive_.copy(),
                            model=np.full(n, self.name, dtype=object), fallback_reason=np.full(n, "", dtype=object),
                            notes=tuple(self.notes_),
                            members=mb.describe(self.candidates_, run.weights, run.share))
        return self._short(out, run)

    def _short(self, out: PanelForecast, run: Run) -> PanelForecast:
        """Series too short for the local members: damped drift (its interval no narrower than the prior, in units
        of the spread shrunk to the thin-series one, that alone for one change), mixed with the global member."""
        notes = list(out.notes)
        for i in self.short_:
            years, values = self.panel_.series(i)
            k, ok = len(years) - 1, self.positive_[i] and np.isfinite(run.spread[i])
            step = (THIN_STEP if k < 2 else (k * run.spread[i] + SHRINK * THIN_STEP) / (k + SHRINK)) if ok else None
            row = fallback_row(years, values, out.h, out.levels, auto=True, step=step,
                               reason=note("fallback.too_few", n=len(years), model=self.name, needed=self.min_obs))
            mean, lower, upper, members = row.mean, row.lower, row.upper, row.model
            g, w = self._global[i] * self.norm_[i], run.share[i]
            if w > 0 and row.log_scale and np.all(np.isfinite(g)):
                mixed = mb.blend(mean, g, w)
                lower, upper = lower * (mixed / mean), upper * (mixed / mean)
                mean, members = mixed, f"{row.model} {1 - w:.2f}, global {w:.2f}"
            out.mean[i], out.lower[i], out.upper[i], out.sd[i] = mean, lower, upper, row.sd
            out.log_scale[i], out.model[i], out.fallback_reason[i] = row.log_scale, row.model, row.reason
            out.members[i] = members
            notes[i] = row.notes
        return replace(out, notes=tuple(notes)) if self.short_ else out


def sampling_rate(panel: Panel, h: int, min_obs: int = Ensemble.min_obs) -> float:
    """The share of the global member's windows kept for a panel (at most :data:`~.global_member.MAX_ROWS`),
    from the whole panel, so every partition of it samples alike."""
    spans = np.array([int(y[-1] - y[0] + 1) for y, v in (panel.series(i) for i in range(len(panel)))
                      if len(y) >= min_obs and np.all(v > 0)], dtype=int)
    total = gm.window_count(spans, h) if len(spans) else 0
    return 1.0 if total <= gm.MAX_ROWS else gm.MAX_ROWS / total
