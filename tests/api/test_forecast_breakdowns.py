"""Forecast breakdowns, periods, plan horizons, lever effects and the horizon limit through the CLI and HTTP."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from .web_client import sign_in

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('bd') / 'bd.db'}"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_cli_by_occupation_as_of(db):
    res = run("forecast", "--sector", "battery", "--by", "occupation", "--as-of", 2026, "--format", "json", "--db", db)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["as_of"] == 2026 and out["by"] == "occupation"
    assert {r["occupation"] for r in out["rows"]} >= {"cell_design_engineer", "production_engineer"}
    assert {r["period"] for r in out["rows"] if r["year"] <= 2026} == {"nowcast"}
    table = run("forecast", "--sector", "battery", "--by", "occupation", "--as-of", 2026, "--db", db)
    assert table.exit_code == 0 and "cell_design_engineer" in table.stdout and "nowcast" in table.stdout


def test_cli_csv_shows_period_beyond_plan_and_levers(db):
    res = run("forecast", "--sector", "security", "--scenario", "policy", "--format", "csv", "--as-of", 2026,
              "--set", "extra_graduates=500", "--set", "start_year=2027", "--db", db)
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    by_year = {int(r["year"]): r for r in rows}
    assert by_year[2026]["beyond_plan"] == "false" and by_year[2027]["beyond_plan"] == "true"
    assert by_year[2026]["period"] == "nowcast" and by_year[2027]["period"] == "projection"
    assert "extra_graduates 500 × entry rate" in by_year[2030]["levers"]
    table = run("forecast", "--sector", "security", "--scenario", "policy", "--set", "extra_graduates=500",
                "--db", db)
    assert "lever: extra_graduates 500 × entry rate" in table.stdout and "plan (ends 2026)" in table.stdout


def test_cli_horizon_limit_exits_2(db):
    res = run("forecast", "--sector", "semiconductor", "--horizon", 3000, "--db", db)
    assert res.exit_code == 2 and "at most 2054" in res.output


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('bdh') / 'h.db'}")
    key = create_key(store, role="reporter", name="r")
    c = TestClient(create_app(store))
    c.headers["Authorization"] = f"Bearer {key}"
    return c


def test_http_by_occupation_and_as_of(client):
    out = client.get("/api/v1/forecasts/quantum?by=occupation&as_of=2030").json()
    assert out["as_of"] == 2030 and {r["period"] for r in out["rows"] if r["year"] <= 2030} == {"nowcast"}
    total = client.get("/api/v1/forecasts/quantum?as_of=2030").json()
    for year in (2025, 2035):
        occ = sum(r["demand"]["p50"] for r in out["rows"] if r["year"] == year)
        assert occ == pytest.approx(next(r["demand"]["p50"] for r in total["rows"] if r["year"] == year))


@pytest.mark.parametrize("horizon", [2090, 2000, 1, 10**12])
def test_http_horizon_outside_the_one_limit_is_422_with_a_code(client, horizon):
    """The sector horizon has one rule (after the base year, at most base year + 30, never after 2060),
    checked where the forecast is computed: the HTTP layer adds no bound of its own."""
    r = client.get(f"/api/v1/forecasts/semiconductor?horizon={horizon}")
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "forecast.bad_input" and "2054" in err["message"] and str(horizon) in err["message"]


def test_web_sector_page_shows_occupations_and_periods(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    key = create_key(store, role="analyst", name="a")
    c = TestClient(create_app(store))
    sign_in(c, key)
    page = c.get("/ui/sectors/security?scenario=policy")
    assert page.status_code == 200
    html = page.text
    assert 'id="occupation-table"' in html and "Incident responder" in html
    assert "nowcast" in html and "projection *" in html and "the published plan, which ends in 2026" in html
