"""``/keys``: API key management (admin only). Keys are shown once and stored as hashes."""

from __future__ import annotations

from fastapi import APIRouter

from .. import service
from .deps import KeysDep, StoreDep, require
from .public import KeyCreatedPublic, KeyPublic, KeyRevokedPublic
from .schemas import KeyRequest

router = APIRouter(prefix="/keys", tags=["keys"], dependencies=[require("keys")])


@router.get("", response_model=list[KeyPublic])
def keys_list(store: StoreDep):
    """Every key's name, role, creation time and whether it is revoked (never the key)."""
    return service.keys.list_all(store=store)


@router.post("", status_code=201, response_model=KeyCreatedPublic)
def keys_create(body: KeyRequest, store: StoreDep):
    """Create a key; the response holds it once."""
    return {"name": body.name, "role": body.role, "key": service.keys.create(store=store, role=body.role, name=body.name)}


@router.delete("/{name}", response_model=KeyRevokedPublic)
def keys_revoke(name: str, store: StoreDep, keys: KeysDep):
    """Revoke a key by name (immediately in this process)."""
    service.keys.revoke(store=store, name=name)
    keys.forget()
    return {"name": name, "revoked": True}
