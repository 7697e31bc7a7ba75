"""What a new user met (issue 21): --as-of bounded by the sector's data and the horizon limit; every
problem of a programme file at once; a report format that was not written is report.format_missing;
CSV exports state their units."""

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

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("newuser") / "n.db"
    store = Store.open(f"sqlite:///{path}")
    key = create_key(store, role="admin", name="admin")
    return f"sqlite:///{path}", store, TestClient(create_app(store), headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("as_of", [1990, 2016, 2053, 2100])
def test_as_of_outside_the_sectors_data_and_horizon_is_refused(env, as_of):
    db, _, client = env
    r = runner.invoke(app, ["forecast", "--sector", "battery", "--as-of", str(as_of), "--db", db])
    assert r.exit_code == 2 and "as_of must be between 2017" in r.output and "2052" in r.output
    r = client.get(f"/api/v1/forecasts/battery?as_of={as_of}")
    assert r.status_code == 422 and "as_of must be between 2017" in r.json()["error"]["message"]


def test_as_of_inside_the_bounds_is_a_forecast(env):
    db, *_ = env
    assert runner.invoke(app, ["forecast", "--sector", "battery", "--as-of", "2030", "--db", db]).exit_code == 0


def test_a_programme_file_with_several_problems_reports_them_all(env, tmp_path):
    db, *_ = env
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "", "sector": "steel", "degree": "x", "seats_per_year": -1,
                                "skills": {"zzz": 1}}))
    r = runner.invoke(app, ["program", "assess", "--file", str(path), "--db", db])
    assert r.exit_code == 2 and "the programme has 5 problems" in r.output
    for part in ("name:", "unknown sector 'steel'", "unknown degree 'x'", "seats_per_year", "'zzz'"):
        assert part in r.output


def test_a_format_the_report_was_not_written_in_is_format_missing(env):
    _, store, client = env
    from talentgap.api.render.report import write_report
    from talentgap.data.settings import get_settings

    info = write_report(store=store, out_dir=get_settings().report_dir(), formats=["html"], sectors=["battery"])
    r = client.get(f"/api/v1/reports/{info['id']}/download?format=pdf")
    assert r.status_code == 404 and r.json()["error"]["code"] == "report.format_missing"
    data = client.get(f"/api/v1/reports/{info['id']}/download?format=csv").text
    rows = list(csv.DictReader(io.StringIO(data)))
    assert "unit" in rows[0] and all(r["unit"] for r in rows if r["section"] in ("forecast", "observed", "assumption"))
    assert {r["unit"] for r in rows if r["item"] == "shortage_rate"} == {"%"}


def test_forecast_csv_headers_carry_units(env):
    _, _, client = env
    head = client.get("/api/v1/forecasts/battery?format=csv").text.splitlines()[0].split(",")
    assert "demand_p50 (persons)" in head and "openings_p50 (persons per year)" in head
    assert "shortage_rate_p50 (%)" in head
