"""The versioned data store: SQLite by default, PostgreSQL by URL.

Constructing a :class:`Store` only connects. Opening one with :meth:`Store.open` (what ``talentgap serve``
and every command do) upgrades its database to the newest schema revision (``migrate.py``; what it did
is ``Store.schema_upgrade``) and, when it holds no dataset yet, loads the seed dataset as version 1, so a
new user never sees an empty service. Every import is one transaction that creates a new immutable
version (the active version plus the file's rows, replacing rows with the same series and year) and
activates it; a rejected or interrupted import leaves the store as it was. A version stores only
what it changed (``lineage.py``), and reads of the active data go through one snapshot
(``reading.py``), so they are labelled with the version they actually read.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, create_engine, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentgap.i18n import msg
from talentgap.seeds.loader import SeedDataset, seed_dataset
from talentgap.seeds.validate import Problem, check_series_consistency, validate_observations
from talentgap.seeds.vocab import OBSERVATION_COLUMNS

from .export import write_csv, write_xlsx
from .files import SOURCE_FIELDS, UploadError, read_path, read_sectors_sheet
from .lineage import Delta, observations_query, plan_delta
from .migrate import SchemaUpgrade, upgrade_database
from .plausibility import OVERRIDE_NOTE, check_import
from .reading import (
    DEFINITION_COLUMNS,
    SOURCE_COLUMNS,
    ReadView,
    SectorDetail,
    SectorSummaries,
    Snapshot,
    UnknownVersion,
    snapshot_connection,
    to_frame,
)
from .schema import (
    ActiveDataset,
    DatasetVersion,
    Definition,
    Observation,
    SectorSummary,
    SeriesSummary,
    Source,
    active_version_id,
)
from .sectors import check_new, known_while, sheet_entries, sync, write_sector
from .settings import get_settings
from .upload_sources import source_ref, sources_from_upload

EXPORT_COLUMNS = (*OBSERVATION_COLUMNS, *SOURCE_FIELDS)
_SERIES_CHUNK = 500  # series ids per IN list when reading an import's base rows
_ANALYZE_ROWS = 10_000  # rows stored by one write past which PostgreSQL's statistics are refreshed

__all__ = ["EXPORT_COLUMNS", "ImportResult", "SchemaUpgrade", "Store", "UnknownVersion", "VersionInfo"]


@dataclass(frozen=True)
class VersionInfo:
    id: int
    created_at: datetime
    origin: str
    parent_id: int | None
    row_count: int
    added_rows: int
    replaced_rows: int
    active: bool
    stored_rows: int = 0  # observation rows this version wrote (its delta on the parent)


@dataclass(frozen=True)
class ImportResult:
    version: int
    row_count: int
    added_rows: int
    replaced_rows: int
    stored_rows: int = 0  # rows new or changed against the parent: all that the version stores
    #: the upload changed nothing: no version was made, ``version`` is the active one it matched
    unchanged: bool = False


class _Unchanged(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created, WAL and foreign keys on."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # pragma: no cover - exercised through every SQLite test
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    # a database host that does not answer fails a request in seconds, not after the system's TCP timeout
    args = {"connect_timeout": 10} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=args)


class Store:
    """Dataset versions, observations, sources and definitions behind one database URL."""

    def __init__(self, url: str | None = None):
        """Connect to ``url`` (default: the configured database) without reading or changing it."""
        self.url = url or get_settings().resolved_database_url()
        self.engine = make_engine(self.url)
        #: what opening did to the schema (created, or upgraded from a revision); None if it was current
        self.schema_upgrade: SchemaUpgrade | None = None

    @classmethod
    def open(cls, url: str | None = None, *, seed: SeedDataset | None = None) -> Store:
        """The store at ``url`` (default: the configured database), ready for use: its schema upgraded to
        the newest revision once, and the seed dataset (``seed``, default the shipped one) loaded as
        version 1 when it holds no dataset yet. Raises :class:`~.migrate.SchemaTooNew` for a database
        upgraded by a newer talentgap."""
        store = cls(url)
        store.schema_upgrade = upgrade_database(store.engine)
        store._ensure_seeded(seed)
        store._ensure_sectors()
        return store

    # -- reading ---------------------------------------------------------------------------------
    def active_version(self) -> int:
        with Session(self.engine) as s:
            return active_version_id(s)

    def versions(self) -> list[VersionInfo]:
        """Every version, oldest first, with the one active at the same snapshot marked."""
        with snapshot_connection(self.engine) as conn, Session(bind=conn) as s:
            active = s.scalar(select(ActiveDataset.version_id).where(ActiveDataset.id == 1))
            rows = s.scalars(select(DatasetVersion).order_by(DatasetVersion.id)).all()
            return [VersionInfo(r.id, r.created_at, r.origin, r.parent_id, r.row_count, r.added_rows,
                                r.replaced_rows, r.id == active, r.stored_rows) for r in rows]

    @contextmanager
    def read(self, version: int | None = None) -> Iterator[ReadView]:
        """Reads of ``version`` (default: the version active at the snapshot) that all see one
        committed state; ``view.version`` is the version they read. Raises :class:`UnknownVersion`."""
        with snapshot_connection(self.engine) as conn:
            yield ReadView(conn, version)

    def snapshot(self, version: int | None = None, *, sector: str | None = None) -> Snapshot:
        """A version (default: the active one) with its observations and definitions, of one sector
        if given, read in one snapshot."""
        with self.read(version) as view:
            return Snapshot(view.version, view.observations(sector=sector), view.definitions(sector=sector))

    def sector_summaries(self, version: int | None = None) -> SectorSummaries:
        """Series and observation counts per sector of a version (default: the active one), from the
        stored summaries, with the version read."""
        with self.read(version) as view:
            return SectorSummaries(view.version, view.sector_counts())

    def sector_detail(self, sector: str, version: int | None = None) -> SectorDetail:
        """The series list (from the stored series summaries) and definitions of one sector of a
        version (default: the active one), with the version read. An unknown sector has no series."""
        with self.read(version) as view:
            return SectorDetail(view.version, sector, view.series(sector=sector), view.sector_definitions(sector))

    def observations(self, version: int | None = None, *, sector: str | None = None) -> pd.DataFrame:
        """Every observation of a version (default: the active one), in the long format."""
        with self.read(version) as view:
            return view.observations(sector=sector)

    def sources(self) -> pd.DataFrame:
        with self.read() as view:
            return view.sources()

    def source(self, source_id: str) -> dict | None:
        with Session(self.engine) as s:
            src = s.get(Source, source_id)
            if src is None:
                return None
            return {c: getattr(src, c) for c in SOURCE_COLUMNS}

    def definitions(self) -> pd.DataFrame:
        with Session(self.engine) as s:
            rows = s.execute(select(*(getattr(Definition, c) for c in DEFINITION_COLUMNS))).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=list(DEFINITION_COLUMNS))

    # -- changing --------------------------------------------------------------------------------
    def activate(self, version: int) -> None:
        """Make ``version`` the active dataset (one atomic update)."""
        with Session(self.engine) as s, s.begin():
            self._resolve_version(s, version)
            s.execute(update(ActiveDataset).where(ActiveDataset.id == 1).values(version_id=version))

    def import_file(self, path: Path, *, allow_implausible: bool = False) -> ImportResult:
        """Import a CSV/XLSX file as a new, active version. Raises :class:`UploadError`."""
        settings = get_settings()
        try:
            frame = read_path(path, max_bytes=settings.max_upload_bytes, max_rows=settings.max_upload_rows)
        except OSError as exc:
            raise UploadError([Problem(0, "file", msg("upload.unreadable"), f"{path}: {exc.strerror}")]) from None
        sectors = read_sectors_sheet(path.read_bytes()) if path.suffix.lower() == ".xlsx" else []
        return self.import_frame(frame, origin=f"import {path.name}", allow_implausible=allow_implausible,
                                 sectors=sectors)

    def import_frame(self, frame: pd.DataFrame, *, origin: str, allow_implausible: bool = False,
                     sectors: Sequence[dict[str, str]] = ()) -> ImportResult:
        """Validate text cells ``frame`` (canonical columns) and store them as a new active version (or,
        when every row is already in the active version as it is, none: ``unchanged``).
        Values implausible against the data they extend (:mod:`.plausibility`) are refused unless
        ``allow_implausible``, which the version's origin then records. ``sectors`` (a workbook's
        ``sectors`` sheet rows) are added in the same transaction."""
        known = self.sources()
        new_sources, problems = sources_from_upload(frame, known)
        entries, found = sheet_entries(list(sectors))
        problems += found
        with known_while(entries):
            typed, found = validate_observations(frame.drop(columns=[c for c in SOURCE_FIELDS if c in frame.columns]),
                                                 known_sources=set(known["source_id"]) | set(new_sources))
        problems += found
        if problems:
            raise UploadError(sorted(problems, key=lambda p: p.row))
        if allow_implausible:
            origin = f"{origin[:300]} ({OVERRIDE_NOTE})"
        for attempt in range(5):
            try:
                result = self._write_version(typed, new_sources, origin, check=not allow_implausible,
                                             new_sectors=entries)
                if entries:
                    sync(self)
                return result
            except _Unchanged as nothing:  # raised inside the transaction, so it is rolled back
                return nothing.result
            except IntegrityError:  # another import took the same version number: retry on top of it
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def _write_version(self, typed: pd.DataFrame, new_sources: dict[str, dict], origin: str, *,
                       check: bool = True, new_sectors: Sequence = ()) -> ImportResult:
        with Session(self.engine) as s, s.begin():
            for entry in new_sectors:  # refused (with the reason) when it collides with a sector already there
                check_new(s, entry, active_version_id(s))
            # take the write lock first, so concurrent imports queue and each builds on the last
            s.execute(update(ActiveDataset).where(ActiveDataset.id == 1)
                      .values(version_id=ActiveDataset.version_id))
            parent = s.get_one(DatasetVersion, active_version_id(s))
            base = self._base_rows(s, parent.id, typed)
            # the upload's units must agree with the series they extend
            clash = check_series_consistency(pd.concat([base, typed], ignore_index=True), first_row=2 - len(base))
            if clash:
                raise UploadError(clash)
            implausible = check_import(s, parent.id, typed, base) if check else []
            if implausible:
                raise UploadError(implausible)
            sectors = {r.sector: (r.series, r.observations) for r in s.scalars(
                select(SectorSummary).where(SectorSummary.version_id == parent.id))}
            delta = plan_delta(base, typed, parent_sectors=sectors, parent_rows=parent.row_count)
            if delta.rows.empty and not new_sources and not new_sectors:  # every row is already there: no version
                raise _Unchanged(ImportResult(parent.id, parent.row_count, 0, len(typed), 0, unchanged=True))
            version = (s.scalar(select(func.max(DatasetVersion.id))) or 0) + 1
            for sid, rec in new_sources.items():
                s.add(Source(source_id=sid, **rec))
            self._add_version(s, version, delta, origin=origin, parent=parent.id)
            for entry in new_sectors:
                write_sector(s, entry, version)
            s.execute(update(ActiveDataset).where(ActiveDataset.id == 1).values(version_id=version))
        self._refresh_statistics(len(delta.rows))
        return ImportResult(version, delta.row_count, delta.added, delta.replaced, len(delta.rows))

    @staticmethod
    def _base_rows(s: Session, parent: int, upload: pd.DataFrame) -> pd.DataFrame:
        """The parent's rows of every series the upload touches (all years), read sector by sector."""
        parts = []
        for sector, ids in upload.groupby("sector")["series_id"].unique().items():
            ids = sorted(ids)
            for start in range(0, len(ids), _SERIES_CHUNK):
                params = {"version": parent, "sector": str(sector), "series_ids": ids[start:start + _SERIES_CHUNK]}
                parts.append(s.execute(observations_query(by_sector=True, by_series=True), params).all())
        return to_frame([row for part in parts for row in part])

    def _add_version(self, s: Session, version: int, delta: Delta, *, origin: str, parent: int | None) -> None:
        """Write version ``version``: its row, its delta rows and its summaries (inside ``s``'s transaction)."""
        s.add(DatasetVersion(id=version, created_at=datetime.now(UTC), origin=origin[:400], parent_id=parent,
                             row_count=delta.row_count, added_rows=delta.added, replaced_rows=delta.replaced,
                             stored_rows=len(delta.rows)))
        s.flush()
        self._insert_observations(s, delta.rows, version)
        if delta.series:
            s.execute(insert(SeriesSummary), [{**rec, "version_id": version} for rec in delta.series])
        if delta.sectors:
            s.execute(insert(SectorSummary), [{"version_id": version, "sector": k, "series": n, "observations": m}
                                              for k, (n, m) in sorted(delta.sectors.items())])

    def export(self, out: Path | str, *, fmt: str = "csv", version: int | None = None) -> int:
        """Write every observation of a version with its source columns; return the row count.

        ``out`` is opened with :func:`~talentgap.data.export.open_output` (``-`` is standard output);
        cells are written by :mod:`talentgap.data.export`, so no text becomes a formula."""
        if fmt not in ("csv", "xlsx"):
            raise ValueError(msg("export.bad_format", fmt=repr(fmt)))
        frame = self.export_frame(version)
        if fmt == "csv":
            write_csv(frame, out)
        else:  # numbers as numbers in a workbook
            write_xlsx(frame.assign(value=pd.to_numeric(frame["value"])), out)
        return len(frame)

    def export_frame(self, version: int | None = None) -> pd.DataFrame:
        obs = self.observations(version)
        src = self.sources().set_index("source_id")
        frame = obs.astype({"value": object})
        frame["value"] = [format_value(v) for v in obs["value"]]
        frame["source_kind"] = obs["source_id"].map(src["kind"])
        frame["source_ref"] = [source_ref(src.loc[s]) for s in obs["source_id"]]
        frame["source_description"] = obs["source_id"].map(src["description"])
        frame["source_description_ko"] = obs["source_id"].map(src["description_ko"])
        return frame[list(EXPORT_COLUMNS)]

    # -- internals -------------------------------------------------------------------------------
    @staticmethod
    def _resolve_version(s: Session, version: int) -> int:
        if not 0 < version < 2**31 or s.get(DatasetVersion, version) is None:
            known = s.scalars(select(DatasetVersion.id).order_by(DatasetVersion.id)).all()
            raise UnknownVersion(msg("dataset.unknown_version", version=version, known=known))
        return version

    @staticmethod
    def _insert_observations(s: Session, frame: pd.DataFrame, version: int) -> None:
        """Insert ``frame``'s rows as version ``version``'s, through the table itself (one executemany per
        5,000 rows, without the ORM's per-row bookkeeping)."""
        columns = list(OBSERVATION_COLUMNS)
        cells = [frame[c].tolist() for c in columns]
        cells[columns.index("year")] = [int(y) for y in cells[columns.index("year")]]
        cells[columns.index("value")] = [float(v) for v in cells[columns.index("value")]]
        records = [dict(zip(columns, row), version_id=version) for row in zip(*cells)]
        conn = s.connection()
        for start in range(0, len(records), 5000):
            conn.execute(insert(Observation), records[start:start + 5000])

    def _ensure_seeded(self, seed: SeedDataset | None) -> None:
        with Session(self.engine) as s:
            if s.scalar(select(func.count()).select_from(DatasetVersion)):
                return
        seed = seed or seed_dataset()
        try:
            with Session(self.engine) as s, s.begin():
                known = set(s.scalars(select(Source.source_id)))
                for rec in seed.sources.to_dict("records"):
                    if rec["source_id"] not in known:
                        s.add(Source(**rec))
                for rec in seed.definitions.to_dict("records"):
                    s.merge(Definition(**rec))
                delta = plan_delta(to_frame([]), seed.observations, parent_sectors={}, parent_rows=0)
                self._add_version(s, 1, delta, origin="seed", parent=None)
                s.add(ActiveDataset(id=1, version_id=1))
        except IntegrityError:  # another process seeded the same database first
            return
        self._refresh_statistics(len(seed.observations))

    def _ensure_sectors(self) -> None:
        """Give a store without sectors the shipped ones, and make its sectors the ones this process knows."""
        from .sectors import seed_sectors

        try:
            with Session(self.engine) as s, s.begin():
                seed_sectors(s, 1)
        except IntegrityError:  # another process stored them first
            pass
        sync(self)

    def _refresh_statistics(self, stored_rows: int) -> None:
        """After a large write on PostgreSQL, refresh the planner's statistics at once: until autovacuum
        gets to it, plans made for the old row counts can make the version queries many times slower."""
        if stored_rows >= _ANALYZE_ROWS and self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE observation, series_summary, sector_summary")


def format_value(v: float) -> str:
    """A value as text with no float noise: ``304000`` not ``304000.0``; ``4.4`` stays ``4.4``."""
    return str(int(v)) if math.isfinite(v) and float(v).is_integer() and abs(v) < 1e15 else repr(float(v))
