"""The number style (api/render/numbers.py), rule by rule, over every formatter the module offers."""

from __future__ import annotations

import inspect
import re

import pytest
from hypothesis import given as hyp_given
from hypothesis import settings
from hypothesis import strategies as st

from talentgap.api.render import numbers as n

NBSP, WJ, MINUS = "\u00a0", "\u2060", "\u2212"


def q(p10: float, p50: float, p90: float) -> dict:
    return {"p10": p10, "p50": p50, "p90": p90}


#: One call of every public formatter, in both languages (the rules below run over all of them).
FORMATTERS = {
    "num": lambda v, lang: n.num(v, lang),
    "given": lambda v, lang: n.given(v, lang),
    "people": lambda v, lang: n.people(v, lang),
    "compact": lambda v, lang: n.compact(v, lang),
    "people_range": lambda v, lang: n.people_range(q(v * 0.6, v, v * 1.7), lang, prose=True),
    "decimal_range": lambda v, lang: n.decimal_range(q(v / 1e4, v / 9e3, v / 8e3), lang, 1),
    "rng": lambda v, lang: n.rng(q(v - 2000, v, v + 9000), lang),
    "signed": lambda v, lang: n.signed(v, lang),
    "pct": lambda v, lang: n.pct(v / 1e4, lang),
    "share": lambda v, lang: n.share(v / 1e6, lang),
    "by_unit": lambda v, lang: n.by_unit(v / 1e6, "share", lang),
    "span_by_unit": lambda v, lang: n.span_by_unit(v / 2e6, v / 1e6, "share per year", lang),
    "between": lambda v, lang: n.between(n.people(v, lang), n.people(2 * v, lang), lang),
    "years": lambda v, lang: n.years(2025, 2035, lang),
    "year": lambda v, lang: n.year(2027.0),
    "rounded": lambda v, lang: n.num(n.rounded(v), lang),
    "tidy": lambda v, lang: n.tidy(f"{n.num(v, lang)} 2016-2020 4.3 %", lang),
    "spaced": lambda v, lang: n.spaced(n.people(v, lang) + "명"),
    "plain": lambda v, lang: n.plain(n.rng(q(v, v, v), lang)),
    "large": lambda v, lang: n.large(n.num(n.rounded(v), lang), n.given(v / 1e4, lang), lang),
}


def test_every_public_formatter_is_under_the_rules():
    public = {name for name, fn in inspect.getmembers(n, inspect.isfunction)
              if fn.__module__ == n.__name__ and not name.startswith("_")}
    assert public == set(FORMATTERS), "a formatter added to numbers.py needs its line in FORMATTERS"


@settings(max_examples=60, deadline=None)
@hyp_given(st.floats(min_value=-5e6, max_value=5e6, allow_nan=False), st.sampled_from(["ko", "en"]),
           st.sampled_from(sorted(FORMATTERS)))
def test_rules_hold_for_every_formatter(value, lang, name):
    text = FORMATTERS[name](value, lang)
    assert " %" not in text and f"{NBSP}%" not in text, f"{name}: a space before %: {text!r}"
    assert not re.search(r"(?<![\w(])-\d", text), f"{name}: a hyphen as minus: {text!r}"
    assert not re.search(r"\d(\.\d)?[KM]\b", text), f"{name}: K or M for thousands: {text!r}"
    assert "–" not in text, f"{name}: an en dash as range sign: {text!r}"
    if lang == "ko":
        assert " to " not in text and f"{NBSP}to{NBSP}" not in text, f"{name}: English range sign: {text!r}"
    else:
        assert "~" not in text and "만" not in text, f"{name}: Korean range sign or unit: {text!r}"
    if name != "plain":  # nothing breaks inside a number or a range: only the space before a bracket is plain
        assert " " not in text.replace(" (", "").replace(" 2016", "").replace(" 4.3", ""), \
            f"{name}: a breakable space inside: {text!r}"


@pytest.mark.parametrize("value,expected", [
    (7, 7), (94.6, 95), (123, 120), (987, 990), (7583, 7600), (12345, 12300), (99_949, 99_900),
    (123_395, 123_000), (1_234_567, 1_235_000), (-1834, -1800), (0.4, 0)], ids=lambda v: str(v))
def test_people_are_rounded_to_what_the_data_support(value, expected):
    assert n.rounded(value) == expected


@pytest.mark.parametrize("value,lang,prose,expected", [
    (181308, "ko", True, "18.1만"), (58123, "ko", True, "5.8만"), (7583, "ko", True, "7,600"),
    (100000, "ko", True, "10만"), (1_234_567, "ko", True, "123만"), (-15400, "ko", True, "−1.5만"),
    (181308, "en", True, "181,000"), (98_800, "en", True, "98,800"), (42, "en", True, "42"),
    (181308, "ko", False, "181,000"), (None, "ko", True, ""), (float("nan"), "en", True, "")],
    ids=lambda v: str(v))
def test_people_in_sentences_and_tables(value, lang, prose, expected):
    assert n.people(value, lang, prose=prose) == expected


def test_a_range_is_in_the_unit_of_its_median_with_one_range_sign_per_language():
    assert n.people_range(q(5012.3, 7583.9, 10210.0), "ko") == f"7,600 (5,000{WJ}~{WJ}10,200)"
    assert n.people_range(q(5012.3, 7583.9, 10210.0), "en") == f"7,600 (5,000{NBSP}to{NBSP}10,200)"
    # no false precision in a table either
    assert n.people_range(q(121_833, 123_395, 125_011), "ko") == f"123,000 (122,000{WJ}~{WJ}125,000)"
    # a median under 10,000: the whole range in digits, never "(−1,900~1.6만)"
    assert n.people_range(q(-1_880, 3_700, 16_400), "ko", prose=True) == f"3,700 (−1,900{WJ}~{WJ}16,400)"
    # a median of 10,000 or more: the whole range in 만 in a Korean sentence, digits in English
    assert n.people_range(q(42_000, 65_300, 88_900), "ko", prose=True) == f"6.5만 (4.2만{WJ}~{WJ}8.9만)"
    assert n.people_range(q(46_500, 98_800, 189_200), "en", prose=True) == f"98,800 (46,500{NBSP}to{NBSP}189,000)"
    assert n.rng(q(3.12, 4.04, 5.0), "ko", digits=1) == f"4.0 (3.1{WJ}~{WJ}5.0)"
    assert n.people_range({"p10": None, "p50": 1, "p90": 2}, "ko") == ""


def test_years_signs_percents_and_shares():
    assert n.years(2025, 2035, "ko") == f"2025{WJ}~{WJ}2035" and n.years(2025, 2035, "en") == f"2025{NBSP}to{NBSP}2035"
    assert n.signed(5367, "ko") == "+5,400" and n.signed(-3185, "en") == "−3,200" and n.signed(4, "en") == "+4" and n.signed(0.3, "en") == "0"
    assert n.signed(15_400, "ko", short=True) == "+1.5만"
    assert n.pct(10.0, "en") == "10.0%" and n.pct(4.04, "ko", 0) == "4%"
    assert [n.share(v, "ko") for v in (0.04, 0.193, 0.1, 0.0025, 1)] == ["4%", "19.3%", "10%", "0.25%", "100%"]
    assert n.by_unit(0.04, "share per year", "ko") == "4%" and n.by_unit(49000.0, "persons per year", "ko") == "49,000"
    assert n.span_by_unit(0.03, 0.06, "share per year", "ko") == f"3{WJ}~{WJ}6%"
    assert n.span_by_unit(0.03, 0.06, "share", "en") == f"3{NBSP}to{NBSP}6%"
    assert n.span_by_unit(45000, 52000, "persons", "en") == f"45,000{NBSP}to{NBSP}52,000"


def test_exact_numbers_and_numbers_as_given_have_no_float_artefacts():
    assert n.num(49000.0) == "49,000" and n.num(-0.2) == "0" and n.num(-1234.4) == "−1,234"
    assert n.year(2027.0) == "2027" and n.year("2027") == "2027" and n.year(None) == ""
    assert [n.given(v, "ko") for v in (0.025, 1.7, 10000.0, -0.0)] == ["0.025", "1.7", "10,000", "0"], \
        "assumptions as given: a 1.7 growth ratio is not shown as 2"


def test_texts_from_elsewhere_take_the_style():
    assert n.tidy("6.0 %, 177,000-304,000명, 2016-2020년", "ko") == f"6.0%, 177,000{WJ}~{WJ}304,000명, 2016{WJ}~{WJ}2020년"
    assert n.tidy("growth 2016-2020 of 4.3 %", "en") == f"growth 2016{NBSP}to{NBSP}2020 of 4.3%"
    assert n.tidy("m004-9861, pp.408-417, COVID-19", "ko") == "m004-9861, pp.408-417, COVID-19", "ids and pages stay"
    assert n.spaced("6.5만명/년") == f"6.5만{NBSP}명/년" and n.plain(f"1{NBSP}to{WJ}2") == "1 to2"
