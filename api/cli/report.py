"""``talentgap report``: write the standard report (HTML/PDF and data.csv) for scheduled jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import DbOption, handle_errors, open_store


def report_options(format: str, sector: list[str] | None, scenario: str, horizon: int | None,
                   lang: str = "ko", store=None) -> dict:
    """The report options of ``--format``, ``--sector``, ``--scenario``, ``--horizon``, ``--lang``, checked."""
    from ..service import check_report_options

    formats = [f.strip() for f in format.split(",") if f.strip()]
    check_report_options(formats=formats, sectors=sector, scenario=scenario, horizon=horizon, lang=lang, store=store)
    return {"formats": formats, "sectors": sector or None, "scenario": scenario, "horizon": horizon, "lang": lang}


@handle_errors
def report(
    out: Annotated[Path, typer.Option("--out", help="Folder to write DIR/<report-id>/ into.")],
    format: Annotated[str, typer.Option("--format", help="html, pdf or html,pdf.")] = "html,pdf",
    sector: Annotated[list[str] | None, typer.Option("--sector", help="Sector (repeatable; default all).")] = None,
    scenario: Annotated[str, typer.Option("--scenario")] = "trend",
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Edition: ko (Korean, default) or en.")] = "ko",
    db: DbOption = None,
) -> None:
    """Write the standard report (HTML/PDF and data.csv) and print its id. Exit 1 on failure, with
    nothing half-written left in --out."""
    from ..render.report import write_report

    store = open_store(db)
    opts = report_options(format, sector, scenario, horizon, lang, store=store)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".talentgap-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        typer.echo(f"error: --out {out} is not writable ({exc.strerror})", err=True)
        raise typer.Exit(1) from None
    info = write_report(store=store, out_dir=out, progress=lambda m: typer.echo(f"  {m}", err=True), **opts)
    typer.echo(f"report {info['id']} written to {info['directory']}", err=True)
    typer.echo(info["id"])
