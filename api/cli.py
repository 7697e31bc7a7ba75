"""The ``talentgap`` command line. Thin: parse, call the store or a model, format.

Exit codes: 0 success, 2 bad input (the message names the argument and value), 1 internal failure.
"""

from __future__ import annotations

import os

# The models fit many tiny matrices: BLAS threads only add contention (set before numpy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from talentgap.data.files import UploadError

app = typer.Typer(help="Talent supply-demand forecasts for Korea's strategic industries.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
data_app = typer.Typer(help="Datasets: import, export, versions, activation.", no_args_is_help=True)
app.add_typer(data_app, name="data")
series_app = typer.Typer(help="Forecast any annual series.", no_args_is_help=True)
app.add_typer(series_app, name="series")
scenario_app = typer.Typer(help="Saved what-if scenarios: create, list, show, compare, delete.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: TALENTGAP_DATABASE_URL, "
                                              "else an SQLite file in the user data directory).")]


class BadInput(ValueError):
    """A command-line argument that cannot be used; exits 2."""


def _fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map domain errors to exit 2 with their message, anything unexpected to exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from talentgap.api.report import ReportError
        from talentgap.data.keys import KeyError_, UnknownKey
        from talentgap.data.reports import ScheduleError, UnknownReport, UnknownSchedule
        from talentgap.data.results import DuplicateScenario, UnknownScenario
        from talentgap.data.store import UnknownVersion
        from talentgap.models.sector import MissingSeries, UnknownSector
        from talentgap.models.skills import SkillInputError
        from talentgap.models.stockflow import ForecastInputError

        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except UploadError as exc:
            _fail(f"rejected: {len(exc.problems)} problem(s)\n{exc}", 2)
        except (BadInput, UnknownVersion, UnknownSector, ForecastInputError, UnknownScenario,
                DuplicateScenario, MissingSeries, SkillInputError, KeyError_, UnknownKey, ScheduleError,
                UnknownReport, UnknownSchedule, ReportError) as exc:
            _fail(f"error: {exc}", 2)
        except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
            _fail(f"internal error: {type(exc).__name__}: {exc}", 1)

    return wrapper


def open_store(db: str | None):
    from talentgap.data.store import Store

    return Store(db)


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scheduler: Annotated[bool, typer.Option("--scheduler", help="Also run scheduled report jobs.")] = False,
    db: DbOption = None,
) -> None:
    """Run the HTTP API (and web UI) on an embedded SQLite database, or PostgreSQL by URL."""
    import uvicorn

    from talentgap.api.app import create_app
    from talentgap.data.keys import create_key, has_keys

    store = open_store(db)
    typer.echo(f"talentgap: database {_safe_url(store.url)}, dataset version {store.active_version()} active")
    if not has_keys(store):
        typer.echo(f"admin key: {create_key(store, role='admin', name='admin')}")
        typer.echo("(shown once: keep it; create more with `talentgap keys create --role ROLE --name NAME`)")
    if scheduler:
        from talentgap.api.scheduler import Scheduler

        Scheduler(store, log=lambda m: typer.echo(m, err=True)).start_thread()
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")


def _safe_url(url: str) -> str:
    """A database URL with any password masked, for logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
@handle_errors
def keys_create(role: Annotated[str, typer.Option("--role", help="admin, analyst, university or reporter.")],
                name: Annotated[str, typer.Option("--name", help="A unique name for the key.")],
                db: DbOption = None) -> None:
    """Create an API key; the key is printed alone on the last line (shown once, stored hashed)."""
    from talentgap.data.keys import create_key

    key = create_key(open_store(db), role=role, name=name)
    typer.echo(f"created {role} key {name!r}")
    typer.echo(key)


@keys_app.command("list")
@handle_errors
def keys_list(db: DbOption = None) -> None:
    """List keys (names and roles; keys themselves are not stored)."""
    from talentgap.data.keys import list_keys

    for k in list_keys(open_store(db)):
        typer.echo(f"{k['name']:30} {k['role']:10} {k['created_at']:%Y-%m-%d %H:%M} {'revoked' if k['revoked'] else 'active'}")


@keys_app.command("revoke")
@handle_errors
def keys_revoke(name: Annotated[str, typer.Argument(help="Name of the key.")], db: DbOption = None) -> None:
    """Revoke a key by name."""
    from talentgap.data.keys import revoke_key

    revoke_key(open_store(db), name)
    typer.echo(f"revoked key {name!r}")


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@data_app.command("import")
@handle_errors
def data_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file in the long format (seeds/README.md).")],
    db: DbOption = None,
) -> None:
    """Import a file as a new dataset version (the active version plus the file's rows) and activate it."""
    store = open_store(db)
    if not file.is_file():
        raise BadInput(f"FILE: no such file: {file}")
    result = store.import_file(file)
    typer.echo(f"imported {file.name}: dataset version {result.version} is now active "
               f"({result.row_count} rows: {result.added_rows} added, {result.replaced_rows} replaced)")


@data_app.command("export")
@handle_errors
def data_export(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    format: Annotated[ExportFormat | None, typer.Option("--format", help="csv or xlsx (default: from --out).")] = None,
    version: Annotated[int | None, typer.Option("--version", help="Dataset version (default: active).")] = None,
    db: DbOption = None,
) -> None:
    """Export every observation of a dataset version with its source columns."""
    fmt = format.value if format else ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    if not out.parent.exists():
        raise BadInput(f"--out: folder does not exist: {out.parent}")
    store = open_store(db)
    n = store.export(out, fmt=fmt, version=version)
    typer.echo(f"wrote {n} observations to {out}")


@data_app.command("versions")
@handle_errors
def data_versions(db: DbOption = None) -> None:
    """List dataset versions; the active one is marked with *."""
    store = open_store(db)
    typer.echo(f"{'':1} {'version':>7}  {'created (UTC)':19}  {'rows':>6}  {'added':>6}  {'replaced':>8}  origin")
    for v in store.versions():
        typer.echo(f"{'*' if v.active else ' '} {v.id:>7}  {v.created_at:%Y-%m-%d %H:%M:%S}  {v.row_count:>6}  "
                   f"{v.added_rows:>6}  {v.replaced_rows:>8}  {v.origin}")


@data_app.command("activate")
@handle_errors
def data_activate(version: Annotated[int, typer.Argument(help="Version to activate.")], db: DbOption = None) -> None:
    """Make a dataset version the active one."""
    store = open_store(db)
    store.activate(version)
    typer.echo(f"dataset version {version} is now active")


from talentgap.api import cli_forecast  # noqa: E402,F401  (registers the forecasting commands)


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
