"""How a problem echoes what it received: short values whole, long ones cut and marked."""

from __future__ import annotations

import pytest

from talentgap.seeds.validate import ECHO_LIMIT, Problem, cut


@pytest.mark.parametrize("length", [0, 1, ECHO_LIMIT], ids=lambda n: f"n={n}")
def test_values_up_to_the_limit_are_echoed_whole(length):
    assert str(Problem(3, "region", "is wrong", "r" * length)) == f"row 3, column region: is wrong (got {'r' * length!r})"


def test_a_long_value_is_cut_and_marked_with_its_length():
    text = str(Problem(3, "region", "is wrong", "r" * 100_000))
    assert text == f"row 3, column region: is wrong (got {'r' * ECHO_LIMIT!r}…(cut, 100,000 characters))"


def test_cut_marks_only_what_it_cuts():
    assert cut("abc", 3) == "abc"
    assert cut("abcd", 3) == "abc…(cut, 4 characters)"
