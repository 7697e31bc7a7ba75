"""An unknown lever is a 422 in every API route that takes levers, found from the app itself so a new
route is covered: query levers (a misspelt name is never silently dropped) and levers in a body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.models.stockflow import LEVERS

#: A valid body for each route that takes levers in its body (a new one must be added here).
BODIES = {("POST", "/api/v1/scenarios"): {"name": "typo", "sector": "battery"}}
PATH_VALUES = {"sector": "battery"}


def lever_routes(app) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """From the app's OpenAPI description: (method, path) of the routes taking levers as query parameters,
    and of those whose body has a ``levers`` field."""
    schema = app.openapi()
    components = schema.get("components", {}).get("schemas", {})
    query, body = [], []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            names = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
            if names & set(LEVERS):
                query.append((method.upper(), path))
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            model = components.get(ref.get("$ref", "").rsplit("/", 1)[-1], {})
            if "levers" in model.get("properties", {}):
                body.append((method.upper(), path))
    return query, body


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('levers') / 'l.db'}")
    app = create_app(store)
    return app, TestClient(app), {"Authorization": f"Bearer {create_key(store, role='admin', name='a')}"}


def test_the_routes_that_take_levers_are_found(env):
    app, _, _ = env
    query, body = lever_routes(app)
    assert ("GET", "/api/v1/forecasts/{sector}") in query
    assert body and set(body) <= set(BODIES), "give a new route that takes levers in its body a valid body here"


def test_an_unknown_lever_is_422_in_every_route(env):
    app, client, h = env
    query, body = lever_routes(app)
    for method, route in query:
        path = route.format(**PATH_VALUES)
        ok = client.request(method, path + "?extra_graduates=500", headers=h)
        assert ok.status_code == 200, (path, ok.text[:200])
        r = client.request(method, path + "?extra_graduate=500", headers=h)
        assert r.status_code == 422 and "extra_graduate" in r.json()["error"]["message"], (path, r.text[:200])
    for method, route in body:
        bad = {**BODIES[(method, route)], "levers": {"extra_graduate": 500}}
        r = client.request(method, route.format(**PATH_VALUES), headers=h, json=bad)
        assert r.status_code == 422 and "extra_graduate" in r.text, (route, r.text[:200])
