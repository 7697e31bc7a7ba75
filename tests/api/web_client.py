"""A web UI client signed in with a key of a role, in a language, and the form token of its session."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store


def web_client(store: Store, *, role: str = "analyst", lang: str = "ko") -> TestClient:
    """A client of the app on ``store``, signed in with a new key of ``role``, pages in ``lang``."""
    c = TestClient(create_app(store))
    c.post("/ui/login", data={"key": create_key(store, role=role, name=f"web {role}"), "lang": lang})
    return c


def csrf(client: TestClient) -> str:
    """The session's form token, as a page's form carries it."""
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/scenario").text).group(1)
