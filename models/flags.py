"""Which projected years rest on no published evidence: a flag on each row and a note.

A year is flagged (``extrapolated``) when it lies past the longest published plan or projection for the
sector (the last year of any projection, projected shortage or supply, expansion or replacement demand
or training target among the sector's observations) or more than :data:`OBSERVATION_SPAN` years after
the forecast's last observation. Such rows carry the model's assumptions forward with nothing published
to hold them to.
"""

from __future__ import annotations

import pandas as pd

from talentgap.i18n import note

#: A year more than this many years after the last observation is flagged.
OBSERVATION_SPAN = 10
#: Metrics that are published plans or projections (not counts of what happened).
PLAN_METRICS = ("projection", "projection_change", "projected_shortage", "projected_supply", "training_target",
                "expansion_demand", "replacement_demand")


def plan_horizon(observations: pd.DataFrame, sector: str) -> int | None:
    """The last year of any published plan or projection for ``sector`` (``None``: none published)."""
    obs = observations[(observations["sector"] == sector) & observations["metric"].isin(PLAN_METRICS)]
    return int(obs["year"].max()) if len(obs) else None


def first_flagged_year(observations: pd.DataFrame, sector: str, last_observation: int) -> tuple[int, int | None]:
    """The first flagged year and the plan horizon it follows from (see the module text)."""
    plan = plan_horizon(observations, sector)
    limit = last_observation + OBSERVATION_SPAN
    return (min(limit, plan) if plan is not None else limit) + 1, plan


def flag_note(first: int, plan: int | None, last_observation: int, horizon: int) -> list[str]:
    """The note for flagged rows (none when no row is flagged)."""
    if first > horizon:
        return []
    if plan is None:
        return [note("rows.extrapolated_no_plan", first_year=first, observed_year=last_observation,
                     span=OBSERVATION_SPAN)]
    return [note("rows.extrapolated", first_year=first, plan_year=plan, observed_year=last_observation,
                 span=OBSERVATION_SPAN)]
