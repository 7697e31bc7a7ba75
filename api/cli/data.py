"""``talentgap data import|export|versions|activate``: datasets and their versions."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from talentgap.i18n import msg

from ..errors import BadInput
from .common import DbOption, handle_errors, open_store

app = typer.Typer(help="Datasets: import, export, versions, activation.", no_args_is_help=True)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("import")
@handle_errors
def data_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file in the long format (seeds/README.md).")],
    allow_implausible: Annotated[bool, typer.Option(
        "--allow-implausible", help="Import values the plausibility checks refuse (a jump of 100x against the "
        "series' nearest year, 10x for a stock); the version's origin says so.")] = False,
    db: DbOption = None,
) -> None:
    """Import a file as a new dataset version (the active version plus the file's rows) and activate it."""
    from .. import service

    store = open_store(db)
    if not file.is_file():
        raise BadInput(msg("cli.no_such_file", file=file))
    result = service.data.import_file(store=store, path=file, allow_implausible=allow_implausible)
    if result.unchanged:
        typer.echo(f"nothing changed: every row of {file.name} is already in dataset version {result.version}, "
                   f"which stays active (no new version)")
        return
    typer.echo(f"imported {file.name}: dataset version {result.version} is now active "
               f"({result.row_count} rows: {result.added_rows} added, {result.replaced_rows} replaced)")


@app.command("export")
@handle_errors
def data_export(
    out: Annotated[str, typer.Option("--out", help="File to write, or - for standard output.")],
    format: Annotated[ExportFormat | None, typer.Option("--format", help="csv or xlsx (default: from --out).")] = None,
    version: Annotated[int | None, typer.Option("--version", help="Dataset version (default: active).")] = None,
    db: DbOption = None,
) -> None:
    """Export every observation of a dataset version with its source columns."""
    from .. import service

    fmt = format.value if format else ("xlsx" if out.lower().endswith(".xlsx") else "csv")
    if out != "-" and not Path(out).parent.exists():
        raise BadInput(msg("cli.no_out_folder", folder=Path(out).parent))
    store = open_store(db)
    n = service.data.export(store=store, out=out, fmt=fmt, version=version)
    # standard output may be the data itself: the summary goes to standard error
    typer.echo(f"wrote {n} observations to {'standard output' if out == '-' else out}", err=True)


@app.command("versions")
@handle_errors
def data_versions(db: DbOption = None) -> None:
    """List dataset versions; the active one is marked with *."""
    from .. import service

    store = open_store(db)
    typer.echo(f"{'':1} {'version':>7}  {'created (UTC)':19}  {'rows':>6}  {'added':>6}  {'replaced':>8}  origin")
    for v in service.data.versions(store=store):
        typer.echo(f"{'*' if v.active else ' '} {v.id:>7}  {v.created_at:%Y-%m-%d %H:%M:%S}  {v.row_count:>6}  "
                   f"{v.added_rows:>6}  {v.replaced_rows:>8}  {v.origin}")


@app.command("activate")
@handle_errors
def data_activate(version: Annotated[int, typer.Argument(help="Version to activate.")], db: DbOption = None) -> None:
    """Make a dataset version the active one."""
    from .. import service

    service.data.activate(store=open_store(db), version=version)
    typer.echo(f"dataset version {version} is now active")
