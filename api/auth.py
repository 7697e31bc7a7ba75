"""Who may do what: the one role table every interface checks, and the key → role cache.

Roles (PRODUCT.md §5.2): ``admin`` (everything, including keys), ``analyst`` (ministry staff: everything
but keys), ``university`` (reads, skill gaps, programme assessment), ``reporter`` (reads, reports).
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool

from talentgap.data.keys import ROLES, role_of
from talentgap.data.sessions import session_info
from talentgap.data.store import Store
from talentgap.i18n import msg

from .errors import Forbidden, InvalidKey, MissingKey

#: Action → the roles allowed to do it. HTTP routes, web pages and forms all read this table.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "read": tuple(ROLES),
    "write": ("admin", "analyst"),
    "skills": ("admin", "analyst", "university"),
    "reports": ("admin", "analyst", "reporter"),
    "keys": ("admin",),
    "sectors": ("admin",),
}


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (a key of :data:`PERMISSIONS`)."""
    return role in PERMISSIONS[action]


def check(role: str | None, action: str) -> str:
    """``role`` if it may do ``action``; otherwise :class:`AuthError` (401 without a role, 403 with one)."""
    if role is None:
        raise InvalidKey(msg("auth.invalid"))
    if not allowed(role, action):
        raise Forbidden(msg("auth.forbidden", role=role, roles=", ".join(PERMISSIONS[action])))
    return role


def bearer_key(header: str) -> str:
    """The key of an ``Authorization: Bearer <key>`` header; :class:`AuthError` (401) when there is none."""
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise MissingKey(msg("auth.missing"))
    return key.strip()


async def authenticate(keys: KeyCache, header: str) -> str:
    """The role of the key in an ``Authorization`` header (the cache first, else the store off the event
    loop); :class:`AuthError` (401) for a missing, unknown or revoked key."""
    key = bearer_key(header)
    role = keys.cached(key)
    if role is KeyCache.MISS:
        role = await run_in_threadpool(keys.role, key)
    if role is None:
        raise InvalidKey(msg("auth.invalid"))
    return role  # type: ignore[return-value]


def session_role(store: Store, session_id: str) -> str | None:
    """The role of the live web session behind a cookie value, or ``None`` (blocking: reads the store)."""
    info = session_info(store, session_id)
    return info.role if info else None


class KeyCache:
    """Key → role lookups, kept for a few seconds so hot routes do not query the database each time.
    A revocation through this process is immediate; through another, it takes effect within ``ttl``."""

    MISS = object()

    def __init__(self, store: Store, ttl: float = 5.0):
        self.store, self.ttl = store, ttl
        self._cache: dict[str, tuple[str | None, float]] = {}

    def cached(self, key: str) -> object:
        """The cached role (or ``None`` for a known-bad key), or :attr:`MISS`; never touches the store."""
        hit = self._cache.get(key)
        return hit[0] if hit and hit[1] > time.monotonic() else self.MISS

    def role(self, key: str) -> str | None:
        """The key's role, or ``None`` for an unknown or revoked key (blocking: reads the store)."""
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit and hit[1] > now:
            return hit[0]
        role = role_of(self.store, key) if len(key) <= 200 else None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (role, now + self.ttl)
        return role

    def forget(self) -> None:
        self._cache.clear()
