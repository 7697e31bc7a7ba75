"""CSV renderings of results (plain functions of the result dict)."""

from __future__ import annotations

import csv
import io

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
