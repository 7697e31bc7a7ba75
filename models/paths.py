"""Demand paths built from published plans and targets rather than from a long observed series.

* :func:`continue_with_trend` — a policy path beyond its plan's end year: one stated rule, the trend
  model's growth applied to the plan's end level, so a plan is never extended at its own rate silently.
* :func:`target_prior_path` — a thin series (three points) combined with a published target for one
  year: the target is a prior on that year's log level with its own spread, the time-series forecast is
  the likelihood, and the two are combined by precision weighting (normal–normal update). The path runs
  geometrically from the last observation to the combined level, with spread growing as √h up to the
  target year and as a random walk after it.
* :func:`bounded_growth_path` — an assumed level where no count is published: the level's range gives
  the level's spread, and growth to a reference year lies between none (p10) and a stated ratio (p90),
  not compounded from an assumed yearly rate.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import NormalDist

import numpy as np

from talentgap.i18n import msg, note
from talentgap.seeds.specs import AssumptionSpec

from .stockflow import DemandPath, ForecastInputError
from .timeseries import THIN_SERIES_SIGMA, Forecast

#: z of the 90th percentile; a (p10, p90) range spans 2 × Z90 standard deviations on the log scale.
Z90 = NormalDist().inv_cdf(0.9)


def _forecast(base_year: int, log_mean: np.ndarray, sd: np.ndarray, model: str) -> Forecast:
    years = base_year + np.arange(1, len(log_mean) + 1)
    return Forecast(years=years, mean=np.exp(log_mean), lower=np.exp(log_mean - Z90 * sd),
                    upper=np.exp(log_mean + Z90 * sd), level=80, model=model, log_scale=True, sd=sd)


def range_sd(low: float, high: float) -> float:
    """Log-scale standard deviation that puts ``low`` and ``high`` at p10 and p90."""
    return float(np.log(high / low) / (2 * Z90)) if high > low > 0 else 0.0


def trend_level(trend: DemandPath, year: int) -> float:
    """The trend's central level in ``year`` (its base value at or before the base year)."""
    if year <= trend.base_year:
        return trend.base_value
    return float(trend.forecast.mean[year - trend.base_year - 1])


def continue_with_trend(path: DemandPath, plan_end: int, trend: DemandPath) -> DemandPath:
    """Beyond ``plan_end``, the policy level grows as the trend does: ``D[t] = D[plan_end] ·
    trend(t) / trend(plan_end)`` (years before the trend's base year count as its base level).
    Spread is kept. The path must reach at least ``plan_end``."""
    fc = path.forecast
    if fc.years[-1] <= plan_end:
        return path
    end_value = path.base_value if plan_end <= path.base_year else float(fc.mean[plan_end - path.base_year - 1])
    ref = trend_level(trend, max(plan_end, trend.base_year))
    mean = np.array([m if y <= plan_end else end_value * trend_level(trend, max(int(y), trend.base_year)) / ref
                     for y, m in zip(fc.years, fc.mean)])
    new = replace(fc, mean=mean, lower=mean * np.exp(-Z90 * fc.sd), upper=mean * np.exp(Z90 * fc.sd))
    growth = trend_level(trend, int(fc.years[-1])) / ref
    said = note("policy.beyond_plan", plan_end=plan_end, growth=growth, last_year=int(fc.years[-1]),
                value=end_value)
    return replace(path, forecast=new, notes=(*path.notes, said))


def target_prior_path(trend: DemandPath, target: tuple[int, float], prior_sd: float, horizon: int,
                      label: str) -> DemandPath:
    """Combine a thin trend with a published target as a prior on the target year's level."""
    target_year, target_value = target
    base = trend.base_year
    steps = horizon - base
    span = target_year - base
    fc = trend.forecast
    if span < 1 or not fc.log_scale or len(fc.mean) < span:
        raise ForecastInputError(msg("forecast.target_prior", year=target_year))
    m1, s1 = float(np.log(fc.mean[span - 1])), float(fc.sd[span - 1])
    weight = (1 / s1**2) / (1 / s1**2 + 1 / prior_sd**2)
    m = weight * m1 + (1 - weight) * np.log(target_value)
    s = float(np.sqrt(1 / (1 / s1**2 + 1 / prior_sd**2)))
    rate = (m - np.log(trend.base_value)) / span
    h = np.arange(1, steps + 1)
    log_mean = np.log(trend.base_value) + rate * h
    sd = np.where(h <= span, s * np.sqrt(h / span), np.sqrt(s**2 + THIN_SERIES_SIGMA**2 * np.maximum(h - span, 0)))
    params = {"target_year": target_year, "trend_value": float(np.exp(m1)), "trend_sd": s1, "label": label,
              "target": target_value, "prior_sd": prior_sd, "value": float(np.exp(m)), "sd": s, "weight": weight,
              "rate": float(np.expm1(rate))}
    said = (note("trend.target_prior_then_walk", **params, sigma=THIN_SERIES_SIGMA) if steps > span
            else note("trend.target_prior", **params))
    return replace(trend, forecast=_forecast(base, log_mean, sd, "target-prior"), method="target-prior",
                   notes=(*trend.notes, said))


def bounded_growth_path(base_year: int, level: AssumptionSpec, ratio: AssumptionSpec, bound_year: int,
                        horizon: int, label: str) -> DemandPath:
    """An assumed level, its range as the level's spread, growth to ``bound_year`` between none (p10)
    and × ``ratio.value`` (p90), geometric in between (centre √ratio), then a random walk."""
    steps = np.arange(1, horizon - base_year + 1)
    span = max(bound_year - base_year, 1)
    level_sd = range_sd(level.low, level.high)
    growth_sd = range_sd(1.0, ratio.value)
    frac = np.minimum(steps, span) / span
    log_mean = np.log(level.value) + np.log(ratio.value) / 2 * frac
    sd = np.sqrt(level_sd**2 + (growth_sd * frac) ** 2 + THIN_SERIES_SIGMA**2 * np.maximum(steps - span, 0))
    fc = _forecast(base_year, log_mean, sd, "assumed-level")
    params = {"value": level.value, "low": level.low, "high": level.high, "level_sd": level_sd, "year": bound_year,
              "label": label, "ratio": ratio.value, "centre": float(np.sqrt(ratio.value))}
    said = (note("demand.assumed_bounded_then_walk", **params, sigma=THIN_SERIES_SIGMA) if steps[-1] > span
            else note("demand.assumed_bounded", **params))
    return DemandPath(definition=level.name, base_year=base_year, base_value=level.value, forecast=fc,
                      observed_points=0, method="assumed-level", notes=(said,), base_sd=level_sd)
