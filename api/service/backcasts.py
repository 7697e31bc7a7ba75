"""Backcasts of the stock-flow model on the active dataset (:mod:`talentgap.models.backcast`)."""

from __future__ import annotations

from talentgap.data.store import Store
from talentgap.models.backcast import Backcast, BackcastError, backcast, origins

from ..compute import computing
from .common import check_sector, spec_for

__all__ = ["Backcast", "BackcastError", "backcast_origins", "get_backcast"]


def get_backcast(*, store: Store, sector: str, origin: int) -> Backcast:
    """The sector's trend projection fitted on the active dataset's figures up to ``origin``, beside every
    stock, shortage and shortage rate observed after it."""
    check_sector(sector)
    version = store.active_version()
    with computing():
        return backcast(spec=spec_for(sector), observations=store.observations(version, sector=sector), origin=origin)


def backcast_origins(*, store: Store, sector: str) -> list[int]:
    """The origins a backcast of ``sector`` can start from: years of an observed stock with later figures."""
    check_sector(sector)
    return origins(spec_for(sector), store.observations(store.active_version(), sector=sector))
