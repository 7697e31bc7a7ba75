"""Schema migrations: bring any store database to the newest Alembic revision when it is opened.

The revisions live in ``migrations/versions`` inside the package and are run programmatically (no
``alembic.ini``). A new database is built by running every revision; a database made before
migrations existed (the tables of revision 0001 without an ``alembic_version`` table) is stamped
0001 first. Concurrent openers queue on a lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a
transaction-scoped advisory lock), and the whole upgrade is one transaction, so a failed upgrade
leaves the database as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

MIGRATIONS = Path(__file__).parent / "migrations"
#: the revision whose tables a database made before migrations already has
PRE_MIGRATIONS_REVISION = "0001"
_PG_LOCK_KEY = 7_460_213_011  # any constant shared by every talentgap process

log = logging.getLogger("talentgap.data")


class SchemaTooNew(TalentgapError, RuntimeError):
    """The database was upgraded by a newer talentgap than this one."""

    code = "store.schema_too_new"


@dataclass(frozen=True)
class SchemaUpgrade:
    """What opening a store did to its database schema."""

    from_revision: str | None  # None: the database was empty
    to_revision: str

    def __str__(self) -> str:
        if self.from_revision is None:
            return f"created the database schema at revision {self.to_revision}"
        return f"upgraded the database schema from revision {self.from_revision} to {self.to_revision}"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the package's revisions, bound to ``connection`` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = _script().get_current_head()
    if head is None:  # pragma: no cover - the package always ships its migrations
        raise RuntimeError("no schema revision is packaged")
    return head


def _known(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except CommandError:
        return False


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None: no ``alembic_version`` table)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_database(engine: Engine) -> SchemaUpgrade | None:
    """Upgrade the database behind ``engine`` to the newest revision; None when it already was there.

    Raises :class:`SchemaTooNew` for a revision this code does not know.
    """
    head = head_revision()
    if current_revision(engine) == head:  # the common case: no lock taken
        return None
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        start = MigrationContext.configure(conn).get_current_revision()
        if start == head:  # another process upgraded it while this one waited
            conn.rollback()
            return None
        if start is not None and not _known(start):
            raise SchemaTooNew(msg("store.schema_too_new", start=repr(start), head=repr(head)))
        cfg = alembic_config(conn)
        if start is None and inspect(conn).has_table("dataset_version"):
            command.stamp(cfg, PRE_MIGRATIONS_REVISION)
            start = PRE_MIGRATIONS_REVISION
        command.upgrade(cfg, "head")
        conn.commit()
    done = SchemaUpgrade(start, head)
    log.info("%s: %s", engine.url.render_as_string(hide_password=True), done)
    return done
