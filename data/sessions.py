"""Web UI sessions: a random session id in the browser's cookie, its hash and CSRF token in the store.

The cookie never holds the API key: a stolen cookie reveals nothing reusable against the API, and a
session ends when the user signs out, when it expires, or when its key is revoked (the lookup joins the
key and requires it unrevoked).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .keys import hash_key
from .schema import ApiKey, UiSession
from .store import Store

#: How long a sign-in lasts.
SESSION_HOURS = 12


@dataclass(frozen=True)
class SessionInfo:
    """A live session: the role of its key and the CSRF token its forms must carry."""

    role: str
    csrf: str
    key_name: str


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(store: Store, *, key: str, now: datetime | None = None) -> str | None:
    """A new session for an active key: returns the session id for the cookie, or ``None`` for an
    unknown or revoked key. Expired sessions are removed on the way."""
    now = now or datetime.now(UTC)
    with Session(store.engine) as s, s.begin():
        row = s.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)))
        if row is None:
            return None
        s.execute(delete(UiSession).where(UiSession.expires_at < now))
        session_id = secrets.token_urlsafe(32)
        s.add(UiSession(id_hash=_hash(session_id), key_id=row.id, csrf=secrets.token_urlsafe(24), created_at=now,
                        expires_at=now + timedelta(hours=SESSION_HOURS)))
    return session_id


def session_info(store: Store, session_id: str, *, now: datetime | None = None) -> SessionInfo | None:
    """The live session behind a cookie value, or ``None`` (unknown, expired, or its key revoked)."""
    if not session_id or len(session_id) > 100:
        return None
    now = now or datetime.now(UTC)
    with Session(store.engine) as s:
        row = s.execute(select(ApiKey.role, ApiKey.name, UiSession.csrf, UiSession.expires_at)
                        .join(ApiKey, ApiKey.id == UiSession.key_id)
                        .where(UiSession.id_hash == _hash(session_id), ApiKey.revoked_at.is_(None))).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    return SessionInfo(role=row.role, csrf=row.csrf, key_name=row.name) if expires > now else None


def close_session(store: Store, session_id: str) -> None:
    """Sign out: the session is removed from the store (its cookie is worthless from now on)."""
    with Session(store.engine) as s, s.begin():
        s.execute(delete(UiSession).where(UiSession.id_hash == _hash(session_id)))
