"""``talentgap series forecast``: forecast any annual series from a CSV file."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talentgap.data.export import write_csv
from talentgap.seeds.validate import Problem

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
    horizon: Annotated[int, typer.Option("--horizon", help="Years to forecast after each series' last year.")],
    level: Annotated[float, typer.Option("--level", help="Prediction interval level in percent.")] = 80,
    output: Annotated[Path | None, typer.Option("--output", help="Output .csv or .parquet (default: CSV on "
                                                "standard output).")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local (this process) or dask (partitions by series "
                                           "over a dask.distributed cluster; needs the scale extra).")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. "
                                                  "tcp://10.0.0.5:8786 (default: a LocalCluster on this machine).")] = None,
) -> None:
    """Forecast any annual series: output series_id,year,forecast,lower,upper,model. Both engines give
    the same numbers."""
    from ..service import series_forecast

    if not 1 <= horizon <= 100:
        raise BadInput(f"--horizon must be between 1 and 100 years; got {horizon}")
    if not 1 <= level <= 99:
        raise BadInput(f"--level must be between 1 and 99 percent; got {level:g}")
    if scheduler and engine is not Engine.dask:
        raise BadInput("--scheduler is for --engine dask; add --engine dask or drop --scheduler")
    if output is not None and output.suffix.lower() not in (".csv", ".parquet"):
        raise BadInput(f"--output must end in .csv or .parquet; got {output}")
    frame = read_series_input(input)
    n = frame["series_id"].nunique()
    show = n >= 200 or engine is Engine.dask

    def progress(done: int, total: int) -> None:
        if show:
            typer.echo(f"\r{done:,}/{total:,} series", err=True, nl=done == total)

    if engine is Engine.dask:
        try:
            from talentgap.models.distributed import forecast_dask
        except ImportError:
            raise BadInput("--engine dask needs the scale extra: pip install 'talentgap[scale]'") from None
        out = forecast_dask(frame, horizon, level=level, scheduler=scheduler, progress=progress)
    else:
        out = series_forecast(frame, horizon=horizon, level=level, progress=progress)
    cols = ["series_id", "year", "forecast", "lower", "upper", "model"]
    fell = out.loc[out["fallback_reason"] != "", "series_id"].nunique()
    if output is not None and output.suffix.lower() == ".parquet":
        from talentgap.data.series_io import write_frame

        write_frame(out[cols], output)
    elif output is not None:
        write_csv(out[cols], output)
    else:
        sys.stdout.write(out[cols].to_csv(index=False))
    if output is not None:
        typer.echo(f"wrote {len(out):,} rows for {n:,} series to {output}", err=True)
    if fell:
        typer.echo(f"{fell:,} series used a simpler model (too few points); see the model column", err=True)


def read_series_input(path: Path) -> pd.DataFrame:
    """``series_id,year,value`` from a CSV file, or from a Parquet file or a folder of CSV/Parquet files;
    every problem is listed by row (:class:`BadInput`)."""
    if path.is_file() and path.suffix.lower() not in (".parquet", ".pq"):
        return read_series_csv(path)
    from talentgap.data.series_io import read_series

    if not path.exists():
        raise BadInput(f"--input: no such file or folder: {path}")
    try:
        raw = read_series(path)
    except ImportError:
        raise BadInput("--input: reading Parquet needs the scale extra: pip install 'talentgap[scale]'") from None
    except (ValueError, TypeError, OSError) as exc:
        if getattr(exc, "code", None):
            raise
        raise BadInput(f"--input {path}: {type(exc).__name__}: {str(exc)[:300]}") from None
    return check_series(raw.astype(str), path)


def read_series_csv(path: Path) -> pd.DataFrame:
    """Read ``series_id,year,value``; raise :class:`BadInput` listing every problem by row."""
    if not path.is_file():
        raise BadInput(f"--input: no such file: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BadInput(f"--input {path}: not a readable CSV ({type(exc).__name__})") from None
    return check_series(frame, path)


def check_series(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Text columns ``series_id, year, value`` → typed, sorted frame; :class:`BadInput` listing problems."""
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
