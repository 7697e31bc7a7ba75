"""API keys: created once and shown once, stored as hashes, revocable, each with one role."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

from .schema import ApiKey
from .store import Store

ROLES = ("admin", "analyst", "university", "reporter")


class KeyError_(TalentgapError, ValueError):
    code = "keys.bad_input"


class UnknownKey(TalentgapError, LookupError):
    code = "keys.unknown"
    status = 404


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(store: Store, *, role: str, name: str) -> str:
    """Create a key and return it (the only time it is shown)."""
    if role not in ROLES:
        raise KeyError_(msg("keys.bad_role", roles=", ".join(ROLES), role=repr(role)))
    if not name.strip() or len(name) > 120:
        raise KeyError_(msg("keys.bad_name", name=repr(name)))
    key = "tg_" + secrets.token_urlsafe(32)
    try:
        with Session(store.engine) as s, s.begin():
            s.add(ApiKey(name=name.strip(), role=role, key_hash=hash_key(key), created_at=datetime.now(UTC)))
    except IntegrityError:
        raise KeyError_(msg("keys.exists", name=repr(name))) from None
    return key


def role_of(store: Store, key: str) -> str | None:
    """The role of an active key, or ``None``."""
    with Session(store.engine) as s:
        row = s.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)))
        return row.role if row else None


def name_of(store: Store, key: str) -> str | None:
    """The name of an active key, or ``None``."""
    with Session(store.engine) as s:
        return s.scalar(select(ApiKey.name).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)))


def list_keys(store: Store) -> list[dict]:
    with Session(store.engine) as s:
        return [{"name": k.name, "role": k.role, "created_at": k.created_at, "revoked": k.revoked_at is not None}
                for k in s.scalars(select(ApiKey).order_by(ApiKey.id))]


def revoke_key(store: Store, name: str) -> None:
    with Session(store.engine) as s, s.begin():
        row = s.scalar(select(ApiKey).where(ApiKey.name == name))
        if row is None:
            raise UnknownKey(msg("keys.unknown", name=repr(name)))
        row.revoked_at = row.revoked_at or datetime.now(UTC)


def has_keys(store: Store) -> bool:
    with Session(store.engine) as s:
        return bool(s.scalar(select(func.count()).select_from(ApiKey)))
