"""Tables of the store (SQLAlchemy 2.0). Dataset versions are immutable; one is active.

These classes describe the newest schema revision; every change to them lands as an Alembic revision
in ``migrations/versions`` as well (``tests/data/test_migrations.py`` checks the two agree). How a
version's rows are stored (a version is its parent plus the rows it changed) is told in ``lineage.py``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm import Session as OrmSession


class Base(DeclarativeBase):
    pass


class DatasetVersion(Base):
    """One immutable dataset: the seed load or an import on top of an earlier version."""

    __tablename__ = "dataset_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(String(400))  # "seed" or "import <file name>"
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    row_count: Mapped[int] = mapped_column(Integer)
    added_rows: Mapped[int] = mapped_column(Integer)
    replaced_rows: Mapped[int] = mapped_column(Integer)
    #: observation rows this version wrote (its delta on the parent): 0 when the import changed nothing
    stored_rows: Mapped[int] = mapped_column(Integer, server_default="0")


class ActiveDataset(Base):
    """A single row naming the active version, so activation is one atomic update."""

    __tablename__ = "active_dataset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id"))


def active_version_id(conn: Connection | OrmSession) -> int:
    """The active dataset version's id; a database that holds no dataset yet was not opened through
    :meth:`~talentgap.data.store.Store.open`, which seeds it."""
    version = conn.scalar(select(ActiveDataset.version_id).where(ActiveDataset.id == 1))
    if version is None:
        raise RuntimeError("the database holds no dataset: open it with Store.open, which seeds a new one")
    return version


class Observation(Base):
    """One figure, in the long format of PRODUCT.md §3.2, as written by dataset version ``version_id``.

    It belongs to that version and to every descendant until a descendant writes the same series and
    year again (see ``lineage.py``).
    """

    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id"))
    series_id: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(60))
    definition: Mapped[str] = mapped_column(String(120))
    occupation: Mapped[str] = mapped_column(String(120), default="")
    education: Mapped[str] = mapped_column(String(40), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(ForeignKey("source.source_id"))
    __table_args__ = (
        UniqueConstraint("version_id", "series_id", "year"),
        # a sector's rows of every version, in the order the newest-row-per-key query reads them
        Index("ix_observation_sector", "sector", "series_id", "year", "version_id"),
    )


class SeriesSummary(Base):
    """One series as of the version that last changed it: what the sector pages list, without reading
    its observations. Written, like observations, only by the versions that change the series."""

    __tablename__ = "series_summary"
    series_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(60))
    definition: Mapped[str] = mapped_column(String(120))
    occupation: Mapped[str] = mapped_column(String(120))
    education: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_series_summary_sector", "sector", "series_id", "version_id"),)


class SectorSummary(Base):
    """Per version and sector: how many series and observations it holds (a few rows per version)."""

    __tablename__ = "sector_summary"
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(40), primary_key=True)
    series: Mapped[int] = mapped_column(Integer)
    observations: Mapped[int] = mapped_column(Integer)


class Source(Base):
    """Where a figure comes from: a seed document's lines, or a published page."""

    __tablename__ = "source"
    source_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # seed | url | upload
    ref: Mapped[str] = mapped_column(Text)
    lines: Mapped[str] = mapped_column(String(200), default="")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: the description in Korean; empty (read ``description``) for sources stored before revision 0004
    description_ko: Mapped[str] = mapped_column(Text, default="", server_default="")


class Definition(Base):
    """What population and measure a series' ``definition`` id stands for, per sector."""

    __tablename__ = "definition"
    sector: Mapped[str] = mapped_column(String(40), primary_key=True)
    definition: Mapped[str] = mapped_column(String(120), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(300), default="")
    label_ko: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: the description in Korean; empty (read ``description``) for definitions stored before revision 0004
    description_ko: Mapped[str] = mapped_column(Text, default="", server_default="")


class SectorRecord(Base):
    """A sector the service forecasts: id, names and its specification (JSON: ``model`` tables,
    ``assumptions`` and ``definitions`` rows; see ``seeds/sectors.py``). Versioned with the data: the
    dataset version that added it, and the one that removed it (revision 0007)."""

    __tablename__ = "sector"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ko: Mapped[str] = mapped_column(String(200))
    spec: Mapped[str] = mapped_column(Text, default="{}")
    position: Mapped[int] = mapped_column(Integer, default=0)  # listing order
    added_version: Mapped[int] = mapped_column(Integer)
    removed_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Scenario(Base):
    """A saved what-if: a sector, a built-in base scenario and lever overrides."""

    __tablename__ = "scenario"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    sector: Mapped[str] = mapped_column(String(40))
    base: Mapped[str] = mapped_column(String(20))  # trend | policy
    levers: Mapped[str] = mapped_column(Text)  # JSON object
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StoredResult(Base):
    """A computed result (forecast, backtest) kept with the dataset and model version it came from,
    so it can be served without refitting and compared with later data (vintages)."""

    __tablename__ = "stored_result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))  # forecast | backtest
    key: Mapped[str] = mapped_column(String(64))  # hash of the request parameters
    dataset_version: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(60))
    params: Mapped[str] = mapped_column(Text)  # JSON
    payload: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: kept as a vintage (built-in and saved scenarios, backtests), or scratch: one of a bounded pool of
    #: results (lever overrides, skill-gap profiles) evicted least recently used first (revision 0006)
    kept: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: when a scratch result was last served (at most once a minute is recorded)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    __table_args__ = (UniqueConstraint("kind", "key", "dataset_version", "model_version"),
                      Index("ix_stored_result_scratch", "kept", "used_at"))


class ApiKey(Base):
    """An API key, stored only as its SHA-256 hash (keys are 256-bit random tokens)."""

    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Report(Base):
    """An archived report run: what it was asked for, where its files are, and how it ended."""

    __tablename__ = "report"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(20))  # queued | running | done | failed
    error: Mapped[str] = mapped_column(Text, default="")
    #: the error's id and parameters in the errors catalogue (JSON), or empty (revision 0005)
    error_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    dataset_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    model_version: Mapped[str] = mapped_column(String(60), default="")
    params: Mapped[str] = mapped_column(Text)  # JSON
    directory: Mapped[str] = mapped_column(Text, default="")
    schedule: Mapped[str] = mapped_column(String(120), default="")
    #: the process that runs (or queued) it, and when that process last showed it is alive
    worker: Mapped[str] = mapped_column(String(120), default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: the name of the key that asked for it (revision 0006; empty for schedules and older reports)
    requested_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    __table_args__ = (Index("ix_report_requested_by", "requested_by", "status"),)


class Schedule(Base):
    """A cron schedule for the standard report; ``running_since`` is the lease that stops a second
    start while a run is under way."""

    __tablename__ = "schedule"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    cron: Mapped[str] = mapped_column(String(120))
    params: Mapped[str] = mapped_column(Text)  # JSON: report options
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    running_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_status: Mapped[str] = mapped_column(String(20), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_report_id: Mapped[str] = mapped_column(String(40), default="")


class UiSession(Base):
    """A web UI sign-in: the hash of the session id in the browser's cookie, the key it stands for, and
    the CSRF token its forms carry. Revoking the key ends its sessions."""

    __tablename__ = "ui_session"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_key.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
