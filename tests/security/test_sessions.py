"""Web UI sessions: the cookie is a session id (never the key), forms need the session's CSRF token,
cookies are Secure over HTTPS, a bad key is never echoed, signing out or revoking the key ends the
session."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key, revoke_key
from talentgap.data.store import Store

from ..api.web_client import sign_in


@pytest.fixture
def env(tmp_path, small_seed):
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}", seed=small_seed)
    return store, create_key(store, role="analyst", name="analyst")


def signed_in(store: Store, key: str, base_url: str = "http://testserver") -> TestClient:
    client = TestClient(create_app(store), base_url=base_url)
    assert sign_in(client, key).status_code == 200
    return client


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/data").text).group(1)


def test_the_cookie_holds_a_session_id_not_the_key(env):
    store, key = env
    client = signed_in(store, key)
    values = [c.value for c in client.cookies.jar]
    assert values and key not in values and not any(key in v for v in values)
    assert client.get("/ui/data").status_code == 200


def test_a_form_without_the_csrf_token_is_refused(env):
    store, key = env
    client = signed_in(store, key)
    r = client.post("/ui/data/activate", data={"version": "1"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    r = client.post("/ui/data/activate", data={"version": "1", "csrf": "forged"})
    assert r.status_code == 403
    r = client.post("/ui/data/activate", data={"version": "1", "csrf": csrf(client)}, follow_redirects=False)
    assert r.status_code == 303


def test_signing_out_ends_the_session_even_for_a_copied_cookie(env):
    store, key = env
    client = signed_in(store, key)
    stolen = dict(client.cookies)
    client.post("/ui/logout", data={"csrf": csrf(client)})
    thief = TestClient(create_app(store), cookies=stolen)
    assert thief.get("/ui/data", follow_redirects=False).status_code == 303


def test_revoking_the_key_ends_its_sessions(env):
    store, key = env
    client = signed_in(store, key)
    revoke_key(store, "analyst")
    assert client.get("/ui/data", follow_redirects=False).status_code == 303


def test_cookies_are_secure_over_https(env):
    store, key = env
    client = TestClient(create_app(store), base_url="https://testserver")
    r = sign_in(client, key, follow_redirects=False)
    assert "secure" in r.headers["set-cookie"].lower()
    plain = TestClient(create_app(store))
    r = sign_in(plain, key, follow_redirects=False)
    assert "secure" not in r.headers["set-cookie"].lower()


@pytest.mark.parametrize("submitted", ["tg_wrong-key-123", "k" * 5000])
def test_a_bad_key_is_never_echoed(env, submitted):
    store, _ = env
    client = TestClient(create_app(store))
    r = sign_in(client, submitted)
    assert r.status_code == 401 and submitted[:40] not in r.text
