"""CLI commands for forecasting: ``forecast``, ``series forecast``, ``backtest``, ``scenario ...``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talentgap.seeds.validate import Problem
from talentgap.seeds.vocab import SECTORS

from .cli import BadInput, DbOption, app, handle_errors, open_store, scenario_app, series_app
from .formatting import forecast_csv, forecast_table

QUANTS = ("demand", "openings", "supply", "gap", "cumulative_gap", "shortage_rate")


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_levers(items: list[str] | None) -> dict[str, float]:
    """``["extra_graduates=500", "entry_rate=0.3"]`` → dict; names are checked by the model."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"--set must be lever=value; got {item!r}")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(f"--set {name.strip()}: value must be a number; got {value!r}") from None
    return out


@app.command()
@handle_errors
def forecast(
    sector: Annotated[str, typer.Option("--sector", help=f"One of {', '.join(SECTORS)}.")],
    horizon: Annotated[int | None, typer.Option("--horizon", help="Last year to project (default 2035).")] = None,
    scenario: Annotated[str, typer.Option("--scenario", help="trend, policy or a saved scenario's name.")] = "trend",
    set_: Annotated[list[str] | None, typer.Option("--set", help="Lever override, e.g. extra_graduates=500 "
                                                   "(repeatable).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="education: rows by education level.")] = None,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    db: DbOption = None,
) -> None:
    """One sector's projection of demand, openings, supply and gap with p10/p50/p90."""
    from .service import get_forecast

    result = get_forecast(store=open_store(db), sector=sector, horizon=horizon, scenario=scenario,
                          levers=parse_levers(set_), by=by)
    if format is Fmt.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    elif format is Fmt.csv:
        typer.echo(forecast_csv(result), nl=False)
    else:
        typer.echo(forecast_table(result))


@series_app.command("forecast")
@handle_errors
def series_forecast_cmd(
    input: Annotated[Path, typer.Option("--input", help="CSV with columns series_id,year,value.")],
    horizon: Annotated[int, typer.Option("--horizon", help="Years to forecast after each series' last year.")],
    level: Annotated[float, typer.Option("--level", help="Prediction interval level in percent.")] = 80,
    output: Annotated[Path | None, typer.Option("--output", help="Output CSV (default: standard output).")] = None,
) -> None:
    """Forecast any annual series: output series_id,year,forecast,lower,upper,model."""
    from .service import series_forecast

    if not 1 <= horizon <= 100:
        raise BadInput(f"--horizon must be between 1 and 100 years; got {horizon}")
    if not 1 <= level <= 99:
        raise BadInput(f"--level must be between 1 and 99 percent; got {level:g}")
    frame = read_series_csv(input)
    n = frame["series_id"].nunique()
    show = n >= 200

    def progress(done: int, total: int) -> None:
        if show:
            typer.echo(f"\r{done:,}/{total:,} series", err=True, nl=done == total)

    out = series_forecast(frame, horizon=horizon, level=level, progress=progress)
    cols = ["series_id", "year", "forecast", "lower", "upper", "model"]
    fell = out.loc[out["fallback_reason"] != "", "series_id"].nunique()
    if output:
        tmp = output.with_name(output.name + ".part")
        out[cols].to_csv(tmp, index=False)
        tmp.replace(output)
        typer.echo(f"wrote {len(out):,} rows for {n:,} series to {output}", err=True)
    else:
        sys.stdout.write(out[cols].to_csv(index=False))
    if fell:
        typer.echo(f"{fell:,} series used a simpler model (too few points); see the model column", err=True)


def read_series_csv(path: Path) -> pd.DataFrame:
    """Read ``series_id,year,value``; raise :class:`BadInput` listing every problem by row."""
    if not path.is_file():
        raise BadInput(f"--input: no such file: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BadInput(f"--input {path}: not a readable CSV ({type(exc).__name__})") from None
    missing = [c for c in ("series_id", "year", "value") if c not in frame.columns]
    if missing:
        raise BadInput(f"--input {path}: missing column(s) {', '.join(missing)} (got {', '.join(frame.columns)})")
    if frame.empty:
        raise BadInput(f"--input {path}: no data rows")
    problems: list[Problem] = []
    years = pd.to_numeric(frame["year"], errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    for i in frame.index[years.isna() | (years % 1 != 0) | (years < 1000) | (years > 3000)]:
        problems.append(Problem(i + 2, "year", "must be a whole year", frame.at[i, "year"]))
    for i in frame.index[values.isna() | ~values.map(lambda v: pd.notna(v) and abs(v) != float("inf"))]:
        problems.append(Problem(i + 2, "value", "must be a finite number", frame.at[i, "value"]))
    for i in frame.index[frame["series_id"].str.strip() == ""]:
        problems.append(Problem(i + 2, "series_id", "is blank", ""))
    out = pd.DataFrame({"series_id": frame["series_id"].str.strip(), "year": years, "value": values})
    for i in out.index[out.duplicated(["series_id", "year"])]:
        problems.append(Problem(i + 2, "year", f"duplicate year for series {out.at[i, 'series_id']!r}",
                                frame.at[i, "year"]))
    if problems:
        lines = [str(p) for p in problems[:50]] + ([f"... and {len(problems) - 50} more"] if len(problems) > 50 else [])
        raise BadInput(f"--input {path}: {len(problems)} problem(s)\n" + "\n".join(lines))
    return out.astype({"year": "int64"}).sort_values(["series_id", "year"], kind="stable")


@app.command()
@handle_errors
def backtest(format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
             db: DbOption = None) -> None:
    """Rolling-origin accuracy of the forecasters on every built-in series with enough points."""
    from .service import get_backtest

    result = get_backtest(store=open_store(db))
    if format is Fmt.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(backtest_table(result))


def backtest_table(result: dict) -> str:
    lines = [f"Rolling-origin backtest, dataset version {result['dataset_version']}, "
             f"{result['model_version']}; default model: auto = {result['default_model']} with fallbacks",
             "", f"{'model':8} {'MASE':>6} {'sMAPE %':>8} {'80% cover %':>12} {'forecasts':>10} {'series':>7}"]
    for r in result["table"]:
        lines.append(f"{r['model']:8} {r['mase']:6.2f} {r['smape']:8.1f} {r['coverage']:12.0f} "
                     f"{r['forecasts']:10d} {r['series']:7d}")
    return "\n".join(lines)


@scenario_app.command("create")
@handle_errors
def scenario_create(
    name: Annotated[str, typer.Argument(help="Scenario name.")],
    sector: Annotated[str, typer.Option("--sector")],
    base: Annotated[str, typer.Option("--base", help="trend or policy.")] = "trend",
    set_: Annotated[list[str] | None, typer.Option("--set", help="Lever override (repeatable).")] = None,
    description: Annotated[str, typer.Option("--description")] = "",
    db: DbOption = None,
) -> None:
    """Save a named what-if scenario (a base scenario plus lever overrides)."""
    from talentgap.data.results import save_scenario
    from talentgap.models.sector import BUILT_IN_SCENARIOS
    from talentgap.models.stockflow import validate_levers

    from .service import check_sector

    check_sector(sector)
    if base not in BUILT_IN_SCENARIOS:
        raise BadInput(f"--base must be trend or policy; got {base!r}")
    if not name.strip() or name in BUILT_IN_SCENARIOS:
        raise BadInput(f"NAME must be non-blank and not trend/policy; got {name!r}")
    saved = save_scenario(open_store(db), name=name, sector=sector, base=base,
                          levers=validate_levers(parse_levers(set_)), description=description)
    typer.echo(f"saved scenario {saved['name']} (id {saved['id']}): {sector}, {base}, levers {saved['levers']}")


@scenario_app.command("list")
@handle_errors
def scenario_list(db: DbOption = None) -> None:
    """List saved scenarios."""
    from talentgap.data.results import list_scenarios

    for s in list_scenarios(open_store(db)):
        typer.echo(f"{s['id']:>4}  {s['name']:24} {s['sector']:14} {s['base']:7} {json.dumps(s['levers'])}")


@scenario_app.command("show")
@handle_errors
def scenario_show(name: str, horizon: Annotated[int | None, typer.Option("--horizon")] = None,
                  format: Annotated[Fmt, typer.Option("--format")] = Fmt.table, db: DbOption = None) -> None:
    """A saved scenario with its forecast."""
    from talentgap.data.results import get_scenario

    store = open_store(db)
    s = get_scenario(store, name)
    forecast(sector=s["sector"], horizon=horizon, scenario=s["name"], set_=None, by=None, format=format, db=db)


@scenario_app.command("compare")
@handle_errors
def scenario_compare(
    names: Annotated[list[str], typer.Argument(help="Scenarios to compare (trend, policy or saved names).")],
    sector: Annotated[str, typer.Option("--sector")],
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    db: DbOption = None,
) -> None:
    """Gap and cumulative gap (p50) by year, side by side for several scenarios."""
    from .service import get_forecast

    store = open_store(db)
    results = [get_forecast(store=store, sector=sector, horizon=horizon, scenario=n) for n in names]
    years = [r["year"] for r in results[0]["rows"]]
    head = f"{'year':>6}" + "".join(f"  {n[:22]:>22}" for n in names)
    lines = [f"{sector}: annual gap p50 (cumulative gap p50)", head]
    for _i, y in enumerate(years):
        cells = []
        for r in results:
            row = next((x for x in r["rows"] if x["year"] == y), None)
            cells.append(f"{row['gap']['p50']:>9,.0f} ({row['cumulative_gap']['p50']:>9,.0f})" if row else " " * 22)
        lines.append(f"{y:>6}" + "".join(f"  {c:>22}" for c in cells))
    typer.echo("\n".join(lines))


@scenario_app.command("delete")
@handle_errors
def scenario_delete(name: str, db: DbOption = None) -> None:
    """Delete a saved scenario."""
    from talentgap.data.results import delete_scenario

    delete_scenario(open_store(db), name)
    typer.echo(f"deleted scenario {name}")


program_app = typer.Typer(help="University programmes: demand outlook and skill mismatch.", no_args_is_help=True)
app.add_typer(program_app, name="program")


def parse_skills(text: str) -> dict[str, float]:
    """``"rtl_design=1,verification=0.5"`` → dict; raises :class:`BadInput` naming --skills."""
    out: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise BadInput(f"--skills must be id=weight,...; got {part.strip()!r}")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(f"--skills {name.strip()}: weight must be a number; got {value.strip()!r}") from None
    if not out:
        raise BadInput("--skills: give at least one id=weight")
    return out


@app.command()
@handle_errors
def skills(sector: Annotated[str | None, typer.Option("--sector")] = None,
           format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
           gaps: Annotated[bool, typer.Option("--gaps", help="Openings, supply and gap by skill (needs --sector).")] = False,
           horizon: Annotated[int | None, typer.Option("--horizon")] = None,
           db: DbOption = None) -> None:
    """The skill taxonomy: ids with English and Korean labels; with --gaps, the gap by skill."""
    from .service import get_skill_gaps, list_skills

    if gaps:
        if not sector:
            raise BadInput("--gaps needs --sector")
        rows = get_skill_gaps(store=open_store(db), sector=sector, horizon=horizon)
        if format is Fmt.json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            typer.echo(f"{r['skill']:24} {r['year']} openings {r['demand']['p50']:>9,.0f}  supply {r['supply']['p50']:>9,.0f}"
                       f"  gap {r['gap']['p50']:>9,.0f} [{r['gap']['p10']:,.0f}–{r['gap']['p90']:,.0f}]")
        return
    rows = list_skills(sector=sector)
    if format is Fmt.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['id']:24} {r['label_en']:42} {r['label_ko']:18} {', '.join(r['sectors'])}")


@app.command()
@handle_errors
def gap(
    skills_: Annotated[str, typer.Option("--skills", help='Profile, e.g. "rtl_design=1,verification=0.5".')],
    sector: Annotated[str | None, typer.Option("--sector", help="Limit matching to one sector.")] = None,
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    format: Annotated[Fmt, typer.Option("--format", help="json or table.")] = Fmt.json,
    db: DbOption = None,
) -> None:
    """Projected gap for a skill profile, with the occupations it matches."""
    from .service import get_gap

    result = get_gap(store=open_store(db), skills=parse_skills(skills_), sector=sector, horizon=horizon)
    if format is Fmt.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    lines = ["matched occupations:"]
    lines += [f"  {m['occupation']:32} {m['sector']:14} similarity {m['similarity']:.2f}" for m in result["matches"]]
    lines.append(f"{'year':>4} {'demand (openings)':>28} {'supply':>28} {'gap':>28}")
    for r in result["rows"]:
        cells = [f"{r[q]['p50']:,.0f} [{r[q]['p10']:,.0f}–{r[q]['p90']:,.0f}]" for q in ("demand", "supply", "gap")]
        lines.append(f"{r['year']:>4} " + " ".join(f"{c:>28}" for c in cells))
    typer.echo("\n".join(lines))


@program_app.command("assess")
@handle_errors
def program_assess(
    file: Annotated[Path, typer.Option("--file", help="program.json: name, sector, degree, seats_per_year, skills, region?")],
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    format: Annotated[Fmt, typer.Option("--format", help="json or table.")] = Fmt.json,
    db: DbOption = None,
) -> None:
    """A programme's demand outlook, skill mismatch and the skills to add."""
    from .service import assess_programme

    if not file.is_file():
        raise BadInput(f"--file: no such file: {file}")
    try:
        programme = json.loads(file.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"--file {file}: not valid JSON ({exc})") from None
    result = assess_programme(store=open_store(db), programme=programme, horizon=horizon)
    if format is Fmt.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    lines = [f"{result['name']} ({result['sector']}, {result['degree']}, {result['seats_per_year']:g} seats a year)",
             f"mismatch: {result['mismatch']:.3f}   entry rate: {result['entry_rate']:.2f} ({result['entry_rate_source']})",
             "openings per graduate, p50 [p10–p90]:"]
    lines += [f"  {o['year']}: {o['openings_per_graduate']['p50']:.2f} [{o['openings_per_graduate']['p10']:.2f}–"
              f"{o['openings_per_graduate']['p90']:.2f}]" for o in result["outlook"]]
    lines.append("skills to add:")
    lines += [f"  {s['skill']:24} mismatch after {s['mismatch_after']:.3f} ({s['effect']:+.3f})" for s in result["skills_to_add"]]
    typer.echo("\n".join(lines))


schedule_app = typer.Typer(help="Scheduled report jobs: add, list, remove, run.", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")


def _report_options(format: str, sector: list[str] | None, scenario: str, horizon: int | None) -> dict:
    from .report import check_options

    formats = [f.strip() for f in format.split(",") if f.strip()]
    check_options(formats=formats, sectors=sector, scenario=scenario, horizon=horizon)
    return {"formats": formats, "sectors": sector or None, "scenario": scenario, "horizon": horizon}


@app.command()
@handle_errors
def report(
    out: Annotated[Path, typer.Option("--out", help="Folder to write DIR/<report-id>/ into.")],
    format: Annotated[str, typer.Option("--format", help="html, pdf or html,pdf.")] = "html,pdf",
    sector: Annotated[list[str] | None, typer.Option("--sector", help="Sector (repeatable; default all).")] = None,
    scenario: Annotated[str, typer.Option("--scenario")] = "trend",
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    db: DbOption = None,
) -> None:
    """Write the standard report (HTML/PDF and data.csv) and print its id. Exit 1 on failure, with
    nothing half-written left in --out."""
    from .report import write_report

    opts = _report_options(format, sector, scenario, horizon)
    store = open_store(db)
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


@schedule_app.command("add")
@handle_errors
def schedule_add(
    cron: Annotated[str, typer.Option("--cron", help='5-field cron in UTC, e.g. "0 6 1 * *".')],
    name: Annotated[str, typer.Option("--name")],
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: the archive folder).")] = None,
    format: Annotated[str, typer.Option("--format")] = "html,pdf",
    sector: Annotated[list[str] | None, typer.Option("--sector")] = None,
    scenario: Annotated[str, typer.Option("--scenario")] = "trend",
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    db: DbOption = None,
) -> None:
    """Add a schedule that writes the standard report at each cron tick."""
    from talentgap.data.reports import add_schedule

    opts = _report_options(format, sector, scenario, horizon)
    opts["out"] = str(out.resolve()) if out else None
    s = add_schedule(open_store(db), name=name, cron=cron, params=opts)
    typer.echo(f"schedule {s['name']} ({s['cron']}): next run {s['next_run_at']:%Y-%m-%d %H:%M} UTC")


@schedule_app.command("list")
@handle_errors
def schedule_list(db: DbOption = None) -> None:
    """List schedules with their next and last runs."""
    from talentgap.data.reports import list_schedules

    for s in list_schedules(open_store(db)):
        last = f"{s['last_run_at']:%Y-%m-%d %H:%M} {s['last_status']}" if s["last_run_at"] else "never run"
        typer.echo(f"{s['name']:20} {s['cron']:16} next {s['next_run_at']:%Y-%m-%d %H:%M}  last {last}"
                   f"{'  (running)' if s['running'] else ''}{'  error: ' + s['last_error'][:80] if s['last_error'] else ''}")


@schedule_app.command("remove")
@handle_errors
def schedule_remove(name: str, db: DbOption = None) -> None:
    """Remove a schedule."""
    from talentgap.data.reports import remove_schedule

    remove_schedule(open_store(db), name)
    typer.echo(f"removed schedule {name}")


@schedule_app.command("run")
@handle_errors
def schedule_run(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    tick: Annotated[float, typer.Option("--tick", help="Seconds between checks.")] = 30.0,
    db: DbOption = None,
) -> None:
    """The scheduler: checks for due schedules every --tick seconds and writes their reports."""
    from .scheduler import Scheduler

    sched = Scheduler(open_store(db), log=lambda m: typer.echo(m, err=True))
    if once:
        sched.tick()
        return
    sched.run_forever(tick=tick)
