"""Request bodies of the HTTP API (``…Request``) and the error body every route may answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: The sector horizon's one rule, checked where the forecast is computed (whatever the interface).
HORIZON_HELP = ("last year of the forecast, a calendar year: after the sector's base year and at most base year "
                "+ 30, never after 2060 (default 2035)")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeriesPoint(Strict):
    series_id: str = Field(max_length=200)
    year: int
    value: float = Field(allow_inf_nan=False)  # JSON has no NaN or Infinity: refused as a body, not as data


class SeriesForecastRequest(Strict):
    """Give ``h`` or ``horizon``; the series and both numbers are checked by the time-series layer."""

    series: list[SeriesPoint]
    h: int | None = Field(default=None, description="years to forecast past each series' own last year (1–100)")
    horizon: int | None = Field(default=None, description="calendar year to forecast every series up to, e.g. 2035")
    level: float = Field(default=80, description="prediction interval level, percent (1–99)")


class GapRequest(Strict):
    skills: dict[str, float]
    sector: str | None = None
    horizon: int | None = Field(default=None, description=HORIZON_HELP)


class ProgrammeRequest(Strict):
    name: str = Field(min_length=1, max_length=300)
    sector: str
    degree: str
    seats_per_year: float = Field(gt=0, le=100_000, allow_inf_nan=False)
    skills: dict[str, float]
    region: str | None = Field(default=None, max_length=120)


class Levers(Strict):
    extra_graduates: float | None = None
    entry_rate: float | None = None
    separation_rate: float | None = None
    foreign_inflow: float | None = None
    reskilling: float | None = None
    start_year: float | None = None
    dedicated_seats: float | None = Field(default=None, description="graduates a year of dedicated seats (contract "
                                                                    "departments), entering at their own rate")
    dedicated_entry_rate: float | None = Field(default=None, description="entry rate of the dedicated seats (default "
                                                                         "0.9)")


class ScenarioRequest(Strict):
    name: str = Field(min_length=1, max_length=120)
    sector: str
    base: Literal["trend", "policy"] = "trend"
    levers: Levers = Levers()
    description: str = Field(default="", max_length=2000)


class ReportRequest(Strict):
    formats: list[Literal["html", "pdf"]] = Field(default=["html", "pdf"], min_length=1, max_length=2)
    sectors: list[str] | None = Field(default=None, max_length=5)
    scenario: str = Field(default="trend", min_length=1, max_length=120)
    horizon: int | None = Field(default=None, description=HORIZON_HELP)
    lang: Literal["ko", "en"] = "ko"


class KeyRequest(Strict):
    name: str = Field(min_length=1, max_length=120)
    role: Literal["admin", "analyst", "university", "reporter"]


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "Malformed request"), (401, "Missing or unknown API key"), (403, "The key's role may not do this"),
        (404, "Unknown sector, version, scenario, key or source"), (409, "Conflict with stored data"),
        (413, "Request or upload too large"), (422, "Invalid parameters, body or upload"))}
