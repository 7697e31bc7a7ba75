"""``GET /api/v1/reconcile``: the same rows as ``talentgap reconcile --format json``, one sector or all,
and an unknown sector refused with its code."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('rch') / 'r.db'}"
    store = Store.open(db)
    key = create_key(store, role="analyst", name="a")
    return TestClient(create_app(store)), {"Authorization": f"Bearer {key}"}, db


def test_the_api_answers_the_cli_json(env):
    client, headers, db = env
    r = client.get("/api/v1/reconcile", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    rows = body["rows"]
    assert len(rows) >= 10 and len({x["sector"] for x in rows}) >= 4
    assert {54_000, 81_000, 150_000, 54_450} <= {int(x["published"]) for x in rows}
    res = CliRunner().invoke(cli, ["reconcile", "--format", "json", "--db", db])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rows"] == rows


def test_one_sector(env):
    client, headers, _ = env
    rows = client.get("/api/v1/reconcile?sector=security", headers=headers).json()["rows"]
    assert rows and {x["sector"] for x in rows} == {"security"}
    assert any(x["published"] == 100_000 for x in rows), "the cyber 10만 plan"


def test_an_unknown_sector_is_refused_with_its_code(env):
    client, headers, _ = env
    r = client.get("/api/v1/reconcile?sector=steel", headers=headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "sector.unknown"


def test_a_key_is_needed(env):
    client, _, _ = env
    assert client.get("/api/v1/reconcile").status_code == 401
