"""A database that stops answering: ``/health`` says so (503, ``"database": "down"``), and every
request — a guessed key, a signed-in page, the sign-in form — answers 503 without the database's
host, port or driver message."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from talentgap.api.http.app import create_app
from talentgap.api.http.health import DatabaseProbe
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from ..api.web_client import login_token


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def down(tmp_path, small_seed):
    """An app whose store loses its database after start: its engine now points at a PostgreSQL port
    where nothing listens (as when the server is stopped)."""
    pytest.importorskip("psycopg")
    store = Store.open(f"sqlite:///{tmp_path / 'o.db'}", seed=small_seed)
    key = create_key(store, role="analyst", name="analyst")
    app = create_app(store)
    client = TestClient(app, raise_server_exceptions=False)
    token = login_token(client)
    assert client.get("/api/v1/datasets", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    port = closed_port()
    store.engine = create_engine(f"postgresql+psycopg://talentgap@127.0.0.1:{port}/talentgap")
    app.state.database = DatabaseProbe(store.engine)
    return client, key, token, str(port)


def test_health_reports_the_database(tmp_path, small_seed):
    client = TestClient(create_app(Store.open(f"sqlite:///{tmp_path / 'h.db'}", seed=small_seed)))
    assert client.get("/api/v1/health").json() == {"status": "ok", "version": client.get("/api/v1/health").json()[
        "version"], "database": "ok"}


def test_health_says_the_database_is_down(down):
    client, *_ = down
    r = client.get("/api/v1/health")
    assert r.status_code == 503 and r.json()["database"] == "down" and r.json()["status"] == "degraded"


@pytest.mark.parametrize("case", ["guessed key", "known key", "cached key", "sign-in form"])
def test_requests_during_an_outage_are_503_without_internals(down, case):
    """The guard's key check (a key not in its cache) and a route (a key it checked seconds ago) alike."""
    client, key, token, port = down
    if case != "cached key":
        client.app.state.keys.forget()
    if case == "sign-in form":
        r = client.post("/ui/login", data={"key": "tg_guess", "login_token": token}, follow_redirects=False)
    else:
        r = client.get("/api/v1/datasets", headers={"Authorization": f"Bearer {'tg_guess' if case == 'guessed key' else key}"})
    assert r.status_code == 503
    for internal in (port, "127.0.0.1", "psycopg", "OperationalError", "connection"):
        assert internal not in r.text


def test_health_after_a_quiet_spell_is_not_down(tmp_path, small_seed, monkeypatch):
    """The first health check after longer than the stale period without one answers ok: staleness is
    a ping left unanswered, not time since the last question."""
    import asyncio
    import time

    probe = DatabaseProbe(create_engine(f"sqlite:///{tmp_path / 'q.db'}"))
    assert asyncio.run(probe.up())
    later = time.monotonic() + 3 * probe.stale
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert asyncio.run(probe.up())
