"""Web UI sessions: signing in with a key opens a server-side session, the cookie's session id finds it
again, signing out closes it (see :mod:`talentgap.data.sessions`: the cookie never holds the key)."""

from __future__ import annotations

from talentgap.data import sessions as stored
from talentgap.data.sessions import SessionInfo
from talentgap.data.store import Store

#: How long a sign-in lasts (the cookie's lifetime too).
SESSION_HOURS = stored.SESSION_HOURS
#: The longest key a sign-in looks up; anything longer is refused without reading the store.
MAX_KEY_LENGTH = 200

__all__ = ["MAX_KEY_LENGTH", "SESSION_HOURS", "SessionInfo", "close", "find", "open"]


def open(*, store: Store, key: str) -> str | None:
    """Sign in with ``key`` (surrounding space ignored): the new session's id for the cookie, or ``None``
    for an empty, overlong, unknown or revoked key."""
    key = key.strip()
    if not 0 < len(key) <= MAX_KEY_LENGTH:
        return None
    return stored.open_session(store, key=key)


def find(*, store: Store, session_id: str) -> SessionInfo | None:
    """The live session behind a cookie value (its key's role and name, its CSRF token), or ``None``."""
    return stored.session_info(store, session_id)


def close(*, store: Store, session_id: str) -> None:
    """Sign out: the session is removed, its cookie is worthless from now on."""
    stored.close_session(store, session_id)
