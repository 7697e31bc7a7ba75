"""`talentgap series forecast`: the CSV contract, gaps and edge series, and bad input."""

from __future__ import annotations

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
    res = run("series", "forecast", "--input", f, "--horizon", 3, "--level", 90, "--output", out)
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["series_id", "year", "forecast", "lower", "upper", "model"]
    years = frame.groupby("series_id")["year"].apply(list).to_dict()
    assert years == {"kiat": [2025, 2026, 2027], "one": [2023, 2024, 2025], "zero": [2021, 2022, 2023]}
    assert (frame["lower"] <= frame["forecast"]).all() and (frame["forecast"] <= frame["upper"]).all()
    assert set(frame.loc[frame.series_id == "one", "model"]) == {"naive"}
    assert "simpler model" in res.output  # stderr notes the fallbacks


def test_stdout_when_no_output(tmp_path):
    f = write(tmp_path / "in.csv", "series_id,year,value\na,2020,1\na,2021,2\n")
    res = run("series", "forecast", "--input", f, "--horizon", 1)
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == "series_id,year,forecast,lower,upper,model"


@pytest.mark.parametrize("text,args,message", [
    ("series_id,year,value\na,20x0,1\na,2021,zz\n", [], "row 2, column year: must be a whole year (got '20x0')"),
    ("series_id,year,value\na,2020,1\na,2021,zz\n", [], "row 3, column value: must be a finite number"),
    ("series_id,year,value\na,2020,1\na,2020,2\n", [], "row 3, column year: duplicate year for series 'a'"),
    ("id,year,value\na,2020,1\n", [], "missing column(s) series_id"),
    ("series_id,year,value\n", [], "no data rows"),
    ("series_id,year,value\na,2020,1\n", ["--horizon", "0"], "--horizon must be between 1 and 100"),
    ("series_id,year,value\na,2020,1\n", ["--level", "150"], "--level must be between 1 and 99"),
])
def test_bad_input_exits_2_naming_the_problem(tmp_path, text, args, message):
    f = write(tmp_path / "in.csv", text)
    base = ["series", "forecast", "--input", f, "--horizon", "2"]
    res = run(*base[:-2], *(args if "--horizon" in args else ["--horizon", "2", *args]))
    assert res.exit_code == 2, res.output
    assert message in res.output


def test_missing_input_file(tmp_path):
    res = run("series", "forecast", "--input", tmp_path / "nope.csv", "--horizon", 2)
    assert res.exit_code == 2 and "no such file" in res.output


def test_many_series_run_in_parallel_and_match_one_process(tmp_path):
    from talentgap.api.service import series_forecast

    rows = [(f"s{i}", 2010 + k, 100.0 * (1.03 + 0.001 * i) ** k) for i in range(240) for k in range(6)]
    frame = pd.DataFrame(rows, columns=["series_id", "year", "value"])
    parallel = series_forecast(frame, horizon=2, workers=2).sort_values(["series_id", "year"], ignore_index=True)
    serial = series_forecast(frame, horizon=2, workers=1).sort_values(["series_id", "year"], ignore_index=True)
    pd.testing.assert_frame_equal(parallel, serial)
