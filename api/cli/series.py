"""``talentgap series forecast``: forecast any annual series from a CSV or Parquet file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from talentgap.i18n import msg

from ..errors import BadInput
from .common import handle_errors

app = typer.Typer(help="Forecast any annual series.", no_args_is_help=True)


class Engine(StrEnum):
    local = "local"
    dask = "dask"


@app.command("forecast")
@handle_errors
def series_forecast_cmd(
    input: Annotated[Path, typer.Option("--input", help="series_id,year,value as CSV or Parquet: a file or a folder.")],
    h: Annotated[int | None, typer.Option("--h", help="Years to forecast after each series' own last year (1–100).")] = None,
    horizon: Annotated[int | None, typer.Option("--horizon", help="Calendar year to forecast every series up to, "
                                                "e.g. 2035.")] = None,
    level: Annotated[float, typer.Option("--level", help="Prediction interval level in percent.")] = 80,
    output: Annotated[Path | None, typer.Option("--output", help="Output .csv or .parquet (default: CSV on "
                                                "standard output).")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local (this process) or dask (partitions by series "
                                           "over a dask.distributed cluster; needs the scale extra).")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. "
                                                  "tcp://10.0.0.5:8786 (default: a LocalCluster on this machine).")] = None,
) -> None:
    """Forecast any annual series, --h years past each one's last year or up to the calendar year
    --horizon: output series_id,year,forecast,lower,upper,model. Both engines give the same numbers."""
    from ..service import series_forecast_files

    if output is not None and output.suffix.lower() not in (".csv", ".parquet"):
        raise BadInput(msg("cli.bad_output", output=output))

    def progress(done: int, total: int) -> None:
        if total >= 200 or engine is Engine.dask:
            typer.echo(f"\r{done:,}/{total:,} series", err=True, nl=done == total)

    summary = series_forecast_files(input_path=input, output_path=output or "-", h=h, horizon=horizon, level=level,
                                    engine=engine.value, scheduler=scheduler, progress=progress)
    if output is not None:
        typer.echo(f"wrote {summary['rows']:,} rows for {summary['series']:,} series to {output}", err=True)
    if summary["fallbacks"]:
        typer.echo(f"{summary['fallbacks']:,} series used a simpler model (too few points); see the model column",
                   err=True)
