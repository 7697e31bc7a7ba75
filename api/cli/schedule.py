"""``talentgap schedule add|list|remove|run|daemon``: scheduled report jobs (``run NAME`` runs one now,
``daemon`` runs them all on their cron times)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talentgap.i18n import msg

from ..errors import BadInput
from .common import DbOption, handle_errors, open_store
from .report import report_options

app = typer.Typer(help="Scheduled report jobs: add, list, remove, run one now, daemon.", no_args_is_help=True)


@app.command("add")
@handle_errors
def schedule_add(
    cron: Annotated[str, typer.Option("--cron", help='5-field cron in UTC, e.g. "0 6 1 * *".')],
    name: Annotated[str, typer.Option("--name")],
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: the archive folder).")] = None,
    format: Annotated[str, typer.Option("--format")] = "html,pdf",
    sector: Annotated[list[str] | None, typer.Option("--sector")] = None,
    scenario: Annotated[str, typer.Option("--scenario")] = "trend",
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Edition: ko (Korean, default) or en.")] = "ko",
    db: DbOption = None,
) -> None:
    """Add a schedule that writes the standard report at each cron tick."""
    from ..service.reports import schedule

    store = open_store(db)
    opts = report_options(format, sector, scenario, horizon, lang, store=store)
    opts["out"] = str(out.resolve()) if out else None
    s = schedule(store=store, name=name, cron=cron, params=opts)
    typer.echo(f"schedule {s['name']} ({s['cron']}): next run {s['next_run_at']:%Y-%m-%d %H:%M} UTC")


@app.command("list")
@handle_errors
def schedule_list(db: DbOption = None) -> None:
    """List schedules with their next and last runs."""
    from ..service.reports import schedules

    for s in schedules(store=open_store(db)):
        last = f"{s['last_run_at']:%Y-%m-%d %H:%M} {s['last_status']}" if s["last_run_at"] else "never run"
        typer.echo(f"{s['name']:20} {s['cron']:16} next {s['next_run_at']:%Y-%m-%d %H:%M}  last {last}"
                   f"{'  (running)' if s['running'] else ''}{'  error: ' + s['last_error'][:80] if s['last_error'] else ''}")


@app.command("remove")
@handle_errors
def schedule_remove(name: str, db: DbOption = None) -> None:
    """Remove a schedule."""
    from ..service.reports import unschedule

    unschedule(store=open_store(db), name=name)
    typer.echo(f"removed schedule {name}")


@app.command("run")
@handle_errors
def schedule_run(
    name: Annotated[str, typer.Argument(help="The schedule to run now (see `schedule list`).")],
    db: DbOption = None,
) -> None:
    """Run one schedule now, whether due or not, and return: its report is written and archived, and its
    next scheduled time stays as it was. Exit 1 if the report fails."""
    from ..jobs import Scheduler

    outcome = Scheduler(open_store(db), log=lambda m: typer.echo(m, err=True)).run_now(name)
    if outcome is None:
        raise BadInput(msg("schedule.running", name=repr(name)))
    if outcome["status"] != "done":
        raise typer.Exit(1)
    typer.echo(outcome["report_id"])


@app.command("daemon")
@handle_errors
def schedule_daemon(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    tick: Annotated[float, typer.Option("--tick", help="Seconds between checks.")] = 30.0,
    db: DbOption = None,
) -> None:
    """The scheduler: checks for due schedules every --tick seconds and writes their reports, until
    stopped (Ctrl-C); `serve --scheduler` runs the same inside the service."""
    from ..jobs import Scheduler

    sched = Scheduler(open_store(db), log=lambda m: typer.echo(m, err=True))
    if once:
        sched.tick()
        return
    sched.run_forever(tick=tick)
