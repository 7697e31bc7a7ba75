"""A sector's forecast from its observations and specification: the stock-flow model end to end.

Plain data in (the active dataset's observations, the sector's :class:`~talentgap.seeds.specs.SectorSpec`,
scenario and levers), a plain dict out, in the shape of the ``talentgap forecast --format json``
contract. Source ids are listed; resolving them to references is the caller's job.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from talentgap import __version__
from talentgap.seeds.specs import SectorSpec

from .stockflow import (
    THIN_SERIES_SIGMA,
    DemandPath,
    ForecastInputError,
    StockFlowInputs,
    anchored_path,
    demand_from_levels_and_growth,
    demand_from_series,
    quality_grade,
    simulate,
    summarise,
    validate_levers,
)
from .timeseries import forecast_series

MODEL_VERSION = f"stockflow-{__version__}"
BUILT_IN_SCENARIOS = ("trend", "policy")
DEFAULT_HORIZON = 2035


class UnknownSector(LookupError):
    code = "sector.unknown"


class MissingSeries(LookupError):
    """A series the sector's specification names is absent from the dataset."""

    code = "series.missing"


def _series(obs: pd.DataFrame, series_id: str) -> pd.DataFrame:
    s = obs[obs["series_id"] == series_id].sort_values("year")
    if s.empty:
        raise MissingSeries(f"series {series_id!r} is not in the active dataset")
    return s


def sector_forecast(*, spec: SectorSpec, observations: pd.DataFrame, scenario: str = "trend",
                    horizon: int | None = None, levers: dict[str, float] | None = None, by: str | None = None,
                    dataset_version: int | None = None, simulation_only: bool = False) -> dict:
    """Project demand, openings, supply, gap, cumulative gap and shortage rate for one sector.

    ``scenario`` is ``trend`` or ``policy``; ``levers`` override assumptions (see
    :data:`~talentgap.models.stockflow.LEVERS`); ``by="education"`` splits rows by education level
    where the specification gives shares. With ``simulation_only`` the raw Monte-Carlo draws are
    returned instead (``{"sim", "demand", "assumptions", ...}``), for the skill models.
    Raises :class:`ForecastInputError` on bad input.
    """
    if scenario not in BUILT_IN_SCENARIOS:
        raise ForecastInputError(f"scenario must be one of {', '.join(BUILT_IN_SCENARIOS)} or a saved "
                                 f"scenario's name; got {scenario!r}")
    if by not in (None, "education"):
        raise ForecastInputError(f"by must be education (or omitted); got {by!r}")
    levers = validate_levers(levers or {})
    obs = observations[observations["sector"] == spec.sector]
    sources: set[str] = set()
    notes: list[str] = list(spec.notes)
    horizon = int(horizon) if horizon is not None else DEFAULT_HORIZON
    trend_sources: set[str] = set()
    trend = _trend_demand(spec, obs, horizon, trend_sources)
    if scenario == "trend":
        demand = trend
        sources |= trend_sources
    else:
        demand = _policy_demand(spec, obs, horizon, trend, sources)
    notes.extend(demand.notes)
    if horizon <= demand.base_year:
        raise ForecastInputError(f"horizon must be a year after the base year {demand.base_year}; got {horizon}")
    if "start_year" in levers and not demand.base_year < levers["start_year"] <= horizon:
        raise ForecastInputError(f"lever start_year must be between {demand.base_year + 1} and {horizon}; "
                                 f"got {levers['start_year']:g}")

    backlog = 0.0
    if spec.shortage:
        short = _series(obs, spec.shortage)
        short = short[short["year"] <= demand.base_year]
        if short.empty or short["definition"].iloc[-1] != demand.definition:
            notes.append(f"no shortage figure on the {demand.definition} definition up to {demand.base_year}: "
                         "no backlog added")
        else:
            backlog = float(short["value"].iloc[-1])
            sources.add(short["source_id"].iloc[-1])
            notes.append(f"backlog: the {int(short['year'].iloc[-1])} shortage of {backlog:,.0f} is added to "
                         "the first projected year's openings")

    graduates = None
    if spec.graduates:
        g = _series(obs, spec.graduates)
        sources.update(g["source_id"])
        steps = horizon - int(g["year"].iloc[-1])
        fc = forecast_series(g["year"].to_numpy(), g["value"].to_numpy(), max(steps, 1))
        keep = fc.years > demand.base_year
        if int(g["year"].iloc[-1]) > demand.base_year or keep.sum() < horizon - demand.base_year:
            raise ForecastInputError(f"graduates series {spec.graduates} must end by the base year {demand.base_year}")
        for attr in ("years", "mean", "lower", "upper", "sd"):
            setattr(fc, attr, getattr(fc, attr)[keep])
        graduates = fc

    assumptions = dict(spec.assumptions)
    sources.update(a.source_id for a in assumptions.values() if a.source_id)
    inputs = StockFlowInputs(demand=demand, assumptions=assumptions, graduates=graduates, backlog=backlog)
    sim = simulate(inputs, horizon, levers=levers)
    if simulation_only:
        return {"sim": sim, "demand": demand, "assumptions": assumptions, "levers": levers, "notes": notes,
                "source_ids": sorted(sources), "horizon": horizon, "scenario": scenario}

    shares = None
    if by == "education":
        dshare, sshare = spec.shares("demand_share"), spec.shares("supply_share")
        if not dshare and not sshare:
            notes.append("no education shares are published for this sector: totals only")
        else:
            if not sshare:
                notes.append("supply by education assumed to follow the demand shares (no supply-side split)")
            if not dshare:
                notes.append("demand by education assumed to follow the supply shares (no demand-side split)")
            shares = (dshare or sshare, sshare or dshare)
    rows = summarise(sim, shares=shares)

    used = [a.as_dict() for a in assumptions.values() if not a.name.startswith(("demand_share", "supply_share"))
            or shares is not None]
    for name, value in levers.items():
        if name in assumptions:
            for a in used:
                if a["name"] == name:
                    a.update(value=value, low=value, high=value, rationale=f"set by scenario lever (was {a['value']:g})")
    return {
        "sector": spec.sector,
        "base_year": demand.base_year,
        "horizon": horizon,
        "scenario": scenario,
        "dataset_version": dataset_version,
        "model_version": MODEL_VERSION,
        "quality_grade": quality_grade(demand.observed_points),
        "definition": demand.definition,
        "method": demand.method,
        "levers": levers,
        "rows": rows,
        "assumptions": used,
        "observed": _observed(obs, spec, demand),
        "reference_lines": _references(obs, spec, scenario, sources),
        "notes": notes,
        "source_ids": sorted(sources),
    }


def _trend_demand(spec: SectorSpec, obs: pd.DataFrame, horizon: int, sources: set[str]) -> DemandPath:
    if spec.trend:
        s = _series(obs, spec.trend)
        sources.update(s["source_id"])
        last = int(s["year"].iloc[-1])
        anchor = None
        if spec.growth_anchor:  # a published projection for the same population (model.toml says so)
            a = obs[(obs["series_id"] == spec.growth_anchor) & (obs["year"] > last)]
            if not a.empty:
                anchor = (int(a["year"].iloc[-1]), float(a["value"].iloc[-1]))
                sources.update(a["source_id"])
        if spec.growth_series:
            g = _series(obs, spec.growth_series)
            sources.update(g["source_id"])
            return demand_from_levels_and_growth(s["definition"].iloc[0], s["year"].to_numpy(), s["value"].to_numpy(),
                                                 g["year"].to_numpy(), g["value"].to_numpy(), horizon)
        return demand_from_series(s["definition"].iloc[0], s["year"].to_numpy(), s["value"].to_numpy(),
                                  horizon, anchor=anchor)
    a = spec.assumptions[spec.base_assumption]
    base_year = int(spec.base_year)
    if horizon <= base_year:
        raise ForecastInputError(f"horizon must be a year after the base year {base_year}; got {horizon}")
    steps = np.arange(1, horizon - base_year + 1)
    fc = anchored_path(base_year, a.value, [(base_year + 1, a.value)], base_year + len(steps),
                       THIN_SERIES_SIGMA * np.sqrt(steps) + np.log(a.high / a.low) / 2.5632)
    fc.model = "assumed-level"
    if a.source_id:
        sources.add(a.source_id)
    note = (f"no published workforce count: demand is the assumed level {a.value:,.0f} "
            f"(range {a.low:,.0f}–{a.high:,.0f}) held flat, with its range and a {THIN_SERIES_SIGMA:.0%}-a-year spread")
    return DemandPath(definition=spec.base_assumption, base_year=base_year, base_value=a.value, forecast=fc,
                      observed_points=0, method="assumed-level", notes=(note,))


def _policy_demand(spec: SectorSpec, obs: pd.DataFrame, horizon: int, trend: DemandPath,
                   sources: set[str]) -> DemandPath:
    if spec.policy_ratios:  # a policy stated as growth relative to the base (no published level)
        anchors = [(y, trend.base_value * spec.assumptions[name].value) for y, name in spec.policy_ratios]
        steps = horizon - trend.base_year
        fc = anchored_path(trend.base_year, trend.base_value, anchors, horizon, trend.forecast.sd[:steps])
        for _, name in spec.policy_ratios:
            if spec.assumptions[name].source_id:
                sources.add(spec.assumptions[name].source_id)
        note = (f"policy: {spec.policy_label}: demand reaches "
                + ", ".join(f"{v:,.0f} in {y}" for y, v in anchors) + ", with the trend's spread around it")
        return DemandPath(definition=trend.definition, base_year=trend.base_year, base_value=trend.base_value,
                          forecast=fc, observed_points=trend.observed_points, method="anchored", notes=(note,))
    if not spec.policy_anchor:
        raise ForecastInputError(f"sector {spec.sector} has no published projection to anchor a policy scenario")
    anchor = _series(obs, spec.policy_anchor)
    sources.update(anchor["source_id"])
    definition = anchor["definition"].iloc[0]
    points = 1
    base_year, base_value = int(anchor["year"].iloc[0]), float(anchor["value"].iloc[0])
    if spec.policy_base:
        base = _series(obs, spec.policy_base)
        sources.update(base["source_id"])
        points = len(base)
        base_year, base_value = int(base["year"].iloc[-1]), float(base["value"].iloc[-1])
        definition = base["definition"].iloc[0]
    anchors = [(int(y), float(v)) for y, v in zip(anchor["year"], anchor["value"]) if y > base_year]
    if not anchors:
        raise ForecastInputError(f"the published projection {spec.policy_anchor} has no point after {base_year}")
    steps = horizon - base_year
    # the trend model's log-scale spread by years ahead, carried over to the anchored path
    sd = trend.forecast.sd if trend.forecast.log_scale else np.array([])
    if len(sd) < steps:
        extra = np.arange(len(sd) + 1, steps + 1)
        tail = sd[-1] * np.sqrt(extra / len(sd)) if len(sd) else THIN_SERIES_SIGMA * np.sqrt(extra)
        sd = np.concatenate([sd, tail])
    fc = anchored_path(base_year, base_value, anchors, horizon, sd[:steps])
    label = spec.policy_label or spec.policy_anchor
    note = (f"policy: demand follows {label} from {base_year} ({base_value:,.0f}) through "
            + ", ".join(f"{y} ({v:,.0f})" for y, v in anchors)
            + ", with the trend model's spread around it")
    return DemandPath(definition=definition, base_year=base_year, base_value=base_value, forecast=fc,
                      observed_points=points, method="anchored", notes=(note,))


def _observed(obs: pd.DataFrame, spec: SectorSpec, demand: DemandPath) -> list[dict]:
    ids = [i for i in (spec.trend, spec.policy_base) if i]
    s = obs[obs["series_id"].isin(ids) & (obs["definition"] == demand.definition)]
    return [{"year": int(r.year), "value": float(r.value), "series_id": r.series_id, "source_id": r.source_id}
            for r in s.sort_values("year").itertuples()]


def _references(obs: pd.DataFrame, spec: SectorSpec, scenario: str, sources: set[str]) -> list[dict]:
    ids = list(spec.references) + ([spec.policy_anchor] if spec.policy_anchor and scenario == "trend" else [])
    out = []
    for sid in ids:
        s = obs[obs["series_id"] == sid].sort_values("year")
        if s.empty:
            continue
        sources.update(s["source_id"])
        out.append({"series_id": sid, "definition": s["definition"].iloc[0], "metric": s["metric"].iloc[0],
                    "points": [{"year": int(r.year), "value": float(r.value)} for r in s.itertuples()]})
    return out
