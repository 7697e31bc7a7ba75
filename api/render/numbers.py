"""The number style of every page, chart, report and sentence, written down once (Babel's locale data
writes the digits):

- **Round to what the data support.** People: whole numbers under 100, tens under 1,000, hundreds
  under 100,000, thousands from 100,000 (:func:`rounded`: ``7,583`` → ``7,600``, ``123,395`` →
  ``123,000``). Counts that are exact (rows, versions, observations) keep every digit (:func:`num`).
- **만 in sentences.** In a sentence, a card or a chart label Korean writes 10,000 and more with 만
  (``6.5만``), English writes the digits (``65,000``); tables write the digits in both languages.
- **Ranges in one unit.** A median and its 80% range are written in the unit of the median:
  ``8,500 (6,000~11,200)``, ``6.5만 (4.2만~8.9만)``, never ``(−1,900~1.6만)``.
- **One range sign per language.** Korean ``~`` (years too: ``2025~2035``), English ``to``
  (``6,000 to 11,200``, ``2025 to 2035``): a dash would read as a minus beside negative numbers.
- **Rates are percents.** A 0–1 share is shown times 100 (:func:`share`: ``0.04`` → ``4%``), never as
  a decimal; no space before ``%``.
- **Nothing breaks inside a number or a range.** Spaces inside are no-break spaces (U+00A0) and the
  range sign is held by word joiners (U+2060); a line may break only before a range's bracket.
- **Signs.** A true minus sign (U+2212), ``+`` on changes, never ``-0``.

:func:`plain` gives the same text for places that draw text themselves (chart labels).
"""

from __future__ import annotations

import math
import re
from typing import TypeGuard

from babel.numbers import format_decimal

from talentgap.i18n import LANGUAGES, gettext

NBSP = "\u00a0"
WJ = "\u2060"
MINUS = "\u2212"
#: Assumption units whose values are 0–1 shares, shown as percents.
SHARE_UNITS = ("share", "share per year", "rate", "rate per year")
TEN_THOUSAND = 10_000


def _ok(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(float(value))


def _locale(lang: str) -> str:
    """The Babel locale that writes the digits of ``lang`` (English for an unknown language)."""
    return lang if lang in LANGUAGES else LANGUAGES[0]


def _decimal(value: object, lang: str, digits: int, pattern: str) -> str:
    """``value`` rounded to ``digits`` and written by the Babel ``pattern`` in ``lang``, with a true
    minus sign and never ``-0``; ``""`` for a missing value, a non-number as its text."""
    if not _ok(value):
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    v = round(float(value), digits) or 0.0
    return format_decimal(v, format=pattern, locale=_locale(lang)).replace("-", MINUS)


def num(value: object, lang: str = "en", digits: int = 0) -> str:
    """An exact number with the locale's separators (``181,308``), for counts that are exact (rows,
    versions, observations) and for values set by hand; ``""`` for a missing value."""
    return _decimal(value, lang, digits, "#,##0" + ("." + "0" * digits if digits else ""))


def given(value: object, lang: str = "en") -> str:
    """A number as it was given, up to three decimals and no trailing zeros (``1.7``, ``10,000``): for
    assumptions set by hand that are not shares (shares: :func:`share`)."""
    return _decimal(value, lang, 3, "#,##0.###")


def rounded(value: float) -> float:
    """People to the precision a forecast can bear: whole numbers under 100, tens under 1,000,
    hundreds under 100,000, thousands from 100,000."""
    a = abs(value)
    step = 1_000 if a >= 100_000 else 100 if a >= 1_000 else 10 if a >= 100 else 1
    return float(round(value / step) * step)


def large(digits: str, myriads: str, lang: str) -> str:
    """A number of 10,000 and more as the language writes it in a sentence (the ``ui`` catalogue's
    ``number.large``): its ``digits`` (``65,000``) or its count of ten thousands (``myriads``, ``6.5``)
    with the unit word (``6.5만``)."""
    return (gettext("number.large", lang) or "{digits}").format(digits=digits, myriads=myriads)


def _man(value: float, lang: str) -> str:
    """A rounded number of 10,000 and more in a sentence (:func:`large`): in 만, one decimal under a
    million (``6.5만``), whole 만 from a million (``123만``)."""
    v = value / TEN_THOUSAND
    digits = 0 if abs(v) >= 99.95 else 1
    return large(num(rounded(value), lang), _decimal(v, lang, digits, "#,##0" + (".#" if digits else "")), lang)


def people(value: object, lang: str = "en", *, prose: bool = True) -> str:
    """A number of people rounded by :func:`rounded`: ``8,500``; from 10,000 in a Korean sentence
    ``6.5만`` (``prose=False``, for tables: ``65,000``). ``""`` for a missing value."""
    if not _ok(value):
        return ""
    v = float(value)
    if prose and abs(rounded(v)) >= TEN_THOUSAND:
        return _man(v, lang)
    return num(rounded(v), lang)


def compact(value: object, lang: str = "en") -> str:
    """A number of people for a sentence, a card or a chart label (:func:`people` in prose)."""
    return people(value, lang, prose=True)


def _range_sign(lang: str = "en") -> str:
    """The language's range sign as plain text (the ``ui`` catalogue's ``number.range``: ``~``, `` to ``)."""
    return gettext("number.range", lang) or " to "


def between(low: str, high: str, lang: str = "en") -> str:
    """``low~high`` in Korean, ``low to high`` in English, unbreakable: a sign written with spaces keeps
    them as no-break spaces, a sign written without is held by word joiners."""
    sign = _range_sign(lang)
    held = sign.replace(" ", NBSP) if sign != sign.strip() else f"{WJ}{sign}{WJ}"
    return f"{low}{held}{high}"


def years(first: object, last: object, lang: str = "en") -> str:
    """A span of years with the language's range sign: ``2025~2035``, ``2025 to 2035``."""
    return between(year(first), year(last), lang)


def _quantiles(q: object) -> dict:
    """``p10, p50, p90`` of a mapping or of a result's quantiles (attributes)."""
    return q if isinstance(q, dict) else {k: getattr(q, k, None) for k in ("p10", "p50", "p90")}


def people_range(q: object, lang: str = "en", *, prose: bool = False) -> str:
    """A median with its 80% range, all in the median's unit: ``8,500 (6,000~11,200)``; in a Korean
    sentence from a median of 10,000 ``6.5만 (4.2만~8.9만)``."""
    q = _quantiles(q)
    if not all(_ok(q.get(k)) for k in ("p10", "p50", "p90")):
        return ""
    man = prose and abs(rounded(q["p50"])) >= TEN_THOUSAND

    def f(v: float) -> str:
        return _man(v, lang) if man else num(rounded(v), lang)

    return f"{f(q['p50'])} ({between(f(q['p10']), f(q['p90']), lang)})"


def decimal_range(q: object, lang: str = "en", digits: int = 1) -> str:
    """A median and its 80% range of a quantity that is not a count (a percent, a ratio), with
    ``digits`` decimals: ``4.0 (3.1~5.0)``."""
    q = _quantiles(q)
    if not all(_ok(q.get(k)) for k in ("p10", "p50", "p90")):
        return ""
    return f"{num(q['p50'], lang, digits)} ({between(num(q['p10'], lang, digits), num(q['p90'], lang, digits), lang)})"


def rng(q: object, lang: str = "en", *, short: bool = False, digits: int = 0) -> str:
    """A median with its 80% range: people (``digits=0``, rounded, :func:`people_range`; ``short``: the
    sentence form with 만) or a quantity with ``digits`` decimals (:func:`decimal_range`)."""
    return people_range(q, lang, prose=short) if digits == 0 else decimal_range(q, lang, digits)


def signed(value: float, lang: str = "en", *, short: bool = False) -> str:
    """A change in people with its sign, rounded (``+5,400``, ``−3,200``); ``short``: 만 in Korean."""
    text = people(abs(value), lang, prose=short)
    if rounded(value) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def pct(value: object, lang: str = "en", digits: int = 1) -> str:
    """A value already in percent, with ``digits`` decimals and no space before the sign (``10.0%``)."""
    return "" if not _ok(value) else num(value, lang, digits) + "%"


def share(value: object, lang: str = "en") -> str:
    """A 0–1 share as a percent, as given and up to one decimal of a percent: ``0.04`` → ``4%``,
    ``0.193`` → ``19.3%``, ``0.0025`` → ``0.25%`` (two decimals only under 1%)."""
    if not _ok(value):
        return ""
    v = 100 * float(value)
    return _decimal(v, lang, 2, "#,##0.##" if abs(v) < 1 else "#,##0.#") + "%"


def by_unit(value: object, unit: str, lang: str = "en") -> str:
    """An assumption's value by its unit: shares as percents (:func:`share`), anything else as given."""
    return share(value, lang) if unit in SHARE_UNITS else given(value, lang)


def span_by_unit(low: object, high: object, unit: str, lang: str = "en") -> str:
    """An assumption's range by its unit, the percent sign once: ``3~6%``, ``3 to 6%``, ``45,000~52,000``."""
    if unit in SHARE_UNITS:
        return between(share(low, lang)[:-1], share(high, lang), lang)
    return between(given(low, lang), given(high, lang), lang)


def year(value: object) -> str:
    """A year as an integer (``2027.0`` → ``2027``); text stays text."""
    return str(int(value)) if _ok(value) else ("" if value is None else str(value))


_RANGE_IN_TEXT = re.compile(r"(?<![\w.,/−-])(\d[\d,]*(?:\.\d+)?)[-–](\d[\d,]*(?:\.\d+)?)(?![\d-])")
_SPACE_PERCENT = re.compile(r"(\d) %")


def tidy(text: str, lang: str = "en") -> str:
    """A text written elsewhere (the data's descriptions and rationales) in this number style: no space
    before ``%``, and a range of numbers or years with the language's range sign (``2016-2020`` →
    ``2016~2020``, ``2016 to 2020``)."""
    text = _SPACE_PERCENT.sub(r"\1%", text)
    return _RANGE_IN_TEXT.sub(lambda m: between(m[1], m[2], lang), text)


def spaced(text: str) -> str:
    """A text with a (no-break) space between a number's unit word (:func:`large`: 만) and a unit that
    follows it (``6.5만 명``)."""
    for word in _unit_words():
        text = re.sub(rf"(\d{re.escape(word)})(?=\w)", rf"\g<1>{NBSP}", text)
    return text


def _unit_words() -> list[str]:
    """The unit words the languages write after a count of ten thousands (none in English)."""
    words = (large("", "", lang) for lang in LANGUAGES)
    return [w for w in dict.fromkeys(words) if w.strip()]


def plain(text: str) -> str:
    """``text`` with no-break spaces as spaces and word joiners removed: for chart text, which never
    wraps and is measured by the chart library's own fonts."""
    return text.replace(NBSP, " ").replace(WJ, "")
