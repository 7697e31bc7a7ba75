"""``GET /health``: liveness, no key needed."""

from __future__ import annotations

from fastapi import APIRouter

from talentgap import __version__

router = APIRouter(tags=["service"])


@router.get("/health")
def health() -> dict:
    """Liveness: no key needed."""
    return {"status": "ok", "version": __version__}
