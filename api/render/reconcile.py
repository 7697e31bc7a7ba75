"""The reconciliation of published projections with the model, as a plain-text table (CLI) and as rows
for the web page and the report (labels, numbers and explanation in the page's language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentgap.i18n import pick

from .names import Names, sector_name, source_credit
from .notes import render_note
from .numbers import between, num, pct, tidy

if TYPE_CHECKING:
    from ..service import Reconciliation


def reconcile_table(result: Reconciliation) -> str:
    """One line per published figure: sector, figure, window, published, model p50 (p10-p90), difference,
    then its explanation indented."""
    lines = [f"published projections beside the model (dataset v{result.dataset_version}, {result.model_version})",
             "", f"{'sector':14} {'figure':28} {'window':10} {'published':>10} {'model p50':>10} "
                 f"{'p10-p90':>19} {'diff':>7}"]
    for row, d in zip(result.rows, result.details, strict=True):
        m = row.model
        lines.append(f"{row.sector:14} {row.figure:28} {row.window:10} {row.published:>10,.0f} {m.p50:>10,.0f} "
                     f"{f'{m.p10:,.0f}-{m.p90:,.0f}':>19} {row.difference_pct:>+6.0f}%")
        lines.append(f"    {d.label_en} / {d.label_ko} [{row.definition}; {d.quantity}; {row.source_id}, {d.cite}]")
        lines.append(f"    {row.explanation}")
    return "\n".join(lines)


def reconcile_rows(result: Reconciliation, lang: str, names: Names | None = None) -> list[dict]:
    """Rows for a page or report in ``lang``: sector, figure and definition by their names, the source by
    its publisher, window, numbers as shown, whether the published figure lies inside the model's p10-p90,
    and the explanation in ``lang`` (a basis it names by the definition's name)."""
    names = names or Names()
    out = []
    for row, d in zip(result.rows, result.details, strict=True):
        explanation = row.explanation
        if d.explanation_id and "key" in d.explanation_id:
            params = dict(d.explanation_id.get("params") or {})
            if "basis" in params:
                params["basis"] = names.definition(str(params["basis"]), lang)
            explanation = render_note({"key": d.explanation_id["key"], "params": params}, lang, names,
                                      fallback=row.explanation)
        source = names.sources.get(row.source_id)
        out.append({
            "sector": row.sector,
            "sector_label": sector_name(row.sector, lang),
            "figure": row.figure,
            "label": tidy(pick(d, "label", lang), lang),
            "window": tidy(row.window, lang),
            "definition": names.definition(row.definition, lang),
            "quantity": d.quantity,
            "source_id": row.source_id,
            "source": source_credit(source, lang) if source else row.source_id,
            "cite": d.cite,
            "published": num(row.published, lang),
            "p50": num(row.model.p50, lang),
            "range": between(num(row.model.p10, lang), num(row.model.p90, lang), lang),
            "difference": ("+" if round(row.difference_pct) > 0 else "") + pct(row.difference_pct, lang, 0),
            "inside": d.inside,
            "explanation": tidy(explanation, lang),
        })
    return out
