"""Response models of the HTTP API, part two: series forecasts, skills and scenarios (the results that
grow with the models allow extra keys, which pass through unchanged). Forecasts and backtests are the
service's typed results themselves (:class:`~talentgap.models.results.SectorForecast`,
:class:`~talentgap.models.results.Backtest`)."""

from __future__ import annotations

from pydantic import Field

from ..service import Quantiles, SectorForecast
from .public import Extensible, Public, UtcDateTime

# -- series ---------------------------------------------------------------------------------------------


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


class GapLeftOutPublic(Public):
    """A sector the profile matches whose model could not run: the answer covers the others."""

    sector: str
    reason: str = Field(description="why, in English")
    reason_ko: str = Field(description="why, in Korean")


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
    left_out: list[GapLeftOutPublic] = Field(default_factory=list, description=(
        "with all sectors: matched sectors whose model could not run, left out of the figures, each with why"))


class OutlookPublic(Public):
    year: int
    openings_per_graduate: Quantiles = Field(
        description="matched openings per comparable graduate entering the sector; above 1: more openings")
    openings: Quantiles | None = Field(default=None, description="openings in the matched occupations, persons")
    graduates: Quantiles | None = Field(
        default=None, description="comparable graduates entering the sector (the programme's own included), persons")


class SkillToAddPublic(Public):
    """A skill whose addition lowers the programme's mismatch."""

    skill: str
    weight: float = Field(description="the weight at which adding it lowers the mismatch most")
    mismatch_after: float = Field(description="mismatch index with the skill added, 0–1")
    effect: float = Field(description="change in the mismatch index (negative is better)")
    gap: Quantiles | None = Field(default=None, description=(
        "the sector's openings minus its supply of people with the skill in gap_year, persons; below 0: more than enough"))
    gap_year: int | None = Field(default=None, description="the year of gap: the outlook's last year")


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
    level: str | None = Field(default=None, description="the education level whose openings, supply and entry rate "
                                                        "the programme is assessed at; null: the whole sector")
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

    forecast: SectorForecast

