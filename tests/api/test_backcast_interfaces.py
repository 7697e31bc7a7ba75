"""`talentgap backcast` and `GET /api/v1/backcasts/{sector}`: the same JSON, and bad input refused."""

from __future__ import annotations

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
def db(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('bc') / 'bc.db'}"


def test_cli_json_contract_and_the_semiconductor_figures(db):
    res = runner.invoke(app, ["backcast", "--sector", "semiconductor", "--origin", "2020", "--format", "json",
                              "--db", db])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) >= {"sector", "origin", "rows", "coverage"} and out["origin"] == 2020
    assert all(set(r) == {"year", "metric", "definition", "observed", "p10", "p50", "p90", "inside"}
               for r in out["rows"])
    inside = {(r["metric"], r["year"]): r["inside"] for r in out["rows"]}
    assert inside[("stock", 2024)] and inside[("shortage_rate", 2023)]
    table = runner.invoke(app, ["backcast", "--sector", "semiconductor", "--origin", "2020", "--db", db])
    assert table.exit_code == 0 and "coverage" in table.stdout and "118,721" in table.stdout


def test_cli_refuses_a_sector_without_a_stock(db):
    res = runner.invoke(app, ["backcast", "--sector", "6g", "--origin", "2024", "--db", db])
    assert res.exit_code == 2 and "nothing to backcast" in res.output


def test_http_route_matches_the_cli(db):
    store = Store.open(db)
    h = {"Authorization": f"Bearer {create_key(store, role='reporter', name='r')}"}
    client = TestClient(create_app(store))
    r = client.get("/api/v1/backcasts/semiconductor?origin=2020", headers=h)
    assert r.status_code == 200, r.text
    cli = runner.invoke(app, ["backcast", "--sector", "semiconductor", "--origin", "2020", "--format", "json",
                              "--db", db])
    assert r.json() == json.loads(cli.stdout)
    assert client.get("/api/v1/backcasts/semiconductor?origin=2030", headers=h).status_code == 422
    assert client.get("/api/v1/backcasts/nowhere?origin=2020", headers=h).status_code == 404
    assert client.get("/api/v1/backcasts/semiconductor", headers=h).status_code == 422
