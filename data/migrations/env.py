"""Alembic environment of the store.

At run time ``talentgap.data.migrate`` passes an open connection (already inside the transaction
that holds the upgrade lock) in ``config.attributes["connection"]``; no ``alembic.ini`` is needed. A
developer writing a new revision can point the ``alembic`` command at a database instead, with
``-x url=sqlite:///path/to/talentgap.db`` and ``script_location`` set to this folder.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from talentgap.data.schema import Base


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Run the migrations on the connection handed over, else on ``-x url=...``."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:  # pragma: no cover - the developer's command line
        raise SystemExit("no database: pass -x url=... or set sqlalchemy.url")
    engine = create_engine(url)  # pragma: no cover - the developer's command line
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if getattr(context, "config", None) is not None:  # run by Alembic, not imported as a module
    main()
