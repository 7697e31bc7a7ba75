"""Published projections beside the model's figures (``talentgap reconcile``, ``/api/v1/reconcile``, the
reconciliation page and the report's appendix): computed on the active dataset and kept in the store."""

from __future__ import annotations

import hashlib

from talentgap.data.results import get_result, put_result
from talentgap.data.store import Store
from talentgap.models.reconcile import FigureDetail, ReconcileRow, Reconciliation, reconcile
from talentgap.models.sector import MODEL_VERSION
from talentgap.seeds.published import published_figures
from talentgap.seeds.specs import sector_specs

from ..compute import computing
from .common import check_sector

__all__ = ["FigureDetail", "ReconcileRow", "Reconciliation", "get_reconciliation"]


def get_reconciliation(*, store: Store, sector: str | None = None) -> Reconciliation:
    """Every published figure (of ``sector`` when given) beside the model's figure on the same definition
    and window, for the active dataset; served from the store when computed before."""
    if sector is not None:
        sector = check_sector(sector)  # a Korean or English name: the id
    version = store.active_version()
    published = published_figures()
    # the published figures are seed data of the release: a changed file is a new result, not a stale one
    digest = hashlib.sha256(published.to_json(orient="records").encode()).hexdigest()[:16]
    params = {"what": "reconcile", "sector": sector, "figures": digest}
    cached = get_result(store, kind="reconcile", params=params, dataset_version=version, model_version=MODEL_VERSION)
    if cached is not None:
        return Reconciliation.model_validate(cached)
    sectors = [sector] if sector is not None else sorted(set(published["sector"]))
    with computing():
        result = reconcile(specs=sector_specs(), observations=store.observations(version), published=published,
                           sectors=sectors, dataset_version=version)
    put_result(store, kind="reconcile", params=params, dataset_version=version, model_version=MODEL_VERSION,
               payload=result.model_dump(mode="json"), keep=True)
    return result
