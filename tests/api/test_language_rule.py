"""One rule picks a page's language, everywhere: ``?lang=``, then the ``tg_lang`` cookie, then the
browser's ``Accept-Language``, then English (``talentgap.i18n.choose_language``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.store import Store
from talentgap.i18n import choose_language


@pytest.mark.parametrize(("query", "cookie", "accept", "expected"), [
    ("ko", "en", "en-US,en;q=0.9", "ko"),  # the address wins
    ("en", "ko", "ko-KR", "en"),
    (None, "ko", "en-US", "ko"),  # then the cookie
    (None, "en", "ko-KR,ko;q=0.9", "en"),
    (None, None, "ko-KR,ko;q=0.9,en;q=0.8", "ko"),  # then the browser
    (None, None, "fr-FR, en;q=0.5, ko;q=0.7", "ko"),  # its most preferred language we have
    (None, None, "ko;q=0, en;q=0.2", "en"),  # q=0: not wanted
    (None, None, "fr, de", "en"),  # then English
    (None, None, None, "en"),
    ("fr", None, "ko", "ko"),  # a language we do not have is passed over
    ("", "xx", None, "en"),
])
def test_the_language_rule_has_one_precedence(query, cookie, accept, expected):
    assert choose_language(query, cookie, accept) == expected


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return TestClient(create_app(Store(f"sqlite:///{tmp_path_factory.mktemp('rule') / 'r.db'}")))


def page_lang(client: TestClient, path: str, cookie: str | None = None, accept: str | None = None) -> str:
    client.cookies.clear()
    if cookie:
        client.cookies.set("tg_lang", cookie)
    r = client.get(path, headers={"Accept-Language": accept} if accept else {})
    return re.search(r'<html lang="(\w+)"', r.text).group(1)


def test_pages_follow_the_rule(client):
    assert page_lang(client, "/ui/login?lang=ko", cookie="en", accept="en") == "ko"
    assert page_lang(client, "/ui/login?lang=en", cookie="ko") == "en"
    assert page_lang(client, "/ui/login", cookie="ko", accept="en-US") == "ko"
    assert page_lang(client, "/ui/login", accept="ko-KR,ko;q=0.9") == "ko"
    assert page_lang(client, "/ui/login") == "en"


def test_a_page_without_a_session_sends_to_sign_in_with_the_language_asked_for(client):
    client.cookies.clear()
    r = client.get("/ui/?lang=ko", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/login?lang=ko"
    client.cookies.set("tg_lang", "ko")
    r = client.get("/ui/?lang=en", follow_redirects=False)
    assert r.headers["location"] == "/ui/login?lang=en"
    r = client.get("/ui/", follow_redirects=True)  # the cookie's language, by the same rule
    assert re.search(r'<html lang="(\w+)"', r.text).group(1) == "ko"
