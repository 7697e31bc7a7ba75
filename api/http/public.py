"""Response models of the HTTP API (``…Public``), part one: the shared bases and the data, report and
key routes (series, skills and scenarios are in :mod:`.public_skills`; forecasts and backtests are the
service's typed results). Every route's 200/201/202 body has a model, so ``/docs`` and ``/openapi.json``
describe each response.

They describe the JSON the routes return field for field: ``int`` where the value is an integer, ``float``
where it is a float, ``int | float`` where both occur, so validating a result through a model never
changes its JSON. The large results that grow with the models (skill-profile gap, programme
assessment) allow extra keys, which pass through unchanged. Units: people are persons; flows
are persons a year; rates in percent say so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


#: A time of the store, always UTC; SQLite keeps no offset, so one is added (RFC 3339 needs it).
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


# -- responses: shared parts --------------------------------------------------------------------------


class Public(BaseModel):
    """Base of every response model: built from dicts or from objects with the same attributes."""

    model_config = ConfigDict(from_attributes=True)


class Extensible(Public):
    """A large result that gains keys as the models grow: keys not declared here pass through unchanged."""

    model_config = ConfigDict(from_attributes=True, extra="allow")


class SourcePublic(Public):
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


# -- service and data ---------------------------------------------------------------------------------


class HealthPublic(Public):
    """Liveness of the service."""

    status: str = Field(description="ok, or degraded (503) when the database does not answer")
    version: str = Field(description="talentgap package version")
    database: str = Field(description="ok, or down when the database does not answer a query within 2 s")


class SectorPublic(Public):
    """A sector and how much of the active dataset covers it."""

    sector: str = Field(description="sector id (GET /api/v1/sectors lists them)")
    label_en: str
    label_ko: str
    series: int = Field(description="number of distinct series in the active dataset")
    observations: int = Field(description="number of observations (series × years) in the active dataset")


class SeriesSummaryPublic(Public):
    """One series of a sector: what it measures and the years it covers."""

    series_id: str
    metric: str = Field(description="what is measured, e.g. stock, shortage, graduates")
    definition: str = Field(description="population definition id (see definitions)")
    occupation: str = Field(description="occupation breakdown, or empty")
    education: str = Field(description="education breakdown, or empty")
    region: str = Field(description="region breakdown, or empty")
    unit: str = Field(description="unit of the values, e.g. persons")
    first_year: int
    last_year: int
    points: int = Field(description="number of observed years")


class DefinitionPublic(Public):
    """What population and measure a ``definition`` id stands for in this sector."""

    definition: str
    label_en: str
    label_ko: str
    description: str
    description_ko: str = Field(default="", description="the description in Korean; empty where none was "
                                                        "written (read the English description)")


class SectorDetailPublic(Public):
    """A sector's series and definitions in the active dataset."""

    sector: str
    label_en: str
    label_ko: str
    dataset_version: int = Field(description="the active dataset version the lists come from")
    series: list[SeriesSummaryPublic]
    definitions: list[DefinitionPublic]
    occupations: list[str] = Field(default_factory=list, description="occupation ids of the skill taxonomy the "
                                   "sector links to (empty: the taxonomy's own rows for the sector, or none)")
    feeder_fields: list[str] = Field(default_factory=list, description="programme ids of the skill taxonomy the "
                                     "sector links to as its feeder fields")


class DatasetUploadPublic(Public):
    """The dataset version an upload created (it becomes the active one)."""

    version: int = Field(description="id of the new dataset version")
    active: bool
    row_count: int = Field(description="observations in the new version")
    added_rows: int = Field(description="observations the upload added")
    replaced_rows: int = Field(description="observations the upload replaced (same series and year)")
    unchanged: bool = Field(False, description="true when every row was already in the active version as it is: "
                                               "no version was made and `version` is the active one (status 200)")


class DatasetVersionPublic(Public):
    """A stored dataset version."""

    id: int
    created_at: UtcDateTime
    origin: str = Field(description="seed, or what created it, e.g. 'upload new.csv'")
    parent_id: int | None = Field(description="the version it was derived from; null for the seed")
    row_count: int = Field(description="observations in this version")
    added_rows: int
    replaced_rows: int
    active: bool = Field(description="true for the version forecasts are computed on")


class DatasetActivatePublic(Public):
    """The dataset version now active."""

    version: int
    active: bool


# -- reports --------------------------------------------------------------------------------------------


class ReportParamsPublic(Public):
    """What a report was asked for."""

    model_config = ConfigDict(from_attributes=True, extra="allow")

    formats: list[str] = Field(description="html and/or pdf")
    sectors: list[str] | None = Field(description="sectors covered, or null for all")
    scenario: str
    horizon: int | None


class _ReportHead(Public):
    id: str
    created_at: UtcDateTime
    finished_at: UtcDateTime | None = Field(description="null until done or failed")
    status: str = Field(description="queued, running, done, failed or cancelled")
    error: str = Field(description="why it failed, or empty")
    error_id: dict | None = Field(None, description="the error's id and parameters in the errors catalogue "
                                  "(talentgap/locale/<lang>/LC_MESSAGES/errors.po), to show it in another "
                                  "language; null for an error without one")
    dataset_version: int | None = Field(description="the dataset version used; null until it runs")
    model_version: str
    params: ReportParamsPublic


class ReportPublic(_ReportHead):
    """An archived report run."""

    schedule: str = Field(description="the schedule that started it, or empty")


# -- keys -----------------------------------------------------------------------------------------------


class KeyPublic(Public):
    """An API key's name and role (the key itself is shown only once, on creation)."""

    name: str
    role: str = Field(description="admin, analyst, university or reporter")
    created_at: UtcDateTime
    revoked: bool


class KeyCreatedPublic(Public):
    """A new API key: the only time ``key`` is shown."""

    name: str
    role: str
    key: str = Field(description="send as Authorization: Bearer <key>")


class KeyRevokedPublic(Public):
    name: str
    revoked: bool
