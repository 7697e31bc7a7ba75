"""Every endpoint with a key of the right role, on the real app and the full seed dataset."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.api.jobs import Precompute
from talentgap.data.keys import create_key
from talentgap.data.store import Store


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('http') / 'h.db'}")
    Precompute(store).run_once()  # the seed's activation job (the running service's worker does it)
    keys = {r: {"Authorization": f"Bearer {create_key(store, role=r, name=r)}"}
            for r in ("admin", "analyst", "university", "reporter")}
    return TestClient(create_app(store)), keys


def test_reads(env):
    client, keys = env
    h = keys["reporter"]
    assert len(client.get("/api/v1/sectors", headers=h).json()) == 5
    detail = client.get("/api/v1/sectors/semiconductor", headers=h).json()
    assert detail["label_ko"] == "반도체" and any(s["series_id"] == "semiconductor.stock.kiat_itw" for s in detail["series"])
    assert {s["id"] for s in client.get("/api/v1/skills?sector=quantum", headers=h).json()} >= {"quantum_hardware", "ai_ml"}
    f = client.get("/api/v1/forecasts/semiconductor?horizon=2035&scenario=policy", headers=h).json()
    assert f["sector"] == "semiconductor" and f["definition"] == "ksia_association" and f["rows"][-1]["year"] == 2035
    edu = client.get("/api/v1/forecasts/battery?by=education", headers=h).json()
    assert {r["education"] for r in edu["rows"]} >= {"bachelor", "master_phd"}
    csv = client.get("/api/v1/forecasts/security?format=csv", headers=h)
    assert csv.headers["content-type"].startswith("text/csv") and "gap_p50" in csv.text
    lever = client.get("/api/v1/forecasts/security?extra_graduates=3000", headers=h).json()
    base = client.get("/api/v1/forecasts/security", headers=h).json()
    assert lever["rows"][0]["gap"]["p50"] < base["rows"][0]["gap"]["p50"]
    assert client.get("/api/v1/forecasts/security?entry_rate=3", headers=h).status_code == 422
    assert client.get(f"/api/v1/sources/{f['sources'][0]['source_id']}", headers=h).status_code == 200
    bt = client.get("/api/v1/backtests", headers=h).json()
    assert {r["model"] for r in bt["table"]} >= {"auto", "drift", "naive"}
    gaps = client.get("/api/v1/skills/gaps?sector=battery", headers=h).json()
    assert {"skill", "year", "demand", "supply", "gap"} <= set(gaps[0])


def test_skills_routes_for_universities(env):
    client, keys = env
    h = keys["university"]
    r = client.post("/api/v1/gaps", headers=h, json={"skills": {"rtl_design": 1, "security_operations": 1}})
    assert r.status_code == 200
    assert {m["sector"] for m in r.json()["matches"]} >= {"semiconductor", "security"}, "a profile across two sectors"
    assert r.json()["rows"][0]["gap"]["p10"] <= r.json()["rows"][0]["gap"]["p90"]
    r = client.post("/api/v1/gaps", headers=h, json={"skills": {"telepathy": 1}})
    assert r.status_code == 422 and "telepathy" in r.json()["error"]["message"]
    prog = {"name": "Battery MS", "sector": "battery", "degree": "master", "seats_per_year": 30,
            "skills": {"production_engineering": 1}}
    r = client.post("/api/v1/programs/assess", headers=h, json=prog)
    assert r.status_code == 200 and 0 <= r.json()["mismatch"] <= 1 and r.json()["skills_to_add"]
    last = r.json()["outlook"][-1]
    assert last["openings"]["p50"] > 0 and last["graduates"]["p50"] > 0, "openings and graduates in people"
    assert all(s["gap_year"] == last["year"] and s["gap"]["p10"] <= s["gap"]["p90"] for s in r.json()["skills_to_add"])
    mixed = {**prog, "skills": {"production_engineering": 1, "cell_design": 0.6, "electrode_materials": 0.3}}
    suggested = client.post("/api/v1/programs/assess", headers=h, json=mixed).json()["skills_to_add"]
    assert suggested and not {s["skill"] for s in suggested} & set(mixed["skills"]), "never a skill it has"
    assert all(0 < s["weight"] <= 1 for s in suggested), "weights within the form's 0-1 range"
    r = client.post("/api/v1/programs/assess", headers=h, json={**prog, "degree": "doctor"})
    assert r.status_code == 422 and "degree" in r.json()["error"]["message"]
    assert client.post("/api/v1/scenarios", headers=h, json={"name": "x", "sector": "battery"}).status_code == 403


def test_scenarios(env):
    client, keys = env
    h = keys["analyst"]
    r = client.post("/api/v1/scenarios", headers=h, json={"name": "more grads", "sector": "battery",
                                                         "levers": {"extra_graduates": 1000}})
    assert r.status_code == 201
    sid = r.json()["id"]
    assert "more grads" in [s["name"] for s in client.get("/api/v1/scenarios", headers=keys["reporter"]).json()]
    one = client.get(f"/api/v1/scenarios/{sid}", headers=keys["reporter"]).json()
    assert one["forecast"]["levers"] == {"extra_graduates": 1000.0}
    assert client.post("/api/v1/scenarios", headers=h, json={"name": "more grads", "sector": "battery"}).status_code == 409
    assert client.get("/api/v1/scenarios/999", headers=h).status_code == 404


def test_serve_prints_an_admin_key_once(tmp_path):
    exe = str(Path(sys.executable).with_name("talentgap"))
    db = f"sqlite:///{tmp_path / 's.db'}"

    def first_lines(port):
        proc = subprocess.Popen([exe, "serve", "--port", str(port), "--db", db], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        lines, t0 = [], time.time()
        while time.time() - t0 < 60:
            line = proc.stdout.readline()
            lines.append(line)
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        proc.terminate()
        proc.wait(timeout=10)
        return "".join(lines)

    out = first_lines(8811)
    key = next(line.split(": ", 1)[1].strip() for line in out.splitlines() if line.startswith("admin key: "))
    assert key.startswith("tg_")
    assert "admin key:" not in first_lines(8812), "printed once, on the first start only"


def test_keys_create_prints_the_key_alone_on_the_last_line(tmp_path):
    exe = str(Path(sys.executable).with_name("talentgap"))
    db = f"sqlite:///{tmp_path / 'k.db'}"
    out = subprocess.run([exe, "keys", "create", "--role", "university", "--name", "portal", "--db", db],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1].startswith("tg_")
    bad = subprocess.run([exe, "keys", "create", "--role", "boss", "--name", "x", "--db", db], capture_output=True, text=True)
    assert bad.returncode == 2 and "role must be one of" in bad.stderr
