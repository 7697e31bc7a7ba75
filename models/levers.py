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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentgap.i18n import note

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
    return out
