"""``talentgap series forecast``: forecast any annual series from a CSV file."""

from __future__ import annotations

import sys
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talentgap.data.export import csv_text, write_csv
from talentgap.i18n import msg
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
        raise BadInput(msg("cli.bad_horizon", horizon=horizon))
    if not 1 <= level <= 99:
        raise BadInput(msg("cli.bad_level", level=level))
    if scheduler and engine is not Engine.dask:
        raise BadInput(msg("cli.scheduler_needs_dask"))
    if output is not None and output.suffix.lower() not in (".csv", ".parquet"):
        raise BadInput(msg("cli.bad_output", output=output))
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
            raise BadInput(msg("cli.dask_missing")) from None
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
    else:  # text a spreadsheet would run as a formula is neutralised here too, as in --output
        sys.stdout.write(csv_text(out[cols]))
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
        raise BadInput(msg("cli.no_input", path=path))
    try:
        raw = read_series(path, typed=False)
    except ImportError:
        raise BadInput(msg("cli.parquet_missing")) from None
    except (ValueError, TypeError, OSError) as exc:
        if getattr(exc, "code", None):
            raise
        raise BadInput(msg("cli.input_unreadable", path=path, kind=type(exc).__name__, error=str(exc)[:300])) from None
    # every cell as the text a CSV would hold, a missing one blank, so Parquet is held to the CSV rules
    # (a fractional year, a missing id and a boolean value are refused, not coerced)
    text = raw[["series_id", "year", "value"]].astype(object)
    return check_series(text.where(text.notna(), "").astype(str), path)


def read_series_csv(path: Path) -> pd.DataFrame:
    """Read ``series_id,year,value``; raise :class:`BadInput` listing every problem by row."""
    if not path.is_file():
        raise BadInput(msg("cli.no_input_file", path=path))
    try:
        with warnings.catch_warnings():
            # rows wider than the header: never shift the columns into an index, never drop fields
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False)
    except pd.errors.ParserWarning:
        raise BadInput(msg("cli.input_too_wide", path=path, detail="line 2")) from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1].removeprefix("Error tokenizing data. C error: ")[:200]
        raise BadInput(msg("cli.input_too_wide", path=path, detail=detail)) from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BadInput(msg("cli.input_not_csv", path=path, kind=type(exc).__name__)) from None
    return check_series(frame, path)


def check_series(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Text columns ``series_id, year, value`` → typed, sorted frame; :class:`BadInput` listing problems."""
    missing = [c for c in ("series_id", "year", "value") if c not in frame.columns]
    if missing:
        raise BadInput(msg("cli.input_missing_columns", path=path, missing=", ".join(missing),
                               columns=", ".join(frame.columns)))
    if frame.empty:
        raise BadInput(msg("cli.input_no_rows", path=path))
    problems: list[Problem] = []
    years = pd.to_numeric(frame["year"], errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    for i in frame.index[years.isna() | (years % 1 != 0) | (years < 1000) | (years > 3000)]:
        problems.append(Problem(i + 2, "year", msg("cli.series_bad_year"), frame.at[i, "year"]))
    for i in frame.index[values.isna() | ~values.map(lambda v: pd.notna(v) and abs(v) != float("inf"))]:
        problems.append(Problem(i + 2, "value", msg("validate.bad_value"), frame.at[i, "value"]))
    for i in frame.index[frame["series_id"].str.strip() == ""]:
        problems.append(Problem(i + 2, "series_id", msg("cli.series_blank_id"), ""))
    out = pd.DataFrame({"series_id": frame["series_id"].str.strip(), "year": years, "value": values})
    for i in out.index[out.duplicated(["series_id", "year"])]:
        problems.append(Problem(i + 2, "year", msg("cli.series_duplicate_year", series=repr(out.at[i, "series_id"])),
                                frame.at[i, "year"]))
    if problems:
        lines = [str(p) for p in problems[:50]] + ([msg("cli.more", count=len(problems) - 50)] if len(problems) > 50 else [])
        raise BadInput(msg("cli.input_problems", path=path, count=len(problems), problems="\n".join(lines)))
    return out.astype({"year": "int64"}).sort_values(["series_id", "year"], kind="stable")
