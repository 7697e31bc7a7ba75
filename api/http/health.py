"""``GET /health``: liveness, no key needed."""

from __future__ import annotations

from fastapi import APIRouter

from talentgap import __version__

from .public import HealthPublic

router = APIRouter(tags=["service"])


@router.get("/health", response_model=HealthPublic)
def health():
    """Liveness: no key needed."""
    return {"status": "ok", "version": __version__}
