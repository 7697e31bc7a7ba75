"""Per-series annual forecasters with prediction intervals: the result type and the named models.

Each forecaster is a small estimator (scikit-learn style): ``__init__`` stores options, ``fit(years,
values)`` returns ``self`` with learned values ending in ``_``, ``predict(horizon, level)`` returns a
:class:`Forecast`. Positive series are modelled on the log scale (growth is multiplicative and the
interval stays positive); a series with a zero or negative value stays on its own scale. Missing years
are filled by linear interpolation on the model scale for fitting only.

Models: ``naive`` (random walk), ``drift`` (random walk with drift; Hyndman & Athanasopoulos, FPP3
§5.2), ``damped_drift``, ``ets`` (additive damped-trend exponential smoothing, statsmodels ``ETSModel``),
``theta`` (Assimakopoulos & Nikolopoulos 2000, statsmodels ``ThetaModel``), ``arima`` (ARIMA(0,1,1) with
drift, statsmodels) and ``combo`` (median of ets, theta and drift; Makridakis et al. M4 findings). The
default forecaster is :mod:`.engine`; :mod:`.timeseries` chooses between them.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from talentgap.i18n import msg, note

#: Log-scale standard deviation of year-on-year change assumed where a series is too short to
#: estimate one (1–2 points), and the prior towards which estimates from 3 points are shrunk: 0.10 ≈ ±10 % a
#: year, about the year-on-year swing of the most volatile observed stock (security firms 2022–2024: −7 %, +10 %).
THIN_SERIES_SIGMA = 0.10
_LOG_MAX = float(np.log(np.finfo(float).max))


class NotFittedError(RuntimeError):
    """``predict`` was called before ``fit``."""


class TooFewObservations(ValueError):
    """A model was given fewer observations than it needs (``min_obs``); callers fall back on this type."""

    code = "series.too_few_observations"

    def __init__(self, model: str, needed: int, got: int):
        super().__init__(msg("series.too_few_observations", model=model, needed=needed, got=got))
        self.model, self.needed, self.got = model, needed, got


def _exp(a: np.ndarray) -> np.ndarray:
    """``exp`` capped at the largest finite float (no overflow warning, no ``inf``)."""
    return np.exp(np.minimum(a, _LOG_MAX))


@dataclass(frozen=True)
class Forecast:
    """Point forecasts and a central prediction interval for the years after the last observation.

    ``sd`` is the model-scale standard deviation per year (log scale when ``log_scale``), so draws
    can be made from the same distribution: ``value = inverse(mean_model + z * sd)``.
    """

    years: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    model: str
    log_scale: bool
    sd: np.ndarray
    fallback_reason: str | None = None
    notes: tuple[str, ...] = ()

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"year": self.years, "forecast": self.mean, "lower": self.lower,
                             "upper": self.upper, "model": self.model})

    def sample(self, z: np.ndarray) -> np.ndarray:
        """Paths for standard-normal draws ``z`` (shape ``(n,)``, one per path, shared across years,
        i.e. a level shift): returns shape ``(n, len(years))`` on the value scale."""
        centre = np.log(self.mean) if self.log_scale else self.mean
        paths = centre[None, :] + z[:, None] * self.sd[None, :]
        return _exp(paths) if self.log_scale else paths


class _Forecaster(ABC):
    """Common fit/predict plumbing; subclasses implement ``_fit`` and ``_predict`` on model scale."""

    name = "base"
    min_obs = 1

    def __init__(self, *, log: bool | None = None):
        self.log = log

    def fit(self, years, values) -> _Forecaster:
        years, values = clean_series(years, values)
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
        self.n_obs_ = len(years)
        self.last_year_ = int(years[-1])
        with np.errstate(over="ignore", invalid="ignore"):  # magnitudes near the float limit: capped in predict
            self._fit(self.y_)
        return self

    def predict(self, horizon: int, level: float = 80) -> Forecast:
        if not hasattr(self, "y_"):
            raise NotFittedError(f"{self.name}: call fit() before predict()")
        if horizon < 1:
            raise ValueError(f"horizon must be at least 1 year; got {horizon}")
        if not 0 < level < 100:
            raise ValueError(f"level must be between 0 and 100; got {level}")
        with np.errstate(over="ignore", invalid="ignore"):
            mean, sd = self._predict(horizon)
            sd = np.maximum(np.nan_to_num(sd, nan=0.0, posinf=np.finfo(float).max), 0.0)
            q = NormalDist().inv_cdf(0.5 + level / 200)
            big = np.finfo(float).max / 4
            mean = np.clip(mean, -big, big)
            lo, hi = np.clip(mean - q * sd, -big, big), np.clip(mean + q * sd, -big, big)
        if not self.log_scale_ and self.nonnegative_:  # counts cannot go below zero
            mean, lo, hi = np.maximum(mean, 0), np.maximum(lo, 0), np.maximum(hi, 0)
        inv = _exp if self.log_scale_ else (lambda a: a)
        notes = (note("series.interpolated", years=self.interpolated_years_),) if self.interpolated_years_ else ()
        return Forecast(years=np.arange(self.last_year_ + 1, self.last_year_ + horizon + 1), mean=inv(mean),
                        lower=inv(lo), upper=inv(hi), level=level, model=self.name, log_scale=self.log_scale_,
                        sd=sd, notes=notes)

    def _step_sigma(self, slope: float) -> float:
        """Standard deviation of one year's change, from the observed points only (a change over a
        k-year gap has k times the one-year variance). Interpolated years are left out: they carry no
        information. With fewer than three degrees of freedom the estimate is shrunk towards the
        thin-series assumption (weight of two pseudo-observations); with none, that assumption is used."""
        prior = THIN_SERIES_SIGMA if self.log_scale_ else THIN_SERIES_SIGMA * max(abs(float(self.obs_z_[-1])), 1.0)
        dt = np.diff(self.obs_years_).astype(float)
        dz = np.diff(self.obs_z_)
        dof = len(dt) - 1
        if dof < 1:
            return prior
        with np.errstate(over="ignore", invalid="ignore"):
            resid = np.nan_to_num(dz - slope * dt, posinf=np.finfo(float).max, neginf=-np.finfo(float).max)
        size = float(np.max(np.abs(resid))) or 1.0  # squares taken in units of the largest residual: no overflow
        variance = float(np.sum((resid / size) ** 2 / dt) / dof)
        if dof < 3:
            variance = (dof * variance + 2 * (prior / size) ** 2) / (dof + 2)
        return min(size * float(np.sqrt(variance)), np.finfo(float).max)

    @abstractmethod
    def _fit(self, y: np.ndarray) -> None:
        """Learn from the model-scale series ``y`` (one value per year, gaps interpolated)."""

    @abstractmethod
    def _predict(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        """Model-scale means and standard deviations for the next ``h`` years."""


class Naive(_Forecaster):
    """Random walk: the last value carried forward; sd grows with the square root of the horizon."""

    name = "naive"
    min_obs = 1

    def _fit(self, y):
        self.sigma_ = self._step_sigma(0.0)

    def _predict(self, h):
        steps = np.arange(1, h + 1)
        return np.full(h, self.y_[-1]), self.sigma_ * np.sqrt(steps)


class Drift(_Forecaster):
    """Random walk with drift: the average annual change extended (FPP3 §5.2 interval formula)."""

    name = "drift"
    min_obs = 2

    def _fit(self, y):
        self.slope_ = (y[-1] - y[0]) / (len(y) - 1)
        self.sigma_ = self._step_sigma(self.slope_)

    def _predict(self, h):
        steps = np.arange(1, h + 1)
        span = max(len(self.y_) - 1, 1)  # the slope's uncertainty shrinks with the years it spans
        return self.y_[-1] + self.slope_ * steps, self.sigma_ * np.sqrt(steps * (1 + steps / span))


class DampedDrift(Drift):
    """Drift whose yearly step shrinks by ``phi`` each year ahead (Gardner & McKenzie's damped trend
    with the slope taken from the endpoints), so a growth rate seen over a few points is not carried
    unchanged for a decade: total future growth is bounded by ``slope · phi / (1 − phi)``."""

    name = "damped_drift"
    min_obs = 2

    def __init__(self, *, log: bool | None = None, phi: float = 0.85):
        super().__init__(log=log)
        self.phi = phi

    def _predict(self, h):
        mean, sd = super()._predict(h)
        steps = np.arange(1, h + 1)
        damped = self.slope_ * np.cumsum(self.phi ** steps)
        return self.y_[-1] + damped, sd


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
    """The theta method (SES with half the linear-trend slope), statsmodels ``ThetaModel``.

    The interval uses statsmodels' Theta variance formula, ``sigma2 · (1 + (h − 1) α²)``, with
    ``sigma2`` the variance of the in-sample one-step errors of the fitted SES (the model Theta is
    equivalent to) instead of a separate ARIMA(0,1,1) fit, which costs ten times the rest.
    """

    name = "theta"
    min_obs = 4

    def _fit(self, y):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result_ = ThetaModel(pd.Series(y), period=1, deseasonalize=False).fit()
        alpha = float(self.result_.params["alpha"])
        level, errors = y[0], []
        for value in y[1:]:
            errors.append(value - level)
            level = alpha * value + (1 - alpha) * level
        errors = np.asarray(errors) - np.mean(errors)  # the drift term takes the mean error
        self.alpha_ = alpha
        self.sigma2_ = float(np.sum(errors**2) / max(len(errors) - 1, 1))

    def _predict(self, h):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mean = self.result_.forecast(h).to_numpy()
        return mean, np.sqrt(self.sigma2_ * (1 + np.arange(h) * self.alpha_**2))


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
        self.members_ = [cls(log=self.log_scale_).fit(self.obs_years_, self.values_)
                         for cls in (DampedETS, Theta, Drift)]

    def _predict(self, h):
        preds = [m._predict(h) for m in self.members_]
        mean = np.median(np.vstack([p[0] for p in preds]), axis=0)
        sd = np.max(np.vstack([p[1] for p in preds]), axis=0)
        return mean, sd


def clean_series(years, values) -> tuple[np.ndarray, np.ndarray]:
    """Validate one series and return it sorted by year (years as int, values as float)."""
    years = np.asarray(years, dtype=int)
    values = np.asarray(values, dtype=float)
    if years.ndim != 1 or years.shape != values.shape or len(years) == 0:
        raise ValueError(f"years and values must be 1-d and equally long; got {years.shape} and {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("values must be finite numbers")
    order = np.argsort(years, kind="stable")
    years, values = years[order], values[order]
    if np.any(np.diff(years) == 0):
        raise ValueError(f"years must be distinct; got {years.tolist()}")
    return years, values
