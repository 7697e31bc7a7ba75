"""Words for the scenario page: the headline effect of a scenario on the cumulative gap, each lever's
effect in persons (how 500 graduates become fewer entrants) and the current assumption values the
form's fields stand for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentgap.i18n import translator

from ..render.headline import headline
from ..render.names import assumption_name
from ..render.numbers import num, pct, signed

if TYPE_CHECKING:
    from ..service import SectorForecast

#: Form field → the assumption it overrides (``None``: no assumption behind it).
ASSUMPTION_OF = {"extra_graduates": None, "entry_rate": "entry_rate", "separation_rate": "separation_rate",
                 "foreign_inflow": "foreign_inflow", "reskilling": "reskilling", "start_year": None}
#: The levers a sentence names (each by its ``lever_word.<lever>`` entry of the ``ui`` catalogue).
LEVER_WORDS = ("extra_graduates", "entry_rate", "separation_rate", "foreign_inflow", "reskilling")


def _value(v: float, lang: str) -> str:
    return num(v, lang, 2) if 0 < abs(v) < 1 else num(v, lang)


def current_values(baseline: SectorForecast, lang: str) -> dict[str, str]:
    """Field → ``현재 0.10 (범위 0.08~0.15)``, from the baseline forecast's assumptions."""
    t = translator(lang)
    by_name = {a.name: a for a in baseline.assumptions}
    out = {}
    for field, name in ASSUMPTION_OF.items():
        a = by_name.get(name or "")
        if a:
            out[field] = t("current_value").format(value=_value(a.value, lang), low=_value(a.low, lang),
                                                   high=_value(a.high, lang))
        elif field == "foreign_inflow":
            out[field] = t("current_value").format(value="0", low="0", high="0")
    first = next((r.year for r in baseline.rows if r.period == "projection"), baseline.rows[0].year)
    out["start_year"] = f"{first}"
    out["extra_graduates"] = "0"
    return out


def lever_words(levers: dict, lang: str, baselines: dict[str, float] | None = None) -> str:
    """``재교육 1,000 → 300명/년, 진입률 0.10 → 0.12, 졸업생 +500명`` (start year left out: the sentence
    says it): a lever that sets an assumption reads from the baseline value shown (``baselines``, the
    assumptions' values; 0 for foreign inflow without one) to the lever's."""
    t = translator(lang)
    baselines = baselines or {}
    parts = []
    for k, v in levers.items():
        if k == "start_year" or k not in LEVER_WORDS:
            continue
        word = t(f"lever_word.{k}")
        was = baselines.get(k, 0.0 if k == "foreign_inflow" else None)
        if k in ("entry_rate", "separation_rate"):
            parts.append(t("lever_rate_change").format(word=word, baseline=_value(was, lang), value=_value(v, lang))
                         if was is not None else f"{word} {_value(v, lang)}")
        elif k != "extra_graduates" and was is not None:
            parts.append(t("lever_change").format(word=word, baseline=_value(was, lang), value=_value(v, lang)))
        else:
            parts.append(t("lever_persons").format(word=word, value=signed(v, lang)))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]  # a sentence starts with a capital (Hangul has no case)


def baseline_values(forecast: SectorForecast) -> dict[str, float]:
    """Lever → the value its assumption shows in ``forecast`` (a forecast without levers)."""
    return {a.name: a.value for a in forecast.assumptions if a.name in LEVER_WORDS}


def effect_sentence(baseline: SectorForecast, result: SectorForecast, lang: str) -> str:
    """``2027년부터 졸업생 +500명: 2025–2035 누적 부족 −3,185명 (−2.9 %)``."""
    t = translator(lang)
    base, new = headline(baseline), headline(result, start=headline(baseline).start)
    change = new.cumulative["p50"] - base.cumulative["p50"]
    share = pct(100 * change / abs(base.cumulative["p50"]), lang) if base.cumulative["p50"] else "—"
    share = share if change <= 0 or share == "—" else "+" + share
    year = int(result.levers.get("start_year") or next(
        (r.year for r in result.rows if r.period == "projection"), result.rows[0].year))
    words = lever_words(result.levers, lang, baseline_values(baseline)) or "—"
    return t("scenario_effect").format(levers=words, year=year, start=base.start,
                                       end=base.year, change=signed(change, lang), pct=share)


def effect_lines(result: SectorForecast, lang: str) -> list[str]:
    """Each lever's effect in persons, in ``lang``."""
    t = translator(lang)
    lines = []
    for e in result.lever_effects:
        if e.plan_part is not None:  # a training plan's part: told in the notes, in the page's language
            continue
        if e.lever == "extra_graduates" and e.entry_rate is not None:
            lines.append(t("effect_graduates").format(value=num(e.value, lang), rate=num(e.entry_rate, lang, 2),
                                                      entrants=num(e.effect_first, lang)))
        else:
            lines.append(t("effect_other").format(
                lever=assumption_name(e.lever, lang), value=_value(e.value, lang),
                baseline=_value(e.baseline, lang) if e.baseline is not None else "—",
                quantity=t(e.quantity) if e.quantity in ("supply", "openings", "demand") else e.quantity,
                effect=signed(e.effect_first, lang), year=e.from_year))
    return lines
