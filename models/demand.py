"""A sector's demand paths from its specification: the trend scenario and the policy scenario.

The sector's model file chooses one demand method (:data:`~talentgap.seeds.specs.DemandSpec`) and one
policy method (:data:`~talentgap.seeds.specs.PolicySpec`); this module builds their paths:

* ``trend``: the observed stock on one definition forecast by :mod:`.timeseries`
  (:func:`demand_from_series`; with one point, growth toward a published projection of the same
  population);
* ``growth-rates``: published levels with published growth rates as observations of change
  (:func:`demand_from_levels_and_growth`);
* ``target-prior``: a thin series with a published target as a prior on its level
  (:func:`~.paths.target_prior_path`);
* ``assumed-level``: where no count is published, an assumed level held flat or with growth bounded by a
  stated ratio (:func:`~.paths.bounded_growth_path`);
* policy ``anchored`` / ``ratios``: the path to a published projection's points, or to multiples of the
  base level (:func:`anchored_path`), continued beyond the plan's end by the trend's growth
  (:func:`~.paths.continue_with_trend`).

Every builder returns what it said and which sources it used (:class:`DemandResult`, :class:`Backlog`);
nothing is added to lists passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from talentgap.errors import TalentgapError
from talentgap.i18n import Listing, msg, note
from talentgap.seeds.specs import (
    AnchoredPolicy,
    AssumedLevelDemand,
    AssumptionSpec,
    GrowthRatesDemand,
    RatioPolicy,
    SectorSpec,
    TargetPriorDemand,
    TrendDemand,
)

from .paths import bounded_growth_path, continue_with_trend, range_sd, target_prior_path
from .stockflow import DemandPath, ForecastInputError
from .timeseries import THIN_SERIES_SIGMA, Forecast, forecast_series


class MissingSeries(TalentgapError, LookupError):
    """A series the sector's specification names is absent from the dataset."""

    code = "series.missing"
    status = 409


@dataclass(frozen=True)
class DemandResult:
    """A demand path with the source ids it was built from, notes about the scenario beyond the path's own
    (``path.notes``), and, for the policy scenario, the published plan's last year."""

    path: DemandPath
    source_ids: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    plan_end: int | None = None


@dataclass(frozen=True)
class Backlog:
    """The first projected year's backlog (the latest shortage on the demand's definition; 0 for none),
    what was said about it and its source."""

    value: float = 0.0
    notes: tuple[str, ...] = ()
    source_ids: frozenset[str] = frozenset()


def series(obs: pd.DataFrame, series_id: str) -> pd.DataFrame:
    """The rows of one series, by year; :class:`MissingSeries` when absent."""
    s = obs[obs["series_id"] == series_id].sort_values("year")
    if s.empty:
        raise MissingSeries(msg("series.not_in_dataset", series=repr(series_id)))
    return s


def base_year(spec: SectorSpec, obs: pd.DataFrame) -> int:
    """The sector's base year: the observed stock's last year, or the assumed level's year."""
    if isinstance(spec.demand, AssumedLevelDemand):
        return spec.demand.base_year
    return int(series(obs, spec.demand.trend)["year"].max())


def _ids(*frames: pd.DataFrame) -> frozenset[str]:
    return frozenset(sid for f in frames for sid in f["source_id"])


def _own(*assumptions: AssumptionSpec) -> frozenset[str]:
    return frozenset(a.source_id for a in assumptions if a.source_id)


def trend_demand(spec: SectorSpec, obs: pd.DataFrame, horizon: int) -> DemandResult:
    """The trend scenario's demand path to ``horizon`` by the sector's demand method."""
    d = spec.demand
    if isinstance(d, AssumedLevelDemand):
        return _assumed_level(d, spec, horizon)
    s = series(obs, d.trend)
    definition = s["definition"].iloc[0]
    years, values = s["year"].to_numpy(), s["value"].to_numpy()
    if isinstance(d, GrowthRatesDemand):
        g = series(obs, d.growth_series)
        path = demand_from_levels_and_growth(definition, years, values, g["year"].to_numpy(), g["value"].to_numpy(),
                                             horizon)
        return DemandResult(path, _ids(s, g))
    if isinstance(d, TrendDemand):
        anchor, used = None, _ids(s)
        if d.growth_anchor:  # a published projection for the same population (model.toml says so)
            a = obs[(obs["series_id"] == d.growth_anchor) & (obs["year"] > years[-1])]
            if not a.empty:
                anchor = (int(a["year"].iloc[-1]), float(a["value"].iloc[-1]))
                used |= _ids(a)
        return DemandResult(demand_from_series(definition, years, values, horizon, anchor=anchor), used)
    return _target_prior(d, spec, obs, s, horizon)


def _target_prior(d: TargetPriorDemand, spec: SectorSpec, obs: pd.DataFrame, s: pd.DataFrame,
                  horizon: int) -> DemandResult:
    definition = s["definition"].iloc[0]
    years, values = s["year"].to_numpy(), s["value"].to_numpy()
    t = series(obs, d.target)
    t = t[t["year"] > years[-1]]
    if t.empty:
        return DemandResult(demand_from_series(definition, years, values, horizon), _ids(s))
    target = (int(t["year"].iloc[-1]), float(t["value"].iloc[-1]))
    prior = spec.assumptions[d.target_sd]
    reach = max(horizon, target[0])
    thin = demand_from_series(definition, years, values, reach)
    path = target_prior_path(thin, target, prior.value, reach, spec.policy_label or d.target)
    if reach > horizon:
        fc = path.forecast
        keep = fc.years <= horizon
        path = replace(path, forecast=replace(fc, **{a: getattr(fc, a)[keep] for a in ("years", "mean", "lower",
                                                                                        "upper", "sd")}))
    return DemandResult(path, _ids(s, t) | _own(prior))


def _assumed_level(d: AssumedLevelDemand, spec: SectorSpec, horizon: int) -> DemandResult:
    a = spec.assumptions[d.base_assumption]
    if horizon <= d.base_year:
        raise ForecastInputError(msg("forecast.horizon_after_base", base=d.base_year, horizon=horizon))
    if d.growth_bound:
        ratio = spec.assumptions[d.growth_bound]
        label = note("label.funding_growth", assumption=ratio.name)
        path = bounded_growth_path(d.base_year, a, ratio, int(d.growth_bound_year or horizon), horizon, label)
        return DemandResult(path, _own(a, ratio))
    steps = np.arange(1, horizon - d.base_year + 1)
    sd = np.sqrt((THIN_SERIES_SIGMA**2) * steps + range_sd(a.low, a.high) ** 2)
    fc = anchored_path(d.base_year, a.value, [(d.base_year + 1, a.value)], horizon, sd)
    fc = replace(fc, model="assumed-level")
    said = note("demand.assumed_flat", value=a.value, low=a.low, high=a.high, sigma=THIN_SERIES_SIGMA)
    path = DemandPath(definition=a.name, base_year=d.base_year, base_value=a.value, forecast=fc,
                      observed_points=0, method="assumed-level", notes=(said,), base_sd=range_sd(a.low, a.high))
    return DemandResult(path, _own(a))


def policy_demand(spec: SectorSpec, obs: pd.DataFrame, horizon: int, trend: DemandPath) -> DemandResult:
    """The policy scenario's demand path to ``horizon``: the published plan's path to its last year
    (``plan_end``), continued beyond it by the trend's growth."""
    p = spec.policy
    if isinstance(p, RatioPolicy):  # a policy stated as growth relative to the base (no published level)
        built = _ratio_policy(p, spec, horizon, trend)
    elif isinstance(p, AnchoredPolicy):
        built = _anchored_policy(p, obs, horizon, trend)
    else:
        raise ForecastInputError(msg("forecast.no_policy_anchor", sector=spec.sector))
    notes: tuple[str, ...] = ()
    d = spec.demand
    if isinstance(d, TrendDemand) and isinstance(p, AnchoredPolicy) and d.growth_anchor == p.anchor \
            and trend.observed_points == 1:
        notes = (note("trend.same_as_policy", plan_end=built.plan_end, label=spec.policy_label or p.anchor),)
    path = continue_with_trend(built.path, int(built.plan_end or 0), trend)
    return replace(built, path=path, notes=notes)


def _ratio_policy(p: RatioPolicy, spec: SectorSpec, horizon: int, trend: DemandPath) -> DemandResult:
    anchors = [(y, trend.base_value * spec.assumptions[name].value) for y, name in p.ratio_anchors]
    steps = horizon - trend.base_year
    fc = anchored_path(trend.base_year, trend.base_value, anchors, horizon, trend.forecast.sd[:steps])
    reaches = Listing(note("policy.level_in_year", value=v, year=y) for y, v in anchors)
    said = note("policy.ratios", label=spec.policy_label, anchors=reaches)
    path = DemandPath(definition=trend.definition, base_year=trend.base_year, base_value=trend.base_value,
                      forecast=fc, observed_points=trend.observed_points, method="anchored", notes=(said,),
                      base_sd=trend.base_sd)
    used = _own(*(spec.assumptions[name] for _, name in p.ratio_anchors))
    return DemandResult(path, used, plan_end=max(y for y, _ in anchors))


def _anchored_policy(p: AnchoredPolicy, obs: pd.DataFrame, horizon: int, trend: DemandPath) -> DemandResult:
    anchor = series(obs, p.anchor)
    used = _ids(anchor)
    definition = anchor["definition"].iloc[0]
    points = 1
    base_year, base_value = int(anchor["year"].iloc[0]), float(anchor["value"].iloc[0])
    if p.base:
        base = series(obs, p.base)
        used |= _ids(base)
        points = len(base)
        base_year, base_value = int(base["year"].iloc[-1]), float(base["value"].iloc[-1])
        definition = base["definition"].iloc[0]
    anchors = [(int(y), float(v)) for y, v in zip(anchor["year"], anchor["value"]) if y > base_year]
    if not anchors:
        raise ForecastInputError(msg("forecast.anchor_no_point", anchor=p.anchor, base=base_year))
    steps = horizon - base_year
    # the trend model's log-scale spread by years ahead, carried over to the anchored path
    sd = trend.forecast.sd if trend.forecast.log_scale else np.array([])
    if len(sd) < steps:
        extra = np.arange(len(sd) + 1, steps + 1)
        tail = sd[-1] * np.sqrt(extra / len(sd)) if len(sd) else THIN_SERIES_SIGMA * np.sqrt(extra)
        sd = np.concatenate([sd, tail])
    fc = anchored_path(base_year, base_value, anchors, horizon, sd[:steps])
    label = p.text or p.anchor
    through = Listing(note("policy.year_level", year=y, value=v) for y, v in anchors)
    said = note("policy.anchored", label=label, year=base_year, value=base_value, anchors=through)
    path = DemandPath(definition=definition, base_year=base_year, base_value=base_value, forecast=fc,
                      observed_points=points, method="anchored", notes=(said,))
    return DemandResult(path, used, plan_end=anchors[-1][0])


def backlog(spec: SectorSpec, obs: pd.DataFrame, demand: DemandPath) -> Backlog:
    """The latest published shortage on the demand's definition up to its base year, as the first
    projected year's backlog; none where the sector names no shortage series or its definition differs."""
    if not spec.shortage:
        return Backlog()
    short = series(obs, spec.shortage)
    short = short[short["year"] <= demand.base_year]
    if short.empty or short["definition"].iloc[-1] != demand.definition:
        return Backlog(notes=(note("backlog.none", definition=demand.definition, year=demand.base_year),))
    value = float(short["value"].iloc[-1])
    said = note("backlog.added", year=int(short["year"].iloc[-1]), backlog=value)
    return Backlog(value, (said,), frozenset([short["source_id"].iloc[-1]]))


def anchored_path(base_year: int, base_value: float, anchors: list[tuple[int, float]], horizon: int,
                  sd_per_year: np.ndarray, level: float = 80) -> Forecast:
    """A demand path from ``(base_year, base_value)`` through published anchor points, geometric
    between points (constant growth rate) and continued at the last segment's rate after the last
    anchor, with log-scale spread ``sd_per_year`` (one value per projected year) around it."""
    points = [(base_year, base_value)] + sorted(a for a in anchors if a[0] > base_year)
    if len(points) < 2:
        raise ForecastInputError(msg("forecast.anchor_needs_point", base=base_year))
    years = np.arange(base_year + 1, horizon + 1)
    px = np.array([p[0] for p in points], dtype=float)
    py = np.log(np.array([p[1] for p in points], dtype=float))
    rate = (py[-1] - py[-2]) / (px[-1] - px[-2])
    logs = np.where(years <= px[-1], np.interp(years, px, py), py[-1] + rate * (years - px[-1]))
    sd = np.resize(sd_per_year, len(years)) if len(sd_per_year) else np.full(len(years), THIN_SERIES_SIGMA)
    q = NormalDist().inv_cdf(0.5 + level / 200)
    return Forecast(years=years, mean=np.exp(logs), lower=np.exp(logs - q * sd), upper=np.exp(logs + q * sd),
                    level=level, model="anchored", log_scale=True, sd=sd)


def demand_from_series(definition: str, years: np.ndarray, values: np.ndarray, horizon: int, *,
                       anchor: tuple[int, float] | None = None) -> DemandPath:
    """The trend demand path: a time-series forecast of the observed stock on one definition.

    With a single observation and a published anchor on the same definition, growth is taken from
    the anchor (the only information about growth there is) and the note says so.
    """
    last = int(years[-1])
    if horizon <= last:
        raise ForecastInputError(msg("forecast.horizon_after_last", last=last, horizon=horizon))
    notes = []
    if len(years) == 1 and anchor is not None and anchor[0] > last:
        steps = np.arange(1, horizon - last + 1)
        fc = replace(anchored_path(last, float(values[-1]), [anchor], horizon, THIN_SERIES_SIGMA * np.sqrt(steps)),
                     model="drift-to-anchor",
                     fallback_reason=note("trend.one_point_anchor", year=last, anchor_year=anchor[0],
                                          sigma=THIN_SERIES_SIGMA))
    else:
        fc = forecast_series(years, values, horizon - last)
    if fc.fallback_reason:
        notes.append(fc.fallback_reason)
    notes.extend(fc.notes)
    return DemandPath(definition=definition, base_year=last, base_value=float(values[-1]), forecast=fc,
                      observed_points=len(years), method=fc.model, notes=tuple(notes))


def demand_from_levels_and_growth(definition: str, years: np.ndarray, values: np.ndarray, growth_years: np.ndarray,
                                  growth_pct: np.ndarray, horizon: int) -> DemandPath:
    """A trend from published levels plus published year-on-year growth rates of the same population.

    Random walk with drift on the log scale (FPP3 §5.2): the drift is the mean of ``log(1 + g)`` over
    every published growth rate and every change between published levels (each level interval
    counted per year), the one-year spread their standard deviation. The path starts from the last
    published level. Uses the rates as the observations they are, instead of interpolating levels.
    """
    last = int(years[-1])
    if horizon <= last:
        raise ForecastInputError(msg("forecast.horizon_after_last", last=last, horizon=horizon))
    steps = np.log1p(np.asarray(growth_pct, dtype=float) / 100)
    covered = set(int(y) for y in growth_years)
    rate = dict(zip((int(y) for y in growth_years), np.log1p(np.asarray(growth_pct, dtype=float) / 100)))
    for (y0, v0), (y1, v1) in zip(zip(years[:-1], values[:-1]), zip(years[1:], values[1:])):
        missing = [y for y in range(int(y0) + 1, int(y1) + 1) if y not in covered]
        if missing:  # the years of a level interval no growth rate covers: what the rates leave of its change
            rest = np.log(v1 / v0) - sum(rate[y] for y in range(int(y0) + 1, int(y1) + 1) if y in rate)
            steps = np.append(steps, np.full(len(missing), rest / len(missing)))
    slope = float(np.mean(steps))
    estimated = len(steps) >= 3
    sigma = float(np.std(steps, ddof=1)) if estimated else THIN_SERIES_SIGMA
    h = np.arange(1, horizon - last + 1)
    sd = sigma * np.sqrt(h * (1 + h / len(steps)))
    mean = np.log(values[-1]) + slope * h
    # a spread estimated from a few changes: Student's t with n − 1 degrees of freedom, not the normal
    q = float(student_t.ppf(0.9, len(steps) - 1)) if estimated else NormalDist().inv_cdf(0.9)
    sd = sd * q / NormalDist().inv_cdf(0.9)  # the log-scale spread the draws use carries the same width
    fc = Forecast(years=last + h, mean=np.exp(mean), lower=np.exp(mean - q * sd), upper=np.exp(mean + q * sd),
                  level=80, model="drift-from-growth-rates", log_scale=True, sd=sd)
    points = len(set(int(y) for y in years) | covered)
    said = note("trend.growth_rates", drift=float(np.expm1(slope)), spread=sigma, changes=len(steps), year=last,
                value=float(values[-1]))
    return DemandPath(definition=definition, base_year=last, base_value=float(values[-1]), forecast=fc,
                      observed_points=points, method="drift-from-growth-rates", notes=(said,))
