"""``talentgap backcast``: the stock-flow model fitted on the data up to an origin year, beside what was
observed after it."""

from __future__ import annotations

from typing import Annotated

import typer

from talentgap.seeds.vocab import SECTORS

from .common import DbOption, Fmt, handle_errors, open_store


@handle_errors
def backcast(
    sector: Annotated[str, typer.Option("--sector", help=f"One of {', '.join(SECTORS)}.")],
    origin: Annotated[int, typer.Option("--origin", help="Last year of data the model is fitted on.")],
    format: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
    db: DbOption = None,
) -> None:
    """The trend projection fitted on data up to --origin, beside every later observed stock (현원),
    shortage (부족인원) and shortage rate (부족률), with whether each lies inside p10–p90."""
    from ..service.backcasts import get_backcast

    result = get_backcast(store=open_store(db), sector=sector, origin=origin)
    if format is Fmt.json:
        typer.echo(result.model_dump_json(indent=2))
        return
    typer.echo(f"{sector}: fitted on data up to {result.origin} (last stock {result.base_year}), {result.model_version}")
    typer.echo(f"{'year':>4} {'metric':13} {'definition':22} {'observed':>10} {'p10':>10} {'p50':>10} {'p90':>10} inside")
    for r in result.rows:
        typer.echo(f"{r.year:>4} {r.metric:13} {r.definition[:22]:22} {r.observed:>10,.1f} {r.p10:>10,.1f} "
                   f"{r.p50:>10,.1f} {r.p90:>10,.1f} {'yes' if r.inside else 'no'}")
    typer.echo(f"coverage: {result.coverage:.0%} of {len(result.rows)} figures inside p10–p90 (80 % expected)")
