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
    sector = check_sector(sector)  # a Korean or English name: the id
    version = store.active_version()
    with computing():
        return backcast(spec=spec_for(sector, store, version), observations=store.observations(version, sector=sector),
                        origin=origin)


def backcast_origins(*, store: Store, sector: str) -> list[int]:
    """The origins a backcast of ``sector`` can start from: years of an observed stock with later figures."""
    sector = check_sector(sector)
    version = store.active_version()
    return origins(spec_for(sector, store, version), store.observations(version, sector=sector))


def sector_backcasts(*, store: Store, sector: str) -> list[Backcast]:
    """Every backcast the sector's active data allow, one per origin, oldest first; an origin the model
    cannot be fitted from (e.g. a growth-rates model before any rate was published) is left out."""
    sector = check_sector(sector)
    version = store.active_version()
    spec = spec_for(sector, store, version)
    obs = store.observations(version, sector=sector)
    out = []
    with computing():
        for origin in origins(spec, obs):
            try:
                out.append(backcast(spec=spec, observations=obs, origin=origin))
            except TalentgapError:
                continue
    return out
