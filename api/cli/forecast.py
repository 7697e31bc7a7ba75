"""``talentgap forecast`` (one sector's projection) and ``talentgap backtest`` (accuracy of the
forecasters on the built-in series)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..render.formatting import forecast_csv
from ..render.tables import backtest_table, forecast_table
from .common import DbOption, Fmt, handle_errors, open_store, parse_levers


@handle_errors
def forecast(
    sector: Annotated[str, typer.Option("--sector", help="A sector's id, Korean or English name (talentgap sector list).")],
    horizon: Annotated[int | None, typer.Option("--horizon", help="Last year to project (default 2035).")] = None,
    scenario: Annotated[str, typer.Option("--scenario", help="trend, policy or a saved scenario's name.")] = "trend",
    set_: Annotated[list[str] | None, typer.Option("--set", help="Lever override, e.g. extra_graduates=500 "
                                                   "(repeatable).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="education or occupation: rows by education level "
                                           "or by occupation.")] = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="Current year: later rows are projections, "
                                              "earlier ones nowcasts (default: this year).")] = None,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    db: DbOption = None,
) -> None:
    """One sector's projection of demand, openings, supply and gap with p10/p50/p90."""
    from ..service import get_forecast

    result = get_forecast(store=open_store(db), sector=sector, horizon=horizon, scenario=scenario,
                          levers=parse_levers(set_), by=by, as_of=as_of)
    if format is Fmt.json:
        typer.echo(result.model_dump_json(indent=2))
    elif format is Fmt.csv:
        typer.echo(forecast_csv(result), nl=False)
    else:
        typer.echo(forecast_table(result))


@handle_errors
def backtest(format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
             db: DbOption = None) -> None:
    """Rolling-origin accuracy of the forecasters on every built-in series with enough points: the stored
    result of the active dataset version, computed now (the job its activation queued) if not stored yet."""
    from ..jobs import Precompute
    from ..service import backtest_pending, get_backtest

    store = open_store(db)
    pending = backtest_pending(store)
    if pending is not None:
        typer.echo(f"computing the backtests of dataset version {pending} (stored for the service too)", err=True)
        Precompute(store).run_once()
    result = get_backtest(store=store)
    if format is Fmt.json:
        typer.echo(result.model_dump_json(indent=2))
        return
    typer.echo(backtest_table(result))
