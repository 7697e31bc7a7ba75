"""Text and CSV renderings of forecast results (plain functions of the result dict)."""

from __future__ import annotations

import csv
import io

from talentgap.seeds.vocab import EDUCATION, SECTORS

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


def _num(v: float, pct: bool = False) -> str:
    return f"{v:.1f}%" if pct else f"{v:,.0f}"


def forecast_table(result: dict) -> str:
    """A readable table: p50 with the p10–p90 range, plus definition, grade, notes and assumptions."""
    sector = SECTORS[result["sector"]]
    lines = [
        f"{sector.label_en} / {sector.label_ko} — scenario {result['scenario']}, base year {result['base_year']}, "
        f"horizon {result['horizon']}",
        f"definition: {result['definition']}   quality grade: {result['quality_grade']}   method: {result['method']}   "
        f"dataset v{result['dataset_version']}, {result['model_version']}",
        "",
    ]
    by_edu = any("education" in r for r in result["rows"])
    head = f"{'year':>4} " + (f"{'education':14} " if by_edu else "")
    labels = ("demand 현원", "openings 구인", "supply 공급", "gap 부족", "cum. gap 누적", "rate 부족률")
    head += " ".join(f"{lab:>25}" for lab in labels)
    lines.append(head)
    for r in result["rows"]:
        cells = []
        for q in QUANTS:
            pct = q == "shortage_rate"
            cells.append(f"{_num(r[q]['p50'], pct)} [{_num(r[q]['p10'], pct)}–{_num(r[q]['p90'], pct)}]")
        edu = f"{EDUCATION[r['education']].label_ko + ' ' + r['education']:14} " if by_edu else ""
        lines.append(f"{r['year']:>4} {edu}" + " ".join(f"{c:>25}" for c in cells))
    lines.append("")
    lines.append("p50 [p10–p90]; gap = openings − supply (negative = surplus); rate = gap / (demand + gap)")
    for n in result.get("notes", []):
        lines.append(f"note: {n}")
    lines.append("assumptions:")
    for a in result["assumptions"]:
        lines.append(f"  {a['name']:24} {a['value']:>10g} [{a['low']:g}–{a['high']:g}] {a['unit']:10} "
                     f"{a['source_id'] or '-':12} {a['rationale']}")
    lines.append("sources: " + ", ".join(s["source_id"] for s in result.get("sources", [])))
    return "\n".join(lines)
