"""Splitting a sector's Monte-Carlo draws by education level or by occupation.

Each split returns *blocks*: ``(key, quantities)`` with ``quantities`` the draws of demand, openings,
supply, gap, cumulative gap and shortage rate for that part of the sector, ready for
:func:`~talentgap.models.stockflow.summarise`.

* **Education**: demand and openings by the sector's published demand shares (``demand_share.<level>``);
  supply by each level's own graduates × entry rate (:mod:`.cohort`), with reskilling, foreign inflow
  and lever entrants shared out in proportion to the levels' graduate entrants. Where no demand split is
  published, demand follows each draw's graduate-entrant mix, and the shares say so.
* **Occupation**: demand and openings by the taxonomy's occupation shares; supply by mapping the sector's
  programmes to occupations by skill similarity (:meth:`~talentgap.models.skills.SkillSpace.occupation_supply_shares`).
  Shares are point values, so occupations' demand, openings and supply add up to the sector's
  in every draw and at every quantile.
"""

from __future__ import annotations

import numpy as np

Block = tuple[str, dict[str, np.ndarray]]


class BreakdownError(ValueError):
    """A breakdown the sector's data cannot give."""

    code = "forecast.bad_input"


def _block(demand: np.ndarray, openings: np.ndarray, supply: np.ndarray) -> dict[str, np.ndarray]:
    gap = openings - supply
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = 100 * gap / (demand + gap)
    return {"demand": demand, "openings": openings, "supply": supply, "gap": gap,
            "cumulative_gap": np.cumsum(gap, axis=1), "shortage_rate": rate}


def supply_by_level(sim: dict) -> dict[str, np.ndarray]:
    """Each level's entrants plus its share (by entrants) of the non-graduate supply, ``(draws, years)``."""
    entrants = sim["entrants_by_level"]
    total = sum(entrants.values())
    safe = np.where(total > 0, total, 1.0)
    return {level: e + sim["other_supply"] * e / safe for level, e in entrants.items()}


def education_blocks(sim: dict, demand_shares: dict[str, float],
                     backlog_shares: dict[str, float] | None = None) -> list[Block]:
    """Blocks per education level (levels of the demand shares, then supply-only levels). The first
    year's backlog is split by ``backlog_shares`` (the latest published shortage by level) where given,
    else like the rest of openings."""
    supply = supply_by_level(sim)
    if list(supply) == ["all"]:
        raise BreakdownError("this sector's supply has no education levels (no supply_share.<level> assumptions)")
    levels = list(dict.fromkeys([*demand_shares, *supply]))
    if demand_shares:
        total = sum(demand_shares.values())
        dshare = {level: np.full((1, 1), demand_shares.get(level, 0.0) / total) for level in levels}
    else:  # demand follows the graduate-entrant mix of each draw and year
        entrants = sim["entrants_by_level"]
        total_e = sum(entrants.values())
        safe = np.where(total_e > 0, total_e, 1.0)
        dshare = {level: entrants[level] / safe for level in levels}
    zero = np.zeros_like(sim["supply"])
    backlog = np.zeros_like(sim["openings"])
    backlog[:, 0] = sim.get("backlog", 0.0)
    btotal = sum((backlog_shares or {}).values())
    blocks = []
    for level in levels:
        bshare = (backlog_shares or {}).get(level, 0.0) / btotal if btotal else dshare[level]
        openings = (sim["openings"] - backlog) * dshare[level] + backlog * bshare
        blocks.append((level, _block(sim["demand"] * dshare[level], openings, supply.get(level, zero))))
    return blocks


def occupation_blocks(sim: dict, demand_shares: dict[str, float], supply_shares: dict[str, float]) -> list[Block]:
    """Blocks per occupation: ``demand_shares`` (the taxonomy's) and ``supply_shares`` (programmes
    mapped by skill similarity) each normalised to add up to 1."""
    if not demand_shares:
        raise BreakdownError("this sector has no occupations in the taxonomy")
    dtotal = sum(demand_shares.values())
    stotal = sum(supply_shares.values()) or 1.0
    return [(occ, _block(sim["demand"] * share / dtotal, sim["openings"] * share / dtotal,
                         sim["supply"] * supply_shares.get(occ, 0.0) / stotal))
            for occ, share in demand_shares.items()]


def level_shares(sim: dict) -> dict[str, float]:
    """Median share of each level in graduate entrants over draws and years (for the shares table)."""
    entrants = sim["entrants_by_level"]
    total = sum(entrants.values())
    safe = np.where(total > 0, total, 1.0)
    return {level: float(np.median(e / safe)) for level, e in entrants.items()}
