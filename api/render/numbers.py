"""Numbers for people, in Korean and English (Babel's locale data): full numbers with separators for
tables, compact numbers for sentences and cards (Korean ``만``: ``18.1만``), ranges as
``7,600 (5,000~10,200)``, shares as percents and years as integers. No float artefacts: every number
shown goes through one of these functions.
"""

from __future__ import annotations

import math

from babel.numbers import format_compact_decimal, format_decimal

LOCALES = {"ko": "ko_KR", "en": "en_US"}
#: The range dash: Korean writes ``~``, English an en dash.
DASH = {"ko": "~", "en": " to "}
UNIT = {"persons": {"ko": "명", "en": " persons"}, "per_year": {"ko": "명/년", "en": " a year"},
        "pct": {"ko": "%", "en": "%"}}


def _ok(value: object) -> bool:
    return isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value))


def num(value: object, lang: str = "en", digits: int = 0) -> str:
    """A full number with the locale's separators (``181,308``); ``""`` for a missing value.
    ``-0`` never shows."""
    return _decimal(value, lang, digits, "#,##0" + ("." + "0" * digits if digits else ""))


def given(value: object, lang: str = "en") -> str:
    """A number as it was given, up to three decimals and no trailing zeros (``0.025``, ``1.7``,
    ``10,000``): for assumptions, whose values are set by hand."""
    return _decimal(value, lang, 3, "#,##0.###")


def _decimal(value: object, lang: str, digits: int, pattern: str) -> str:
    """``value`` rounded to ``digits`` and written by the Babel ``pattern`` in ``lang``, with a true
    minus sign and never ``-0``; ``""`` for a missing value, a non-number as its text."""
    if not _ok(value):
        return "" if value is None else str(value)
    v = round(float(value), digits) or 0.0
    return format_decimal(v, format=pattern, locale=LOCALES.get(lang, "en_US")).replace("-", "−")


def rounded(value: float) -> float:
    """Two significant figures above 1,000 and whole hundreds below 10,000 (``7,583`` → ``7,600``):
    the precision a forecast's headline can bear."""
    a = abs(value)
    if a >= 100_000:
        return round(value, -3)
    if a >= 1_000:
        return round(value, -2)
    if a >= 100:
        return round(value, -1)
    return round(value)


def compact(value: object, lang: str = "en") -> str:
    """A number for a sentence: Korean ``5.8만`` from 10,000 up and ``7,600`` below it; English
    ``58.1K`` from 10,000 up and ``7,600`` below it."""
    if not _ok(value):
        return ""
    v = float(value)
    if abs(v) >= 10_000:
        text = format_compact_decimal(v, locale=LOCALES.get(lang, "en_US"), fraction_digits=1)
        return text.replace(".0만", "만").replace(".0K", "K").replace(".0M", "M").replace("-", "−")
    return num(rounded(v), lang)


def signed(value: float, lang: str = "en", *, short: bool = False) -> str:
    """A change with its sign (``+500``, ``−3,185``), the minus a real minus sign."""
    text = compact(abs(value), lang) if short else num(abs(value), lang)
    if round(value) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def rng(q: dict, lang: str = "en", *, short: bool = False, digits: int = 0) -> str:
    """A p50 with its p10–p90 range: ``7,600 (5,000~10,200)`` in Korean, ``7,600 (5,000 to 10,200)``
    in English (a dash would read as a minus beside negative numbers); ``short`` uses :func:`compact` numbers."""
    f = (lambda v: compact(v, lang)) if short else (lambda v: num(v, lang, digits))
    return f"{f(q['p50'])} ({f(q['p10'])}{DASH.get(lang, ' to ')}{f(q['p90'])})"


def pct(value: object, lang: str = "en", digits: int = 1) -> str:
    """A percent of a value already in percent (``10.0`` → ``10.0%``)."""
    return "" if not _ok(value) else num(value, lang, digits) + "%"


def year(value: object) -> str:
    """A year as an integer (``2027.0`` → ``2027``); text stays text."""
    return str(int(value)) if _ok(value) else ("" if value is None else str(value))
