"""A sector's forecast from its observations and specification: the stock-flow model end to end.

Plain data in (the active dataset's observations, the sector's :class:`~talentgap.seeds.specs.SectorSpec`,
scenario, levers, births), plain results out: :func:`sector_simulation` gives the Monte-Carlo draws as a
:class:`SectorSimulation` (for the skill models); :func:`sector_forecast` summarises them into a
:class:`~talentgap.models.results.SectorForecast`, the ``talentgap forecast --format json`` contract.
Source ids are listed; resolving them to references is the caller's job. Demand paths: :mod:`.demand`
(with :mod:`.paths`); supply: :mod:`.cohort`; breakdowns: :mod:`.breakdown`; lever effects: :mod:`.levers`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from talentgap import __version__
from talentgap.errors import TalentgapError
from talentgap.i18n import catalogue, msg, note, note_ids
from talentgap.seeds.sectors import links_of
from talentgap.seeds.specs import AnchoredPolicy, AssumedLevelDemand, SectorSpec

from .breakdown import backlog_shares, education_blocks, education_table, occupation_blocks, occupation_shares
from .cohort import Births, CohortSupply, cohort_table, supply_notes
from .demand import MissingSeries, backlog, base_year, policy_demand, trend_demand
from .flags import first_flagged_year, flag_note
from .flows import inflow_assumption, inflow_notes, stock_growth, survey_shortage
from .levers import lever_effects, plan_note
from .plans import plan_flows
from .results import Breakdown, SectorForecast, SectorRow
from .stockflow import (
    DemandPath,
    ForecastInputError,
    StockFlowInputs,
    quality_grade,
    simulate,
    summarise,
    validate_levers,
)

MODEL_VERSION = f"stockflow-{__version__}+engine5+supply2+flows+survey+plans+typed"
BUILT_IN_SCENARIOS = ("trend", "policy")
BREAKDOWNS = ("education", "occupation")
DEFAULT_HORIZON = 2035
#: The furthest a forecast may reach: this many years after the sector's base year ...
HORIZON_SPAN = 30
#: ... and never after this year (births, and so supply, are only known for cohorts graduating before it).
LAST_HORIZON_YEAR = 2060

__all__ = ["MissingSeries", "SectorSimulation", "UnknownSector", "check_horizon", "horizon_limit", "sector_forecast",
           "sector_simulation"]


class UnknownSector(TalentgapError, LookupError):
    code = "sector.unknown"
    status = 404


def current_year() -> int:
    """The clock's year (UTC): the default ``as_of`` of a forecast."""
    return datetime.datetime.now(datetime.UTC).year


def horizon_limit(base_year: int) -> int:
    """The last year a forecast from ``base_year`` may reach: base year + 30, at most 2060."""
    return min(base_year + HORIZON_SPAN, LAST_HORIZON_YEAR)


def check_horizon(base_year: int, horizon: int | None) -> int:
    """The forecast horizon, a calendar year (default :data:`DEFAULT_HORIZON`): after ``base_year`` and at
    most :func:`horizon_limit`. The one check of a sector horizon, whichever interface asked."""
    year = DEFAULT_HORIZON if horizon is None else horizon
    limit = horizon_limit(base_year)
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not base_year < year <= limit:
        raise ForecastInputError(msg("forecast.horizon_limit", base=base_year, limit=limit, span=HORIZON_SPAN,
                                     last=LAST_HORIZON_YEAR, horizon=year))
    return int(year)


@dataclass(frozen=True)
class SectorSimulation:
    """One sector's Monte-Carlo draws with what produced them.

    ``draws`` is :func:`~talentgap.models.stockflow.simulate`'s output (arrays shaped ``(draws, years)``);
    ``plan_end_year`` is the published plan's last year for the policy scenario (``None`` for trend).
    """

    sector: str
    scenario: str
    horizon: int
    demand: DemandPath
    inputs: StockFlowInputs
    draws: dict
    levers: dict[str, float]
    plan_end_year: int | None
    notes: tuple[str, ...]
    source_ids: tuple[str, ...]


@lru_cache(maxsize=1)
def _seed_births() -> Births:
    from talentgap.seeds.population import births

    return Births.from_frame(births())


def base_year_of(spec: SectorSpec, obs: pd.DataFrame) -> int:
    """The sector's base year: the trend series' last observation, or the assumed level's year."""
    return base_year(spec, obs)


def sector_simulation(*, spec: SectorSpec, observations: pd.DataFrame, scenario: str = "trend",
                      horizon: int | None = None, levers: dict[str, float] | None = None,
                      births: Births | None = None) -> SectorSimulation:
    """Draws of demand, openings, supply (by education level), gap and shortage rate for one sector.

    ``births`` overrides the shipped Statistics Korea births (for tests and what-ifs). Raises
    :class:`ForecastInputError` (code ``forecast.bad_input``) on bad input, including a horizon past
    :func:`horizon_limit`.
    """
    if scenario not in BUILT_IN_SCENARIOS:
        raise ForecastInputError(msg("forecast.bad_scenario", choices=", ".join(BUILT_IN_SCENARIOS),
                                     scenario=repr(scenario)))
    levers = validate_levers(levers or {})
    obs = observations[observations["sector"] == spec.sector]
    base = base_year_of(spec, obs)
    horizon = check_horizon(base, horizon)
    trend = trend_demand(spec, obs, horizon)
    built = trend if scenario == "trend" else policy_demand(spec, obs, horizon, trend.path)
    demand, plan_end = built.path, built.plan_end
    sources = set(trend.source_ids | built.source_ids)
    notes: list[str] = [*spec.notes, *built.notes, *demand.notes]
    if "start_year" in levers and not demand.base_year < levers["start_year"] <= horizon:
        raise ForecastInputError(msg("forecast.start_year", low=demand.base_year + 1, high=horizon,
                                     value=levers["start_year"]))
    first = backlog(spec, obs, demand)
    notes.extend(first.notes)
    sources.update(first.source_ids)
    assumptions = dict(spec.assumptions)
    sources.update(a.source_id for a in assumptions.values() if a.source_id)
    cohorts = None
    if spec.graduates_year:
        b = births or _seed_births()
        cohorts = CohortSupply(int(spec.graduates_year), spec.supply_levels(), b, spec.trend_until)
        sources.update(b.source_ids)
    history = stock_growth(spec, obs, trend.path.base_year)
    survey = survey_shortage(spec, obs, trend.path.base_year)
    sources.update(history.source_ids if history else ())
    sources.update([survey.source_id] if survey else [])
    plan = spec.policy.plan if scenario == "policy" and spec.policy is not None else None
    # the plan's output up to the last observed stock is in that stock, and so in the estimated other inflow
    flows = plan_flows(plan, trend.path.base_year, horizon)
    if plan is not None:
        sources.update(plan.source_ids)
        sources.update(s for part in plan.levers for s in part.source_ids)
    inputs = StockFlowInputs(demand=demand, assumptions=assumptions, cohorts=cohorts, backlog=first.value,
                             inflow=history, survey=survey, plan=flows)
    draws = simulate(inputs, horizon, levers=levers)
    if plan is not None:
        notes.append(plan_note(plan, flows, draws))
    notes.extend(inflow_notes(history, survey, draws["other_inflow_rate"], draws["other_inflow"], demand.definition))
    if cohorts is not None:
        notes.extend(supply_notes(cohorts, assumptions, draws))
    return SectorSimulation(sector=spec.sector, scenario=scenario, horizon=horizon, demand=demand, inputs=inputs,
                            draws=draws, levers=levers, plan_end_year=plan_end, notes=tuple(notes),
                            source_ids=tuple(sorted(sources)))


def sector_forecast(*, spec: SectorSpec, observations: pd.DataFrame, scenario: str = "trend",
                    horizon: int | None = None, levers: dict[str, float] | None = None, by: str | None = None,
                    dataset_version: int | None = None, as_of: int | None = None,
                    births: Births | None = None) -> SectorForecast:
    """Project demand, openings, supply, gap, cumulative gap and shortage rate for one sector.

    ``scenario`` is ``trend`` or ``policy``; ``levers`` override assumptions (see
    :data:`~talentgap.models.stockflow.LEVERS`); ``by`` is ``education`` or ``occupation``; ``as_of`` is
    the current year (default: the clock's), which separates nowcasts (after the last observation, up to
    ``as_of``) from projections. Every row carries ``period`` and ``beyond_plan``. ``base_scenario`` is
    ``scenario``; ``sources`` and ``ex_post`` are left to the caller (``source_ids`` lists the sources).
    """
    if by not in (None, *BREAKDOWNS):
        raise ForecastInputError(msg("forecast.bad_by", choices=" or ".join(BREAKDOWNS), by=repr(by)))
    as_of = current_year() if as_of is None else as_of
    if isinstance(as_of, bool) or not isinstance(as_of, int | np.integer) or not 1990 <= as_of <= 2100:
        raise ForecastInputError(msg("forecast.bad_as_of", as_of=repr(as_of)))
    # "now" can be no earlier than the sector's data (or 2000) and no later than a forecast may reach
    low = max(2000, int(observations["year"].min())) if len(observations) else 2000
    high = horizon_limit(base_year_of(spec, observations))
    if not low <= as_of <= high:
        raise ForecastInputError(msg("forecast.as_of_range", low=low, high=high, as_of=int(as_of)))
    sim = sector_simulation(spec=spec, observations=observations, scenario=scenario, horizon=horizon,
                            levers=levers, births=births)
    demand, draws = sim.demand, sim.draws
    notes = list(sim.notes)
    breakdown: Breakdown | None = None
    if by == "education":
        dshares = spec.shares("demand_share")
        split = backlog_shares(spec, observations, demand, [*dshares, *spec.supply_levels()]) \
            if sim.inputs.backlog > 0 else None
        bshares = split.shares if split is not None else {}
        notes.extend(split.notes if split is not None else ())
        summary = summarise(draws, blocks=education_blocks(draws, dshares, bshares), key="education")
        levels = [{**level, "backlog_share": (bshares or {}).get(level["education"])}
                  for level in education_table(spec, dshares, draws)]
        breakdown = Breakdown.model_validate({"by": "education", "levels": levels})
        if not dshares:
            notes.append(note("education.no_demand_split"))
    elif by == "occupation":
        occ_demand, occ_supply, table = occupation_shares(spec.sector)
        summary = summarise(draws, blocks=occupation_blocks(draws, occ_demand, occ_supply), key="occupation")
        breakdown = Breakdown.model_validate({"by": "occupation", "occupations": table})
        notes.append(note("occupation.shares"))
        linked, feeders = links_of(spec.sector)
        if linked:  # a stored sector's links: equal demand shares, assumed
            notes.append(note("occupation.linked", occupations=", ".join(linked),
                              programmes=", ".join(feeders) or "-"))
    else:
        summary = summarise(draws)
    last_obs = demand.base_year
    flagged, plan = first_flagged_year(observations, spec.sector, last_obs)
    rows = [SectorRow(**row, period="nowcast" if row["year"] <= as_of else "projection",
                      beyond_plan=sim.plan_end_year is not None and row["year"] > sim.plan_end_year,
                      extrapolated=row["year"] >= flagged)
            for row in summary]
    if last_obs < as_of:
        notes.append(note("rows.nowcasts", first_year=last_obs + 1, last_year=min(as_of, sim.horizon),
                          observed_year=last_obs, as_of=int(as_of)))
    if sim.plan_end_year is not None and sim.plan_end_year < sim.horizon:
        notes.append(note("plan.ends", year=sim.plan_end_year))
    notes.extend(flag_note(flagged, plan, last_obs, sim.horizon))
    notes.extend(_spread_note(spec, rows, by))
    effects = lever_effects(sim)
    notes += [e["text"] for e in effects]
    own = observations[observations["sector"] == spec.sector]
    return SectorForecast.model_validate({
        "sector": spec.sector,
        "base_year": demand.base_year,
        "horizon": sim.horizon,
        "horizon_limit": horizon_limit(base_year_of(spec, own)),
        "as_of": int(as_of),
        "scenario": scenario,
        "dataset_version": dataset_version,
        "model_version": MODEL_VERSION,
        "quality_grade": quality_grade(demand.observed_points),
        "definition": demand.definition,
        "method": demand.method,
        "plan_end_year": sim.plan_end_year,
        "levers": sim.levers,
        "lever_effects": effects,
        "cumulative_from": int(sim.draws["years"][0]),
        "by": by,
        "breakdown": breakdown,
        "rows": rows,
        "supply_cohorts": cohort_table(sim.inputs.cohorts, sim.draws, spec.assumptions),
        "assumptions": _used_assumptions(spec, sim.levers, by) + [
            row for row in [inflow_assumption(sim.inputs.inflow, draws["other_inflow_rate"])] if row],
        "observed": _observed(own, spec, demand),
        "reference_lines": _references(own, spec, scenario),
        "notes": notes,
        "note_ids": note_ids(notes),
        "base_scenario": scenario,
        "source_ids": sorted(set(sim.source_ids) | _reference_sources(observations, spec, scenario)),
    })


def _used_assumptions(spec: SectorSpec, levers: dict[str, float], by: str | None) -> list[dict]:
    used = [a.as_dict() for a in spec.assumptions.values() if not a.name.startswith("demand_share") or by == "education"]
    for a in used:
        lever = a["name"].split(".")[0] if a["name"].startswith("entry_rate.") else a["name"]
        if lever in levers:  # an entry_rate lever sets every level's entry rate too
            a.update(value=levers[lever], low=levers[lever], high=levers[lever],
                     rationale=catalogue("en")["lever_rationale"].format(lever=lever, value=a["value"]),
                     rationale_ko=catalogue("ko")["lever_rationale"].format(lever=lever, value=a["value"]))
    return used


def _spread_note(spec: SectorSpec, rows: list[SectorRow], by: str | None) -> list[str]:
    """Where the last year's demand p90/p10 ratio exceeds 4, say what makes it so."""
    last = [r for r in rows if r.year == rows[-1].year]
    if by is not None or not last:
        return []
    d = last[0].demand
    ratio = d.p90 / d.p10 if d.p10 > 0 else float("inf")
    if ratio <= 4:
        return []
    if isinstance(spec.demand, AssumedLevelDemand):
        a = spec.assumptions[spec.demand.base_assumption]
        why = note("spread.assumed_range", low=a.low, high=a.high, ratio=a.high / a.low)
    else:
        why = note("spread.few_points")
    return [note("spread.wide", year=last[0].year, ratio=ratio, why=why)]


def _observed(obs: pd.DataFrame, spec: SectorSpec, demand: DemandPath) -> list[dict]:
    ids = [i for i in (spec.trend, spec.policy.base if isinstance(spec.policy, AnchoredPolicy) else None) if i]
    s = obs[obs["series_id"].isin(ids) & (obs["definition"] == demand.definition)]
    return [{"year": int(r.year), "value": float(r.value), "series_id": r.series_id, "source_id": r.source_id}
            for r in s.sort_values("year").itertuples()]


def _reference_ids(spec: SectorSpec, scenario: str) -> list[str]:
    anchor = spec.policy.anchor if isinstance(spec.policy, AnchoredPolicy) else None
    return list(spec.references) + ([anchor] if anchor and scenario == "trend" else [])


def _reference_sources(obs: pd.DataFrame, spec: SectorSpec, scenario: str) -> set[str]:
    return set(obs.loc[obs["series_id"].isin(_reference_ids(spec, scenario)), "source_id"])


def _references(obs: pd.DataFrame, spec: SectorSpec, scenario: str) -> list[dict]:
    out = []
    for sid in _reference_ids(spec, scenario):
        s = obs[obs["series_id"] == sid].sort_values("year")
        if s.empty:
            continue
        out.append({"series_id": sid, "definition": s["definition"].iloc[0], "metric": s["metric"].iloc[0],
                    "points": [{"year": int(r.year), "value": float(r.value)} for r in s.itertuples()]})
    return out

