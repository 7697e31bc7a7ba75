"""``talentgap scenario create|list|show|compare|delete``: saved what-if scenarios."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from .common import DbOption, Fmt, handle_errors, open_store, parse_levers

app = typer.Typer(help="Saved what-if scenarios: create, list, show, compare, delete.", no_args_is_help=True)


@app.command("create")
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
    from ..service import create_scenario

    saved = create_scenario(store=open_store(db), name=name, sector=sector, base=base, levers=parse_levers(set_),
                            description=description)
    typer.echo(f"saved scenario {saved['name']} (id {saved['id']}): {sector}, {base}, levers {saved['levers']}")


@app.command("list")
@handle_errors
def scenario_list(db: DbOption = None) -> None:
    """List saved scenarios."""
    from ..service.scenarios import list_saved

    for s in list_saved(store=open_store(db)):
        typer.echo(f"{s['id']:>4}  {s['name']:24} {s['sector']:14} {s['base']:7} {json.dumps(s['levers'])}")


@app.command("show")
@handle_errors
def scenario_show(name: str, horizon: Annotated[int | None, typer.Option("--horizon")] = None,
                  format: Annotated[Fmt, typer.Option("--format")] = Fmt.table, db: DbOption = None) -> None:
    """A saved scenario with its forecast."""
    from ..service.scenarios import get_saved
    from .forecast import forecast

    s = get_saved(store=open_store(db), scenario=name)
    forecast(sector=s["sector"], horizon=horizon, scenario=s["name"], set_=None, by=None, format=format, db=db)


@app.command("compare")
@handle_errors
def scenario_compare(
    names: Annotated[list[str], typer.Argument(help="Scenarios to compare (trend, policy or saved names).")],
    sector: Annotated[str, typer.Option("--sector")],
    horizon: Annotated[int | None, typer.Option("--horizon")] = None,
    db: DbOption = None,
) -> None:
    """Gap and cumulative gap (p50) by year, side by side for several scenarios."""
    from ..render.tables import compare_table
    from ..service import get_forecast

    store = open_store(db)
    results = [get_forecast(store=store, sector=sector, horizon=horizon, scenario=n) for n in names]
    typer.echo(compare_table(sector, names, results))


@app.command("delete")
@handle_errors
def scenario_delete(name: str, db: DbOption = None) -> None:
    """Delete a saved scenario."""
    from ..service.scenarios import delete_saved

    delete_saved(store=open_store(db), name=name)
    typer.echo(f"deleted scenario {name}")
