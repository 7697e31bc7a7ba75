"""The reconciliation page: every published projection in the seeds beside the model's figure on the same
definition and window, in the page's language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import service
from ..http.deps import StoreDep
from ..render.names import Names
from ..render.reconcile import reconcile_rows
from .common import Session, render

router = APIRouter()


@router.get("/reconcile", response_class=HTMLResponse)
def reconcile_page(request: Request, session: Session, store: StoreDep, sector: str = "") -> HTMLResponse:
    """Published figures (of one sector, or all) with the model's p50 and p10-p90, the difference and the
    explanation; rows outside p10-p90 are marked."""
    chosen = sector or None
    result = service.get_reconciliation(store=store, sector=chosen)
    rows = reconcile_rows(result, session["lang"], Names.from_store(store))
    return render(request, "reconcile.html", session, rows=rows, sector=sector,
                  outside=sum(not r["inside"] for r in rows), dataset_version=result.dataset_version)
