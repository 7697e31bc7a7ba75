"""Key messages and the sector ranking: what the dashboard and the report's first page say before any
chart, generated from the sectors' forecasts.

Three to five sentences (:func:`key_messages`): the largest gap and when it peaks; the education level
and occupation most short in that sector, where those breakdowns are given; what changed since the
previous report, where a comparison is given (the report; the dashboard says nothing of change); the
uncertainty in words; and the sectors that could not be computed. Every word comes from the ``ui``
catalogue, every number from :mod:`.numbers`.

The ranking (:func:`ranking`) orders sectors by the median gap in their headline year and labels each by
a written rule on that year's 80% range: **shortage** when even the 10th percentile is above zero,
**surplus** when even the 90th percentile is below zero, else **balance**. Beside it is the probability
of a shortage: the share of the Monte-Carlo draws whose gap is above zero (``gap_above_zero``).

The uncertainty is named by the width of the 80% range (p90 − p10) relative to the median's size:
narrow up to :data:`NARROW`, moderate up to :data:`WIDE`, wide above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from talentgap.i18n import pick, translator

from .names import education_name, sector_name
from .numbers import people, people_range, rounded, share, spaced, year

if TYPE_CHECKING:
    from ..service import SectorForecast

#: An 80% range up to this share of the median's size is "narrow" ...
NARROW = 0.5
#: ... up to this share "moderate", above it "wide".
WIDE = 1.0
#: Probabilities of a shortage at or above this (or at or below 1 − this) are "near certain".
LIKELY = 0.9
LABELS = ("shortage", "balance", "surplus")
#: Between the items of a list in a sentence, in both languages.
SEP = ", "


@dataclass(frozen=True)
class Rank:
    """One sector's line of the ranking: its headline year's gap (persons a year), label and the
    probability that the gap is above zero."""

    sector: str
    year: int
    gap: dict
    label: str
    probability: float

    def gap_text(self, lang: str) -> str:
        return people_range(self.gap, lang, prose=True)

    def label_text(self, lang: str) -> str:
        return translator(lang)(f"rank.{self.label}")

    def probability_text(self, lang: str) -> str:
        return share(round(self.probability, 2), lang)


def label(gap: Mapping) -> str:
    """shortage (p10 > 0), surplus (p90 < 0) or balance."""
    return "shortage" if gap["p10"] > 0 else "surplus" if gap["p90"] < 0 else "balance"


def rank_of(forecast: SectorForecast) -> Rank:
    last = forecast.totals()[-1]
    gap = last.gap.model_dump()
    return Rank(sector=forecast.sector, year=int(last.year), gap=gap, label=label(gap),
                probability=float(last.gap_above_zero))


def ranking(forecasts: Mapping[str, SectorForecast]) -> list[Rank]:
    """Sectors ranked by the median gap in their headline year, largest shortage first."""
    return sorted((rank_of(f) for f in forecasts.values()), key=lambda r: -r.gap["p50"])


def spread(gap: Mapping) -> str:
    """narrow, moderate or wide: the 80% range's width relative to the median's size."""
    width = gap["p90"] - gap["p10"]
    size = abs(gap["p50"])
    if size == 0:
        return "wide"
    ratio = width / size
    return "narrow" if ratio <= NARROW else "moderate" if ratio <= WIDE else "wide"


def _names(sectors: list[str], lang: str) -> str:
    return SEP.join(sector_name(s, lang) for s in sectors)


def _largest(forecast: SectorForecast, lang: str) -> str:
    t = translator(lang)
    rows = forecast.totals()
    last = rows[-1]
    peak = max(rows, key=lambda r: r.gap.p50)
    g = last.gap.model_dump()
    if rounded(g["p50"]) < 0:
        return spaced(t("keys.all_surplus").format(year=last.year, gap=people(-g["p50"], lang)))
    gap, _, rest = people_range(g, lang, prose=True).partition(" (")
    text = t("keys.largest").format(sector=sector_name(forecast.sector, lang), year=last.year, gap=gap,
                                    range="(" + rest)
    if peak.year != last.year and peak.gap.p50 > 0:
        text += " " + t("keys.peak").format(year=peak.year, gap=people(peak.gap.p50, lang))
    return spaced(text)


def _most_short(forecast: SectorForecast, by_education: SectorForecast | None,
                by_occupation: SectorForecast | None, lang: str) -> str | None:
    """The education level and occupation with the largest median gap in the headline year."""
    t = translator(lang)
    parts = []
    year_ = forecast.totals()[-1].year
    if by_education is not None:
        rows = [r for r in by_education.rows if r.education is not None and r.year == year_]
        if rows and (top := max(rows, key=lambda r: r.gap.p50)).gap.p50 > 0:
            parts.append(t("keys.level").format(level=education_name(top.education or "", lang),
                                                gap=people(top.gap.p50, lang)))
    if by_occupation is not None:
        rows = [r for r in by_occupation.rows if r.occupation is not None and r.year == year_]
        occupations = {o.occupation: o for o in (by_occupation.breakdown and by_occupation.breakdown.occupations) or []}
        if rows and (top := max(rows, key=lambda r: r.gap.p50)).gap.p50 > 0:
            known = occupations.get(top.occupation or "")
            name = pick(known, "label", lang) if known else top.occupation
            parts.append(t("keys.occupation").format(occupation=name, gap=people(top.gap.p50, lang)))
    if not parts:
        return None
    return spaced(t("keys.most_short").format(sector=sector_name(forecast.sector, lang),
                                              parts=SEP.join(parts)))


def _uncertainty(ranks: list[Rank], lang: str) -> str:
    """One sentence per width of the 80% range (wide, moderate, narrow), naming its sectors."""
    t = translator(lang)
    groups: dict[str, list[str]] = {}
    for r in ranks:
        groups.setdefault(spread(r.gap), []).append(r.sector)
    return " ".join(t(f"keys.spread.{k}").format(year=ranks[0].year, sectors=_names(groups[k], lang))
                    for k in ("wide", "moderate", "narrow") if k in groups)


def _certain(ranks: list[Rank], lang: str) -> str | None:
    t = translator(lang)
    short = [r.sector for r in ranks if r.probability >= LIKELY]
    if not short:
        return None
    return t("keys.likely").format(year=ranks[0].year, sectors=_names(short, lang),
                                   p=share(LIKELY, lang), count=len(short), total=len(ranks))


def _changes(changes: Mapping | None, lang: str) -> str | None:
    """The largest revision of a sector's headline-year gap since the previous report, or that none
    changed; ``None`` when there is no previous report."""
    if not changes or changes.get("previous") is None:
        return None
    t = translator(lang)
    gaps = [c for c in changes.get("revisions", []) if c["item"] == "gap"]
    if not gaps:
        return t("keys.no_change")
    c = max(gaps, key=lambda c: abs(c["change"]))
    return spaced(t("keys.changed").format(sector=sector_name(c["sector"], lang), year=year(c["year"]),
                                           previous=people(c["previous"], lang), current=people(c["current"], lang)))


def key_messages(forecasts: Mapping[str, SectorForecast], lang: str, *, failed: Iterable[str] = (),
                 by_education: Mapping[str, SectorForecast] | None = None,
                 by_occupation: Mapping[str, SectorForecast] | None = None,
                 changes: Mapping | None = None) -> list[str]:
    """Three to five sentences in ``lang`` from the sectors' forecasts (sector → forecast); ``failed``
    lists the sectors that could not be computed (their reasons are shown where their figures would be); the breakdowns
    (sector → forecast by education level or occupation) and ``changes`` (from
    :func:`~.report.compare_with_previous`) are optional and only what is given is said."""
    t = translator(lang)
    out: list[str] = []
    ranks = ranking(forecasts)
    if ranks:
        top = forecasts[ranks[0].sector]
        out.append(_largest(top, lang))
        extra = [_certain(ranks, lang),
                 _most_short(top, (by_education or {}).get(top.sector), (by_occupation or {}).get(top.sector), lang),
                 _changes(changes, lang)]
        out.extend(x for x in extra if x)
        out.append(_uncertainty(ranks, lang))
    else:
        out.append(t("keys.none_computed"))
    failed = list(failed)
    if failed:
        out.append(t("keys.not_computed").format(sectors=_names(failed, lang)))
    return out
