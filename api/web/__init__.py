"""The web UI under ``/ui``: server-rendered pages on the same service functions as the API
(PRODUCT.md §5.4), one module per area; :data:`router` mounts them all."""

from __future__ import annotations

from fastapi import APIRouter

from . import data, login, reconcile, reports, scenario, sectors, skills

router = APIRouter(prefix="/ui", include_in_schema=False)
for _module in (login, sectors, scenario, skills, data, reports, reconcile):
    router.include_router(_module.router)
