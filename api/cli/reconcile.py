"""``talentgap reconcile``: every published projection in the seeds beside the model's figure on the same
definition and window."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from talentgap.seeds.vocab import SECTORS

from ..render.reconcile import reconcile_table
from .common import DbOption, handle_errors, open_store


class ReconcileFmt(StrEnum):
    table = "table"
    json = "json"


@handle_errors
def reconcile(
    sector: Annotated[str | None, typer.Option("--sector", help=f"One of {', '.join(SECTORS)} (default: all).")] = None,
    format: Annotated[ReconcileFmt, typer.Option("--format", help="table or json.")] = ReconcileFmt.table,
    db: DbOption = None,
) -> None:
    """Published projections and targets beside the model's p10/p50/p90 on the same definition and window,
    with the difference and, outside p10-p90, what makes them differ in numbers."""
    from ..service import get_reconciliation

    result = get_reconciliation(store=open_store(db), sector=sector)
    if format is ReconcileFmt.json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        typer.echo(reconcile_table(result))
