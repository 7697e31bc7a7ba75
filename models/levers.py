"""What each scenario lever does, in persons: the ``lever_effects`` of every forecast.

A lever sets an assumption's value from ``start_year`` on (default: the first projected year); before
it the forecast is the baseline's. Its effect is measured against the baseline value shown with the
assumption (its ``value``, the median of its draws), so ``reskilling`` 1,000 → 300 reads −700 a year:

* ``reskilling`` and ``foreign_inflow`` count every person as an entrant: the effect on supply is the
  lever minus the baseline value, each year from ``start_year``;
* ``extra_graduates`` pass through the sector's entry rate (persons × the p50 entry rate = entrants);
  ``dedicated_seats`` (contract departments, 계약학과) through their own, near-certain entry rate
  (``dedicated_entry_rate``, default :data:`~.stockflow.DEDICATED_ENTRY_RATE`);
* ``entry_rate`` and ``separation_rate`` are explained by the change they make to the p50 of supply or
  openings against the same forecast without the lever (the same random draws), in the start year and
  the horizon year.

In the policy scenario each part of an announced training plan (:mod:`.plans`) is one more entry, marked
with its ``plan_part`` id and ``source_ids``: its persons a year against none without the plan, the
entrants they make in its first year, in the horizon year and in total (``effect_total``), or why it adds
no one (already in the baseline, or training people already in the workforce). A part acts in its own
years (``from_year``–``to_year``); ``start_year`` moves the user's levers, not the plan's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentgap.i18n import Message, note
from talentgap.seeds.plans import TrainingPlan

from .plans import APPLIED, IN_BASELINE, NOT_ENTRANTS, PlannedFlow
from .stockflow import DEDICATED_ENTRY_RATE, simulate

if TYPE_CHECKING:
    from .sector import SectorSimulation

#: The quantity each lever moves.
MOVES = {"entry_rate": "supply", "reskilling": "supply", "foreign_inflow": "supply", "separation_rate": "openings"}
#: Levers whose every person is an entrant: their effect is the lever minus the baseline value.
PERSONS = ("reskilling", "foreign_inflow")


def baseline_value(sim: SectorSimulation, name: str) -> float:
    """The value the user sees for ``name`` without levers: the assumption's ``value`` (0 without one)."""
    a = sim.inputs.assumptions.get(name)
    return float(a.value) if a is not None else 0.0


def lever_effects(sim: SectorSimulation) -> list[dict]:
    """One entry per lever: ``lever, value, baseline, quantity, from_year, effect_first, effect_last,
    text`` (and ``entry_rate`` for ``extra_graduates``)."""
    levers = sim.levers
    years = sim.draws["years"]
    start = int(sim.draws.get("start_year", years[0]))
    first = int(np.searchsorted(years, start))
    out = []
    if "extra_graduates" in levers:
        extra = levers["extra_graduates"]
        rate = float(np.median(sim.draws["entry_rate_by_year"][:, first]))
        per_year = extra * rate
        out.append({"lever": "extra_graduates", "value": extra, "baseline": 0.0, "quantity": "supply",
                    "from_year": start, "effect_first": per_year, "effect_last": per_year, "entry_rate": rate,
                    "text": note("lever.extra_graduates", lever="extra_graduates", value=extra, rate=rate,
                                 per_year=per_year, year=start)})
    if "dedicated_seats" in levers:
        seats = levers["dedicated_seats"]
        rate = levers.get("dedicated_entry_rate", DEDICATED_ENTRY_RATE)
        out.append({"lever": "dedicated_seats", "value": seats, "baseline": 0.0, "quantity": "supply",
                    "from_year": start, "effect_first": seats * rate, "effect_last": seats * rate,
                    "entry_rate": rate,
                    "text": note("lever.dedicated_seats", lever="dedicated_seats", value=seats, rate=rate,
                                 per_year=seats * rate, year=start)})
    if "extra_graduates" not in levers and "start_year" in levers and not any(
            name in levers for name in (*MOVES, "dedicated_seats")):
        out.append({"lever": "start_year", "value": levers["start_year"], "baseline": None, "quantity": "supply",
                    "from_year": start, "effect_first": 0.0, "effect_last": 0.0,
                    "text": note("lever.start_year_alone", lever="start_year", value=levers["start_year"])})
    for name, quantity in MOVES.items():
        if name not in levers:
            continue
        base = baseline_value(sim, name)
        if name in PERSONS:
            first_change = last_change = levers[name] - base
            text = note("lever.persons", lever=name, baseline=base, value=levers[name], quantity=quantity,
                        change=first_change, year=start)
        else:
            rest = {k: v for k, v in levers.items() if k != name}
            without = simulate(sim.inputs, sim.horizon, levers=rest)
            # the same random stream with and without the lever, so the per-draw change is the lever's alone
            diff = np.median(sim.draws[quantity] - without[quantity], axis=0)
            first_change, last_change = float(diff[first]), float(diff[-1])
            text = note("lever.rate", lever=name, baseline=base, value=levers[name], quantity=quantity,
                        change_first=first_change, first_year=start, change_last=last_change,
                        last_year=int(years[-1]))
        out.append({"lever": name, "value": levers[name], "baseline": base, "quantity": quantity,
                    "from_year": start, "effect_first": float(first_change), "effect_last": float(last_change),
                    "text": text})
    out += [plan_effect(flow, sim.draws) for flow in sim.inputs.plan]
    return out


def _via(flow: PlannedFlow, draws: dict) -> tuple[Message, float | None]:
    """How a plan part's persons become entrants, and the entry rate they pass through."""
    lever = flow.part.lever
    if lever == "extra_graduates":
        years = draws["years"]
        first = int(np.searchsorted(years, flow.first_year))
        rate = float(np.median(draws["entry_rate_by_year"][:, first]))
        return note("plan.via_entry_rate", rate=rate), rate
    if lever == "dedicated_seats":
        rate = DEDICATED_ENTRY_RATE if flow.part.entry_rate is None else flow.part.entry_rate
        return note("plan.via_own_rate", rate=rate), rate
    return note("plan.via_persons"), None


def _how(flow: PlannedFlow) -> Message:
    """How the part's remaining persons were computed: a published delivery count, or the observed stock."""
    part = flow.part
    if part.delivered is not None:
        return note("plan.how_delivered", delivered=part.delivered, of=part.delivered_of or part.plan_total,
                    year=part.delivered_year, share=flow.delivered_share)
    if part.years[0] <= flow.observed_through:
        return note("plan.how_observed", year=flow.observed_through, first=part.years[0])
    return note("plan.how_after_observed", year=flow.observed_through)


def plan_effect(flow: PlannedFlow, draws: dict) -> dict:
    """The lever entry of one plan part: persons a year against none without the plan, with its sources."""
    part = flow.part
    sources = list(part.source_ids)
    common = {"lever": part.lever, "plan_part": part.id, "baseline": 0.0, "quantity": "supply",
              "source_ids": sources}
    said = {"part": part.id, "lever": part.lever, "note": part.text, "sources": sources}
    planned = part.per_year if part.per_year is not None else part.plan_total / part.plan_years
    if flow.status != APPLIED:
        if flow.status == IN_BASELINE:
            text = note("plan.part_in_baseline", **said, assumption=part.in_baseline)
        elif flow.status == NOT_ENTRANTS:
            text = note("plan.part_not_entrants", **said)
        else:
            text = note("plan.part_nothing_left", **said, year=max(flow.observed_through, part.delivered_year or 0))
        return {**common, "value": planned, "from_year": part.years[0], "to_year": part.years[1],
                "effect_first": 0.0, "effect_last": 0.0, "effect_total": 0.0, "text": text}
    years = draws["years"]
    entrants = draws["plan_entrants"][part.id]
    span = (years >= flow.first_year) & (years <= flow.last_year)
    first = int(np.searchsorted(years, flow.first_year))
    total = float(np.median(entrants[:, span].sum(axis=1)))
    via, rate = _via(flow, draws)
    return {**common, "value": flow.per_year, "from_year": flow.first_year, "to_year": flow.last_year,
            "effect_first": float(np.median(entrants[:, first])), "effect_last": float(np.median(entrants[:, -1])),
            "effect_total": total, "entry_rate": rate,
            "text": note("plan.part_applied", **said, per_year=flow.per_year,
                         span=_span(flow.first_year, flow.last_year), remaining=flow.remaining,
                         total=part.plan_total, how=_how(flow), entrants=total, via=via)}


def _span(first: int, last: int) -> Message:
    """Years ``first``–``last`` (one year alone when they are the same)."""
    return note("plan.one_year", first=first) if first == last else note("plan.span", first=first, last=last)


def plan_note(plan: TrainingPlan, flows: tuple[PlannedFlow, ...], draws: dict) -> Message:
    """The forecast's note that the policy scenario includes ``plan``: persons added, entrants, sources."""
    applied = [f for f in flows if f.status == APPLIED]
    if not applied:
        return note("plan.includes_nothing", label=plan.text, sources=list(plan.source_ids))
    entrants = sum(draws["plan_entrants"][f.part.id] for f in applied).sum(axis=1)
    span = _span(min(f.first_year for f in applied), max(f.last_year for f in applied))
    return note("plan.includes", label=plan.text, sources=list(plan.source_ids),
                added=sum(f.remaining for f in applied), span=span, entrants=float(np.median(entrants)))
