"""The answer first: one sentence per sector saying how big the gap is, when, and how sure, e.g.
``2035년 부족 7,600명/년 (5,000~10,200) · 2025~2035년 누적 5.8만 명 (3.5만~8.2만) · 품질 A (관측 8개 이상)``.

The cumulative window starts in the same year for every sector (:func:`window_start`: the last
completed year before the forecast's ``as_of``), so sector totals can be compared and added. Its p10
and p90 are the sums of the yearly p10 and p90: the model's yearly gaps move together (one level and
growth path per draw), and on the seed data these sums match the model's own cumulative quantiles to
within 1 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from talentgap.i18n import translator

from .numbers import people_range, rounded, spaced, years

if TYPE_CHECKING:
    from ..service import SectorForecast


@dataclass(frozen=True)
class Headline:
    """The numbers behind a sector's sentence (persons a year for ``gap``, persons for ``cumulative``)."""

    sector: str
    year: int
    gap: dict
    start: int
    cumulative: dict
    grade: str

    def sentence(self, lang: str) -> str:
        """The sentence in ``lang``, in the number style of :mod:`.numbers` (rounded, one unit per range,
        the language's range sign, nothing that breaks inside a number)."""
        t = translator(lang)
        g = self.gap
        key = "headline_gap" if rounded(g["p50"]) >= 0 else "headline_surplus"
        gap = people_range({**g, "p50": abs(g["p50"])}, lang, prose=True)
        value, _, gap_range = gap.partition(" (")
        first = spaced(t(key).format(year=self.year, gap=value)) + " (" + gap_range
        c = self.cumulative
        cum_value, _, cum_range = people_range(c, lang, prose=True).partition(" (")
        cum_text = t("headline_cum").format(span=years(self.start, self.year, lang), cum=cum_value)
        cum_text = spaced(cum_text) + " (" + cum_range
        grade = t("headline_grade").format(grade=self.grade, why=t(f"grade_{self.grade}"))
        return " · ".join([first, cum_text, grade])


def window_start(forecast: SectorForecast) -> int:
    """The common first year of cumulative totals: the year before ``as_of`` (the last completed
    year), the same for every sector forecast made on one day."""
    return int(forecast.as_of or forecast.rows[0].year + 1) - 1


def headline(forecast: SectorForecast, *, start: int | None = None) -> Headline:
    """The gap in the forecast's last year and the gap summed from ``start`` (default
    :func:`window_start`) to that year, each as p10/p50/p90."""
    rows = forecast.totals()
    start = window_start(forecast) if start is None else start
    last = rows[-1]
    window = [r for r in rows if r.year >= start]
    cum = {p: sum(getattr(r.gap, p) for r in window) for p in ("p10", "p50", "p90")}
    return Headline(sector=forecast.sector, year=int(last.year), gap=last.gap.model_dump(),
                    start=int(max(start, rows[0].year)), cumulative=cum, grade=forecast.quality_grade)
