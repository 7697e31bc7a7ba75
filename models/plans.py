"""An announced training plan as sourced levers of the policy scenario (``[policy.plan]`` of a model file).

Each part of a plan (:class:`~talentgap.seeds.plans.PlanLever`) names one of the scenario levers and is
turned into persons a year, counted once:

* a part the baseline already carries (``in_baseline``, e.g. seat increases carried by the graduates'
  ``field_share_trend``) or one that trains people already in the workforce (``not_entrants``: incumbent
  upskilling) adds no one;
* the plan's years up to the last observed stock (the trend's base year) are already in that stock and so
  in the other inflow estimated from its path (:mod:`.flows`): only the later years are added;
* where a delivery count is published (``delivered`` of ``delivered_of`` by ``delivered_year``), the same
  share of the part is taken as delivered and already in the baseline, and the rest,
  ``total × (1 − delivered / delivered_of)``, is spread evenly over the plan years after that year;
* a plan that states only a total is spread evenly over its years (the plan gives no yearly path).

The persons then enter supply through the lever's own machinery in :func:`~.stockflow.simulate`: trained
persons as ``extra_graduates`` pass through the sector's entry rate, ``dedicated_seats`` at their own
rate, ``reskilling`` and ``foreign_inflow`` persons all enter.
"""

from __future__ import annotations

from dataclasses import dataclass

from talentgap.seeds.plans import PlanLever, TrainingPlan

#: Why a part adds what it adds.
APPLIED, IN_BASELINE, NOT_ENTRANTS, NOTHING_LEFT = "applied", "in_baseline", "not_entrants", "nothing_left"


@dataclass(frozen=True)
class PlannedFlow:
    """One plan part as the persons it adds a year (``persons``: year → persons, empty when nothing is added)."""

    part: PlanLever
    status: str
    persons: dict[int, float]
    observed_through: int  # the last year whose plan output is in the observed stock
    delivered_share: float  # the part's share taken as delivered (a published count, or 0)

    @property
    def per_year(self) -> float:
        """Persons a year in the years added (0 when nothing is added)."""
        return next(iter(self.persons.values()), 0.0)

    @property
    def remaining(self) -> float:
        """Persons added over every year added."""
        return float(sum(self.persons.values()))

    @property
    def first_year(self) -> int:
        """The first year added (the plan's first year when nothing is added)."""
        return min(self.persons) if self.persons else self.part.years[0]

    @property
    def last_year(self) -> int:
        """The last year added (the plan's last year when nothing is added)."""
        return max(self.persons) if self.persons else self.part.years[1]


def plan_flows(plan: TrainingPlan | None, observed_through: int, horizon: int) -> tuple[PlannedFlow, ...]:
    """The persons each part of ``plan`` adds a year, after ``observed_through`` and up to ``horizon``."""
    if plan is None:
        return ()
    return tuple(_flow(part, observed_through, horizon) for part in plan.levers)


def _flow(part: PlanLever, observed_through: int, horizon: int) -> PlannedFlow:
    first, last = part.years
    if part.in_baseline:
        return PlannedFlow(part, IN_BASELINE, {}, observed_through, 0.0)
    if part.not_entrants:
        return PlannedFlow(part, NOT_ENTRANTS, {}, observed_through, 0.0)
    share = 0.0
    cutoff = observed_through
    if part.delivered is not None and part.delivered_year is not None:
        share = part.delivered / (part.delivered_of or part.plan_total)
        cutoff = max(cutoff, part.delivered_year)
    left = [y for y in range(max(first, cutoff + 1), last + 1)]
    if part.delivered is not None:
        per_year = part.plan_total * (1 - share) / len(left) if left else 0.0
    else:
        per_year = part.per_year if part.per_year is not None else part.plan_total / part.plan_years
    persons = {y: per_year for y in left if y <= horizon}
    if not persons or per_year <= 0:
        return PlannedFlow(part, NOTHING_LEFT, {}, observed_through, share)
    return PlannedFlow(part, APPLIED, persons, observed_through, share)
