"""Per-sector model specifications: which series feed the stock-flow model, and its assumptions.

Each sector folder holds ``model.toml`` (the roles of series: demand stock, policy anchor, shortage
backlog, graduates, reference projections) and ``assumptions.csv`` (``name, value, low, high, unit,
source_id, rationale, rationale_ko, basis``). A sector added to the store keeps the same tables in its
stored specification (``sectors.py``, ``defaults.py``): adding a sector is data, not code.

The ``[demand]`` and ``[policy]`` tables each name a ``method``, and each method is a typed spec with
exactly its own fields (:data:`DemandSpec`: ``trend``, ``growth-rates``, ``target-prior``,
``assumed-level``; :data:`PolicySpec`: ``anchored``, ``ratios``), validated when the file is read: a
missing, unknown or misspelt field is a :class:`SpecError` naming the file, table and field.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from talentgap.errors import TalentgapError
from talentgap.i18n import Text

from .loader import DATA_DIR, read_text_csv
from .plans import TrainingPlan, plan_problems
from .validate import korean_text_problem
from .vocab import EDUCATION, SHIPPED_SECTORS

ASSUMPTION_COLUMNS = ("name", "value", "low", "high", "unit", "source_id", "rationale", "rationale_ko", "basis")
#: What an assumption rests on: a published figure of the quantity itself (or arithmetic on such
#: figures), a published figure of a neighbouring quantity, or judgement.
BASES = ("data", "proxy", "judgement")
#: Assumptions every sector must state (graduates_per_year unless a graduates series is named).
REQUIRED_ASSUMPTIONS = ("separation_rate", "entry_rate", "reskilling", "foreign_inflow")
RATES = ("separation_rate", "entry_rate")


@dataclass(frozen=True)
class AssumptionSpec:
    """A named rate, share or flow with its plausible range and where it comes from."""

    name: str
    value: float
    low: float
    high: float
    unit: str
    source_id: str
    rationale: str
    basis: str = "judgement"
    rationale_ko: str = ""  # the rationale in Korean; blank only for assumptions made outside the seeds

    def as_dict(self) -> dict:
        return {"name": self.name, "value": self.value, "low": self.low, "high": self.high, "unit": self.unit,
                "source_id": self.source_id, "rationale": self.rationale, "rationale_ko": self.rationale_ko,
                "basis": self.basis}


SeriesId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Method(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrendDemand(_Method):
    """The observed stock ``trend`` forecast by the time-series models; with a single observation, growth
    toward ``growth_anchor`` (a published projection of the same population) where given."""

    method: Literal["trend"]
    trend: SeriesId
    growth_anchor: SeriesId | None = None
    shortage: SeriesId | None = None  # the latest shortage on the same definition: the first-year backlog


class GrowthRatesDemand(_Method):
    """The observed stock ``trend`` with published year-on-year growth rates of the same population
    (``growth_series``, %) as observations of change: a random walk with drift on the log scale."""

    method: Literal["growth-rates"]
    trend: SeriesId
    growth_series: SeriesId
    shortage: SeriesId | None = None


class TargetPriorDemand(_Method):
    """A thin observed stock ``trend`` with a published projection ``target`` as a prior on its level in
    the target's last year; the assumption ``target_sd`` is the prior's log-scale spread."""

    method: Literal["target-prior"]
    trend: SeriesId
    target: SeriesId
    target_sd: Name
    shortage: SeriesId | None = None


class AssumedLevelDemand(_Method):
    """No published stock: the assumption ``base_assumption`` is the level in ``base_year``, held flat
    with a random walk's spread, or growing to ``growth_bound_year`` by between none and the ratio
    assumption ``growth_bound``."""

    method: Literal["assumed-level"]
    base_assumption: Name
    base_year: StrictInt
    growth_bound: Name | None = None
    growth_bound_year: StrictInt | None = None

    @model_validator(mode="after")
    def _bound_has_a_year(self) -> AssumedLevelDemand:
        if (self.growth_bound is None) != (self.growth_bound_year is None):
            raise ValueError("growth_bound and growth_bound_year come together")
        return self


AnyDemand = TrendDemand | GrowthRatesDemand | TargetPriorDemand | AssumedLevelDemand
#: How the trend scenario's demand is built: ``[demand] method`` of a model file chooses one.
DemandSpec = Annotated[AnyDemand, Field(discriminator="method")]
#: The demand methods that forecast a published stock series (``trend``).
ObservedDemand = TrendDemand | GrowthRatesDemand | TargetPriorDemand
DEMAND_METHODS = ("trend", "growth-rates", "target-prior", "assumed-level")


class _Policy(_Method):
    label: str = ""  # the plan as the model file names it ...
    label_ko: str = ""  # ... and in Korean
    plan: TrainingPlan | None = None  # an announced training plan the policy scenario applies

    @property
    def text(self) -> Text | str:
        """The label as a :class:`~talentgap.i18n.Text` ("" when the model file names none)."""
        return Text(self.label, self.label_ko) if self.label else ""


class AnchoredPolicy(_Policy):
    """A path from the last observation to the points of a published projection ``anchor``: from the
    stock ``base`` on the anchor's definition where given, else from the projection's first point."""

    method: Literal["anchored"]
    anchor: SeriesId
    base: SeriesId | None = None


class RatioPolicy(_Policy):
    """A plan stated as growth relative to the trend's base level, with no published level: demand in
    each year of ``ratio_anchors`` is the base times the named assumption."""

    method: Literal["ratios"]
    ratio_anchors: tuple[tuple[StrictInt, Name], ...] = Field(min_length=1)


AnyPolicy = AnchoredPolicy | RatioPolicy
#: How the policy scenario's demand is built: ``[policy] method`` of a model file chooses one.
PolicySpec = Annotated[AnyPolicy, Field(discriminator="method")]
POLICY_METHODS = ("anchored", "ratios")


@dataclass(frozen=True)
class SectorSpec:
    """How the stock-flow model reads one sector's data (see seeds/README.md, "Model files")."""

    sector: str
    demand: AnyDemand
    policy: AnyPolicy | None  # None: the sector has no policy scenario
    graduates_year: int | None  # the year the graduate assumptions describe (cohort supply); None: held flat
    trend_until: int | None  # last year the field_share_trend applies
    references: tuple[str, ...]
    notes: tuple[str, ...]  # Texts: the English of ``notes`` with the Korean of ``notes_ko``
    assumptions: dict[str, AssumptionSpec] = field(default_factory=dict)
    #: the assumptions that are defaults, not the sector's own (see :mod:`.defaults`)
    defaults: tuple[str, ...] = ()

    @property
    def trend(self) -> str | None:
        """The observed stock series the demand forecasts (None for an assumed level)."""
        return None if isinstance(self.demand, AssumedLevelDemand) else self.demand.trend

    @property
    def shortage(self) -> str | None:
        """The shortage series whose latest value is the first-year backlog (None: no backlog)."""
        return None if isinstance(self.demand, AssumedLevelDemand) else self.demand.shortage

    @property
    def policy_label(self) -> Text | str:
        """The plan's label as a Text ("" when none is named)."""
        return self.policy.text if self.policy is not None else ""

    def shares(self, prefix: str) -> dict[str, float]:
        """Education shares named ``<prefix>.<level>`` (e.g. ``demand_share.bachelor``)."""
        return {name.split(".", 1)[1]: a.value for name, a in self.assumptions.items()
                if name.startswith(prefix + ".")}

    def supply_levels(self) -> tuple[str, ...]:
        """Education levels with a ``supply_share``, in education order."""
        shares = self.shares("supply_share")
        return tuple(level for level in EDUCATION if level in shares)


class SpecError(TalentgapError, ValueError):
    code = "seeds.spec_invalid"


_DEMAND: TypeAdapter = TypeAdapter(DemandSpec)
_POLICY: TypeAdapter = TypeAdapter(PolicySpec)


def _method_problems(where: Path, table: str, methods: tuple[str, ...], exc: ValidationError) -> list[str]:
    """One line per problem of a ``[demand]`` or ``[policy]`` table, naming the file, table and field."""
    out = []
    for e in exc.errors():
        loc = [str(p) for p in e["loc"]]
        if e["type"] in ("union_tag_not_found", "union_tag_invalid"):
            got = f" (got {e['input'].get('method')!r})" if isinstance(e["input"], dict) and "method" in e["input"] \
                else ""
            out.append(f"{where}: [{table}] method must be one of {', '.join(methods)}{got}")
            continue
        method = loc.pop(0) if loc and loc[0] in methods else None
        if e["type"] == "extra_forbidden":
            text = f"not a field of method {method!r}"
        elif e["type"] == "value_error":  # a rule over several fields: the rule's own words
            text = str(e["ctx"]["error"])
        else:
            text = e["msg"]
            if e["type"] != "missing" and not isinstance(e["input"], dict | list | tuple):
                text += f" (got {e['input']!r})"
        out.append(f"{where}: [{table}] {'.'.join(loc) + ': ' if loc else ''}{text}")
    return out


def parse_methods(raw: dict, where: Path) -> tuple[list[str], AnyDemand | None, AnyPolicy | None]:
    """The ``[demand]`` and ``[policy]`` tables of a model file as typed specs (``None`` where invalid, or
    for a missing ``[policy]``), with the problems found."""
    problems: list[str] = []
    demand = policy = None
    try:
        demand = _DEMAND.validate_python(raw.get("demand", {}))
    except ValidationError as exc:
        problems += _method_problems(where, "demand", DEMAND_METHODS, exc)
    if "policy" in raw:
        try:
            policy = _POLICY.validate_python(raw["policy"])
        except ValidationError as exc:
            problems += _method_problems(where, "policy", POLICY_METHODS, exc)
    return problems, demand, policy


def _assumptions_named(demand: AnyDemand | None, policy: AnyPolicy | None) -> list[str]:
    """The assumptions the demand and policy specs name."""
    names: list[str] = []
    if isinstance(demand, TargetPriorDemand):
        names.append(demand.target_sd)
    if isinstance(demand, AssumedLevelDemand):
        names += [demand.base_assumption, *([demand.growth_bound] if demand.growth_bound else [])]
    if isinstance(policy, RatioPolicy):
        names += [name for _, name in policy.ratio_anchors]
    return names


def load_spec(folder: Path, sources: set[str], *, raw: dict | None = None, assumption_rows: pd.DataFrame | None = None,
              sector: str | None = None) -> SectorSpec:
    """Read and check one sector's ``model.toml`` and ``assumptions.csv`` (or, for a sector kept in the
    store, its model tables ``raw`` and ``assumption_rows``, ``folder`` naming where they came from);
    :class:`SpecError` lists every problem, each naming its file and field."""
    sector = sector or folder.name
    model_file = folder / "model.toml"
    if raw is None:
        raw = tomllib.loads(model_file.read_text(encoding="utf-8"))
    supply, policy_table = raw.get("supply", {}), raw.get("policy", {})
    problems, demand, policy = parse_methods(raw, model_file)
    assumptions: dict[str, AssumptionSpec] = {}
    frame = read_text_csv(folder / "assumptions.csv") if assumption_rows is None else assumption_rows
    for i, rec in enumerate(frame.to_dict("records")):
        where = f"{folder / 'assumptions.csv'}: row {i + 2}"
        try:
            value, low, high = (float(rec[c]) for c in ("value", "low", "high"))
        except (KeyError, ValueError):
            problems.append(f"{where}: value, low and high must be numbers")
            continue
        if not (math.isfinite(value) and low <= value <= high):
            problems.append(f"{where}: need low <= value <= high (got {low}, {value}, {high})")
        if rec["name"].split(".")[0] in RATES and not 0 <= low <= high <= 1:
            problems.append(f"{where}: {rec['name']} is a share between 0 and 1")
        if rec["source_id"] and rec["source_id"] not in sources:
            problems.append(f"{where}: unknown source_id {rec['source_id']!r}")
        if not rec["rationale"].strip():
            problems.append(f"{where}: every assumption states why it was chosen")
        elif problem := korean_text_problem("rationale_ko", rec.get("rationale_ko", "")):
            problems.append(f"{where}: {problem}")
        level = rec["name"].split(".", 1)[1] if "." in rec["name"] else None
        if level is not None and level not in EDUCATION:
            problems.append(f"{where}: unknown education level in {rec['name']!r}")
        basis = rec.get("basis") or ("data" if rec["source_id"] else "judgement")
        if basis not in BASES:
            problems.append(f"{where}: basis must be one of {', '.join(BASES)} (got {basis!r})")
        assumptions[rec["name"]] = AssumptionSpec(rec["name"], value, low, high, rec["unit"], rec["source_id"],
                                                  rec["rationale"], basis, rec.get("rationale_ko", ""))
    needed = [*REQUIRED_ASSUMPTIONS, "graduates_per_year", *_assumptions_named(demand, policy)]
    if supply.get("graduates_year") and not any(n.startswith("supply_share.") for n in assumptions):
        problems.append(f"{model_file}: [supply] graduates_year needs supply_share.<level> assumptions")
    problems += [f"{folder}: assumption {n!r} is required" for n in needed if n not in assumptions]
    for prefix in ("demand_share", "supply_share"):
        total = sum(a.value for n, a in assumptions.items() if n.startswith(prefix + "."))
        if total and abs(total - 1) > 0.011:
            problems.append(f"{folder / 'assumptions.csv'}: {prefix}.* must add up to 1 (got {total:.3f})")
    notes, notes_ko = raw.get("notes", []), raw.get("notes_ko", [])
    if len(notes_ko) != len(notes):
        problems.append(f"{model_file}: notes_ko must translate every note, in order ({len(notes)} "
                        f"notes; got {len(notes_ko)} in notes_ko)")
    if policy_table.get("label") and not policy_table.get("label_ko"):
        problems.append(f"{model_file}: [policy] label needs label_ko, its Korean")
    if policy is not None and policy.plan is not None:
        problems += plan_problems(policy.plan, model_file, sources, set(assumptions))
    if problems or demand is None:
        raise SpecError("\n".join(problems))
    return SectorSpec(
        sector=sector, demand=demand, policy=policy,
        graduates_year=supply.get("graduates_year"), trend_until=supply.get("trend_until"),
        references=tuple(raw.get("references", {}).get("series", [])),
        notes=tuple(Text(en, ko) for en, ko in zip(notes, notes_ko)), assumptions=assumptions)


@lru_cache(maxsize=1)
def sector_specs(data_dir: Path = DATA_DIR) -> dict[str, SectorSpec]:
    """Every sector's specification, keyed by sector id."""
    from .loader import seed_dataset

    sources = set(seed_dataset().sources["source_id"])
    return {s: load_spec(data_dir / s, sources) for s in SHIPPED_SECTORS if (data_dir / s / "model.toml").exists()}
