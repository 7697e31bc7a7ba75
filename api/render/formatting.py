"""CSV renderings of results (plain functions of the typed result)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from talentgap.data.export import safe_cell

if TYPE_CHECKING:
    from ..service import SectorForecast

QUANTS = ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate", "shortage", "shortage_rate")
#: The unit of each quantity, as CSV headers state it: ``demand_p50 (persons)``.
UNIT_TEXT = {"demand": "persons", "openings": "persons per year", "supply": "persons per year",
             "gap": "persons per year", "cumulative_gap": "persons", "gap_rate": "%",
             "shortage": "persons", "shortage_rate": "%"}


def breakdown_key(result: SectorForecast) -> str | None:
    """``education`` or ``occupation`` when the rows are split, else ``None``."""
    for key in ("education", "occupation"):
        if any(getattr(r, key) is not None for r in result.rows):
            return key
    return None


def lever_summary(result: SectorForecast) -> str:
    """The levers with their effects in persons, one text (``""`` without levers)."""
    chosen = [e for e in result.lever_effects if e.plan_part is None]  # a plan's parts are in the notes
    if chosen:
        return "; ".join(e.text for e in chosen)
    return "; ".join(f"{k}={v:g}" for k, v in result.levers.items())


def forecast_csv(result: SectorForecast) -> str:
    """One row per year (and education level or occupation): ``period``, ``beyond_plan``, ``extrapolated``,
    ``<quantity>_p10/_p50/_p90 (<unit>)`` columns and ``levers`` (each lever with its effect in persons)."""
    buf = io.StringIO()
    key = breakdown_key(result)
    head = ["sector", "scenario", "definition", "year"] + ([key] if key else []) + ["period", "beyond_plan", "extrapolated"]
    head += [f"{q}_{p} ({UNIT_TEXT[q]})" for q in QUANTS for p in ("p10", "p50", "p90")] + ["levers"]
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    levers = lever_summary(result)
    for r in result.rows:
        row = [result.sector, result.scenario, result.definition, r.year]
        row += [getattr(r, key)] if key else []
        row += [r.period, str(r.beyond_plan).lower(), str(r.extrapolated).lower()]
        row += [_cell(getattr(r, q), p) for q in QUANTS for p in ("p10", "p50", "p90")] + [levers]
        w.writerow([safe_cell(c) for c in row])  # text a spreadsheet would run is neutralised
    return buf.getvalue()


def _cell(q, p: str) -> float | str:
    """A quantile rounded to 4 decimals; empty where the quantity is absent (no survey shortage figure)."""
    return "" if q is None else round(getattr(q, p), 4)


def is_web_url(ref: object) -> bool:
    """Whether ``ref`` may become a link: an absolute ``http``/``https`` URL with a host (never
    ``javascript:``, ``data:`` or a relative path), checked again at render time whatever was stored."""
    if not isinstance(ref, str) or any(c in ref for c in "\r\n\t\x00"):
        return False
    parts = urlsplit(ref.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
