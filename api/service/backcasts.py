"""Backcasts of the stock-flow model on the active dataset (:mod:`talentgap.models.backcast`)."""

from __future__ import annotations

from talentgap.data.store import Store
from talentgap.errors import TalentgapError
from talentgap.models.backcast import Backcast, BackcastError, backcast, origins

from ..compute import computing
from .common import check_sector, spec_for

__all__ = ["Backcast", "BackcastError", "backcast_origins", "get_backcast", "sector_backcasts"]


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


def sector_backcasts(*, store: Store, sector: str) -> list[Backcast]:
    """Every backcast the sector's active data allow, one per origin, oldest first; an origin the model
    cannot be fitted from (e.g. a growth-rates model before any rate was published) is left out."""
    check_sector(sector)
    spec = spec_for(sector)
    obs = store.observations(store.active_version(), sector=sector)
    out = []
    with computing():
        for origin in origins(spec, obs):
            try:
                out.append(backcast(spec=spec, observations=obs, origin=origin))
            except TalentgapError:
                continue
    return out
