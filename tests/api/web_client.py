"""A web UI client signed in with a key of a role, in a language, and the form token of its session."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store


def login_token(client: TestClient) -> str:
    """The sign-in form's token, as the sign-in page sets it (in its cookie and its hidden field)."""
    return re.search(r'name="login_token" value="([^"]+)"', client.get("/ui/login").text).group(1)


def sign_in(client: TestClient, key: str, lang: str | None = None, **kw):
    """Post the sign-in form as a browser would: with the page's form token; returns the response."""
    data = {"key": key, "login_token": login_token(client)} | ({"lang": lang} if lang else {})
    return client.post("/ui/login", data=data, **kw)


def web_client(store: Store, *, role: str = "analyst", lang: str = "ko") -> TestClient:
    """A client of the app on ``store``, signed in with a new key of ``role``, pages in ``lang``."""
    c = TestClient(create_app(store))
    sign_in(c, create_key(store, role=role, name=f"web {role}"), lang)
    return c


def csrf(client: TestClient) -> str:
    """The session's form token, as a page's form carries it."""
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/scenario").text).group(1)
