"""Per-sector model specifications: which series feed the stock-flow model, and its assumptions.

Each sector folder holds ``model.toml`` (the roles of series: demand stock, policy anchor, shortage
backlog, graduates, reference projections) and ``assumptions.csv`` (``name, value, low, high, unit,
source_id, rationale, rationale_ko, basis``). Adding a sector is adding a folder, not code.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from talentgap.errors import TalentgapError
from talentgap.i18n import Text

from .loader import DATA_DIR, read_text_csv
from .validate import korean_text_problem
from .vocab import EDUCATION, SECTORS

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


@dataclass(frozen=True)
class SectorSpec:
    """How the stock-flow model reads one sector's data (see seeds/README.md, "Model files")."""

    sector: str
    trend: str | None  # observed stock series for the trend scenario
    growth_anchor: str | None  # projection of the same population, for growth when trend has 1 point
    growth_series: str | None  # published year-on-year growth rates (%) of the trend's population
    base_assumption: str | None  # or, where no stock is published, an assumed base level ...
    base_year: int | None  # ... and the year it describes
    shortage: str | None
    policy_anchor: str | None
    policy_base: str | None
    policy_label: str  # a Text (English, with .ko) where the model file names the plan
    policy_ratios: tuple[tuple[int, str], ...]  # (year, assumption name): anchors as multiples of the base
    graduates_year: int | None  # the year the graduate assumptions describe (cohort supply); None: held flat
    trend_until: int | None  # last year the field_share_trend applies
    target: str | None  # a published projection used as a prior on a thin trend's level
    target_sd: str | None  # the assumption giving that prior's log-scale spread
    growth_bound: str | None  # for an assumed level: the ratio assumption bounding growth ...
    growth_bound_year: int | None  # ... to this year
    references: tuple[str, ...]
    notes: tuple[str, ...]  # Texts: the English of ``notes`` with the Korean of ``notes_ko``
    assumptions: dict[str, AssumptionSpec] = field(default_factory=dict)

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


def load_spec(folder: Path, sources: set[str]) -> SectorSpec:
    """Read and check one sector's ``model.toml`` and ``assumptions.csv``."""
    sector = folder.name
    problems: list[str] = []
    raw = tomllib.loads((folder / "model.toml").read_text(encoding="utf-8"))
    demand, policy, supply = raw.get("demand", {}), raw.get("policy", {}), raw.get("supply", {})
    assumptions: dict[str, AssumptionSpec] = {}
    frame = read_text_csv(folder / "assumptions.csv")
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
    needed = list(REQUIRED_ASSUMPTIONS) + ["graduates_per_year"]
    if supply.get("graduates_year") and not any(n.startswith("supply_share.") for n in assumptions):
        problems.append(f"{folder / 'model.toml'}: [supply] graduates_year needs supply_share.<level> assumptions")
    if demand.get("target"):
        needed.append(str(demand.get("target_sd", "")))
    if demand.get("growth_bound"):
        needed.append(str(demand["growth_bound"]))
    if demand.get("base_assumption"):
        needed.append(demand["base_assumption"])
    needed += [str(n) for _, n in policy.get("ratio_anchors", [])]
    problems += [f"{folder}: assumption {n!r} is required" for n in needed if n not in assumptions]
    if not demand.get("trend") and not demand.get("base_assumption"):
        problems.append(f"{folder / 'model.toml'}: [demand] needs trend (a stock series) or base_assumption")
    for prefix in ("demand_share", "supply_share"):
        total = sum(a.value for n, a in assumptions.items() if n.startswith(prefix + "."))
        if total and abs(total - 1) > 0.011:
            problems.append(f"{folder / 'assumptions.csv'}: {prefix}.* must add up to 1 (got {total:.3f})")
    notes, notes_ko = raw.get("notes", []), raw.get("notes_ko", [])
    if len(notes_ko) != len(notes):
        problems.append(f"{folder / 'model.toml'}: notes_ko must translate every note, in order ({len(notes)} "
                        f"notes; got {len(notes_ko)} in notes_ko)")
    if policy.get("label") and not policy.get("label_ko"):
        problems.append(f"{folder / 'model.toml'}: [policy] label needs label_ko, its Korean")
    if problems:
        raise SpecError("\n".join(problems))
    label = Text(policy["label"], policy["label_ko"]) if policy.get("label") else ""
    return SectorSpec(
        sector=sector, trend=demand.get("trend"), growth_anchor=demand.get("growth_anchor"),
        growth_series=demand.get("growth_series"),
        base_assumption=demand.get("base_assumption"),
        base_year=demand.get("base_year"), shortage=demand.get("shortage"),
        policy_anchor=policy.get("anchor"), policy_base=policy.get("base"), policy_label=label,
        policy_ratios=tuple((int(y), str(n)) for y, n in policy.get("ratio_anchors", [])),
        graduates_year=supply.get("graduates_year"), trend_until=supply.get("trend_until"),
        target=demand.get("target"), target_sd=demand.get("target_sd"), growth_bound=demand.get("growth_bound"),
        growth_bound_year=demand.get("growth_bound_year"), references=tuple(raw.get("references", {}).get("series", [])),
        notes=tuple(Text(en, ko) for en, ko in zip(notes, notes_ko)), assumptions=assumptions)


@lru_cache(maxsize=1)
def sector_specs(data_dir: Path = DATA_DIR) -> dict[str, SectorSpec]:
    """Every sector's specification, keyed by sector id."""
    from .loader import seed_dataset

    sources = set(seed_dataset().sources["source_id"])
    return {s: load_spec(data_dir / s, sources) for s in SECTORS if (data_dir / s / "model.toml").exists()}
