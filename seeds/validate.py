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

from talentgap.i18n import localize, msg

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
    the typed frame (``year`` int, ``value`` float, ids resolved from Korean labels) and the problems.
    The frame is only meaningful when the problem list is empty.
    """
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    for c in missing:
        problems.append(Problem(0, c, msg("validate.column_missing"), got=", ".join(map(str, raw.columns))))
    if missing:
        return raw, problems

    sources = set(known_sources)
    out = raw.copy()
    for c in OBSERVATION_COLUMNS:
        if c not in out.columns:
            out[c] = ""
        out[c] = out[c].astype(str).str.strip()
    out = out[list(OBSERVATION_COLUMNS)]
    years: list[int] = []
    values: list[float] = []
    seen: dict[tuple[str, int], int] = {}
    for i, rec in enumerate(out.to_dict("records")):
        row = first_row + i
        problems_before = len(problems)
        def bad(col: str, text: str, row: int = row, rec: dict = rec) -> None:
            problems.append(Problem(row, col, text, got=str(rec[col])))

        for col, vocab, unknown in (("sector", SECTORS, msg("validate.unknown_sector", choices=", ".join(SECTORS))),
                                    ("metric", METRICS, msg("validate.unknown_metric", choices=", ".join(METRICS))),
                                    ("unit", UNITS, msg("validate.unknown_unit", choices=", ".join(UNITS)))):
            resolved = resolve(vocab, rec[col])
            if resolved is None:
                bad(col, unknown)
            else:
                rec[col] = resolved
        if rec["education"]:
            resolved = resolve(EDUCATION, rec["education"])
            if resolved is None:
                bad("education", msg("validate.unknown_education", choices=", ".join(EDUCATION)))
            else:
                rec["education"] = resolved
        for col in ("definition", "occupation", "region"):
            if (rec[col] or col == "definition") and not SLUG.match(rec[col]):
                bad(col, msg("validate.not_slug"))
        year = _parse_year(rec["year"])
        if year is None:
            bad("year", msg("validate.bad_year", low=YEAR_RANGE[0], high=YEAR_RANGE[1]))
        value = _parse_number(rec["value"])
        if value is None:
            bad("value", msg("validate.bad_value"))
        if not rec["source_id"]:
            bad("source_id", msg("validate.source_required"))
        elif rec["source_id"] not in sources:
            bad("source_id", msg("validate.unknown_source"))
        expected = series_id_for(*(rec[c] for c in SERIES_KEY))
        if not rec["series_id"]:
            rec["series_id"] = expected
        elif rec["series_id"] != expected and len(problems) == problems_before:
            bad("series_id", msg("validate.series_id_mismatch", expected=repr(expected)))
        if year is not None:
            key = (rec["series_id"], year)
            if key in seen:
                problems.append(Problem(row, "year", msg("validate.duplicate_year", row=seen[key],
                                                            series=repr(rec["series_id"])), got=str(year)))
            else:
                seen[key] = row
        for col in ("sector", "metric", "unit", "education", "series_id"):
            out.iat[i, out.columns.get_loc(col)] = rec[col]
        years.append(year if year is not None else 0)
        values.append(value if value is not None else math.nan)
    out["year"] = pd.Series(years, index=out.index, dtype="int64")
    out["value"] = pd.Series(values, index=out.index, dtype="float64")
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
