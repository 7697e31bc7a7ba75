"""``talentgap series forecast``: forecast any annual series from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talentgap.seeds.validate import Problem

from ..errors import BadInput
from .common import handle_errors

app = typer.Typer(help="Forecast any annual series.", no_args_is_help=True)


@app.command("forecast")
@handle_errors
def series_forecast_cmd(
    input: Annotated[Path, typer.Option("--input", help="CSV with columns series_id,year,value.")],
    horizon: Annotated[int, typer.Option("--horizon", help="Years to forecast after each series' last year.")],
    level: Annotated[float, typer.Option("--level", help="Prediction interval level in percent.")] = 80,
    output: Annotated[Path | None, typer.Option("--output", help="Output CSV (default: standard output).")] = None,
) -> None:
    """Forecast any annual series: output series_id,year,forecast,lower,upper,model."""
    from ..service import series_forecast

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
