"""Splitting a sector's Monte-Carlo draws by education level or by occupation.

Each split returns *blocks*: ``(key, quantities)`` with ``quantities`` the draws of demand, openings,
supply, gap, cumulative gap and shortage rate for that part of the sector, ready for
:func:`~talentgap.models.stockflow.summarise`.

* **Education**: demand and openings by the sector's published demand shares (``demand_share.<level>``);
  supply by each level's own graduates × entry rate (:mod:`.cohort`), with reskilling, foreign inflow
  and lever entrants shared out in proportion to the levels' graduate entrants. Where no demand split is
  published, demand follows each draw's graduate-entrant mix, and the shares say so.
  The first year's backlog is split as the latest published shortage by level (:func:`backlog_shares`),
  where one exists on the demand's definition; :func:`education_table` says per level what each share
  rests on (``data``, ``proxy``, ``judgement``).
* **Occupation**: demand and openings by the taxonomy's occupation shares; supply by mapping the sector's
  programmes to occupations by skill similarity (:meth:`~talentgap.models.skills.SkillSpace.occupation_supply_shares`).
  Shares are point values, so occupations' demand, openings and supply add up to the sector's
  in every draw and at every quantile.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import Listing, msg, note
from talentgap.seeds.specs import SectorSpec

from .cohort import GRADUATION_AGE
from .stockflow import DemandPath, ForecastInputError

Block = tuple[str, dict[str, np.ndarray]]


class BreakdownError(TalentgapError, ValueError):
    """A breakdown the sector's data cannot give."""

    code = "breakdown.bad_input"


def _block(demand: np.ndarray, openings: np.ndarray, supply: np.ndarray) -> dict[str, np.ndarray]:
    gap = openings - supply
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = 100 * gap / (demand + gap)
    return {"demand": demand, "openings": openings, "supply": supply, "gap": gap,
            "cumulative_gap": np.cumsum(gap, axis=1), "gap_rate": rate}


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
        raise BreakdownError(msg("breakdown.no_education"))
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
        raise BreakdownError(msg("breakdown.no_occupations"))
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


class BacklogShares(NamedTuple):
    """The backlog's shares by education level (empty: none published) and what was said about them."""

    shares: dict[str, float]
    notes: tuple[str, ...] = ()


def backlog_shares(spec: SectorSpec, obs: pd.DataFrame, demand: DemandPath, levels: list[str]) -> BacklogShares:
    """The latest published shortage by education on the demand's definition, as shares of the levels
    used (master's and PhD summed where the levels use master_phd); empty where none is published."""
    if not spec.shortage:
        return BacklogShares({})
    o = obs[(obs["sector"] == spec.sector) & obs["series_id"].str.startswith(spec.shortage + ".")
            & (obs["metric"] == "shortage") & (obs["education"] != "") & (obs["occupation"] == "")
            & (obs["region"] == "") & (obs["definition"] == demand.definition) & (obs["year"] <= demand.base_year)]
    if o.empty:
        return BacklogShares({}, (note("backlog.no_education_split", definition=demand.definition),))
    year = int(o["year"].max())
    latest = o[o["year"] == year]
    counts: dict[str, float] = {}
    for edu, value in zip(latest["education"], latest["value"]):
        key = "master_phd" if edu in ("master", "phd") and "master_phd" in levels else edu
        counts[key] = counts.get(key, 0.0) + float(value)
    counts = {k: v for k, v in counts.items() if k in levels}
    total = sum(counts.values())
    if total <= 0:
        return BacklogShares({})
    by_level = Listing(note("backlog.level_count", education=k, count=v) for k, v in counts.items())
    said = note("backlog.by_education", year=year, definition=demand.definition, counts=by_level)
    return BacklogShares({k: v / total for k, v in counts.items()}, (said,))


def _shares_are(demand_basis: str | None, supply_basis: str | None) -> str:
    """``data`` when both shares are published figures, ``assumption`` when either is judgement or
    missing, else ``partly data`` (a proxy is involved)."""
    bases = {demand_basis, supply_basis}
    if bases == {"data"}:
        return "data"
    if None in bases or "judgement" in bases:
        return "assumption"
    return "partly data"


def education_table(spec: SectorSpec, dshares: dict[str, float], draws: dict) -> list[dict]:
    """Per level: demand share, supply share and entry rate, each with what it rests on."""
    supply = level_shares(draws)
    a = spec.assumptions
    out = []
    for level in dict.fromkeys([*dshares, *supply]):
        d = a.get(f"demand_share.{level}")
        s = a.get(f"supply_share.{level}")
        e = a.get(f"entry_rate.{level}") or a["entry_rate"]
        age = a.get(f"graduation_age.{level}")
        out.append({
            "education": level,
            "demand_share": d.value if d else None,
            "demand_share_basis": d.basis if d else "assumed: follows the graduate-entrant mix",
            "supply_share": s.value if s else None,
            "supply_share_basis": s.basis if s else "none: no graduates at this level",
            "entrant_share_p50": supply.get(level),
            "entry_rate": e.value, "entry_rate_basis": e.basis, "entry_rate_name": e.name,
            "graduation_age": age.value if age else GRADUATION_AGE.get(level),
            "shares_are": _shares_are(d.basis if d else None, s.basis if s else None),
        })
    return out


def occupation_shares(sector: str) -> tuple[dict[str, float], dict[str, float], list[dict]]:
    """Each occupation's share of the sector's demand and of its supply, with the table the result shows:
    the taxonomy's occupations of the sector, or those a stored sector links to (equal shares, assumed)."""
    from talentgap.seeds.sectors import current_links

    return _occupation_shares(sector, current_links())


@lru_cache(maxsize=8)
def _occupation_shares(sector: str, links: tuple) -> tuple[dict[str, float], dict[str, float], list[dict]]:
    from talentgap.seeds.sectors import linked_taxonomy

    from .skills import SkillSpace  # scikit-learn: imported only for this breakdown

    space = SkillSpace.build(linked_taxonomy())
    occ = space.occupations[space.occupations["sector"] == sector]
    if occ.empty:
        raise ForecastInputError(msg("breakdown.by_occupation_none", sector=sector))
    supply = space.occupation_supply_shares(sector)
    demand = dict(zip(occ["id"], occ["share"].astype(float)))
    table = [{"occupation": r.id, "label_en": r.label_en, "label_ko": r.label_ko, "demand_share": float(r.share),
              "demand_share_range": [float(r.low), float(r.high)], "demand_share_source": r.source_id,
              "supply_share": supply[r.id], "supply_share_basis": "programmes mapped by skill similarity"}
             for r in occ.itertuples()]
    return demand, supply, table
