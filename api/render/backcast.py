"""Backcasts of the stock-flow model as rows for the sector page and the report: the origin, the year, the
figure by its name, what was observed, the projection's 80 % range from the origin, and whether it fell
inside, in the page's language and number style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentgap.i18n import gettext

from .names import Names, metric_name
from .numbers import between, num, people

if TYPE_CHECKING:
    from talentgap.models.backcast import Backcast


def backcast_rows(backcasts: list[Backcast], lang: str, names: Names | None = None) -> list[dict]:
    """One row per observed figure after each origin: ``origin, year, figure, definition, observed, range,
    inside`` (``observed`` as published; ``range`` the p10–p90 projected from the origin, rounded; rates in
    percent with one decimal)."""
    names = names or Names()
    out = []
    for b in backcasts:
        for r in b.rows:
            if r.metric == "shortage_rate":
                observed, low, high = (num(v, lang, 1) + "%" for v in (r.observed, r.p10, r.p90))
            else:  # the published count as published, the projection rounded
                observed = num(r.observed, lang)
                low, high = (people(v, lang, prose=False) for v in (r.p10, r.p90))
            out.append({"origin": b.origin, "year": r.year, "figure": metric_name(r.metric, lang),
                        "definition": names.definition(r.definition, lang), "observed": observed,
                        "range": between(low, high, lang), "inside": r.inside,
                        "verdict": gettext("backcast_inside" if r.inside else "backcast_outside", lang) or ""})
    return out


def backcast_summary(rows: list[dict], lang: str) -> str:
    """``N of M figures inside`` in ``lang``, or empty without rows."""
    if not rows:
        return ""
    text = gettext("backcast_summary", lang) or "{inside} of {count}"
    return text.format(inside=sum(r["inside"] for r in rows), count=len(rows))
