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


@pytest.mark.slow
def test_the_dask_engine_gives_the_local_engine_output(tmp_path):
    """1,000 series through `--engine dask` (a LocalCluster) and through the local engine: same file."""
    pytest.importorskip("dask.distributed")
    rng = __import__("numpy").random.default_rng(7)
    rows = [f"s{i},{2000 + t},{100 * (1 + 0.03 * t) + rng.normal(0, 3):.3f}"
            for i in range(1_000) for t in range(int(rng.integers(4, 25)))]
    f = write(tmp_path / "in.csv", "series_id,year,value\n" + "\n".join(rows) + "\n")
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert run("series", "forecast", "--input", f, "--horizon", 5, "--output", local).exit_code == 0
    res = run("series", "forecast", "--input", f, "--horizon", 5, "--output", dask, "--engine", "dask")
    assert res.exit_code == 0, res.output
    assert local.read_text() == dask.read_text()
    parquet = tmp_path / "in.parquet"
    pd.read_csv(f).to_parquet(parquet)
    out = tmp_path / "out.parquet"
    assert run("series", "forecast", "--input", parquet, "--horizon", 5, "--output", out).exit_code == 0
    assert pd.read_parquet(out).equals(pd.read_csv(local, float_precision="round_trip"))


def test_a_scheduler_without_the_dask_engine_is_bad_input(tmp_path):
    f = write(tmp_path / "in.csv", "series_id,year,value\na,2020,1\na,2021,2\n")
    res = run("series", "forecast", "--input", f, "--horizon", 2, "--scheduler", "tcp://127.0.0.1:1")
    assert res.exit_code == 2 and "--engine dask" in res.output
