"""CSV renderings of results (plain functions of the result dict)."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

QUANTS = ("demand", "openings", "supply", "gap", "cumulative_gap", "shortage_rate")


def forecast_csv(result: dict) -> str:
    """One row per year (and education level): ``<quantity>_p10/_p50/_p90`` columns."""
    buf = io.StringIO()
    by_edu = any("education" in r for r in result["rows"])
    head = ["sector", "scenario", "definition", "year"] + (["education"] if by_edu else [])
    head += [f"{q}_{p}" for q in QUANTS for p in ("p10", "p50", "p90")]
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for r in result["rows"]:
        row = [result["sector"], result["scenario"], result["definition"], r["year"]]
        row += [r["education"]] if by_edu else []
        row += [round(r[q][p], 4) for q in QUANTS for p in ("p10", "p50", "p90")]
        w.writerow(row)
    return buf.getvalue()


def is_web_url(ref: object) -> bool:
    """Whether ``ref`` may become a link: an absolute ``http``/``https`` URL with a host (never
    ``javascript:``, ``data:`` or a relative path), checked again at render time whatever was stored."""
    if not isinstance(ref, str) or any(c in ref for c in "\r\n\t\x00"):
        return False
    parts = urlsplit(ref.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
