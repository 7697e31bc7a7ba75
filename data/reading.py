"""Consistent reads: a dataset version and its rows from one snapshot of the database.

A read that answers "the active data" must not take the active version from one moment and its rows
from another (an import may commit in between). :func:`snapshot_connection` opens one read
transaction that sees a single committed state: on PostgreSQL a REPEATABLE READ, read-only
transaction; on SQLite an explicit ``BEGIN`` (the driver would otherwise run each SELECT in its own
implicit transaction), which WAL mode turns into a snapshot at the first read. :class:`ReadView`
runs every read of one request inside it and carries the version it resolved, so a response is
labelled with the version it actually read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Connection, Engine, select

from talentgap.errors import TalentgapError
from talentgap.i18n import msg
from talentgap.seeds.vocab import OBSERVATION_COLUMNS

from .lineage import observations_query, sector_counts_query, series_query
from .schema import DatasetVersion, Definition, Source, active_version_id

SOURCE_COLUMNS = ("source_id", "kind", "ref", "lines", "publisher", "published", "description", "description_ko")
#: The columns of a definition as the store reads them (``description_ko`` empty: read ``description``).
DEFINITION_COLUMNS = ("sector", "definition", "label_en", "label_ko", "description", "description_ko")


class UnknownVersion(TalentgapError, LookupError):
    """A dataset version that does not exist."""

    code = "dataset.unknown_version"
    status = 404


class SectorCount(NamedTuple):
    """One sector of a version: how many series and observations it holds."""

    sector: str
    series: int
    observations: int


class SeriesInfo(NamedTuple):
    """One series as a sector page lists it (``_asdict()`` gives the JSON object)."""

    series_id: str
    metric: str
    definition: str
    occupation: str
    education: str
    region: str
    unit: str
    first_year: int
    last_year: int
    points: int


class DefinitionInfo(NamedTuple):
    """What a sector's ``definition`` id stands for."""

    definition: str
    label_en: str
    label_ko: str
    description: str
    description_ko: str


@dataclass(frozen=True)
class Snapshot:
    """A version and its observations (long format), read together; ``definitions`` as in
    :meth:`Store.definitions` (for one sector when the snapshot is of one sector)."""

    version: int
    observations: pd.DataFrame
    definitions: pd.DataFrame


@dataclass(frozen=True)
class SectorSummaries:
    """Per sector with data in ``version``: its series and observation counts, ordered by sector."""

    version: int
    sectors: tuple[SectorCount, ...]


@dataclass(frozen=True)
class SectorDetail:
    """One sector of ``version``: its series (ordered by id) and the definitions they use."""

    version: int
    sector: str
    series: tuple[SeriesInfo, ...]
    definitions: tuple[DefinitionInfo, ...]


@contextmanager
def snapshot_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read-only transaction that sees one committed state; rolled back after."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        else:
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        try:
            yield conn
        finally:
            conn.rollback()


class ReadView:
    """Reads of one dataset version, all inside one snapshot. Made by :meth:`Store.read`."""

    def __init__(self, conn: Connection, version: int | None):
        self._conn = conn
        #: the version every read of this view returns: the requested one, or the one active at the snapshot
        self.version: int = self._resolve(version)

    def _resolve(self, version: int | None) -> int:
        if version is None:
            return active_version_id(self._conn)
        if not 0 < version < 2**31 or self._conn.scalar(
                select(DatasetVersion.id).where(DatasetVersion.id == version)) is None:
            known = self._conn.scalars(select(DatasetVersion.id).order_by(DatasetVersion.id)).all()
            raise UnknownVersion(msg("dataset.unknown_version", version=version, known=known))
        return version

    def observations(self, *, sector: str | None = None) -> pd.DataFrame:
        """Every observation of the version (or of one sector), in the long format."""
        if sector:
            rows = self._conn.execute(observations_query(by_sector=True), {"version": self.version, "sector": sector})
        else:
            rows = self._conn.execute(observations_query(), {"version": self.version})
        return to_frame(rows.all())

    def definitions(self, *, sector: str | None = None) -> pd.DataFrame:
        """Definitions (columns ``DEFINITION_COLUMNS``), of one sector if given."""
        stmt = select(*(getattr(Definition, c) for c in DEFINITION_COLUMNS))
        if sector:
            stmt = stmt.where(Definition.sector == sector)
        rows = self._conn.execute(stmt.order_by(Definition.sector, Definition.definition)).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=list(DEFINITION_COLUMNS))

    def sources(self) -> pd.DataFrame:
        """Every source (columns ``SOURCE_COLUMNS``), ordered by id."""
        rows = self._conn.execute(select(*(getattr(Source, c) for c in SOURCE_COLUMNS)).order_by(Source.source_id))
        return pd.DataFrame([tuple(r) for r in rows], columns=list(SOURCE_COLUMNS))

    def sector_counts(self) -> tuple[SectorCount, ...]:
        """Series and observation counts per sector, from the stored summaries."""
        rows = self._conn.execute(sector_counts_query(), {"version": self.version}).all()
        return tuple(SectorCount._make(r) for r in rows)

    def series(self, *, sector: str) -> tuple[SeriesInfo, ...]:
        """The list entry of every series of ``sector``, ordered by id, from the stored series summaries."""
        rows = self._conn.execute(series_query(), {"version": self.version, "sector": sector}).all()
        return tuple(sorted(SeriesInfo._make(r) for r in rows))  # by id, in code point order on every database

    def sector_definitions(self, sector: str) -> tuple[DefinitionInfo, ...]:
        """The definitions of one sector."""
        stmt = (select(*(getattr(Definition, c) for c in DefinitionInfo._fields))
                .where(Definition.sector == sector).order_by(Definition.definition))
        return tuple(DefinitionInfo._make(r) for r in self._conn.execute(stmt).all())


def to_frame(rows) -> pd.DataFrame:
    """Observation rows as a long frame with integer years and float values."""
    # plain tuples: pandas probes each SQLAlchemy row for attributes it does not have, slowly
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(OBSERVATION_COLUMNS))
    return frame.astype({"year": "int64", "value": "float64"})
