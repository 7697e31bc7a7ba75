"""Response models of the HTTP API, part two: forecasts, backtests, series, skills and scenarios (the
results that grow with the models allow extra keys, which pass through unchanged)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .public import Extensible, Public, Quantiles, SourcePublic, UtcDateTime

# -- forecasts ------------------------------------------------------------------------------------------


class ForecastRowPublic(Public):
    """One projected year (and education level, with ``by=education``) of a sector forecast."""

    year: int
    education: str | None = Field(default=None, exclude_if=lambda v: v is None,
                                  description="education level; present only with by=education")
    occupation: str | None = Field(default=None, exclude_if=lambda v: v is None,
                                   description="occupation id (see /skills); present only with by=occupation")
    demand: Quantiles = Field(description="workforce demand (stock), persons")
    openings: Quantiles = Field(description="job openings: expansion plus replacement (and backlog), persons a year")
    supply: Quantiles = Field(description="new entrants to the sector's workforce, persons a year")
    gap: Quantiles = Field(description="openings − supply, persons a year; negative is a surplus")
    cumulative_gap: Quantiles = Field(description="gap summed from the first projected year, persons")
    shortage_rate: Quantiles = Field(description="gap / (demand + gap), %")
    period: str = Field(description="nowcast (after the last observation, up to as_of) or projection")
    beyond_plan: bool = Field(description="true for policy rows after the published plan's end year, where the "
                                          "path follows the trend's growth from the plan's end level")


class AssumptionPublic(Public):
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


class ObservedPointPublic(Public):
    """An observed demand figure on the forecast's definition."""

    year: int
    value: float = Field(description="persons")
    series_id: str
    source_id: str


class ReferencePointPublic(Public):
    year: int
    value: float = Field(description="in the series' unit (usually persons)")


class ReferenceLinePublic(Public):
    """A published projection or count shown next to the forecast for comparison."""

    series_id: str
    definition: str
    metric: str
    points: list[ReferencePointPublic]


class ExPostCheckPublic(Public):
    """How far an earlier dataset version's forecast was from a figure now observed."""

    dataset_version: int = Field(description="the earlier version the forecast was made on")
    year: int
    forecast_p50: float = Field(description="that forecast's median demand, persons")
    actual: float = Field(description="the observed demand, persons")
    error_pct: float = Field(description="(forecast − actual) / actual, %")
    inside_p10_p90: bool = Field(description="whether the actual fell inside the forecast's p10–p90 range")


class LeverEffectPublic(Public):
    """What one scenario lever does, in persons."""

    lever: str
    value: float
    quantity: str = Field(description="the quantity the lever moves: supply or openings")
    from_year: int
    effect_first: float = Field(description="change in the first affected year, persons a year")
    effect_last: float = Field(description="change in the horizon year, persons a year")
    entry_rate: float | None = Field(default=None, exclude_if=lambda v: v is None,
                                     description="extra_graduates only: the p50 entry rate they pass through")
    text: str = Field(description="e.g. 'extra_graduates 500 × entry rate 0.11 = 54 entrants a year from 2027'")


class ForecastPublic(Extensible):
    """A sector's supply-demand forecast from the stock-flow model (``talentgap forecast --format json``)."""

    sector: str
    base_year: int = Field(description="last year of observed (or assumed) demand")
    horizon: int = Field(description="last projected year")
    horizon_limit: int = Field(description="furthest allowed horizon: base year + 30, at most 2060")
    as_of: int = Field(description="current year: rows after the last observation up to it are nowcasts")
    scenario: str = Field(description="trend, policy or a saved scenario's name")
    dataset_version: int
    model_version: str
    quality_grade: str = Field(description="A: 8+ observed points on one definition; B: 3–7; C: anchors or 1–2 only")
    definition: str = Field(description="population definition the demand is on")
    method: str = Field(description="how demand is projected, e.g. a time-series model or anchored")
    plan_end_year: int | None = Field(description="policy: the published plan's last year; null for trend")
    levers: dict[str, float] = Field(description="scenario levers applied (lever name → value)")
    lever_effects: list[LeverEffectPublic] = Field(description="each lever's effect in persons")
    by: str | None = Field(description="education, occupation or null (totals)")
    breakdown: dict | None = Field(description="with by: per level or occupation, the shares used and whether "
                                               "each is data, proxy or judgement")
    rows: list[ForecastRowPublic] = Field(description="one row per projected year (and education level or "
                                                      "occupation)")
    supply_cohorts: list[dict] = Field(description="per education level and year: the birth cohort graduating, "
                                                   "its births, the cohort index, graduates and entrants (p50)")
    assumptions: list[AssumptionPublic]
    observed: list[ObservedPointPublic] = Field(description="observed demand on the forecast's definition")
    reference_lines: list[ReferenceLinePublic]
    notes: list[str] = Field(description="caveats and what the model did, in plain language (English)")
    note_ids: list[dict | None] = Field(
        default_factory=list,
        description="per note, in the order of notes: its message id and parameters in the notes catalogue "
                    "(talentgap/locale/<lang>/LC_MESSAGES/notes.po), e.g. {\"key\": \"backlog.added\", \"params\": "
                    "{\"year\": 2021, \"backlog\": 2200.0}}, or {\"text\": {\"en\": …, \"ko\": …}} for a note the "
                    "data gives in both languages; a parameter may itself be such a note or {\"items\": [...], "
                    "\"sep\": \", \"}; null for a note without an id. Lets an interface show the notes in Korean")
    base_scenario: str = Field(description="the built-in scenario (trend or policy) underneath")
    sources: list[SourcePublic]
    ex_post: list[ExPostCheckPublic] = Field(description="errors of earlier versions' forecasts against new data")


class BacktestScorePublic(Public):
    """A model's rolling-origin scores (Hyndman & Koehler 2006); null where undefined."""

    model: str
    mase: float | None = Field(description="mean absolute scaled error (1 = one-year naive change)")
    smape: float | None = Field(description="symmetric mean absolute percentage error, %")
    coverage: float | None = Field(description="share of actuals inside the 80 % interval, %")
    forecasts: int = Field(description="number of forecasts scored")
    series: int = Field(description="number of series scored")


class BacktestSeriesScorePublic(BacktestScorePublic):
    """A model's scores on one series."""

    series_id: str


class BacktestPublic(Extensible):
    """Rolling-origin backtests of the annual-series forecasters, as stored by the job a dataset version's
    activation queues (never computed by the request)."""

    status: Literal["current", "previous", "computing"] = Field(
        description="current: the active version's; previous: an earlier version's, while the active one's are "
                    "computed; computing: none stored yet (empty tables)")
    active_version: int = Field(description="the dataset version active now")
    dataset_version: int | None = Field(description="the dataset version these backtests were computed from")
    model_version: str
    default_model: str = Field(description="the model the service uses by default")
    table: list[BacktestScorePublic] = Field(description="scores per model over all series")
    series: list[BacktestSeriesScorePublic] = Field(description="scores per model and series")


class SeriesForecastRowPublic(Public):
    """One forecast year of one submitted series."""

    series_id: str
    year: int
    forecast: float = Field(description="point forecast, in the series' unit")
    lower: float = Field(description="lower bound of the level % interval")
    upper: float = Field(description="upper bound of the level % interval")
    model: str = Field(description="the model used (after any fallback)")
    members: str = Field(description="the members that carried the forecast with their shares, largest first "
                                     "(e.g. \"global 0.40, theta_log 0.35, drift_level 0.25\")")


class FallbackPublic(Public):
    """A series forecast with a simpler model than asked for, and why."""

    series_id: str
    model: str
    fallback_reason: str


class SeriesForecastPublic(Public):
    """Forecasts of submitted series, each ``h`` years past its own last year or up to ``horizon``."""

    h: int | None = Field(description="years forecast past each series' last year, when asked by count")
    horizon: int | None = Field(description="calendar year every series was forecast up to, when asked by year")
    level: int | float = Field(description="prediction interval level, %")
    rows: list[SeriesForecastRowPublic]
    fallbacks: list[FallbackPublic] = Field(description="one entry per series that fell back")


# -- skills ---------------------------------------------------------------------------------------------


class SkillPublic(Public):
    """A skill of the taxonomy."""

    id: str
    label_en: str
    label_ko: str
    sectors: list[str] = Field(description="sectors the skill belongs to; empty for shared skills")
    source_id: str


class SkillGapRowPublic(Public):
    """Openings, supply and gap for one skill and year of a sector."""

    skill: str
    year: int
    demand: Quantiles = Field(description="openings needing the skill, persons a year")
    supply: Quantiles = Field(description="new entrants with the skill, persons a year")
    gap: Quantiles = Field(description="demand − supply, persons a year")


class GapMatchPublic(Public):
    """An occupation the skill profile matches."""

    occupation: str
    label_en: str
    label_ko: str
    sector: str
    similarity: float = Field(description="cosine similarity to the profile, 0–1")
    weight: float = Field(description="share of the matched occupations' total similarity")


class GapProgrammePublic(Public):
    """A catalogued programme the skill profile matches."""

    programme: str
    name_en: str
    sector: str
    similarity: float = Field(description="cosine similarity to the profile, 0–1")


class GapRowPublic(Public):
    """One projected year for a skill profile."""

    year: int
    demand: Quantiles = Field(description="similarity-weighted openings, persons a year")
    supply: Quantiles = Field(description="similarity-weighted supply, persons a year")
    gap: Quantiles = Field(description="demand − supply, persons a year")


class GapPublic(Extensible):
    """Projected demand, supply and gap for a skill profile, with the matched occupations."""

    profile: dict[str, float] = Field(description="skill id → weight, as given")
    matches: list[GapMatchPublic]
    programmes: list[GapProgrammePublic]
    rows: list[GapRowPublic]
    sector: str | None = Field(description="the sector asked for, or null for all")
    horizon: int | None = Field(description="the horizon asked for, or null for the default")
    dataset_version: int
    model_version: str
    scenario: str
    method: str = Field(description="how demand and supply of the profile are computed (English)")
    method_id: dict | None = Field(default=None, description="the method's message id in the notes catalogue "
                                                             "({\"key\": \"gap.method\", \"params\": {}})")


class OutlookPublic(Public):
    year: int
    openings_per_graduate: Quantiles = Field(
        description="matched openings per comparable graduate entering the sector; above 1: more openings")


class SkillToAddPublic(Public):
    """A skill whose addition lowers the programme's mismatch."""

    skill: str
    weight: float = Field(description="the weight at which adding it lowers the mismatch most")
    mismatch_after: float = Field(description="mismatch index with the skill added, 0–1")
    effect: float = Field(description="change in the mismatch index (negative is better)")


class ProgrammeMatchPublic(Public):
    occupation: str
    sector: str
    similarity: float = Field(description="cosine similarity to the programme's skills, 0–1")


class ProgrammeAssessmentPublic(Extensible):
    """A programme's demand outlook, mismatch index and skills to add."""

    name: str
    sector: str
    degree: str
    seats_per_year: float = Field(description="graduates a year, persons")
    region: str | None
    entry_rate: float = Field(description="share of graduates entering the sector, 0–1")
    entry_rate_source: str
    entry_rate_source_ko: str = Field(default="", description="entry_rate_source in Korean; empty where none")
    outlook: list[OutlookPublic]
    mismatch: float = Field(description="1 − cosine similarity to the sector's demand skill mix, 0–1")
    skills_to_add: list[SkillToAddPublic]
    matches: list[ProgrammeMatchPublic]
    dataset_version: int
    model_version: str
    mismatch_method: str


# -- scenarios ------------------------------------------------------------------------------------------


class ScenarioPublic(Public):
    """A saved what-if: a sector, a built-in base scenario and lever overrides."""

    id: int
    name: str
    sector: str
    base: str = Field(description="trend or policy")
    levers: dict[str, float] = Field(description="lever name → value, e.g. extra_graduates in persons a year")
    description: str
    created_at: UtcDateTime


class ScenarioDetailPublic(ScenarioPublic):
    """A saved scenario with its forecast on the active dataset."""

    forecast: ForecastPublic

