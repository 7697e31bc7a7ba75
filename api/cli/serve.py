"""``talentgap serve``: the HTTP API and web UI (optionally with the report scheduler)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import DbOption, handle_errors, open_store


def safe_url(url: str) -> str:
    """A database URL with any password masked, for logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scheduler: Annotated[bool, typer.Option("--scheduler", help="Also run scheduled report jobs.")] = False,
    db: DbOption = None,
) -> None:
    """Run the HTTP API (and web UI) on an embedded SQLite database, or PostgreSQL by URL."""
    import uvicorn

    from ..http.app import create_app
    from ..service.data import active_version
    from ..service.keys import first_admin

    store = open_store(db)
    typer.echo(f"talentgap: database {safe_url(store.url)}, dataset version {active_version(store=store)} active")
    admin = first_admin(store=store)
    if admin is not None:
        typer.echo(f"admin key: {admin}")
        typer.echo("(shown once: keep it; create more with `talentgap keys create --role ROLE --name NAME`)")
    if scheduler:
        from ..jobs import Scheduler

        Scheduler(store, log=lambda m: typer.echo(m, err=True)).start_thread()
    # the event loop (health checks, cached answers) takes the interpreter lock back from busy worker
    # threads within 1 ms rather than the default 5 ms
    sys.setswitchinterval(0.001)
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")
