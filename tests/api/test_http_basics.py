"""HTTP API: open routes, keys and roles, datasets, sources, error shapes and limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


@pytest.fixture
def client(store):
    return TestClient(create_app(store))


@pytest.fixture
def keys(store):
    return {role: create_key(store, role=role, name=f"{role}-test") for role in ("admin", "analyst", "university", "reporter")}


def auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_health_and_docs_are_open(client):
    assert client.get("/api/v1/health").json()["status"] == "ok"
    assert client.get("/docs").status_code == 200
    assert "/api/v1/forecasts/{sector}" in client.get("/openapi.json").json()["paths"]


def test_other_routes_need_a_key(client, keys):
    r = client.get("/api/v1/sectors")
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth.missing"
    r = client.get("/api/v1/sectors", headers=auth("tg_nope"))
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth.invalid"
    r = client.get("/api/v1/sectors", headers=auth(keys["reporter"]))
    assert r.status_code == 200 and {s["sector"] for s in r.json()} >= {"semiconductor", "battery"}


@pytest.mark.parametrize("role,status", [("admin", 201), ("analyst", 201), ("university", 403), ("reporter", 403)])
def test_roles_on_dataset_upload(client, keys, role, status):
    files = {"file": ("new.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,60000,persons,t-w01\n", "text/csv")}
    r = client.post("/api/v1/datasets", headers=auth(keys[role]), files=files)
    assert r.status_code == status, r.text
    if status == 403:
        assert r.json()["error"]["code"] == "auth.forbidden"


def test_only_admin_manages_keys(client, keys, store):
    assert client.get("/api/v1/keys", headers=auth(keys["analyst"])).status_code == 403
    r = client.post("/api/v1/keys", headers=auth(keys["admin"]), json={"name": "portal", "role": "university"})
    assert r.status_code == 201
    new = r.json()["key"]
    assert client.get("/api/v1/sectors", headers=auth(new)).status_code == 200
    listed = client.get("/api/v1/keys", headers=auth(keys["admin"])).json()
    assert "portal" in {k["name"] for k in listed} and all("key" not in k for k in listed)
    assert client.delete("/api/v1/keys/portal", headers=auth(keys["admin"])).status_code == 200
    assert client.get("/api/v1/sectors", headers=auth(new)).status_code == 401


def test_keys_are_stored_hashed(store, keys):
    from sqlalchemy import text

    with store.engine.connect() as c:
        hashes = [r[0] for r in c.execute(text("select key_hash from api_key"))]
    assert all(k not in hashes for k in keys.values())
    assert all(len(h) == 64 for h in hashes)


def test_bad_upload_lists_problems_and_changes_nothing(client, keys, store):
    files = {"file": ("bad.csv", HEADER + ",steel,stock,x,,,,2023,abc,persons,t-w01\n", "text/csv")}
    r = client.post("/api/v1/datasets", headers=auth(keys["analyst"]), files=files)
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] == "upload.invalid"
    assert any("row 2, column sector" in p for p in body["problems"])
    assert [v["id"] for v in client.get("/api/v1/datasets", headers=auth(keys["reporter"])).json()] == [1]


def test_upload_size_limit(client, keys, monkeypatch):
    from talentgap.data import settings

    big = "x" * (settings.get_settings().max_upload_bytes + 100_000)
    r = client.post("/api/v1/datasets", headers=auth(keys["analyst"]), files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413


def test_activate_and_unknown_version(client, keys):
    files = {"file": ("new.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,60000,persons,t-w01\n", "text/csv")}
    assert client.post("/api/v1/datasets", headers=auth(keys["analyst"]), files=files).json()["version"] == 2
    assert client.post("/api/v1/datasets/1/activate", headers=auth(keys["analyst"])).status_code == 200
    r = client.post("/api/v1/datasets/9/activate", headers=auth(keys["analyst"]))
    assert r.status_code == 404 and r.json()["error"]["code"] == "dataset.unknown_version"


def test_sources(client, keys):
    r = client.get("/api/v1/sources/t-s01", headers=auth(keys["university"]))
    assert r.json()["ref"] == "004_e64dba568495b49d.txt" and r.json()["lines"] == "2602"
    assert client.get("/api/v1/sources/nope", headers=auth(keys["university"])).status_code == 404


def test_unknown_sector_is_404_and_bad_body_names_the_field(client, keys):
    r = client.get("/api/v1/sectors/steel", headers=auth(keys["reporter"]))
    assert r.status_code == 404 and "unknown sector 'steel'" in r.json()["error"]["message"]
    r = client.post("/api/v1/series/forecast", headers=auth(keys["analyst"]),
                    json={"series": [{"series_id": "a", "year": 2020, "value": "x"}], "h": 2})
    assert r.status_code == 422 and r.json()["error"]["problems"][0]["field"] == "series.0.value"


def test_series_forecast_over_http(client, keys):
    points = [{"series_id": "a", "year": y, "value": v} for y, v in [(2016, 86525), (2020, 99285), (2024, 118721)]]
    r = client.post("/api/v1/series/forecast", headers=auth(keys["analyst"]), json={"series": points, "h": 2})
    assert r.status_code == 200 and r.json()["h"] == 2 and r.json()["horizon"] is None
    assert [row["year"] for row in r.json()["rows"]] == [2025, 2026]
    r = client.post("/api/v1/series/forecast", headers=auth(keys["analyst"]), json={"series": points, "horizon": 2027})
    assert r.status_code == 200 and [row["year"] for row in r.json()["rows"]] == [2025, 2026, 2027]
    r = client.post("/api/v1/series/forecast", headers=auth(keys["analyst"]), json={"series": points, "horizon": 3})
    assert r.status_code == 422 and "give h (--h, \"h\")" in r.json()["error"]["message"]
    dup = {"series": [{"series_id": "a", "year": 2020, "value": 1}, {"series_id": "a", "year": 2020, "value": 2}], "h": 1}
    r = client.post("/api/v1/series/forecast", headers=auth(keys["analyst"]), json=dup)
    assert r.status_code == 422 and "series[1], column year: duplicate year for series 'a'" in r.json()["error"]["message"]


def test_series_count_is_capped(client, keys):
    from talentgap.api import service

    body = {"series": [{"series_id": f"s{i}", "year": 2020, "value": 1} for i in range(service.MAX_API_SERIES + 1)],
            "h": 1}
    r = client.post("/api/v1/series/forecast", headers=auth(keys["analyst"]), json=body)
    assert r.status_code == 413 and "at most" in r.json()["error"]["message"]
