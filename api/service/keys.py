"""API keys: created once and shown once, listed, revoked, and the first admin key of a new database."""

from __future__ import annotations

from talentgap.data import keys as stored
from talentgap.data.store import Store

#: The roles a key may have (see ``talentgap.api.auth.PERMISSIONS`` for what each may do).
ROLES = stored.ROLES


def create(*, store: Store, role: str, name: str) -> str:
    """Create a key with ``role`` under a unique ``name`` and return it: the only time it is shown (the
    store keeps its hash)."""
    return stored.create_key(store, role=role, name=name)


def list_all(*, store: Store) -> list[dict]:
    """Every key's name, role, creation time and whether it is revoked (never the key itself)."""
    return stored.list_keys(store)


def revoke(*, store: Store, name: str) -> None:
    """Revoke the key named ``name`` (unknown name: 404 / exit 2); revoking twice keeps the first time."""
    stored.revoke_key(store, name)


def name_of(*, store: Store, key: str) -> str | None:
    """The name of an active key (who asked, for per-key limits), or ``None``."""
    return stored.name_of(store, key)


def first_admin(*, store: Store) -> str | None:
    """On a database without any key, create the admin key ``admin`` and return it (shown once);
    ``None`` when keys exist."""
    if stored.has_keys(store):
        return None
    return stored.create_key(store, role="admin", name="admin")
