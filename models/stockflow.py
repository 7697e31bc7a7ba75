"""The stock-flow gap model (the method of US BLS Employment Projections and Canada's COPS).

Per sector and year ``t`` after the base year:

* demand stock ``D[t]``: a :class:`DemandPath` built by :mod:`.demand` from the sector's demand and
  policy specifications (a forecast of the observed stock, or a path to a published projection), with
  its log-scale uncertainty around it;
* openings ``O[t] = max(D[t] − D[t−1], 0) + s · D[t−1]`` (expansion + replacement at separation
  rate ``s``), plus the latest published shortage (부족인원) on the same definition as a backlog in the
  first projected year;
* supply ``S[t] = Σ_levels graduates[L, t] · e[L] + reskilling + foreign inflow + other inflow`` with
  entry rate ``e[L]`` per education level, graduates carried with their birth cohorts (:mod:`.cohort`),
  and the other inflow (experienced movers, re-entrants) estimated from the observed stock path as a
  rate of the stock (:mod:`.flows`); extra graduates from a scenario pass through the sector's entry rate
  (training places are not entrants);
  dedicated seats (contract departments) enter at their own, near-certain rate; in the policy scenario an
  announced training plan's parts add their persons through the same levers (:mod:`.plans`);
* gap ``G = O − S`` (the yearly new-entrant gap), its cumulative sum, and ``gap_rate = G / (D + G)`` in
  percent; a negative gap is a surplus;
* shortage on the survey's definition (KIAT 부족인원, vacancies at the survey date) and its rate
  (부족률 = 부족인원 / (현원 + 부족인원)), continued from the last observed 부족률 (:mod:`.flows`).

Uncertainty: Monte-Carlo draws combine the demand model's interval with triangular draws over every
assumption's (low, value, high) range; p10/p50/p90 are reported for every quantity. The random seed is
fixed, so the same inputs give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talentgap.errors import TalentgapError
from talentgap.i18n import msg
from talentgap.seeds.specs import AssumptionSpec as Assumption

from .cohort import GRADUATION_AGE, CohortSupply, graduates_by_level
from .flows import InflowHistory, SurveyShortage, other_inflow, survey_quantities
from .plans import PlannedFlow
from .timeseries import Forecast

QUANTITIES = ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate", "shortage", "shortage_rate")
DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20240520
#: Lever name → (lowest, highest) allowed value; rates are shares in [0, 1].
LEVERS: dict[str, tuple[float, float]] = {
    "extra_graduates": (0, 1_000_000),
    "entry_rate": (0, 1),
    "separation_rate": (0, 1),
    "foreign_inflow": (0, 1_000_000),
    "reskilling": (0, 1_000_000),
    "start_year": (1990, 2100),
    "dedicated_seats": (0, 1_000_000),
    "dedicated_entry_rate": (0, 1),
}
#: Entry rate of dedicated seats (contract departments, 계약학과) unless ``dedicated_entry_rate`` says
#: otherwise: employment with the sponsoring firm is guaranteed, yet admitted students drop out (seed
#: 004_e64dba568495b49d.txt lines 3792-3796), so near-certain, not certain: 0.9 by judgement.
DEDICATED_ENTRY_RATE = 0.9


class ForecastInputError(TalentgapError, ValueError):
    """Inputs a forecast cannot use (unknown lever, value out of range, horizon before the data)."""

    code = "forecast.bad_input"


@dataclass(frozen=True)
class DemandPath:
    """The demand stock's forecast distribution from the base year on (base year first).

    ``base_sd`` is the log-scale spread of the base-year value itself: 0 for an observed stock; for an
    assumed scale, the range of the assumption. A Monte-Carlo draw then starts from its own level, so the
    first year's expansion carries growth only, not the uncertainty of the level.
    """

    definition: str
    base_year: int
    base_value: float
    forecast: Forecast
    observed_points: int
    method: str
    notes: tuple[str, ...] = ()
    base_sd: float = 0.0


@dataclass
class StockFlowInputs:
    """Everything the engine needs, as plain data: the demand path, assumptions, how graduates follow
    the birth cohorts (``None``: the ``graduates_per_year`` assumption held flat) and an optional
    backlog (the latest shortage on the demand's definition)."""

    demand: DemandPath
    assumptions: dict[str, Assumption]
    cohorts: CohortSupply | None = None
    backlog: float = 0.0
    inflow: InflowHistory | None = None
    survey: SurveyShortage | None = None
    plan: tuple[PlannedFlow, ...] = ()  # an announced training plan's parts (policy scenario only)


def validate_levers(levers: dict[str, float]) -> dict[str, float]:
    """Check lever names and ranges; raise :class:`ForecastInputError` naming the lever and value."""
    out = {}
    for name, value in levers.items():
        if name not in LEVERS:
            raise ForecastInputError(msg("lever.unknown", field=repr(name), levers=", ".join(LEVERS)))
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ForecastInputError(msg("lever.not_number", field=name, value=repr(value))) from None
        lo, hi = LEVERS[name]
        if not np.isfinite(value) or not lo <= value <= hi:
            raise ForecastInputError(msg("lever.out_of_range", field=name, low=lo, high=hi, value=value))
        out[name] = value
    return out


def triangular(rng: np.random.Generator, a: Assumption, n: int) -> np.ndarray:
    """Draws over (low, value, high) whose median and mode are ``value``, the figure shown with the
    assumption: half the draws from the triangle rising from ``low`` to ``value``, half from the one
    falling from ``value`` to ``high`` (a skewed range no longer moves the centre); a point where they
    coincide. The uniform numbers are stratified (one in each 1/n of the unit interval, in random order:
    Latin hypercube sampling), so the draws' median is the value itself, not only on average."""
    if a.high <= a.low:
        return np.full(n, a.value)
    mode = min(max(a.value, a.low), a.high)
    u = (rng.permutation(n) + rng.random(n)) / n
    below = a.low + (mode - a.low) * np.sqrt(2 * np.minimum(u, 0.5))
    above = a.high - (a.high - mode) * np.sqrt(2 * (1 - np.maximum(u, 0.5)))
    return np.where(u < 0.5, below, above)


def simulate(inputs: StockFlowInputs, horizon: int, *, levers: dict[str, float] | None = None,
             draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray]:
    """Monte-Carlo draws of every quantity: dict of arrays shaped ``(draws, years)``, plus ``years``.

    Levers set the matching assumption (a point value, no range) or add to supply (``extra_graduates``
    × entry rate); every lever acts from ``start_year`` (default: the first projected year), and the
    assumption's own draws stand before it.
    """
    levers = validate_levers(levers or {})
    d = inputs.demand
    if horizon <= d.base_year:
        raise ForecastInputError(msg("forecast.horizon_after_base", base=d.base_year, horizon=horizon))
    years = np.arange(d.base_year + 1, horizon + 1)
    steps = len(years)
    rng = np.random.default_rng(seed)
    a = inputs.assumptions
    base_draws: dict[str, np.ndarray] = {}  # the assumptions' draws before levers (for the flow account)

    start = int(levers.get("start_year", d.base_year + 1))
    on = years >= start  # the years a lever acts in

    def draw(name: str, default: float | None = 0.0, fallback: np.ndarray | None = None) -> np.ndarray:
        """Draws over the assumption's range, else ``fallback`` or ``default``. The assumption is drawn
        even when a lever sets it, so the random stream (and every other quantity's draws) is the same
        with and without the lever; the draws before any lever are kept for the flow account."""
        if name in a:
            drawn = triangular(rng, a[name], draws)
            base_draws[name] = drawn
            return drawn
        return fallback if fallback is not None else np.full(draws, default)

    def by_year(name: str, drawn: np.ndarray) -> np.ndarray:
        """``(draws, years)``: the lever's value from ``start_year``, the drawn assumption before it."""
        base = drawn[:, None] if drawn.ndim == 1 else drawn
        base = np.broadcast_to(base, (draws, steps))
        return np.where(on[None, :], levers[name], base) if name in levers else np.array(base)

    z = rng.standard_normal(draws)
    fc = d.forecast
    paths = fc.sample(z)  # (draws, forecast years)
    if paths.shape[1] < steps:
        raise ForecastInputError(msg("forecast.demand_too_short", covered=paths.shape[1], needed=steps))
    base = d.base_value * np.exp(z * d.base_sd)  # the same draw's level shift as its path
    demand = np.concatenate([base[:, None], paths[:, :steps]], axis=1)
    sep = by_year("separation_rate", draw("separation_rate"))
    entry_drawn = draw("entry_rate")
    entry = by_year("entry_rate", entry_drawn)
    reskilling = by_year("reskilling", draw("reskilling"))
    foreign = by_year("foreign_inflow", draw("foreign_inflow"))
    entrants, graduates = _graduate_entrants(inputs.cohorts, years, draw, entry, by_year)
    expansion = np.maximum(np.diff(demand, axis=1), 0)
    replacement = sep * demand[:, :-1]
    openings = expansion + replacement
    openings[:, 0] += inputs.backlog
    extra = np.zeros((draws, steps))
    if levers.get("extra_graduates"):
        extra = np.where(on, levers["extra_graduates"], 0)[None, :] * entry
    dedicated = np.zeros((draws, steps))
    if levers.get("dedicated_seats"):  # graduates of dedicated seats, at their own entry rate
        own_rate = levers.get("dedicated_entry_rate", DEDICATED_ENTRY_RATE)
        dedicated += np.where(on, levers["dedicated_seats"] * own_rate, 0)[None, :]
    movers, mover_rate = other_inflow(inputs.inflow, rng, demand, graduates, base_draws)
    planned = _plan_entrants(inputs.plan, years, entry)
    other = reskilling + foreign + extra + dedicated + movers + sum(planned.values(), np.zeros((draws, steps)))
    supply = sum(entrants.values()) + other
    gap = openings - supply
    dem = demand[:, 1:]
    shortage, shortage_rate = survey_quantities(inputs.survey, dem, gap, inputs.backlog)
    return {
        "years": years,
        "demand": dem,
        "openings": openings,
        "supply": supply,
        "gap": gap,
        "cumulative_gap": np.cumsum(gap, axis=1),
        "gap_rate": 100 * gap / (dem + gap),
        "shortage": shortage,
        "shortage_rate": shortage_rate,
        "other_inflow": movers,
        "other_inflow_rate": mover_rate,
        "expansion": expansion,
        "replacement": replacement,
        "graduates_by_level": graduates,
        "entrants_by_level": entrants,
        "other_supply": other,
        "extra_entrants": extra,
        "dedicated_entrants": dedicated,
        "plan_entrants": planned,
        "entry_rate": entry[:, -1],
        "entry_rate_by_year": entry,
        "start_year": start,
        "backlog": inputs.backlog,
    }


def _plan_entrants(plan: tuple[PlannedFlow, ...], years: np.ndarray, entry: np.ndarray) -> dict[str, np.ndarray]:
    """Entrants ``(draws, years)`` of each applied plan part, by its lever: trained persons
    (``extra_graduates``) × the sector's entry rate of the year (levers applied), dedicated seats × their
    own rate, reskilling and foreign persons one for one."""
    out: dict[str, np.ndarray] = {}
    for flow in plan:
        if not flow.persons:
            continue
        persons = np.array([flow.persons.get(int(y), 0.0) for y in years])[None, :]
        lever = flow.part.lever
        if lever == "extra_graduates":
            out[flow.part.id] = persons * entry
        elif lever == "dedicated_seats":
            rate = DEDICATED_ENTRY_RATE if flow.part.entry_rate is None else flow.part.entry_rate
            out[flow.part.id] = np.broadcast_to(persons * rate, entry.shape).copy()
        else:
            out[flow.part.id] = np.broadcast_to(persons, entry.shape).copy()
    return out


def _graduate_entrants(cohorts: CohortSupply | None, years: np.ndarray, draw, entry: np.ndarray,
                       by_year) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Entrants and graduates by level, each ``(draws, years)``: cohort-indexed graduates times the
    level's entry rate (``entry_rate.<level>`` where stated, else ``entry_rate``; an ``entry_rate``
    lever sets every level from its start year), or, without cohorts, the assumed annual graduates held
    flat (level ``all``). ``entry`` is the sector's entry rate by year, lever applied."""
    if cohorts is None:
        flat = np.repeat(draw("graduates_per_year")[:, None], len(years), axis=1)
        return {"all": flat * entry}, {"all": flat}
    total = draw("graduates_per_year")
    shares = {level: draw(f"supply_share.{level}") for level in cohorts.levels}
    ages = {level: draw(f"graduation_age.{level}", GRADUATION_AGE[level]) for level in cohorts.levels}
    grads = graduates_by_level(cohorts, years, total, shares, ages, draw("field_share_trend"))
    entrants: dict[str, np.ndarray] = {}
    for level, g in grads.items():
        own = draw(f"entry_rate.{level}", None, fallback=entry)
        entrants[level] = g * by_year("entry_rate", own)
    return entrants, grads


def summarise(sim: dict, *, blocks: list[tuple[str, dict[str, np.ndarray]]] | None = None,
              key: str = "education") -> list[dict]:
    """Rows of ``year`` (and ``key``, e.g. ``education`` or ``occupation``, for ``blocks`` from
    :mod:`.breakdown`) with ``{p10, p50, p90}`` for every quantity and ``gap_above_zero``, the share of
    draws whose gap is above zero (a shortage) that year."""
    years = sim["years"]
    parts: list[tuple[str | None, dict[str, np.ndarray]]] = (
        [(None, {q: sim[q] for q in QUANTITIES})] if blocks is None else list(blocks))
    qs = {name: {q: np.quantile(part[q], [0.1, 0.5, 0.9], axis=0) if q in part else np.full((3, len(years)), np.nan)
                 for q in QUANTITIES} for name, part in parts}
    rows = []
    for i, year in enumerate(years):
        for name, part in parts:
            row: dict = {"year": int(year)}
            if name is not None:
                row[key] = name
            for q in QUANTITIES:
                p10, p50, p90 = (float(v) for v in qs[name][q][:, i])
                absent = q in ("shortage", "shortage_rate") and np.isnan(p50)  # no survey figure
                row[q] = None if absent else {"p10": p10, "p50": p50, "p90": p90}
            row["gap_above_zero"] = float(np.mean(part["gap"][:, i] > 0))
            rows.append(row)
    return rows


def quality_grade(observed_points: int) -> str:
    """A: 8+ observed points on one definition; B: 3–7; C: anchors or 1–2 points only; D: no observation at
    all (the level is an assumption), the lowest grade."""
    if observed_points <= 0:
        return "D"
    return "A" if observed_points >= 8 else "B" if observed_points >= 3 else "C"
