"""Find the numbers a Korean text states, in the forms Korean documents write them.

Used to check that a figure cited to a seed document really appears on the cited lines. Handles
``1,500``, ``12만``, ``1.6만``, ``4천``, ``12만 7,434``, ``2만3000``, ``2,228억`` and ``1조``, plus the
typographic slips seen in the seeds (a period or comma used as the other separator: ``1.000명``,
``1,1만``).
"""

from __future__ import annotations

import math
import re

_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 10**3}
_NUM = r"\d+(?:[.,]\d+)*"
_TOKEN = re.compile(rf"({_NUM})\s*([조억만천])?")


def _readings(digits: str) -> set[float]:
    """Every plausible reading of a digit string with ``.``/``,`` separators."""
    out: set[float] = set()
    plain = digits.replace(",", "")
    try:
        out.add(float(plain))  # comma = thousands, period = decimal
    except ValueError:
        pass
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        out.add(float(digits.replace(".", "")))  # period used as thousands separator
    if re.fullmatch(r"\d+,\d{1,2}", digits):
        out.add(float(digits.replace(",", ".")))  # comma used as decimal point
    return out


def numbers_in(text: str) -> set[float]:
    """Return the set of values the text states, each Korean unit multiplied out.

    A unit-bearing number followed directly by a smaller one (``12만 7,434``, ``2만3000``,
    ``1만 9천``) also yields the sum, since that is one number written in two parts.
    """
    found: set[float] = set()
    tokens = list(_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        scale = _UNITS.get(m.group(2) or "", 1)
        values = {v * scale for v in _readings(m.group(1))}
        found |= values
        if scale > 1 and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            gap = text[m.end() : nxt.start()]
            if gap.strip() == "":
                nscale = _UNITS.get(nxt.group(2) or "", 1)
                if nscale < scale:
                    for a in values:
                        for b in _readings(nxt.group(1)):
                            if b * nscale < scale:
                                found.add(a + b * nscale)
    return found


def states_number(text: str, value: float) -> bool:
    """True when ``value`` is one of the numbers ``text`` states (relative tolerance 1e-9)."""
    return any(math.isclose(value, v, rel_tol=1e-9, abs_tol=1e-9) for v in numbers_in(text))
