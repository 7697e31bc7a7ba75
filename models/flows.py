"""Flow accounts reconciled with the observed stock, and the survey's shortage carried forward.

The stock on a definition (basis) moves as ``K(t) = K(t−1) + entrants(t) − separations(t)`` with
entrants = new graduates × entry rate by level + experienced movers from other industries + re-entrants
+ foreign + reskilling. Movers and re-entrants are not counted by any survey; they are one *other
inflow* term estimated from the observed stock path and the separation rate:

* the observed yearly growth ``g`` of the stock (published growth rates, and the geometric rate of each
  interval between published levels for the years no rate covers) gives the gross inflow rate the
  history needed, ``g + s`` of the stock (separation rate ``s``);
* the other inflow rate is that gross rate less the known entrants' rate (graduate entrants,
  reskilling and foreign inflow at their assumed values, in the first projected year, over the base
  stock), in each Monte-Carlo draw, so a draw with a higher separation rate or a lower entry rate has
  more other inflow, as the history requires;
* its uncertainty is the standard error of the mean growth (standard deviation of the yearly rates
  over the square root of the number of independent figures), drawn once per draw;
* a sector without an observed stock path (fewer than :data:`MIN_FIGURES` figures of growth) uses the ``other_inflow_rate`` assumption (a proxy with its
  own source), else none, and says so.

The other inflow is a rate of the stock, so it enters supply as ``rate × D(t−1)`` on whatever basis the
demand is counted: a broader definition (an association's all-worker count) gets a proportionally
larger supply, and changing the demand definition changes supply consistently.

**Shortage on the survey's definition** (KIAT 부족인원: vacancies unfilled at the survey date;
부족률 = 부족인원 / (현원 + 부족인원)): the last observed 부족률 ``v0`` on the sector's survey is the
structural vacancy level; a year's openings not met by entrants add to it that year, and are filled or
withdrawn by the next survey (history: the survey's 부족인원 stayed flat while the stock grew), so
``shortage(t) = max(0, v0 / (1 − v0) · D(t) + gap(t) − backlog(t))`` and
``shortage_rate = shortage / (D + shortage)``, demand ``D`` being the path of the observed stock (현원). The cumulative new-entrant gap (openings not met by new
supply, summed over a window) is a different quantity and is labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from talentgap.i18n import catalogue, note
from talentgap.seeds.specs import AssumedLevelDemand, AssumptionSpec, GrowthRatesDemand, SectorSpec

#: The assumption a sector without an observed stock path may give for its other inflow (share of stock a year).
OTHER_INFLOW_ASSUMPTION = "other_inflow_rate"
#: Fewest independent published figures of growth (rates and level intervals) to estimate the inflow from.
MIN_FIGURES = 3


@dataclass(frozen=True)
class InflowHistory:
    """The observed stock path's yearly growth on one definition, from which the other inflow is estimated;
    or, without a path, the assumed rate."""

    definition: str
    years: tuple[int, ...] = ()
    growth: tuple[float, ...] = ()  # yearly growth rates of the stock, shares
    figures: int = 0  # independent published figures behind them (rates and level intervals)
    source_ids: frozenset[str] = frozenset()
    assumed: AssumptionSpec | None = None

    @property
    def mean(self) -> float:
        return float(np.mean(self.growth)) if self.growth else 0.0

    @property
    def se(self) -> float:
        """Standard error of the mean growth (sd of the yearly rates / √figures); 0 for one figure."""
        if len(self.growth) < 2 or self.figures < 1:
            return 0.0
        return float(np.std(self.growth, ddof=1) / np.sqrt(self.figures))


@dataclass(frozen=True)
class SurveyShortage:
    """The last observed 부족률 (percent) on the sector's survey, its year and source."""

    rate: float
    year: int
    definition: str
    source_id: str


def stock_growth(spec: SectorSpec, obs: pd.DataFrame, up_to: int) -> InflowHistory | None:
    """The observed yearly growth of the sector's trend stock up to ``up_to`` (``None`` without a path)."""
    d = spec.demand
    if isinstance(d, AssumedLevelDemand):
        return _assumed(spec)
    s = obs[(obs["series_id"] == d.trend) & (obs["year"] <= up_to)].sort_values("year")
    rates: dict[int, float] = {}
    sources = set(s["source_id"])
    figures = 0
    if isinstance(d, GrowthRatesDemand):
        g = obs[(obs["series_id"] == d.growth_series) & (obs["year"] <= up_to)]
        rates = {int(r.year): float(r.value) / 100 for r in g.itertuples()}
        sources |= set(g["source_id"])
        figures = len(rates)
    levels = list(zip(s["year"].astype(int), s["value"].astype(float), strict=True))
    for (y0, v0), (y1, v1) in zip(levels, levels[1:], strict=False):
        inside = [y for y in range(y0 + 1, y1 + 1) if y in rates]
        rest = [y for y in range(y0 + 1, y1 + 1) if y not in rates]
        if not rest or v0 <= 0 or v1 <= 0:
            continue
        covered = float(np.prod([1 + rates[y] for y in inside])) if inside else 1.0
        rate = (v1 / v0 / covered) ** (1 / len(rest)) - 1
        rates.update({y: rate for y in rest})
        figures += 1
    rates = {y: r for y, r in rates.items() if y <= up_to}
    if not rates or figures < MIN_FIGURES:
        return _assumed(spec)
    years = tuple(sorted(rates))
    definition = str(s["definition"].iloc[0]) if len(s) else ""
    return InflowHistory(definition, years, tuple(rates[y] for y in years), figures, frozenset(sources))


def _assumed(spec: SectorSpec) -> InflowHistory | None:
    a = spec.assumptions.get(OTHER_INFLOW_ASSUMPTION)
    return InflowHistory("", assumed=a, source_ids=frozenset([a.source_id] if a.source_id else [])) if a else None


def survey_shortage(spec: SectorSpec, obs: pd.DataFrame, up_to: int) -> SurveyShortage | None:
    """The latest 부족률 up to ``up_to`` on the survey the sector's shortage series comes from: the
    published rate, or 부족인원 / (현원 + 부족인원) where the count and the stock are both published."""
    if not spec.shortage:
        return None
    rate_id = rate_series(spec.shortage)
    own = obs[obs["year"] <= up_to]
    found: list[tuple[int, float, str, str]] = []
    for r in own[own["series_id"] == rate_id].itertuples():
        found.append((int(r.year), float(r.value), str(r.definition), str(r.source_id)))
    stock_id = getattr(spec.demand, "trend", None)
    stock = own[own["series_id"] == stock_id].set_index("year")["value"] if stock_id else pd.Series(dtype=float)
    for r in own[own["series_id"] == spec.shortage].itertuples():
        if int(r.year) in stock.index and not any(f[0] == int(r.year) for f in found):
            k = float(stock.loc[int(r.year)])
            found.append((int(r.year), 100 * float(r.value) / (k + float(r.value)), str(r.definition),
                          str(r.source_id)))
    if not found:
        return None
    year, rate, definition, source = max(found)
    return SurveyShortage(rate, year, definition, source)


def rate_series(shortage_id: str) -> str:
    parts = shortage_id.split(".")
    return ".".join([parts[0], "shortage_rate", *parts[2:]]) if len(parts) > 2 else shortage_id


def other_inflow(history: InflowHistory | None, rng: np.random.Generator, demand: np.ndarray,
                 graduates: dict[str, np.ndarray], base: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The other inflow ``(draws, years)`` and its rate per draw. ``demand`` is ``(draws, years + 1)`` from
    the base year; ``graduates`` by level; ``base`` the assumptions' draws before any lever, so a lever
    changes supply and is not absorbed by the estimate."""
    n = demand.shape[0]
    if history is None:
        return np.zeros((n, demand.shape[1] - 1)), np.zeros(n)
    rate: np.ndarray
    if history.assumed is not None:
        a = history.assumed  # triangular over (low, value, high), as every assumption is drawn
        rate = np.full(n, a.value) if a.high <= a.low else np.asarray(
            rng.triangular(a.low, min(max(a.value, a.low), a.high), a.high, n))
    else:
        growth = history.mean + history.se * rng.standard_normal(n)
        zero = np.zeros(n)
        known = base.get("reskilling", zero) + base.get("foreign_inflow", zero)
        entry = base.get("entry_rate", zero)
        for level, g in graduates.items():
            known = known + g[:, 0] * base.get(f"entry_rate.{level}", entry)
        rate = np.asarray(growth + base.get("separation_rate", zero) - known / demand[:, 0])
    return rate[:, None] * demand[:, :-1], rate


def survey_quantities(survey: SurveyShortage | None, demand: np.ndarray, gap: np.ndarray,
                      backlog: float) -> tuple[np.ndarray, np.ndarray]:
    """Shortage (persons) and shortage rate (%) on the survey's definition, ``(draws, years)`` each; NaN
    where the sector has no survey figure."""
    if survey is None:
        nan = np.full_like(gap, np.nan)
        return nan, nan
    flow = gap.copy()
    flow[:, 0] -= backlog  # the backlog is the survey's vacancies already counted in v0
    v0 = survey.rate / 100
    shortage = np.maximum(v0 / (1 - v0) * demand + flow, 0)  # demand is the stock's path (현원)
    return shortage, 100 * shortage / (demand + shortage)


def inflow_notes(history: InflowHistory | None, survey: SurveyShortage | None, rate: np.ndarray,
                 other: np.ndarray, definition: str) -> list:
    """What was estimated, with its figures, for the forecast's notes."""
    out = []
    p10, p50, p90 = (float(v) for v in np.quantile(rate * 100, [0.1, 0.5, 0.9]))
    first = float(np.median(other[:, 0]))
    if history is None:
        out.append(note("flows.no_other_inflow"))
    elif history.assumed is not None:
        a = history.assumed
        out.append(note("flows.other_inflow_assumed", name=a.name, value=a.value * 100, low=a.low * 100,
                        high=a.high * 100, persons=first))
    else:
        out.append(note("flows.other_inflow", first=history.years[0], last=history.years[-1],
                        growth=history.mean * 100, se=history.se * 100, figures=history.figures, p10=p10,
                        p50=p50, p90=p90, persons=first, definition=history.definition or definition))
    if survey is not None:
        out.append(note("flows.survey_shortage", rate=survey.rate, year=survey.year, definition=survey.definition))
    return out


def inflow_assumption(history: InflowHistory | None, rate: np.ndarray) -> dict | None:
    """The estimated other inflow as a row of the result's assumptions (basis ``data``), or ``None``."""
    if history is None or history.assumed is not None:
        return None
    p10, p50, p90 = (float(v) for v in np.quantile(rate, [0.1, 0.5, 0.9]))
    return {"name": OTHER_INFLOW_ASSUMPTION, "value": p50, "low": p10, "high": p90, "unit": "share of stock per year",
            "source_id": sorted(history.source_ids)[0] if history.source_ids else "",
            **{key: catalogue(lang)["other_inflow_rationale"].format(growth=history.mean, first=history.years[0],
                                                                      last=history.years[-1], figures=history.figures)
               for key, lang in (("rationale", "en"), ("rationale_ko", "ko"))},
            "basis": "data"}
