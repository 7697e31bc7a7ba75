"""A programme's own education level: the openings, supply and entry rate a programme assessment uses.

A master's programme competes for the openings at the master's/PhD level with the graduates of that
level, and its graduates enter the sector at that level's entry rate; a high-school programme of the
same seats meets other openings, other competitors and another entry rate. :func:`level_part` cuts a
sector's Monte-Carlo draws to the programme's level with the education split of :mod:`.breakdown`
(demand by the published demand shares, supply by each level's own graduate entrants); where the sector
has no such level (or no split by level), the whole sector is used and the answer says so.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from talentgap.seeds.specs import SectorSpec

from .breakdown import BreakdownError, education_blocks

#: Programme degree → the education levels it may fall under in a sector's split, first match used.
LEVELS_OF_DEGREE = {
    "high_school": ("high_school",),
    "junior_college": ("junior_college",),
    "bachelor": ("bachelor",),
    "master": ("master", "master_phd"),
    "phd": ("phd", "master_phd"),
    "master_phd": ("master_phd", "master", "phd"),
}


class LevelPart(NamedTuple):
    """The draws a programme is assessed against: ``openings`` and ``supply`` ``(draws, years)``, the
    ``level`` they are of (``None``: the whole sector) and the entry rate of that level with its
    assumption's name."""

    level: str | None
    openings: np.ndarray
    supply: np.ndarray
    entry_rate: float
    entry_rate_name: str


def level_part(sim: dict, spec: SectorSpec, degree: str) -> LevelPart:
    """The sector's openings, supply and entry rate at the programme's level (see the module text)."""
    entry = spec.assumptions.get("entry_rate")
    whole = LevelPart(None, sim["openings"], sim["supply"], float(entry.value) if entry else 0.0, "entry_rate")
    if "entrants_by_level" not in sim:
        return whole
    try:
        blocks = dict(education_blocks(sim, spec.shares("demand_share")))
    except BreakdownError:
        return whole
    level = next((lv for lv in LEVELS_OF_DEGREE.get(degree, ()) if lv in blocks), None)
    if level is None:
        return whole
    name = f"entry_rate.{level}" if f"entry_rate.{level}" in spec.assumptions else "entry_rate"
    rate = spec.assumptions.get(name)
    return LevelPart(level, blocks[level]["openings"], blocks[level]["supply"],
                     float(rate.value) if rate else whole.entry_rate, name)
