"""The specification of a sector kept in the store, with named default assumptions for what it lacks.

A sector added without a model or without some of the assumptions every forecast needs (entry and exit
rates, graduates, reskilling, foreign inflow) gets them from ``names/default_assumptions.csv``: wide
ranges, ``basis`` judgement, and a rationale that begins "assumed: no published figure". Flows are
scaled to the sector's latest observed workforce. Without a ``[demand]`` table its demand is the trend
of its longest stock series. Each default is named in a note on every result, in both languages.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import note

from .sectors import SectorEntry
from .specs import REQUIRED_ASSUMPTIONS, SectorSpec, load_spec

#: the assumptions a forecast needs, in the order they are filled
NEEDED = (*REQUIRED_ASSUMPTIONS, "graduates_per_year")


class NoStockSeries(TalentgapError, LookupError):
    """A sector with no model and no stock series to forecast."""

    code = "sector.no_stock"
    status = 404


@lru_cache(maxsize=1)
def default_table() -> pd.DataFrame:
    with (files("talentgap.seeds") / "names" / "default_assumptions.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def stock_series(observations: pd.DataFrame, sector: str) -> str | None:
    """The sector's stock series with no breakdown that has the most points (then the latest year)."""
    obs = observations[(observations["sector"] == sector) & (observations["metric"] == "stock")]
    obs = obs[(obs["occupation"] == "") & (obs["education"] == "") & (obs["region"] == "")]
    if obs.empty:
        return None
    ranked = obs.groupby("series_id")["year"].agg(["count", "max"]).sort_values(["count", "max"], ascending=False)
    return str(ranked.index[0])


def latest_stock(observations: pd.DataFrame, series_id: str | None) -> float | None:
    rows = observations[observations["series_id"] == series_id].sort_values("year")
    return float(rows["value"].iloc[-1]) if len(rows) else None


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def defaults_for(present: set[str], stock: float | None) -> list[dict]:
    """Default assumption rows for every needed name not in ``present``; flows scaled to ``stock``."""
    out = []
    for rec in default_table().to_dict("records"):
        if rec["name"] in present:
            continue
        scale = (stock or 0.0) if rec["per_stock"] == "yes" else 1.0
        value, low, high = (float(rec[c]) * scale for c in ("value", "low", "high"))
        out.append({"name": rec["name"], "value": _fmt(value), "low": _fmt(low), "high": _fmt(high),
                    "unit": rec["unit"], "source_id": "", "rationale": rec["rationale"],
                    "rationale_ko": rec["rationale_ko"], "basis": "judgement"})
    return out


def entry_spec(entry: SectorEntry, observations: pd.DataFrame, sources: set[str]) -> SectorSpec:
    """The forecasting specification of a stored sector: its own model and assumptions, the default
    demand and default assumptions for what it lacks, and a note naming each default."""
    model = dict(entry.model)
    if "demand" not in model:
        trend = stock_series(observations, entry.id)
        if trend is None:
            from talentgap.i18n import msg

            raise NoStockSeries(msg("sector.no_stock", sector=repr(entry.id)))
        model["demand"] = {"method": "trend", "trend": trend}
    trend_id = model["demand"].get("trend")
    own = [dict(a) for a in entry.assumptions]
    added = defaults_for({a["name"] for a in own}, latest_stock(observations, trend_id))
    frame = pd.DataFrame(own + added, columns=["name", "value", "low", "high", "unit", "source_id", "rationale",
                                              "rationale_ko", "basis"])
    spec = load_spec(Path(f"sector {entry.id}"), sources, raw=model, assumption_rows=frame, sector=entry.id)
    notes = [note("sector.default_assumption", name=a["name"], value=float(a["value"]), low=float(a["low"]),
                  high=float(a["high"]), unit=a["unit"]) for a in added]
    if "demand" not in entry.model:
        notes.insert(0, note("sector.default_demand", series=trend_id))
    return replace(spec, notes=(*spec.notes, *notes), defaults=tuple(a["name"] for a in added))
