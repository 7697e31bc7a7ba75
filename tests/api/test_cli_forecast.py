"""`talentgap forecast`, `backtest`, `scenario`: the JSON contract for every sector and scenario, levers
and bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.seeds.vocab import SECTORS

runner = CliRunner()
QUANTS = ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('fc') / 'fc.db'}"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def forecast_json(db, *args):
    res = run("forecast", *args, "--format", "json", "--db", db)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("scenario", ["trend", "policy"])
@pytest.mark.parametrize("sector", list(SECTORS))
def test_every_sector_and_scenario_to_2035(db, sector, scenario):
    out = forecast_json(db, "--sector", sector, "--horizon", 2035, "--scenario", scenario)
    for key in ("sector", "base_year", "horizon", "scenario", "dataset_version", "model_version", "quality_grade",
                "definition", "rows", "assumptions", "sources"):
        assert key in out
    assert out["horizon"] == 2035 and out["rows"][-1]["year"] == 2035
    assert out["quality_grade"] in ("A", "B", "C", "D")
    for row in out["rows"]:
        for q in QUANTS:
            assert row[q]["p10"] <= row[q]["p50"] <= row[q]["p90"], (row["year"], q)
    for a in out["assumptions"]:
        assert set(a) >= {"name", "value", "low", "high", "source_id"}
    assert out["sources"] and all(s["source_id"] for s in out["sources"])


def test_by_education_rows(db):
    out = forecast_json(db, "--sector", "battery", "--by", "education")
    levels = {r["education"] for r in out["rows"]}
    assert levels == {"high_school", "junior_college", "bachelor", "master_phd"}
    total = forecast_json(db, "--sector", "battery")
    first = [r for r in out["rows"] if r["year"] == total["rows"][0]["year"]]
    assert sum(r["openings"]["p50"] for r in first) == pytest.approx(total["rows"][0]["openings"]["p50"], rel=0.02)


def test_levers_move_the_gap_and_openings(db):
    base = forecast_json(db, "--sector", "security")
    more = forecast_json(db, "--sector", "security", "--set", "extra_graduates=3000")
    churn = forecast_json(db, "--sector", "security", "--set", "separation_rate=0.12")
    for b, m, c in zip(base["rows"], more["rows"], churn["rows"]):
        assert m["gap"]["p50"] < b["gap"]["p50"]
        assert c["openings"]["p50"] > b["openings"]["p50"]
    later = forecast_json(db, "--sector", "security", "--set", "extra_graduates=3000", "--set", "start_year=2030")
    assert later["rows"][0]["gap"]["p50"] == pytest.approx(base["rows"][0]["gap"]["p50"])


def test_table_and_csv_formats(db):
    res = run("forecast", "--sector", "battery", "--db", db)
    assert res.exit_code == 0 and "이차전지" in res.stdout and "quality grade" in res.stdout
    res = run("forecast", "--sector", "battery", "--format", "csv", "--db", db)
    head = res.stdout.splitlines()[0].split(",")
    assert head[:4] == ["sector", "scenario", "definition", "year"] and "gap_p50 (persons per year)" in head


@pytest.mark.parametrize("args,message", [
    (["--sector", "steel"], "unknown sector 'steel'"),
    (["--sector", "battery", "--set", "graduates=5"], "unknown lever 'graduates'"),
    (["--sector", "battery", "--set", "entry_rate=2"], "lever entry_rate must be between 0 and 1; got 2"),
    (["--sector", "battery", "--set", "entry_rate"], "--set must be lever=value"),
    (["--sector", "security", "--horizon", "2020"], "horizon must be a year after"),
    (["--sector", "battery", "--scenario", "nope"], "no saved scenario named 'nope'"),
    (["--sector", "battery", "--by", "region"], "by must be education"),
])
def test_bad_input_exits_2(db, args, message):
    res = run("forecast", *args, "--db", db)
    assert res.exit_code == 2, res.output
    assert message in res.output


def test_saved_scenarios_and_compare(db):
    res = run("scenario", "create", "more-grads", "--sector", "battery", "--set", "extra_graduates=2000", "--db", db)
    assert res.exit_code == 0, res.output
    assert run("scenario", "create", "more-grads", "--sector", "battery", "--db", db).exit_code == 2
    saved = forecast_json(db, "--sector", "battery", "--scenario", "more-grads")
    base = forecast_json(db, "--sector", "battery")
    assert saved["rows"][-1]["cumulative_gap"]["p50"] < base["rows"][-1]["cumulative_gap"]["p50"]
    assert saved["levers"] == {"extra_graduates": 2000.0}
    res = run("scenario", "compare", "trend", "policy", "more-grads", "--sector", "battery", "--db", db)
    assert res.exit_code == 0 and "more-grads" in res.stdout
    assert "more-grads" in run("scenario", "list", "--db", db).stdout


def test_cached_forecast_does_not_refit(db, monkeypatch):
    from talentgap.api import service

    first = forecast_json(db, "--sector", "battery", "--horizon", 2033)

    def boom(**kwargs):
        raise AssertionError("refitted")

    monkeypatch.setattr(service.forecasts, "sector_forecast", boom)
    assert forecast_json(db, "--sector", "battery", "--horizon", 2033) == first


def test_backtest_table_and_json(db):
    res = run("backtest", "--db", db)
    assert res.exit_code == 0 and "MASE" in res.stdout
    out = json.loads(run("backtest", "--format", "json", "--db", db).stdout)
    models = {r["model"]: r for r in out["table"]}
    assert {"naive", "drift", "auto"} <= set(models)
    assert models["auto"]["series"] >= 3
    assert models["auto"]["mase"] <= models["drift"]["mase"], "the default is no worse than drift on average MASE"
