"""An announced training plan as data: the ``[policy.plan]`` table of a sector's model file.

The plan's label and sources, and its parts (``[[policy.plan.levers]]``), each one of the scenario levers
with its persons a year (or a total over its years), its sources, a note in English and Korean, and how
it is already counted (in the baseline, not new supply, or delivered so far). Typed and checked when the
model file is read (:mod:`.specs`); applied by the policy scenario (``talentgap.models.plans``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from talentgap.i18n import Text

from .validate import korean_text_problem
from .vocab import EDUCATION

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


#: The levers a training plan's part may move (see :mod:`talentgap.models.plans`): trained persons who
#: then choose like graduates (``extra_graduates``), seats whose graduates enter at their own rate
#: (``dedicated_seats``), or persons who all enter (``reskilling``, ``foreign_inflow``).
PLAN_LEVERS = ("extra_graduates", "dedicated_seats", "reskilling", "foreign_inflow")
Year = Annotated[StrictInt, Field(ge=1990, le=2100)]
Persons = Annotated[float, Field(ge=0, le=10_000_000, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]


class PlanLever(_Table):
    """One part of an announced training plan as a lever of the policy scenario (``[[policy.plan.levers]]``).

    ``per_year`` persons in each of ``years`` (first, last), or a ``total`` spread evenly over them where
    the plan states only a total. Already counted elsewhere: ``in_baseline`` names the assumption that
    carries the part (e.g. the graduates' ``field_share_trend`` carrying seat increases), and
    ``not_entrants`` marks training of people already in the workforce; neither is applied. Delivered so
    far: ``delivered`` persons by the end of ``delivered_year``, out of ``delivered_of`` (the count the
    delivery figure belongs to; default this part's total), so ``total × (1 − delivered / delivered_of)``
    remains for the plan years after ``delivered_year``.
    """

    id: Slug
    lever: Literal["extra_graduates", "dedicated_seats", "reskilling", "foreign_inflow"]
    years: tuple[Year, Year]
    per_year: Persons | None = None
    total: Persons | None = None
    level: Name | None = None
    entry_rate: Share | None = None  # dedicated seats only: their own entry rate
    delivered: Persons | None = None
    delivered_of: Annotated[float, Field(gt=0, le=10_000_000, allow_inf_nan=False)] | None = None
    delivered_year: Year | None = None
    in_baseline: Name | None = None
    not_entrants: bool = False
    source_ids: tuple[Name, ...] = Field(min_length=1)
    note: Name
    note_ko: Name

    @model_validator(mode="after")
    def _consistent(self) -> PlanLever:
        first, last = self.years
        if first > last:
            raise ValueError(f"years: the first year comes first (got {first}, {last})")
        if (self.per_year is None) == (self.total is None):
            raise ValueError("per_year or total: give exactly one")
        if (self.delivered is None) != (self.delivered_year is None):
            raise ValueError("delivered and delivered_year come together")
        if self.delivered_of is not None and self.delivered is None:
            raise ValueError("delivered_of needs delivered")
        if self.delivered is not None and self.delivered > (self.delivered_of or self.plan_total):
            raise ValueError(f"delivered: more than the total it belongs to (got {self.delivered:g})")
        if self.entry_rate is not None and self.lever != "dedicated_seats":
            raise ValueError(f"entry_rate: only dedicated_seats have their own entry rate (got lever {self.lever!r})")
        if self.in_baseline and self.not_entrants:
            raise ValueError("in_baseline and not_entrants: a part is counted one way")
        return self

    @property
    def plan_years(self) -> int:
        return self.years[1] - self.years[0] + 1

    @property
    def plan_total(self) -> float:
        """Persons over all the plan's years."""
        return self.total if self.total is not None else (self.per_year or 0.0) * self.plan_years

    @property
    def text(self) -> Text:
        return Text(self.note, self.note_ko)


class TrainingPlan(_Table):
    """An announced training plan carried by the policy scenario as sourced levers (``[policy.plan]``)."""

    label: Name
    label_ko: Name
    source_ids: tuple[Name, ...] = Field(min_length=1)
    levers: tuple[PlanLever, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> TrainingPlan:
        if not self.levers:  # checked here, not by a length bound, so a bad part is not also "no part"
            raise ValueError("levers: a plan has at least one part ([[policy.plan.levers]])")
        ids = [p.id for p in self.levers]
        if len(set(ids)) != len(ids):
            raise ValueError(f"levers: each part has its own id (got {', '.join(ids)})")
        return self

    @property
    def text(self) -> Text:
        return Text(self.label, self.label_ko)


def plan_problems(plan: TrainingPlan, model_file: Path, sources: set[str], assumptions: set[str]) -> list[str]:
    """What the types cannot check in a ``[policy.plan]``: known sources, Korean texts, named assumptions
    and education levels; each problem names the file, table and field."""
    where = f"{model_file}: [policy.plan]"
    out = [f"{where} source_ids: unknown source_id {s!r}" for s in plan.source_ids if s not in sources]
    if problem := korean_text_problem("label_ko", plan.label_ko):
        out.append(f"{where} {problem}")
    for i, part in enumerate(plan.levers):
        at = f"{where} levers.{i}"
        out += [f"{at}.source_ids: unknown source_id {s!r}" for s in part.source_ids if s not in sources]
        if problem := korean_text_problem("note_ko", part.note_ko):
            out.append(f"{at}.{problem}")
        if part.in_baseline and part.in_baseline not in assumptions:
            out.append(f"{at}.in_baseline: no assumption named {part.in_baseline!r}")
        if part.level is not None and part.level not in EDUCATION:
            out.append(f"{at}.level: unknown education level {part.level!r}")
    return out
