"""Validation of observation rows, shared by the seed loader and by uploads.

Input is a table of text cells as read from a CSV or XLSX file; output is a typed frame plus the list
of every problem found, each naming the row (as a spreadsheet shows it: the header is row 1) and the
column. Nothing is dropped silently: a file with any problem is rejected whole by its caller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from talentgap.i18n import Message, localize, msg

from .domains import domain_problem
from .vocab import EDUCATION, METRICS, OBSERVATION_COLUMNS, REQUIRED_COLUMNS, SECTORS, UNITS, resolve

SLUG = re.compile(r"^[a-z0-9][a-z0-9_]*$")
#: A Hangul syllable: a Korean edition of a text holds at least one.
HANGUL = re.compile(r"[\uac00-\ud7a3]")
YEAR_RANGE = (1950, 2100)
BREAKDOWNS = ("occupation", "education", "region")
#: The columns that identify a series: every row of a series shares them.
SERIES_KEY = ("sector", "metric", "definition", *BREAKDOWNS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by row and column (row 0 = the file as a whole)."""

    row: int
    column: str
    message: str
    got: str | None = None

    def __str__(self) -> str:
        return self.in_lang("en")

    def in_lang(self, lang: str) -> str:
        """Where (row and column), what, and the value received, in ``lang`` (the errors catalogue)."""
        got = None if self.got is None else _show(localize(self.got, lang))
        p = {"row": self.row, "column": self.column, "message": self.message}
        if self.column == "file":
            text = msg("problem.file", **p) if got is None else msg("problem.file_got", got=got, **p)
        elif self.row:
            text = msg("problem.cell", **p) if got is None else msg("problem.cell_got", got=got, **p)
        else:
            text = msg("problem.column", **p) if got is None else msg("problem.column_got", got=got, **p)
        return text.in_lang(lang)


#: Longest received value a message echoes; longer ones are cut and marked with their length.
ECHO_LIMIT = 200


def _show(text: str, limit: int = ECHO_LIMIT) -> str:
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}…(cut, {len(text):,} characters)"


def cut(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` for a message: at most ``limit`` characters, marked when cut (``abc…(cut, 9 characters)``)."""
    return text if len(text) <= limit else f"{text[:limit]}…(cut, {len(text):,} characters)"


def korean_text_problem(column: str, text: str) -> str | None:
    """Why ``text`` cannot be the Korean edition in ``column`` (blank, or without Hangul); ``None`` if it can."""
    if not text.strip():
        return f"{column} is blank: every text needs its Korean edition"
    if not HANGUL.search(text):
        return f"{column} holds no Korean (got {cut(text, 60)!r})"
    return None


def series_id_for(sector: str, metric: str, definition: str, occupation: str = "",
                  education: str = "", region: str = "") -> str:
    """The canonical series id: ``sector.metric.definition[.occupation][.education][.region]``."""
    return ".".join(p for p in (sector, metric, definition, occupation, education, region) if p)


def canonical_header(name: str) -> str | None:
    """Map a header cell (English id or Korean alias, any case, BOM and spaces ignored) to a column."""
    key = name.replace("\ufeff", "").strip().lower().replace(" ", "")
    for column, aliases in OBSERVATION_COLUMNS.items():
        if key == column or key in {a.lower() for a in aliases}:
            return column
    return None


def validate_observations(
    raw: pd.DataFrame,
    *,
    known_sources: Iterable[str],
    first_row: int = 2,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type a table of observation rows.

    ``raw`` holds text cells with canonical column names (see :func:`canonical_header`); blank cells
    are empty strings. ``first_row`` is the row number of ``raw``'s first row in the file. Returns
    the typed frame (``year`` int, ``value`` float, ids resolved from Korean labels) and the problems,
    row by row in the order of the checks, then the series' unit clashes. The frame is only
    meaningful when the problem list is empty.

    Every check runs once per distinct text of its column and is spread over the rows by a lookup (a
    200,000-row upload holds a few hundred distinct sectors, units and years), so validation costs
    little more than reading the columns.
    """
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    for c in missing:
        problems.append(Problem(0, c, msg("validate.column_missing"), got=", ".join(map(str, raw.columns))))
    if missing:
        return raw, problems

    n = len(raw)
    text = {c: ([str(v).strip() for v in raw[c]] if c in raw.columns else [""] * n) for c in OBSERVATION_COLUMNS}
    found: list[tuple[int, int, Problem]] = []  # (index, check order, problem): sorted row by row at the end

    def flag(order: int, column: str, rows: Iterable[int], message: str, got: list[str] | None = None) -> None:
        cells = text[column] if got is None else got
        found.extend((i, order, Problem(first_row + i, column, message, got=cells[i])) for i in rows)

    resolved: dict[str, list[str]] = {}
    for order, (col, vocab, unknown) in enumerate((
            ("sector", SECTORS, msg("validate.unknown_sector", choices=", ".join(SECTORS))),
            ("metric", METRICS, msg("validate.unknown_metric", choices=", ".join(METRICS))),
            ("unit", UNITS, msg("validate.unknown_unit", choices=", ".join(UNITS))),
            ("education", EDUCATION, msg("validate.unknown_education", choices=", ".join(EDUCATION))))):
        ids = {v: (resolve(vocab, v) if v or col != "education" else "") for v in set(text[col])}
        flag(order, col, (i for i, v in enumerate(text[col]) if ids[v] is None), unknown)
        resolved[col] = [r if (r := ids[v]) is not None else v for v in text[col]]
    for order, col in enumerate(("definition", "occupation", "region"), start=4):
        ok = {v: bool(SLUG.match(v)) or (not v and col != "definition") for v in set(text[col])}
        flag(order, col, (i for i, v in enumerate(text[col]) if not ok[v]), msg("validate.not_slug"))
    year_of = {v: _parse_year(v) for v in set(text["year"])}
    years = [year_of[v] for v in text["year"]]
    flag(7, "year", (i for i, y in enumerate(years) if y is None),
         msg("validate.bad_year", low=YEAR_RANGE[0], high=YEAR_RANGE[1]))
    value_of = {v: _parse_number(v) for v in set(text["value"])}
    values = [value_of[v] for v in text["value"]]
    flag(8, "value", (i for i, v in enumerate(values) if v is None), msg("validate.bad_value"))
    # a value the metric cannot take (a negative count, a share over 100 %), told once per distinct case
    outside: dict[tuple[str, str, float], Message | None] = {}
    for i, (metric, unit, value) in enumerate(zip(resolved["metric"], resolved["unit"], values)):
        if value is None:
            continue
        case = (metric, unit, value)
        if case not in outside:
            outside[case] = domain_problem(metric, unit, value)
        if (why := outside[case]) is not None:
            found.append((i, 8, Problem(first_row + i, "value", why, got=text["value"][i])))
    sources = set(known_sources)
    src = text["source_id"]
    flag(9, "source_id", (i for i, s in enumerate(src) if not s), msg("validate.source_required"))
    flag(9, "source_id", (i for i, s in enumerate(src) if s and s not in sources), msg("validate.unknown_source"))

    # a series id must match its (resolved) key columns; one left blank is filled in
    expected = [series_id_for(*parts) for parts in zip(*(resolved.get(c, text[c]) for c in SERIES_KEY))]
    troubled = {i for i, _, _ in found}
    series = text["series_id"]
    for i, (sid, want) in enumerate(zip(series, expected)):
        if sid and sid != want and i not in troubled:
            found.append((i, 10, Problem(first_row + i, "series_id",
                                         msg("validate.series_id_mismatch", expected=repr(want)), got=sid)))
    series = [sid or want for sid, want in zip(series, expected)]

    first: dict[tuple[str, int], int] = {}
    for i, (sid, year) in enumerate(zip(series, years)):
        if year is None:
            continue
        seen = first.setdefault((sid, year), first_row + i)
        if seen != first_row + i:
            found.append((i, 11, Problem(first_row + i, "year", msg("validate.duplicate_year", row=seen,
                                                                  series=repr(sid)), got=str(year))))
    problems.extend(p for _, _, p in sorted(found, key=lambda f: (f[0], f[1])))

    out = pd.DataFrame({c: resolved.get(c, text[c]) for c in OBSERVATION_COLUMNS}, index=raw.index, dtype=object)
    out["series_id"] = pd.Series(series, index=raw.index, dtype=object)
    out["year"] = pd.Series([y if y is not None else 0 for y in years], index=raw.index, dtype="int64")
    out["value"] = pd.Series([v if v is not None else math.nan for v in values], index=raw.index, dtype="float64")
    problems.extend(check_series_consistency(out, first_row=first_row))
    return out, problems


def check_series_consistency(frame: pd.DataFrame, *, first_row: int = 2) -> list[Problem]:
    """Every row of a series must share its unit (the key columns are in the series id itself)."""
    problems: list[Problem] = []
    first_unit: dict[str, tuple[str, int]] = {}
    for i, (sid, unit) in enumerate(zip(frame["series_id"], frame["unit"])):
        if sid in first_unit and first_unit[sid][0] != unit:
            u, r = first_unit[sid]
            problems.append(Problem(first_row + i, "unit", msg("validate.unit_differs", series=repr(sid), unit=repr(u),
                                                                  row=r), got=unit))
        first_unit.setdefault(sid, (unit, first_row + i))
    return problems


def _parse_year(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        return None
    return int(number)


def _parse_number(text: str) -> float | None:
    try:
        number = float(text.replace(",", "")) if text else None
    except ValueError:
        return None
    if number is None or not math.isfinite(number):
        return None
    return number
