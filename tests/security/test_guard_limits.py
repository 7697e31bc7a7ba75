"""The request guard's limits, in process: each path's body cap (the sign-in form a few kB, JSON bodies
1 MiB, uploads the upload limit), refused before or while the body arrives and with the connection
closed; a slow body dropped; a web form without a session refused before its body is read; headers
on the way out (no-store, relative redirects)."""

from __future__ import annotations

import asyncio
import time

import pytest
from fastapi.testclient import TestClient

from talentgap.api.auth import KeyCache
from talentgap.api.http.app import create_app
from talentgap.api.http.guard import RequestGuard
from talentgap.api.http.limits import AuthThrottle, body_limit
from talentgap.data.keys import create_key
from talentgap.data.settings import Settings
from talentgap.data.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory, small_seed):
    return Store.open(f"sqlite:///{tmp_path_factory.mktemp('guard') / 'g.db'}", seed=small_seed)


class Recorder:
    """An app behind the guard that records whether it was called and answers 200."""

    def __init__(self):
        self.called = False

    async def __call__(self, scope, receive, send):
        self.called = True
        message = await receive()
        body = message.get("body", b"")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})


def run(guard, method: str, path: str, chunks, headers=(), stall: bool = False):
    """Drive the guard as a server would: ``chunks`` as body messages (then a stall, if asked); returns
    (status, headers, body, number of body messages the guard asked for, seconds)."""
    sent: list[dict] = []
    asked = 0
    chunks = list(chunks)

    async def receive():
        nonlocal asked
        asked += 1
        if asked <= len(chunks):
            return {"type": "http.request", "body": chunks[asked - 1], "more_body": asked < len(chunks) or stall}
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": [(k.encode(), v.encode()) for k, v in headers],
             "client": ("203.0.113.9", 5000), "query_string": b""}
    start = time.monotonic()
    asyncio.run(guard(scope, receive, send))
    head = sent[0]
    return head["status"], dict(head["headers"]), b"".join(m.get("body", b"") for m in sent[1:]), asked, \
        time.monotonic() - start


def guard_for(store, **settings):
    app = Recorder()
    s = Settings(**settings)
    return RequestGuard(app, settings=s, keys=KeyCache(store), throttle=AuthThrottle.from_settings(s)), app


def test_each_path_has_its_own_body_limit():
    s = Settings()
    assert body_limit("POST", "/ui/login", s).max_bytes <= 8 * 1024
    assert body_limit("POST", "/ui/data/upload", s).max_bytes > s.max_upload_bytes
    assert body_limit("POST", "/api/v1/datasets", s).max_bytes > s.max_upload_bytes
    assert body_limit("POST", "/api/v1/gaps", s).max_bytes == s.max_json_bytes
    assert body_limit("GET", "/api/v1/health", s).max_bytes <= 16 * 1024
    assert body_limit("POST", "/static/style.css", s).max_bytes <= 16 * 1024


def test_a_sign_in_body_declared_too_large_is_refused_before_it_is_read(store):
    guard, app = guard_for(store)
    status, headers, _, asked, _ = run(guard, "POST", "/ui/login", [b"x" * 65536] * 320,
                                       headers=[("content-length", "21000000")])
    assert status == 413 and asked == 0 and not app.called
    assert headers[b"connection"] == b"close"


def test_a_chunked_sign_in_body_stops_at_a_few_kilobytes(store):
    guard, app = guard_for(store)
    status, headers, _, asked, _ = run(guard, "POST", "/ui/login", [b"k" * 4096] * 5000)
    assert status == 413 and asked <= 3 and not app.called and headers[b"connection"] == b"close"


def test_a_small_sign_in_body_reaches_the_app(store):
    guard, app = guard_for(store)
    status, _, body, _, _ = run(guard, "POST", "/ui/login", [b"key=tg_x&lang=en"])
    assert status == 200 and app.called and body == b"16"


def test_a_json_body_past_its_cap_is_refused_but_an_upload_of_that_size_is_not(store):
    key = create_key(store, role="analyst", name="json cap")
    auth = [("authorization", f"Bearer {key}")]
    guard, app = guard_for(store)
    status, *_ = run(guard, "POST", "/api/v1/gaps", [b"x" * 65536] * 20, headers=auth)  # 1.25 MiB
    assert status == 413 and not app.called
    status, _, body, _, _ = run(guard, "POST", "/api/v1/datasets", [b"x" * 65536] * 20, headers=auth)
    assert status == 200 and body == str(20 * 65536).encode()


def test_a_body_that_stalls_is_dropped(store):
    guard, app = guard_for(store, body_idle_seconds=0.3, body_timeout_seconds=5)
    status, headers, _, _, seconds = run(guard, "POST", "/ui/login", [b"key="], stall=True)
    assert status == 408 and not app.called and seconds < 2 and headers[b"connection"] == b"close"


def test_a_body_that_trickles_is_dropped_at_the_deadline(store):
    guard, app = guard_for(store, body_idle_seconds=5, body_timeout_seconds=0.5)

    async def trickle():
        await asyncio.sleep(0.1)
        return {"type": "http.request", "body": b"k", "more_body": True}

    sent = []

    async def send(m):
        sent.append(m)

    scope = {"type": "http", "method": "POST", "path": "/ui/login", "headers": [], "client": ("203.0.113.9", 1),
             "query_string": b""}
    start = time.monotonic()
    asyncio.run(guard(scope, trickle, send))
    assert sent[0]["status"] == 408 and time.monotonic() - start < 2 and not app.called


def test_an_upload_without_a_session_is_refused_before_its_body_is_read(store):
    guard, app = guard_for(store)
    status, headers, _, asked, _ = run(guard, "POST", "/ui/data/upload", [b"x" * 65536] * 300,
                                       headers=[("cookie", "tg_session=made-up")])
    assert status == 303 and headers[b"location"] == b"/ui/login" and asked == 0 and not app.called


def test_a_path_with_a_control_character_is_refused(store):
    guard, app = guard_for(store)
    status, *_ = run(guard, "GET", "/api/v1/sectors/batt\x00ery", [b""])
    assert status == 400 and not app.called


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store))


def test_api_and_ui_answers_are_not_cached(client, store):
    key = create_key(store, role="reporter", name="no-store")
    r = client.get("/api/v1/sectors", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert client.get("/ui/login").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/ui", "/"])
def test_redirects_never_carry_the_host_header(client, path):
    r = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert r.status_code in (301, 302, 303, 307, 308)
    assert r.headers["location"].startswith("/") and "evil.example" not in r.headers["location"]


def test_the_result_cache_is_bounded_in_bytes(store):
    from talentgap.api.http.cache import ResultCache

    cache = ResultCache(store, size=512, max_bytes=1000)
    for i in range(50):
        cache.put(1, f"k{i}", b"x" * 100)
    assert sum(len(b) for b in cache._items.values()) <= 1000 and cache.get(1, "k49") is not None
    assert cache.get(1, "k0") is None
    cache.put(1, "huge", b"x" * 600)  # more than a quarter of the cache: not kept
    assert cache.get(1, "huge") is None


def test_a_query_with_a_nul_character_is_refused(store):
    guard, app = guard_for(store)
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(m):
        sent.append(m)

    scope = {"type": "http", "method": "GET", "path": "/ui/sectors/battery", "headers": [],
             "client": ("203.0.113.9", 1), "query_string": b"scenario=a%00b"}
    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 400 and not app.called
