"""Backcast of the stock-flow model: fitted only on the data up to an origin year, projected to the last
observed year, and set beside every later observed stock, shortage (부족인원) and shortage rate (부족률).

The model is the forecast's own (:func:`~talentgap.models.sector.sector_simulation`, trend scenario) run
on the observations dated at or before the origin: the demand path, the other inflow estimated from the
stock path (:mod:`.flows`) and the survey's last 부족률 all come from those years only; the assumptions
(rates and shares with their ranges) are the sector's as published. The demand path is the projection
of the observed stock (현원) the model is fitted on, so it is what a later observed stock is set beside.

A figure is *inside* when it lies within the projection's p10–p90; ``coverage`` is the share inside
(80 % expected of a calibrated model).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import Field

from talentgap.errors import TalentgapError
from talentgap.i18n import msg
from talentgap.seeds.specs import AssumedLevelDemand, SectorSpec

from .flows import rate_series
from .results import Result
from .sector import MODEL_VERSION, sector_simulation

#: The metrics a backcast scores, in the order rows are listed.
METRICS = ("stock", "shortage", "shortage_rate")


class BackcastError(TalentgapError, ValueError):
    """A backcast the sector's data cannot give (no observation after the origin, or none up to it)."""

    code = "backcast.bad_input"


class BackcastRow(Result):
    """One observed figure after the origin beside the projection made at the origin."""

    year: int
    metric: str = Field(description="stock (employed, persons), shortage (unfilled vacancies, persons) or "
                                    "shortage_rate (shortage / (employed + shortage), %), on the survey's definition")
    definition: str
    observed: float
    p10: float
    p50: float
    p90: float
    inside: bool = Field(description="whether the observed figure lies within p10–p90")


class Backcast(Result):
    """``talentgap backcast --format json``: the projection from ``origin`` beside what was observed later."""

    sector: str
    origin: int = Field(description="the last year of data the model was fitted on")
    base_year: int = Field(description="the last observed stock at or before the origin")
    model_version: str = MODEL_VERSION
    rows: list[BackcastRow]
    coverage: float = Field(description="share of the rows inside p10–p90, 0–1")


def later_observations(spec: SectorSpec, obs: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The sector's stock, shortage and shortage-rate figures (totals on the series the model reads)
    dated after ``origin``, with a ``metric`` column from :data:`METRICS`."""
    ids = {"stock": getattr(spec.demand, "trend", None), "shortage": spec.shortage,
           "shortage_rate": rate_series(spec.shortage) if spec.shortage else None}
    parts = []
    for metric, sid in ids.items():
        if sid:
            s = obs[(obs["series_id"] == sid) & (obs["year"] > origin)]
            parts.append(s.assign(metric=metric))
    return pd.concat(parts).sort_values(["metric", "year"]) if parts else obs.iloc[:0]


def origins(spec: SectorSpec, obs: pd.DataFrame) -> list[int]:
    """Every year with an observed stock on the sector's trend series that later figures follow."""
    if isinstance(spec.demand, AssumedLevelDemand):
        return []
    s = obs[obs["series_id"] == spec.demand.trend]
    return [int(y) for y in sorted(set(s["year"])) if not later_observations(spec, obs, int(y)).empty]


def backcast(*, spec: SectorSpec, observations: pd.DataFrame, origin: int) -> Backcast:
    """The trend projection fitted on data up to ``origin`` beside every later observed figure."""
    obs = observations[observations["sector"] == spec.sector]
    if isinstance(spec.demand, AssumedLevelDemand):
        raise BackcastError(msg("backcast.no_stock", sector=spec.sector))
    later = later_observations(spec, obs, origin)
    if later.empty:
        raise BackcastError(msg("backcast.nothing_later", sector=spec.sector, origin=origin))
    fit = obs[obs["year"] <= origin]
    if fit[fit["series_id"] == spec.demand.trend].empty:
        raise BackcastError(msg("backcast.nothing_before", sector=spec.sector, origin=origin))
    last = int(later["year"].max())
    sim = sector_simulation(spec=spec, observations=fit, scenario="trend", horizon=last)
    d = sim.draws
    years = d["years"].tolist()
    projected = {"stock": d["demand"], "shortage": d["shortage"], "shortage_rate": d["shortage_rate"]}
    rows = []
    for r in later.itertuples():
        if int(r.year) not in years:
            continue
        values = projected[r.metric][:, years.index(int(r.year))]
        if np.isnan(values).all():
            continue
        p10, p50, p90 = (float(v) for v in np.quantile(values, [0.1, 0.5, 0.9]))
        observed = float(r.value)
        rows.append(BackcastRow(year=int(r.year), metric=r.metric, definition=str(r.definition), observed=observed,
                                p10=p10, p50=p50, p90=p90, inside=bool(p10 <= observed <= p90)))
    rows.sort(key=lambda row: (METRICS.index(row.metric), row.year))
    coverage = float(np.mean([row.inside for row in rows])) if rows else 0.0
    return Backcast(sector=spec.sector, origin=int(origin), base_year=sim.demand.base_year, rows=rows,
                    coverage=coverage)
