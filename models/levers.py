"""What each scenario lever does, in persons: the ``lever_effects`` of every forecast.

``extra_graduates`` is explained by its arithmetic (persons × the sector's p50 entry rate = entrants a
year from ``start_year``); every other lever by the change it makes to the p50 of supply (``entry_rate``,
``reskilling``, ``foreign_inflow``) or openings (``separation_rate``) against the same forecast without
that lever, in the first projected year and the horizon year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentgap.i18n import note

from .stockflow import simulate

if TYPE_CHECKING:
    from .sector import SectorSimulation

#: The quantity each lever moves.
MOVES = {"entry_rate": "supply", "reskilling": "supply", "foreign_inflow": "supply", "separation_rate": "openings"}


def lever_effects(sim: SectorSimulation) -> list[dict]:
    """One entry per lever: ``lever, value, quantity, effect_first, effect_last, from_year, text``."""
    levers = sim.levers
    years = sim.draws["years"]
    out = []
    if "extra_graduates" in levers:
        extra = levers["extra_graduates"]
        start = int(levers.get("start_year", years[0]))
        rate = float(np.median(sim.draws["entry_rate"]))
        per_year = extra * rate
        out.append({"lever": "extra_graduates", "value": extra, "quantity": "supply", "from_year": start,
                    "effect_first": per_year, "effect_last": per_year, "entry_rate": rate,
                    "text": note("lever.extra_graduates", lever="extra_graduates", value=extra, rate=rate,
                                 per_year=per_year, year=start)})
    elif "start_year" in levers:
        out.append({"lever": "start_year", "value": levers["start_year"], "quantity": "supply",
                    "from_year": int(levers["start_year"]), "effect_first": 0.0, "effect_last": 0.0,
                    "text": note("lever.start_year_alone", lever="start_year", value=levers["start_year"],
                                 needs="extra_graduates")})
    for name, quantity in MOVES.items():
        if name not in levers:
            continue
        rest = {k: v for k, v in levers.items() if k != name}
        without = simulate(sim.inputs, sim.horizon, levers=rest)
        # the same random stream with and without the lever, so the per-draw change is the lever's alone
        diff = np.median(sim.draws[quantity] - without[quantity], axis=0)
        a = sim.inputs.assumptions.get(name)
        change = {"lever": name, "value": levers[name], "quantity": quantity, "change_first": float(diff[0]),
                  "first_year": int(years[0]), "change_last": float(diff[-1]), "last_year": int(years[-1])}
        text = (note("lever.effect_assumed", **change, assumed=a.value, low=a.low, high=a.high) if a
                else note("lever.effect", **change))
        out.append({"lever": name, "value": levers[name], "quantity": quantity, "from_year": int(years[0]),
                    "effect_first": float(diff[0]), "effect_last": float(diff[-1]), "text": text})
    return out
