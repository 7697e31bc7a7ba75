"""Named per-series annual forecasters with prediction intervals, and the fallback for short series.

Every forecaster implements the panel protocol (:class:`~.panel.Forecaster`, scikit-learn / statsforecast
style): ``__init__`` stores options, ``fit(panel)`` returns ``self`` (each series fitted on its own, learned
values ending in ``_``), ``predict(h, levels)`` returns a :class:`~.panel.PanelForecast`. Positive series
are modelled on the log scale (growth is multiplicative and the interval stays positive); a series with a
zero or negative value stays on its own scale. Missing years are filled by linear interpolation on the
model scale for fitting only. A series a model cannot fit (too few points, a failed fit, non-finite output)
falls back to drift (or the last value) and says why (:func:`fallback_row`), so one bad series never stops a batch.

Models: ``naive`` (random walk), ``drift`` (random walk with drift; Hyndman & Athanasopoulos, FPP3
§5.2), ``damped_drift``, ``ets`` (additive damped-trend exponential smoothing, statsmodels ``ETSModel``),
``theta`` (classic Theta, Assimakopoulos & Nikolopoulos 2000), ``arima`` (ARIMA(0,1,1) with drift,
statsmodels) and ``combo`` (median of ets, theta and drift; Makridakis et al. M4 findings). Drift, damped
drift and Theta point forecasts come from :mod:`.kernels`, the same code the default ensemble runs.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from dataclasses import dataclass
from statistics import NormalDist
from typing import Self

import numpy as np
import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import msg, note

from . import kernels
from .calibration import prior
from .panel import Panel, PanelForecast, check_h, check_levels

#: Log-scale standard deviation of year-on-year change assumed where a series is too short to
#: estimate one (1–2 points), and the prior towards which estimates from 3 points are shrunk: 0.10 ≈ ±10 % a
#: year, about the year-on-year swing of the most volatile observed stock (security firms 2022–2024: −7 %, +10 %).
THIN_SERIES_SIGMA = 0.10
_LOG_MAX = float(np.log(np.finfo(float).max))
_BIG = np.finfo(float).max


class NotFittedError(RuntimeError):
    """``predict`` was called before ``fit``."""


class TooFewObservations(TalentgapError, ValueError):
    """A model was given fewer observations than it needs (``min_obs``); callers fall back on this type."""

    code = "series.too_few_observations"

    def __init__(self, model: str, needed: int, got: int):
        super().__init__(msg("series.too_few_observations", model=model, needed=needed, got=got))
        self.model, self.needed, self.got = model, needed, got


def _exp(a: np.ndarray) -> np.ndarray:
    """``exp`` capped at the largest finite float (no overflow warning, no ``inf``)."""
    return np.exp(np.minimum(a, _LOG_MAX))


@dataclass(frozen=True)
class Row:
    """One series' forecast inside a panel result: ``mean``/``sd`` (h,), ``lower``/``upper`` (levels, h)."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    sd: np.ndarray
    log_scale: bool
    model: str
    reason: str = ""
    notes: tuple[str, ...] = ()
    members: str = ""


def stack(panel: Panel, levels: tuple[float, ...], rows: list[Row]) -> PanelForecast:
    """Per-series rows as one :class:`PanelForecast` of ``panel``."""
    h = len(rows[0].mean) if rows else 1
    return PanelForecast(
        ids=panel.ids, first_year=panel.last_years + 1, levels=levels,
        mean=np.array([r.mean for r in rows]).reshape(len(rows), h),
        lower=np.array([r.lower for r in rows]).reshape(len(rows), len(levels), h),
        upper=np.array([r.upper for r in rows]).reshape(len(rows), len(levels), h),
        sd=np.array([r.sd for r in rows]).reshape(len(rows), h),
        log_scale=np.array([r.log_scale for r in rows], dtype=bool),
        model=np.array([r.model for r in rows], dtype=object),
        fallback_reason=np.array([r.reason for r in rows], dtype=object),
        notes=tuple(r.notes for r in rows), members=np.array([r.members for r in rows], dtype=object))


class _Forecaster(ABC):
    """Panel plumbing for a per-series model; subclasses implement ``_fit`` and ``_predict`` on the
    model scale of one series."""

    name = "base"
    min_obs = 1

    def __init__(self, *, log: bool | None = None):
        self.log = log

    def fit(self, panel: Panel) -> Self:
        """Fit every series of ``panel`` on its own; a series this model cannot fit is remembered with
        the reason and forecast by :func:`fallback_row`."""
        self.panel_ = panel
        self.fits_: list[_Forecaster | None] = []
        self.failures_: dict[int, str] = {}
        for i in range(len(panel)):
            years, values = panel.series(i)
            try:
                self.fits_.append(self._clone()._fit_one(years, values))
            except TooFewObservations as exc:
                self.fits_.append(None)
                self.failures_[i] = note("fallback.too_few", n=len(years), model=exc.model, needed=exc.needed)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
                self.fits_.append(None)
                self.failures_[i] = note("fallback.failed", model=self.name, error=str(exc))
        return self

    def predict(self, h: int, levels: float | tuple[float, ...] = 80) -> PanelForecast:
        """Forecasts ``h`` years past each series' last year with ``levels`` % intervals."""
        if not hasattr(self, "fits_"):
            raise NotFittedError(f"{self.name}: call fit() before predict()")
        h, levels = check_h(h), check_levels(levels)
        rows = []
        for i, one in enumerate(self.fits_):
            years, values = self.panel_.series(i)
            if one is None:
                rows.append(fallback_row(years, values, h, levels, reason=self.failures_[i]))
            else:
                rows.append(finish_row(one._row(h, levels), years, values, h, levels))
        return stack(self.panel_, levels, rows)

    # -- one series ------------------------------------------------------------------------------------
    def _clone(self) -> Self:
        one = object.__new__(type(self))
        one.__dict__ = {k: v for k, v in self.__dict__.items() if not k.endswith("_")}
        return one

    def _fit_one(self, years: np.ndarray, values: np.ndarray) -> Self:
        if len(years) < self.min_obs:
            raise TooFewObservations(self.name, self.min_obs, len(years))
        self.values_ = values
        self.log_scale_ = bool(np.all(values > 0)) if self.log is None else self.log
        z = np.log(values) if self.log_scale_ else values
        full = np.arange(years[0], years[-1] + 1)
        self.interpolated_years_ = sorted(int(y) for y in set(full.tolist()) - set(years.tolist()))
        self.y_ = np.interp(full, years, z)
        self.obs_years_, self.obs_z_ = years, z
        self.nonnegative_ = bool(np.all(values >= 0))
        with np.errstate(over="ignore", invalid="ignore"):  # magnitudes near the float limit: capped in _row
            self._fit(self.y_)
        return self

    def _row(self, h: int, levels: tuple[float, ...]) -> Row:
        with np.errstate(over="ignore", invalid="ignore"):
            mean, sd = self._predict(h)
            sd = np.maximum(np.nan_to_num(sd, nan=0.0, posinf=_BIG), 0.0)
            mean = np.clip(mean, -_BIG / 4, _BIG / 4)
            qs = np.array([NormalDist().inv_cdf(0.5 + lv / 200) for lv in levels])[:, None]
            lo, hi = np.clip(mean - qs * sd, -_BIG / 4, _BIG / 4), np.clip(mean + qs * sd, -_BIG / 4, _BIG / 4)
        if not self.log_scale_ and self.nonnegative_:  # counts cannot go below zero
            mean, lo, hi = np.maximum(mean, 0), np.maximum(lo, 0), np.maximum(hi, 0)
        inv = _exp if self.log_scale_ else (lambda a: a)
        notes = (note("series.interpolated", years=self.interpolated_years_),) if self.interpolated_years_ else ()
        return Row(mean=inv(mean), lower=inv(lo), upper=inv(hi), sd=sd, log_scale=self.log_scale_, model=self.name,
                   notes=notes, members=self.name)

    def _step_sigma(self, slope: float) -> float:
        """Standard deviation of one year's change, from the observed points only (a change over a
        k-year gap has k times the one-year variance). Interpolated years are left out: they carry no
        information. With fewer than three degrees of freedom the estimate is shrunk towards the
        thin-series assumption (weight of two pseudo-observations); with none, that assumption is used."""
        thin = THIN_SERIES_SIGMA if self.log_scale_ else THIN_SERIES_SIGMA * max(abs(float(self.obs_z_[-1])), 1.0)
        dt = np.diff(self.obs_years_).astype(float)
        dz = np.diff(self.obs_z_)
        dof = len(dt) - 1
        if dof < 1:
            return thin
        with np.errstate(over="ignore", invalid="ignore"):
            resid = np.nan_to_num(dz - slope * dt, posinf=_BIG, neginf=-_BIG)
        size = float(np.max(np.abs(resid))) or 1.0  # squares taken in units of the largest residual: no overflow
        variance = float(np.sum((resid / size) ** 2 / dt) / dof)
        if dof < 3:
            variance = (dof * variance + 2 * (thin / size) ** 2) / (dof + 2)
        return min(size * float(np.sqrt(variance)), _BIG)

    @abstractmethod
    def _fit(self, y: np.ndarray) -> None:
        """Learn from the model-scale series ``y`` (one value per year, gaps interpolated)."""

    @abstractmethod
    def _predict(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        """Model-scale means and standard deviations for the next ``h`` years."""


class Naive(_Forecaster):
    """Random walk: the last value carried forward; sd grows with the square root of the steps ahead."""

    name = "naive"
    min_obs = 1

    def _fit(self, y):
        self.sigma_ = self._step_sigma(0.0)

    def _predict(self, h):
        return kernels.naive(self.y_[None, :], h)[0], self.sigma_ * np.sqrt(np.arange(1, h + 1))


class GrowthUnknown(Naive):
    """One point, growth unknown: the drift's prior is 0 ± one year's spread, so the sd is σ·√(k(1 + k)) (FPP3 §5.2)."""

    def _predict(self, h):
        mean, sd = super()._predict(h)
        return mean, sd * np.sqrt(1 + np.arange(1, h + 1))


class Drift(_Forecaster):
    """Random walk with drift: the average annual change extended (FPP3 §5.2 interval formula)."""

    name = "drift"
    min_obs = 2

    def _fit(self, y):
        self.slope_ = (y[-1] - y[0]) / (len(y) - 1)
        self.sigma_ = self._step_sigma(self.slope_)

    def _sd(self, h):
        steps = np.arange(1, h + 1)
        span = max(len(self.y_) - 1, 1)  # the slope's uncertainty shrinks with the years it spans
        return self.sigma_ * np.sqrt(steps * (1 + steps / span))

    def _predict(self, h):
        return kernels.drift(self.y_[None, :], h)[0], self._sd(h)


class DampedDrift(Drift):
    """Drift whose yearly step shrinks by ``phi`` each year ahead (Gardner & McKenzie's damped trend
    with the slope taken from the endpoints), so a growth rate seen over a few points is not carried
    unchanged for a decade: total future growth is bounded by ``slope · phi / (1 − phi)``."""

    name = "damped_drift"
    min_obs = 2

    def __init__(self, *, log: bool | None = None, phi: float = kernels.DAMPING):
        super().__init__(log=log)
        self.phi = phi

    def _predict(self, h):
        return kernels.damped_drift(self.y_[None, :], h, self.phi)[0], self._sd(h)


class DampedETS(_Forecaster):
    """Additive damped-trend exponential smoothing (ETS(A,Ad,N)), statsmodels ``ETSModel``."""

    name = "ets"
    min_obs = 5

    def _fit(self, y):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result_ = ETSModel(pd.Series(y), trend="add", damped_trend=True).fit(disp=False)

    def _predict(self, h):
        n = len(self.y_)
        frame = self.result_.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.3173)  # ±1 sd
        mean = frame["mean"].to_numpy()
        return mean, (frame["pi_upper"].to_numpy() - mean)


class Theta(_Forecaster):
    """Classic Theta (:func:`.kernels.theta`: the mean of the linear trend and SES of the theta line).

    The interval uses the Theta variance formula of statsmodels' ``ThetaModel``, ``sigma2 · (1 + (h − 1)
    α²)``, with ``sigma2`` the variance of the in-sample one-step errors of SES with that weight (the model
    Theta is equivalent to; Hyndman & Billah 2003).
    """

    name = "theta"
    min_obs = 4

    def _fit(self, y):
        alpha = float(kernels.theta_fit(y[None, :])[3][0])
        level, errors = y[0], []
        for value in y[1:]:
            errors.append(value - level)
            level = alpha * value + (1 - alpha) * level
        errors = np.asarray(errors) - np.mean(errors)  # the drift term takes the mean error
        self.alpha_ = alpha
        self.sigma2_ = float(np.sum(errors**2) / max(len(errors) - 1, 1))

    def _predict(self, h):
        return kernels.theta(self.y_[None, :], h)[0], np.sqrt(self.sigma2_ * (1 + np.arange(h) * self.alpha_**2))


class Arima(_Forecaster):
    """ARIMA(0,1,1) with drift, statsmodels ``ARIMA``."""

    name = "arima"
    min_obs = 6

    def _fit(self, y):
        from statsmodels.tsa.arima.model import ARIMA

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result_ = ARIMA(pd.Series(y), order=(0, 1, 1), trend="t").fit()

    def _predict(self, h):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f = self.result_.get_forecast(h)
        return f.predicted_mean.to_numpy(), np.sqrt(f.var_pred_mean.to_numpy())


class Combo(_Forecaster):
    """Median of damped ETS, Theta and drift point forecasts; the interval takes the widest member's
    spread, since members fitted to few points understate their uncertainty."""

    name = "combo"
    min_obs = 5

    def _fit(self, y):
        # members fitted through their public API on the same data and scale
        one = Panel.one(self.obs_years_, self.values_)
        self.members_ = [cls(log=self.log_scale_).fit(one) for cls in (DampedETS, Theta, Drift)]

    def _predict(self, h):
        preds = [m.predict(h) for m in self.members_]
        if any(p.fallback_reason[0] for p in preds):
            raise ValueError(f"a member could not fit: {'; '.join(p.fallback_reason[0] for p in preds)}")
        mean = np.median(np.vstack([p.mean[0] for p in preds]), axis=0)  # the median commutes with log
        sd = np.max(np.vstack([p.sd[0] for p in preds]), axis=0)
        return (np.log(mean) if self.log_scale_ else mean), sd


# -- fallbacks -----------------------------------------------------------------------------------------
def _widen_to_prior(row: Row, years: np.ndarray, values: np.ndarray, levels: tuple[float, ...],
                    step: float | None = None) -> Row:
    """Widen a short series' fallback interval to at least the random-walk prior of the ensemble's
    calibration (:func:`.calibration.prior`), in units of ``step``: by default the series' mean absolute
    yearly change (on the log scale when it is positive). A residual spread from two or three points
    understates the error; the change between points does not vanish on a steady trend."""
    h = len(row.mean)
    lower, upper, sd = row.lower.copy(), row.upper.copy(), row.sd
    # the growth rate is estimated from the years spanned: its error grows with the years ahead (FPP3 §5.2)
    drift = np.sqrt(1 + np.arange(1, h + 1) / max(float(years[-1] - years[0]), 1.0))
    with np.errstate(all="ignore"):
        if step is None:
            scaled = np.log(values) if row.log_scale else values
            step = float(np.mean(np.abs(np.diff(scaled)) / np.diff(years)))
        for k, level in enumerate(levels):
            q = prior(h, level) * drift
            if row.log_scale:
                lo, hi = row.mean * _exp(-q * step), row.mean * _exp(q * step)
            else:
                lo, hi = row.mean - q * step, row.mean + q * step
            lo, hi = np.nan_to_num(lo, neginf=-_BIG), np.nan_to_num(hi, posinf=_BIG)
            if np.all(values >= 0):
                lo = np.maximum(lo, 0)
            lower[k], upper[k] = np.minimum(lower[k], lo), np.maximum(upper[k], hi)
            z = NormalDist().inv_cdf(0.5 + level / 200)
            sd = np.maximum(sd, np.nan_to_num(q * step / z, posinf=_BIG))
    return Row(mean=row.mean, lower=lower, upper=upper, sd=sd, log_scale=row.log_scale, model=row.model,
               reason=row.reason, notes=row.notes, members=row.members)


def finish_row(row: Row, years: np.ndarray, values: np.ndarray, h: int, levels: tuple[float, ...]) -> Row:
    """The checks every per-series forecast passes: with two points or fewer the spread is an assumption
    (said), and a non-finite result is replaced by drift (or the last value) and said."""
    reason = row.reason
    if len(years) <= 2:
        spread = note("fallback.spread_assumed", sigma=THIN_SERIES_SIGMA)
        reason = note("fallback.and", reason=reason, then=spread) if reason else spread
    if not all(np.all(np.isfinite(a)) for a in (row.mean, row.lower, row.upper)):
        reason = note("fallback.non_finite", model=row.model)
        row = (Drift if len(years) >= 2 else Naive)()._fit_one(years, values)._row(h, levels)
    return Row(mean=row.mean, lower=row.lower, upper=row.upper, sd=row.sd, log_scale=row.log_scale, model=row.model,
               reason=reason, notes=row.notes, members=row.members)


def fallback_row(years: np.ndarray, values: np.ndarray, h: int, levels: tuple[float, ...], *, reason: str,
                 auto: bool = False, step: float | None = None) -> Row:
    """The forecast of a series a model could not fit, with ``reason``: drift from two points, the last
    value from one. With ``auto``, damped drift, its interval no narrower than the random-walk prior in
    units of the series' own yearly change, or (given ``step``, for a positive series) the prior in units
    of ``step`` alone."""
    model = (DampedDrift if auto else Drift) if len(years) >= 2 else GrowthUnknown
    row = model()._fit_one(years, values)._row(h, levels)
    if auto and len(years) >= 2:
        if step is not None and row.log_scale:  # the prior alone: a residual spread from 2–3 points is noise
            flat = np.repeat(row.mean[None, :], len(levels), axis=0)
            row = Row(mean=row.mean, lower=flat, upper=flat.copy(), sd=np.zeros(h), log_scale=True, model=row.model,
                      notes=row.notes, members=row.members)
        row = _widen_to_prior(row, years, values, levels, step if row.log_scale else None)
    return finish_row(Row(mean=row.mean, lower=row.lower, upper=row.upper, sd=row.sd, log_scale=row.log_scale,
                          model=row.model, reason=reason, notes=row.notes, members=row.members), years, values, h, levels)
