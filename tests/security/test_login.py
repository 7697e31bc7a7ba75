"""Sign-in: a form token before there is a session (login CSRF), no cross-origin sign-in, and a
lock-out after repeated failures, on the web form and on API key checks."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from ..api.web_client import login_token, sign_in


@pytest.fixture
def env(tmp_path, small_seed):
    store = Store.open(f"sqlite:///{tmp_path / 'l.db'}", seed=small_seed)
    return store, create_key(store, role="reporter", name="reporter")


def test_signing_in_needs_the_form_token_of_this_site(env):
    store, key = env
    c = TestClient(create_app(store))
    r = c.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert r.status_code == 403 and "tg_session" not in r.headers.get("set-cookie", "")
    r = c.post("/ui/login", data={"key": key, "login_token": "a" * 32}, follow_redirects=False)
    assert r.status_code == 403
    r = sign_in(c, key, follow_redirects=False)
    assert r.status_code == 303 and "tg_session=" in r.headers["set-cookie"]


def test_an_attacker_page_cannot_sign_a_browser_in(env):
    """The attacker holds a valid key and its own form token, but the victim's browser sends its own
    cookie (or none) and an Origin naming the attacker's site."""
    store, key = env
    attacker = TestClient(create_app(store))
    token = login_token(attacker)
    victim = TestClient(create_app(store))
    r = victim.post("/ui/login", data={"key": key, "login_token": token}, follow_redirects=False,
                    headers={"Origin": "https://attacker.example"})
    assert r.status_code == 403 and "tg_session" not in r.headers.get("set-cookie", "")
    r = victim.post("/ui/login", data={"key": key, "login_token": token}, follow_redirects=False)
    assert r.status_code == 403  # same origin claimed, but the token is not this browser's


@pytest.mark.parametrize("header", [{"Origin": "null"}, {"Referer": "https://attacker.example/page"},
                                    {"Origin": "http://testserver.attacker.example"}])
def test_cross_origin_form_posts_are_refused(env, header):
    store, key = env
    c = TestClient(create_app(store))
    token = login_token(c)
    r = c.post("/ui/login", data={"key": key, "login_token": token}, headers=header, follow_redirects=False)
    assert r.status_code == 403
    r = c.post("/ui/login", data={"key": key, "login_token": token}, headers={"Origin": "http://testserver"},
               follow_redirects=False)
    assert r.status_code == 303


def test_repeated_failed_sign_ins_lock_the_address_out(env):
    store, key = env
    c = TestClient(create_app(store))
    for i in range(10):
        assert sign_in(c, f"tg_guess-{i}", follow_redirects=False).status_code == 303
    r = sign_in(c, key, follow_redirects=False)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 60
    assert "tg_session" not in r.headers.get("set-cookie", "")


def test_repeated_failed_key_checks_lock_the_address_out(env):
    store, key = env
    c = TestClient(create_app(store))
    for i in range(10):
        assert c.get("/api/v1/sectors", headers={"Authorization": f"Bearer tg_guess-{i}"}).status_code == 401
    r = c.get("/api/v1/sectors", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "auth.locked"
    assert int(r.headers["retry-after"]) > 60


def test_a_key_prefix_is_locked_out_across_addresses(env):
    store, _ = env
    app = create_app(store)
    for i in range(10):
        c = TestClient(app, client=(f"198.51.100.{i}", 4000))
        assert c.get("/api/v1/sectors", headers={"Authorization": "Bearer tg_samePrefix-" + str(i)}).status_code == 401
    fresh = TestClient(app, client=("198.51.100.77", 4000))
    assert fresh.get("/api/v1/sectors", headers={"Authorization": "Bearer tg_samePrefix-x"}).status_code == 429


def test_a_few_failures_do_not_lock_anyone_out(env):
    store, key = env
    c = TestClient(create_app(store))
    for i in range(5):
        c.get("/api/v1/sectors", headers={"Authorization": f"Bearer tg_typo-{i}"})
    assert c.get("/api/v1/sectors", headers={"Authorization": f"Bearer {key}"}).status_code == 200
