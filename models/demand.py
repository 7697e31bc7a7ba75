"""A sector's demand paths from its specification: the trend scenario and the policy scenario.

* Trend: the observed stock on one definition forecast by :mod:`.timeseries` (with published growth
  rates where the specification names them, or a published projection's growth where only one point
  exists); for a thin series with a published target, the target is a prior on its level
  (:func:`~.paths.target_prior_path`); where no count is published, an assumed level with growth bounded
  by a stated ratio (:func:`~.paths.bounded_growth_path`).
* Policy: the path to a published projection's end year (:func:`~.stockflow.anchored_path`); the
  caller continues it beyond that year by the trend's growth (:func:`~.paths.continue_with_trend`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import Listing, msg, note
from talentgap.seeds.specs import SectorSpec

from .paths import bounded_growth_path, range_sd, target_prior_path
from .stockflow import (
    THIN_SERIES_SIGMA,
    DemandPath,
    ForecastInputError,
    anchored_path,
    demand_from_levels_and_growth,
    demand_from_series,
)


class MissingSeries(TalentgapError, LookupError):
    """A series the sector's specification names is absent from the dataset."""

    code = "series.missing"
    status = 409


def series(obs: pd.DataFrame, series_id: str) -> pd.DataFrame:
    """The rows of one series, by year; :class:`MissingSeries` when absent."""
    s = obs[obs["series_id"] == series_id].sort_values("year")
    if s.empty:
        raise MissingSeries(msg("series.not_in_dataset", series=repr(series_id)))
    return s


def trend_demand(spec: SectorSpec, obs: pd.DataFrame, horizon: int, sources: set[str]) -> DemandPath:
    """The trend scenario's demand path to ``horizon`` (source ids used are added to ``sources``)."""
    if not spec.trend:
        return _assumed_level(spec, horizon, sources)
    s = series(obs, spec.trend)
    sources.update(s["source_id"])
    definition = s["definition"].iloc[0]
    years, values = s["year"].to_numpy(), s["value"].to_numpy()
    if spec.growth_series:
        g = series(obs, spec.growth_series)
        sources.update(g["source_id"])
        return demand_from_levels_and_growth(definition, years, values, g["year"].to_numpy(), g["value"].to_numpy(),
                                             horizon)
    anchor = None
    if spec.growth_anchor:  # a published projection for the same population (model.toml says so)
        a = obs[(obs["series_id"] == spec.growth_anchor) & (obs["year"] > years[-1])]
        if not a.empty:
            anchor = (int(a["year"].iloc[-1]), float(a["value"].iloc[-1]))
            sources.update(a["source_id"])
    if not spec.target:
        return demand_from_series(definition, years, values, horizon, anchor=anchor)
    t = series(obs, spec.target)
    t = t[t["year"] > years[-1]]
    if t.empty:
        return demand_from_series(definition, years, values, horizon, anchor=anchor)
    sources.update(t["source_id"])
    target = (int(t["year"].iloc[-1]), float(t["value"].iloc[-1]))
    prior = spec.assumptions[str(spec.target_sd)]
    if prior.source_id:
        sources.add(prior.source_id)
    reach = max(horizon, target[0])
    thin = demand_from_series(definition, years, values, reach, anchor=anchor)
    path = target_prior_path(thin, target, prior.value, reach, spec.policy_label or spec.target)
    if reach > horizon:
        fc = path.forecast
        keep = fc.years <= horizon
        path = replace(path, forecast=replace(fc, **{a: getattr(fc, a)[keep] for a in ("years", "mean", "lower",
                                                                                        "upper", "sd")}))
    return path


def _assumed_level(spec: SectorSpec, horizon: int, sources: set[str]) -> DemandPath:
    a = spec.assumptions[str(spec.base_assumption)]
    base_year = int(spec.base_year or 0)
    if horizon <= base_year:
        raise ForecastInputError(msg("forecast.horizon_after_base", base=base_year, horizon=horizon))
    if a.source_id:
        sources.add(a.source_id)
    if spec.growth_bound:
        ratio = spec.assumptions[spec.growth_bound]
        if ratio.source_id:
            sources.add(ratio.source_id)
        label = note("label.funding_growth", assumption=ratio.name)
        return bounded_growth_path(base_year, a, ratio, int(spec.growth_bound_year or horizon), horizon, label)
    steps = np.arange(1, horizon - base_year + 1)
    sd = np.sqrt((THIN_SERIES_SIGMA**2) * steps + range_sd(a.low, a.high) ** 2)
    fc = anchored_path(base_year, a.value, [(base_year + 1, a.value)], horizon, sd)
    fc = replace(fc, model="assumed-level")
    said = note("demand.assumed_flat", value=a.value, low=a.low, high=a.high, sigma=THIN_SERIES_SIGMA)
    return DemandPath(definition=a.name, base_year=base_year, base_value=a.value, forecast=fc,
                      observed_points=0, method="assumed-level", notes=(said,), base_sd=range_sd(a.low, a.high))


def policy_demand(spec: SectorSpec, obs: pd.DataFrame, horizon: int, trend: DemandPath,
                  sources: set[str]) -> tuple[DemandPath, int]:
    """The published projection's path and its end year (the plan's last anchor)."""
    if spec.policy_ratios:  # a policy stated as growth relative to the base (no published level)
        anchors = [(y, trend.base_value * spec.assumptions[name].value) for y, name in spec.policy_ratios]
        steps = horizon - trend.base_year
        fc = anchored_path(trend.base_year, trend.base_value, anchors, horizon, trend.forecast.sd[:steps])
        for _, name in spec.policy_ratios:
            if spec.assumptions[name].source_id:
                sources.add(spec.assumptions[name].source_id)
        reaches = Listing(note("policy.level_in_year", value=v, year=y) for y, v in anchors)
        said = note("policy.ratios", label=spec.policy_label, anchors=reaches)
        path = DemandPath(definition=trend.definition, base_year=trend.base_year, base_value=trend.base_value,
                          forecast=fc, observed_points=trend.observed_points, method="anchored", notes=(said,),
                          base_sd=trend.base_sd)
        return path, max(y for y, _ in anchors)
    if not spec.policy_anchor:
        raise ForecastInputError(msg("forecast.no_policy_anchor", sector=spec.sector))
    anchor = series(obs, spec.policy_anchor)
    sources.update(anchor["source_id"])
    definition = anchor["definition"].iloc[0]
    points = 1
    base_year, base_value = int(anchor["year"].iloc[0]), float(anchor["value"].iloc[0])
    if spec.policy_base:
        base = series(obs, spec.policy_base)
        sources.update(base["source_id"])
        points = len(base)
        base_year, base_value = int(base["year"].iloc[-1]), float(base["value"].iloc[-1])
        definition = base["definition"].iloc[0]
    anchors = [(int(y), float(v)) for y, v in zip(anchor["year"], anchor["value"]) if y > base_year]
    if not anchors:
        raise ForecastInputError(msg("forecast.anchor_no_point", anchor=spec.policy_anchor, base=base_year))
    steps = horizon - base_year
    # the trend model's log-scale spread by years ahead, carried over to the anchored path
    sd = trend.forecast.sd if trend.forecast.log_scale else np.array([])
    if len(sd) < steps:
        extra = np.arange(len(sd) + 1, steps + 1)
        tail = sd[-1] * np.sqrt(extra / len(sd)) if len(sd) else THIN_SERIES_SIGMA * np.sqrt(extra)
        sd = np.concatenate([sd, tail])
    fc = anchored_path(base_year, base_value, anchors, horizon, sd[:steps])
    label = spec.policy_label or spec.policy_anchor
    through = Listing(note("policy.year_level", year=y, value=v) for y, v in anchors)
    said = note("policy.anchored", label=label, year=base_year, value=base_value, anchors=through)
    path = DemandPath(definition=definition, base_year=base_year, base_value=base_value, forecast=fc,
                      observed_points=points, method="anchored", notes=(said,))
    return path, anchors[-1][0]

