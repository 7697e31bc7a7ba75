"""Plain-text tables for the command line: forecasts, backtests, scenario comparisons, skill gaps and
programme assessments (plain functions of the service results; forecasts and backtests are typed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentgap.i18n import LANGUAGES, gettext
from talentgap.seeds.vocab import EDUCATION, SECTORS

from .formatting import QUANTS, breakdown_key

if TYPE_CHECKING:
    from ..service import Backtest, SectorForecast


def _num(v: float, pct: bool = False) -> str:
    return f"{v:.1f}%" if pct else f"{v:,.0f}"


def forecast_table(result: SectorForecast) -> str:
    """A readable table: p50 with the p10–p90 range, plus definition, grade, notes and assumptions."""
    sector = SECTORS[result.sector]
    lines = [
        f"{sector.label_en} / {sector.label_ko} — scenario {result.scenario}, base year {result.base_year}, "
        f"horizon {result.horizon}",
        f"definition: {result.definition}   quality grade: {result.quality_grade}   method: {result.method}   "
        f"dataset v{result.dataset_version}, {result.model_version}",
        "",
    ]
    key = breakdown_key(result)
    head = f"{'year':>4} {'period':10} " + (f"{key:26} " if key else "")
    labels = [" ".join(gettext(f"table_head.{q}", lang) or q for lang in LANGUAGES) for q in QUANTS]
    if result.cumulative_from is not None:  # every cumulative figure with its window
        labels[QUANTS.index("cumulative_gap")] += f" {result.cumulative_from}–"
    head += " ".join(f"{lab:>25}" for lab in labels)
    lines.append(head)
    for r in result.rows:
        cells = []
        for q in QUANTS:
            pct = q in ("gap_rate", "shortage_rate")
            v = getattr(r, q)
            if v is None:
                cells.append("–")
                continue
            cells.append(f"{_num(v.p50, pct)} [{_num(v.p10, pct)}–{_num(v.p90, pct)}]")
        part = ""
        if key == "education" and r.education is not None:
            part = f"{EDUCATION[r.education].label_ko + ' ' + r.education:26} "
        elif key == "occupation" and r.occupation is not None:
            part = f"{r.occupation[:26]:26} "
        period = r.period + ("*" if r.beyond_plan else "") + ("†" if r.extrapolated else "")
        lines.append(f"{r.year:>4} {period:10} {part}" + " ".join(f"{c:>25}" for c in cells))
    if result.plan_end_year:
        lines.append(f"* beyond the published plan (ends {result.plan_end_year}): the trend's growth from the plan's "
                     "end level")
    if any(r.extrapolated for r in result.rows):
        lines.append("† extrapolated: past the longest published plan for the sector or more than ten years after the "
                     "last observation")
    for e in result.lever_effects:
        lines.append(f"lever: {e.text}")
    lines.append("")
    lines.append("p50 [p10–p90]; gap = openings − supply (negative = surplus); gap rate = gap / (demand + gap); "
                 "shortage and shortage rate on the survey's definition (vacancies at the survey date)"
                 + (f"; cum. gap = gap summed from {result.cumulative_from} to the row's year"
                    if result.cumulative_from is not None else ""))
    effects = {e.text for e in result.lever_effects}
    for n in result.notes:
        if n not in effects:
            lines.append(f"note: {n}")
    lines.append("assumptions:")
    for a in result.assumptions:
        lines.append(f"  {a.name:24} {a.value:>10g} [{a.low:g}–{a.high:g}] {a.unit:10} "
                     f"{a.source_id or '-':12} {a.rationale}")
    lines.append("sources: " + ", ".join(s.source_id for s in result.sources))
    return "\n".join(lines)


def backtest_table(result: Backtest) -> str:
    lines = [f"Rolling-origin backtest, dataset version {result.dataset_version}, "
             f"{result.model_version}; default model: auto = {result.default_model} with fallbacks",
             "", f"{'model':8} {'MASE':>6} {'sMAPE %':>8} {'80% cover %':>12} {'forecasts':>10} {'series':>7}"]
    for r in result.table:
        lines.append(f"{r.model:8} {r.mase:6.2f} {r.smape:8.1f} {r.coverage:12.0f} "
                     f"{r.forecasts:10d} {r.series:7d}")
    return "\n".join(lines)


def compare_table(sector: str, names: list[str], results: list[SectorForecast]) -> str:
    """Annual gap and cumulative gap (p50) by year, one column per scenario."""
    years = [r.year for r in results[0].rows]
    head = f"{'year':>6}" + "".join(f"  {n[:22]:>22}" for n in names)
    lines = [f"{sector}: annual gap p50 (cumulative gap p50)", head]
    for y in years:
        cells = []
        for r in results:
            row = next((x for x in r.rows if x.year == y), None)
            cells.append(f"{row.gap.p50:>9,.0f} ({row.cumulative_gap.p50:>9,.0f})" if row else " " * 22)
        lines.append(f"{y:>6}" + "".join(f"  {c:>22}" for c in cells))
    return "\n".join(lines)


def skill_gaps_table(rows: list[dict]) -> str:
    return "\n".join(f"{r['skill']:24} {r['year']} openings {r['demand']['p50']:>9,.0f}  supply {r['supply']['p50']:>9,.0f}"
                     f"  gap {r['gap']['p50']:>9,.0f} [{r['gap']['p10']:,.0f}–{r['gap']['p90']:,.0f}]" for r in rows)


def skills_table(rows: list[dict]) -> str:
    return "\n".join(f"{r['id']:24} {r['label_en']:42} {r['label_ko']:18} {', '.join(r['sectors'])}" for r in rows)


def gap_table(result: dict) -> str:
    lines = ["matched occupations:"]
    lines += [f"  {m['occupation']:32} {m['sector']:14} similarity {m['similarity']:.2f}" for m in result["matches"]]
    lines.append(f"{'year':>4} {'demand (openings)':>28} {'supply':>28} {'gap':>28}")
    for r in result["rows"]:
        cells = [f"{r[q]['p50']:,.0f} [{r[q]['p10']:,.0f}–{r[q]['p90']:,.0f}]" for q in ("demand", "supply", "gap")]
        lines.append(f"{r['year']:>4} " + " ".join(f"{c:>28}" for c in cells))
    return "\n".join(lines)


def programme_table(result: dict) -> str:
    lines = [f"{result['name']} ({result['sector']}, {result['degree']}, {result['seats_per_year']:g} seats a year)",
             f"mismatch: {result['mismatch']:.3f}   entry rate: {result['entry_rate']:.2f} ({result['entry_rate_source']})",
             "openings per graduate, p50 [p10–p90], at the "
             + (f"{result['level']} level (its openings, supply and entry rate):" if result.get("level")
                else "level of the whole sector (no split by education level):")]
    lines += [f"  {o['year']}: {o['openings_per_graduate']['p50']:.2f} [{o['openings_per_graduate']['p10']:.2f}–"
              f"{o['openings_per_graduate']['p90']:.2f}]" for o in result["outlook"]]
    lines.append("skills to add:")
    lines += [f"  {s['skill']:24} mismatch after {s['mismatch_after']:.3f} ({s['effect']:+.3f})"
              for s in result["skills_to_add"]]
    return "\n".join(lines)
