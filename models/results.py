"""The typed results of the stock-flow model: a sector's forecast and the stored backtests.

:func:`~talentgap.models.sector.sector_forecast` builds a :class:`SectorForecast`; the service adds the
resolved sources and ex-post checks with ``model_copy(update=...)``; the HTTP API declares these types as
its response models (their field descriptions are what ``/openapi.json`` documents); the CLI, web pages,
reports and scenario texts read their attributes. Every result is frozen. Their JSON is the contract of
``talentgap forecast --format json`` and ``/api/v1/forecasts/{sector}``: ``int`` where the value is an
integer, ``float`` where it is a float, so a result stored as JSON and validated back is the same result.
Units: people are persons; flows are persons a year; rates in percent say so.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


def _absent(value: object) -> bool:
    return value is None


class Result(BaseModel):
    """Base of every result: immutable (change one with ``model_copy(update=...)``)."""

    model_config = ConfigDict(frozen=True)


class Quantiles(Result):
    """10th, 50th, 90th percentile of the Monte-Carlo draws (in the unit of the quantity)."""

    p10: float = Field(description="10th percentile of the Monte-Carlo draws")
    p50: float = Field(description="50th percentile (median) of the Monte-Carlo draws")
    p90: float = Field(description="90th percentile of the Monte-Carlo draws")


class Source(Result):
    """Where a figure comes from: a seed document's lines, or a published page."""

    source_id: str
    kind: str = Field(description="seed, url or upload")
    ref: str = Field(description="document path or URL")
    lines: str = Field(description="line range in the seed document, or empty")
    publisher: str
    published: str = Field(description="publication date or year as printed, or empty")
    description: str
    description_ko: str = Field(default="", description="the description in Korean; empty where none was "
                                                        "written (read the English description)")


# -- a sector forecast ----------------------------------------------------------------------------------


class SectorRow(Result):
    """One projected year (and education level or occupation, with ``by``) of a sector forecast."""

    year: int
    education: str | None = Field(default=None, exclude_if=_absent,
                                  description="education level; present only with by=education")
    occupation: str | None = Field(default=None, exclude_if=_absent,
                                   description="occupation id (see /skills); present only with by=occupation")
    demand: Quantiles = Field(description="workforce demand (stock), persons")
    openings: Quantiles = Field(description="job openings: expansion plus replacement (and backlog), persons a year")
    supply: Quantiles = Field(description="new entrants to the sector's workforce, persons a year")
    gap: Quantiles = Field(description="openings − supply, persons a year; negative is a surplus")
    cumulative_gap: Quantiles = Field(description="cumulative new-entrant gap: the yearly gap summed from the first "
                                                  "projected year (the window starts there), persons")
    gap_rate: Quantiles = Field(description="yearly new-entrant gap / (demand + gap), %: a flow over a stock, not "
                                            "the survey's shortage rate")
    shortage: Quantiles | None = Field(default=None, description="shortage on the survey's definition (KIAT: "
                                       "vacancies unfilled at the survey date), persons; continued from "
                                       "the last observed shortage rate; null where the sector has no survey figure")
    shortage_rate: Quantiles | None = Field(default=None, description="shortage rate on the survey's definition "
                                            "(shortage / (employed + shortage)), %; null where the sector has "
                                            "no survey figure")
    gap_above_zero: float = Field(ge=0, le=1, description="share of the Monte-Carlo draws whose gap is above zero "
                                                          "(the probability of a shortage that year), 0–1")
    period: Literal["nowcast", "projection"] = Field(
        description="nowcast (after the last observation, up to as_of) or projection")
    beyond_plan: bool = Field(description="true for policy rows after the published plan's end year, where the "
                                          "path follows the trend's growth from the plan's end level")
    extrapolated: bool = Field(default=False, description="true past the longest published plan or projection for "
                                                          "the sector, or more than ten years after the last "
                                                          "observation: nothing published holds the year")

    @property
    def part(self) -> str | None:
        """The education level or occupation of a breakdown row; ``None`` for a total row."""
        return self.education if self.education is not None else self.occupation


class EducationShare(Result):
    """One education level's shares with ``by=education``, each with what it rests on."""

    education: str
    demand_share: float | None = Field(description="published share of demand; null where demand follows "
                                                   "the graduate-entrant mix")
    demand_share_basis: str
    supply_share: float | None = Field(description="share of graduates; null where the level has none")
    supply_share_basis: str
    entrant_share_p50: float | None = Field(description="median share of graduate entrants")
    entry_rate: float = Field(description="share of the level's graduates entering the sector, 0–1")
    entry_rate_basis: str
    entry_rate_name: str = Field(description="the assumption the entry rate comes from")
    graduation_age: int | float | None = Field(description="central graduation age, years")
    shares_are: str = Field(description="data, proxy or judgement: what the shares rest on")
    backlog_share: float | None = Field(default=None, description="share of the first year's backlog, from the "
                                                                  "latest published shortage by level; null where none")


class OccupationShare(Result):
    """One occupation's shares with ``by=occupation``."""

    occupation: str
    label_en: str
    label_ko: str
    demand_share: float = Field(description="the taxonomy's share of the sector's demand")
    demand_share_range: list[float] = Field(description="low and high of the demand share")
    demand_share_source: str
    supply_share: float = Field(description="share of supply, from programmes mapped by skill similarity")
    supply_share_basis: str


class Breakdown(Result):
    """With ``by``: per level or occupation, the shares used and whether each is data, proxy or judgement."""

    by: Literal["education", "occupation"]
    levels: list[EducationShare] | None = Field(default=None, exclude_if=_absent,
                                                description="with by=education: one entry per level")
    occupations: list[OccupationShare] | None = Field(default=None, exclude_if=_absent,
                                                      description="with by=occupation: one entry per occupation")


class LeverEffect(Result):
    """What one scenario lever does, in persons."""

    lever: str
    value: float = Field(description="the value the lever sets")
    baseline: float | None = Field(default=None, description="the value without the lever, as shown with the "
                                                             "assumption (its central value; 0 where none)")
    quantity: str = Field(description="the quantity the lever moves: supply or openings")
    from_year: int = Field(description="the lever's start_year: effects before it are zero")
    effect_first: float = Field(description="change in the first affected year, persons a year")
    effect_last: float = Field(description="change in the horizon year, persons a year")
    entry_rate: float | None = Field(default=None, exclude_if=_absent,
                                     description="extra_graduates and dedicated_seats: the entry rate they pass through")
    plan_part: str | None = Field(default=None, exclude_if=_absent,
                                  description="policy scenario: the id of the training plan's part this entry is "
                                              "(value = its persons a year, baseline 0 = none without the plan)")
    to_year: int | None = Field(default=None, exclude_if=_absent, description="a plan part: its last year added")
    effect_total: float | None = Field(default=None, exclude_if=_absent,
                                       description="a plan part: its entrants over the years added, persons (median)")
    source_ids: list[str] | None = Field(default=None, exclude_if=_absent,
                                         description="a plan part: the sources of its figures")
    text: str = Field(description="e.g. 'reskilling 1,000 → 300 a year from 2027: supply -700 a year'")


class CohortYear(Result):
    """One graduation year of an education level's supply."""

    year: int
    cohort: int = Field(description="birth year of the cohort graduating (at the central age)")
    births: float = Field(description="births of that cohort, persons")
    births_filled: bool = Field(description="true where the births are interpolated or carried past the data")
    cohort_index: float = Field(description="cohort size relative to the graduates' base year")
    graduates_p50: float = Field(description="median graduates, persons a year")
    entrants_p50: float = Field(description="median graduates entering the sector, persons a year")


class SupplyCohort(Result):
    """An education level's supply by birth cohort."""

    education: str
    graduation_age: int | float = Field(description="central graduation age, years")
    graduates_year: int = Field(description="the year of the graduate counts the cohorts are scaled from")
    by_year: list[CohortYear]


class Assumption(Result):
    """A rate, share or flow the model assumes, with its plausible range and source."""

    name: str
    value: float = Field(description="central value (in unit)")
    low: float = Field(description="low end of the plausible range")
    high: float = Field(description="high end of the plausible range")
    unit: str = Field(description="e.g. 'share per year', 'persons per year'")
    source_id: str = Field(description="source of the figure, or empty")
    rationale: str
    rationale_ko: str = Field(default="", description="the rationale in Korean; empty where none was written "
                                                      "(read the English rationale)")
    basis: str = Field(description="data (a published figure of the quantity), proxy (of a neighbouring "
                                   "quantity) or judgement")


class ObservedPoint(Result):
    """An observed demand figure on the forecast's definition."""

    year: int
    value: float = Field(description="persons")
    series_id: str
    source_id: str


class ReferencePoint(Result):
    year: int
    value: float = Field(description="in the series' unit (usually persons)")


class ReferenceLine(Result):
    """A published projection or count shown next to the forecast for comparison."""

    series_id: str
    definition: str
    metric: str
    points: list[ReferencePoint]


class ExPostCheck(Result):
    """How far an earlier dataset version's forecast was from a figure now observed."""

    dataset_version: int = Field(description="the earlier version the forecast was made on")
    year: int
    forecast_p50: float = Field(description="that forecast's median demand, persons")
    actual: float = Field(description="the observed demand, persons")
    error_pct: float = Field(description="(forecast − actual) / actual, %")
    inside_p10_p90: bool = Field(description="whether the actual fell inside the forecast's p10–p90 range")


class SectorForecast(Result):
    """A sector's supply-demand forecast from the stock-flow model (``talentgap forecast --format json``)."""

    sector: str
    base_year: int = Field(description="last year of observed (or assumed) demand")
    horizon: int = Field(description="last projected year")
    horizon_limit: int = Field(description="furthest allowed horizon: base year + 30, at most 2060")
    as_of: int = Field(description="current year: rows after the last observation up to it are nowcasts")
    scenario: str = Field(description="trend, policy or a saved scenario's name")
    dataset_version: int | None = Field(description="the dataset version the forecast was computed on")
    model_version: str
    quality_grade: str = Field(description="A: 8+ observed points on one definition; B: 3–7; C: anchors or 1–2 only; "
                                                  "D: no observation (an assumed level)")
    definition: str = Field(description="population definition the demand is on")
    method: str = Field(description="how demand is projected, e.g. a time-series model or anchored")
    plan_end_year: int | None = Field(description="policy: the published plan's last year; null for trend")
    levers: dict[str, float] = Field(description="scenario levers applied (lever name → value)")
    lever_effects: list[LeverEffect] = Field(description="each lever's effect in persons")
    cumulative_from: int | None = Field(default=None, description="the first year every row's cumulative_gap sums "
                                                                  "from (the first year after the base year): its "
                                                                  "window is cumulative_from to the row's year")
    by: Literal["education", "occupation"] | None = Field(description="education, occupation or null (totals)")
    breakdown: Breakdown | None = Field(description="with by: per level or occupation, the shares used and whether "
                                                    "each is data, proxy or judgement")
    rows: list[SectorRow] = Field(description="one row per projected year (and education level or occupation)")
    supply_cohorts: list[SupplyCohort] = Field(description="per education level and year: the birth cohort "
                                                           "graduating, its births, the cohort index, graduates "
                                                           "and entrants (p50)")
    assumptions: list[Assumption]
    observed: list[ObservedPoint] = Field(description="observed demand on the forecast's definition")
    reference_lines: list[ReferenceLine]
    notes: list[str] = Field(description="caveats and what the model did, in plain language (English)")
    note_ids: list[dict[str, Any] | None] = Field(
        default_factory=list,
        description="per note, in the order of notes: its message id and parameters in the notes catalogue "
                    "(talentgap/locale/<lang>/LC_MESSAGES/notes.po), e.g. {\"key\": \"backlog.added\", \"params\": "
                    "{\"year\": 2021, \"backlog\": 2200.0}}, or {\"text\": {\"en\": …, \"ko\": …}} for a note the "
                    "data gives in both languages; a parameter may itself be such a note or {\"items\": [...], "
                    "\"sep\": \", \"}; null for a note without an id. Lets an interface show the notes in Korean")
    base_scenario: str = Field(description="the built-in scenario (trend or policy) underneath")
    sources: list[Source] = Field(default_factory=list, description="the sources of the figures used")
    ex_post: list[ExPostCheck] = Field(default_factory=list,
                                       description="errors of earlier versions' forecasts against new data")
    source_ids: tuple[str, ...] = Field(default=(), exclude=True,
                                        description="ids of the sources used (resolved into sources by the service)")

    def totals(self) -> list[SectorRow]:
        """The rows of the whole sector (empty for a forecast by education level or occupation)."""
        return [r for r in self.rows if r.part is None]


# -- backtests ------------------------------------------------------------------------------------------


class BacktestScore(Result):
    """A model's rolling-origin scores (Hyndman & Koehler 2006); null where undefined."""

    model: str
    mase: float | None = Field(description="mean absolute scaled error (1 = one-year naive change)")
    smape: float | None = Field(description="symmetric mean absolute percentage error, %")
    coverage: float | None = Field(description="share of actuals inside the 80 % interval, %")
    forecasts: int = Field(description="number of forecasts scored")
    series: int = Field(description="number of series scored")


class BacktestSeriesScore(BacktestScore):
    """A model's scores on one series."""

    series_id: str


class Backtest(Result):
    """Rolling-origin backtests of the annual-series forecasters, as stored by the job a dataset version's
    activation queues (never computed by the request)."""

    dataset_version: int | None = Field(description="the dataset version these backtests were computed from")
    model_version: str
    default_model: str = Field(description="the model the service uses by default")
    table: list[BacktestScore] = Field(description="scores per model over all series")
    series: list[BacktestSeriesScore] = Field(description="scores per model and series")
    status: Literal["current", "previous", "computing"] = Field(
        default="current",
        description="current: the active version's; previous: an earlier version's, while the active one's are "
                    "computed; computing: none stored yet (empty tables)")
    active_version: int | None = Field(default=None, description="the dataset version active now")
