"""`talentgap series forecast`: the CSV contract, gaps and edge series, and bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app

from ..conftest import write

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_output_contract_and_horizon_per_series(tmp_path):
    f = write(tmp_path / "in.csv", "series_id,year,value\n"
              "kiat,2016,86525\nkiat,2020,99285\nkiat,2024,118721\n"
              "one,2022,56340\n"
              "zero,2015,0\nzero,2016,3\nzero,2017,5\nzero,2018,4\nzero,2019,8\nzero,2020,9\n")
    out = tmp_path / "out.csv"
    res = run("series", "forecast", "--input", f, "--h", 3, "--level", 90, "--output", out)
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == ["series_id", "year", "forecast", "lower", "upper", "model", "members",
                                   "fallback_reason"]
    assert frame.loc[frame.series_id == "zero", "members"].str.contains("_level").all()
    assert (frame.loc[frame.series_id == "one", "members"] == "naive").all()
    years = frame.groupby("series_id")["year"].apply(list).to_dict()
    assert years == {"kiat": [2025, 2026, 2027], "one": [2023, 2024, 2025], "zero": [2021, 2022, 2023]}
    assert (frame["lower"] <= frame["forecast"]).all() and (frame["forecast"] <= frame["upper"]).all()
    assert set(frame.loc[frame.series_id == "one", "model"]) == {"naive"}
    assert frame.loc[frame.series_id == "one", "fallback_reason"].str.startswith("1 observation(s)").all()
    assert (frame.loc[frame.series_id == "zero", "fallback_reason"] == "").all()
    assert "2 series used a simpler model" in res.output  # stderr notes the fallbacks


def test_horizon_is_the_calendar_year_every_series_reaches(tmp_path):
    f = write(tmp_path / "in.csv", "series_id,year,value\na,2018,5\na,2019,6\na,2020,7\na,2021,8\nb,2023,3\n")
    res = run("series", "forecast", "--input", f, "--horizon", 2026)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    years = [(line.split(",")[0], int(line.split(",")[1])) for line in lines[1:]]
    assert years == [("a", y) for y in range(2022, 2027)] + [("b", y) for y in range(2024, 2027)]


@pytest.mark.parametrize("args,message", [
    (["--horizon", "10"], "horizon is a calendar year (1000–3000) to forecast every series up to, e.g. 2035; got 10. "
                          "For a count of years after each series' last year, give h (--h, \"h\") from 1 to 100"),
    (["--horizon", "2020"], "horizon 2020 is not after the last year of series 'a' (2021)"),
    ([], "give h (years after each series' last year) or horizon (a calendar year), one of them"),
    (["--h", "2", "--horizon", "2030"], "one of them; got h=2, horizon=2030"),
])
def test_h_and_horizon_are_checked_in_one_place(tmp_path, args, message):
    f = write(tmp_path / "in.csv", "series_id,year,value\na,2020,1\na,2021,2\n")
    res = run("series", "forecast", "--input", f, *args)
    assert res.exit_code == 2 and message in res.output, res.output


def test_stdout_when_no_output(tmp_path):
    f = write(tmp_path / "in.csv", "series_id,year,value\na,2020,1\na,2021,2\n")
    res = run("series", "forecast", "--input", f, "--h", 1)
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == "series_id,year,forecast,lower,upper,model,members,fallback_reason"


@pytest.mark.parametrize("text,args,message", [
    ("series_id,year,value\na,20x0,1\na,2021,zz\n", [], "row 2, column year: must be a whole year (got '20x0')"),
    ("series_id,year,value\na,2020,1\na,2021,zz\n", [], "row 3, column value: must be a finite number"),
    ("series_id,year,value\na,2020,1\na,2020,2\n", [], "row 3, column year: duplicate year for series 'a'"),
    ("id,year,value\na,2020,1\n", [], "lacks column(s) series_id"),
    ("series_id,year,value\n", [], "no data rows"),
    ("series_id,year,value\na,2020,1\n", ["--h", "0"], "h must be a whole number of years from 1 to 100; got 0"),
    ("series_id,year,value\na,2020,1\n", ["--level", "150"], "level must be between 1 and 99 percent; got 150"),
])
def test_bad_input_exits_2_naming_the_problem(tmp_path, text, args, message):
    f = write(tmp_path / "in.csv", text)
    res = run("series", "forecast", "--input", f, *(args if "--h" in args else ["--h", "2", *args]))
    assert res.exit_code == 2, res.output
    assert message in res.output


def test_missing_input_file(tmp_path):
    res = run("series", "forecast", "--input", tmp_path / "nope.csv", "--h", 2)
    assert res.exit_code == 2 and "does not exist" in res.output


@pytest.mark.slow
def test_the_dask_engine_gives_the_local_engine_output(tmp_path):
    """1,000 series through `--engine dask` (a LocalCluster) and through the local engine: same file."""
    pytest.importorskip("dask.distributed")
    rng = __import__("numpy").random.default_rng(7)
    rows = [f"s{i},{2000 + t},{100 * (1 + 0.03 * t) + rng.normal(0, 3):.3f}"
            for i in range(1_000) for t in range(int(rng.integers(4, 25)))]
    f = write(tmp_path / "in.csv", "series_id,year,value\n" + "\n".join(rows) + "\n")
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert run("series", "forecast", "--input", f, "--h", 5, "--output", local).exit_code == 0
    res = run("series", "forecast", "--input", f, "--h", 5, "--output", dask, "--engine", "dask")
    assert res.exit_code == 0, res.output
    assert local.read_text() == dask.read_text()
    parquet = tmp_path / "in.parquet"
    pd.read_csv(f).to_parquet(parquet)
    out = tmp_path / "out.parquet"
    assert run("series", "forecast", "--input", parquet, "--h", 5, "--output", out).exit_code == 0
    assert pd.read_parquet(out).equals(pd.read_csv(local, keep_default_na=False, float_precision="round_trip"))


def test_a_scheduler_without_the_dask_engine_is_bad_input(tmp_path):
    f = write(tmp_path / "in.csv", "series_id,year,value\na,2020,1\na,2021,2\n")
    res = run("series", "forecast", "--input", f, "--h", 2, "--scheduler", "tcp://127.0.0.1:1")
    assert res.exit_code == 2 and "--engine dask" in res.output


def test_the_h_bound_is_one_constant_and_every_text_states_it():
    """h is checked by check_h against MAX_H alone; the CLI help, the request schema and the README say the same."""
    import typer.main

    from talentgap.api.http.schemas import SeriesForecastRequest
    from talentgap.models.panel import MAX_H

    command = typer.main.get_command(app).commands["series"].commands["forecast"]
    h_help = next(p.help for p in command.params if p.name == "h")
    bound = f"1–{MAX_H}"
    assert bound in h_help and bound in SeriesForecastRequest.model_fields["h"].description
    assert f'`"h"`: {bound} years' in (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
