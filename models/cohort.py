"""Graduate supply carried forward with the birth cohort that graduates in each year.

Graduates of a sector's feeder fields at education level ``L`` in year ``t``::

    graduates[L, t] = graduates(y0) · share[L] · births(t − age[L]) / births(y0 − age[L]) · (1 + g)^(min(t, until) − y0)

``y0`` is the year the graduate figures describe, ``age[L]`` the typical graduation age at level ``L``
(named assumptions ``graduation_age.<level>`` with ranges, rounded to whole years per draw), ``share[L]``
the level's share of the feeder fields' graduates (``supply_share.<level>``) and ``g`` the annual change
of the fields' share of each cohort (``field_share_trend``, applied up to ``until``). The cohort ratio is
the *cohort index*: the method by which BLS, KEIS and Cedefop carry supply with population projections.

Births come from ``seeds/population/`` (Statistics Korea). Cohorts without a published figure inside the
published range are interpolated log-linearly; cohorts born after the last published year are held at
that year's births. Both are reported by :meth:`Births.notes`, for the forecast's notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.i18n import Listing, Message, msg, note

#: Typical graduation age by level (years), used where a sector's assumptions name none; the
#: ``graduation_age.<level>`` assumptions in assumptions.csv carry the ranges. Master's/PhD together
#: (``master_phd``) is weighted towards master's, who are most of the combined count.
GRADUATION_AGE = {"high_school": 18, "junior_college": 21, "bachelor": 23, "master": 26, "phd": 31,
                  "master_phd": 27}


class CohortInputError(TalentgapError, ValueError):
    """Births that cannot index cohorts (empty, non-positive, duplicate years)."""

    code = "cohort.bad_input"


@dataclass(frozen=True)
class Births:
    """Births per cohort year over a contiguous range, with the years that were filled in."""

    first: int
    values: np.ndarray  # births of first, first + 1, ...
    interpolated: frozenset[int]
    source_ids: tuple[str, ...] = ()

    @property
    def last(self) -> int:
        return self.first + len(self.values) - 1

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Births:
        """From ``year, value`` rows (``source_id`` optional); gaps are filled log-linearly."""
        if frame.empty:
            raise CohortInputError(msg("cohort.no_births"))
        years = frame["year"].astype(int).to_numpy()
        values = frame["value"].astype(float).to_numpy()
        if len(set(years)) != len(years):
            raise CohortInputError(msg("cohort.year_twice"))
        if not (np.isfinite(values).all() and (values > 0).all()):
            raise CohortInputError(msg("cohort.not_positive"))
        order = np.argsort(years)
        years, values = years[order], values[order]
        full = np.arange(years[0], years[-1] + 1)
        filled = np.exp(np.interp(full, years, np.log(values)))
        filled[years - years[0]] = values  # published figures exactly, not through exp(log(...))
        sources = tuple(sorted(set(frame["source_id"]))) if "source_id" in frame else ()
        return cls(int(years[0]), filled, frozenset(int(y) for y in set(full) - set(years)), sources)

    def of(self, cohorts: np.ndarray) -> np.ndarray:
        """Births of the given cohort years (any shape); outside the range the nearest end is held."""
        idx = np.clip(np.asarray(cohorts, dtype=int) - self.first, 0, len(self.values) - 1)
        return self.values[idx]

    def notes(self, cohorts: Iterable[int]) -> list[Message]:
        """Say which of ``cohorts`` were interpolated or held beyond the published years."""
        cohorts = sorted(set(int(c) for c in cohorts))
        out = []
        inter = [c for c in cohorts if c in self.interpolated]
        if inter:
            out.append(note("births.interpolated", cohorts=_years(inter)))
        after = [c for c in cohorts if c > self.last]
        if after:
            out.append(note("births.after", cohorts=_years(after), year=self.last, births=float(self.values[-1])))
        before = [c for c in cohorts if c < self.first]
        if before:
            out.append(note("births.before", year=self.first, cohorts=_years(before), births=float(self.values[0])))
        return out


def _years(years: list[int]) -> str:
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


@dataclass(frozen=True)
class CohortSupply:
    """How a sector's graduates follow the cohorts: the year its graduate figures describe, its levels,
    the births and the last year the field-share trend applies (``None``: every year)."""

    graduates_year: int
    levels: tuple[str, ...]
    births: Births
    trend_until: int | None = None


def cohort_index(births: Births, years: np.ndarray, ages: np.ndarray, graduates_year: int) -> np.ndarray:
    """``births(t − age) / births(y0 − age)``, shape ``(len(ages), len(years))`` (ages: one per draw)."""
    ages = np.asarray(ages, dtype=int)
    now = births.of(np.asarray(years)[None, :] - ages[:, None])
    base = births.of(graduates_year - ages)
    return now / base[:, None]


def graduates_by_level(cohorts: CohortSupply, years: np.ndarray, total: np.ndarray, shares: dict[str, np.ndarray],
                       ages: dict[str, np.ndarray], trend: np.ndarray) -> dict[str, np.ndarray]:
    """Graduates per level and year, each ``(draws, years)``.

    ``total`` (draws,): feeder-field graduates in ``graduates_year``; ``shares`` per level (draws,), which
    are normalised to add up to 1 in every draw; ``ages`` per level (draws,), rounded to whole years;
    ``trend`` (draws,): the annual change of the fields' share of each cohort.
    """
    years = np.asarray(years)
    norm = sum(shares[level] for level in cohorts.levels)
    until = years if cohorts.trend_until is None else np.minimum(years, cohorts.trend_until)
    growth = (1 + trend[:, None]) ** (until - cohorts.graduates_year)[None, :]
    out = {}
    for level in cohorts.levels:
        index = cohort_index(cohorts.births, years, np.rint(ages[level]), cohorts.graduates_year)
        out[level] = (total * shares[level] / norm)[:, None] * index * growth
    return out


def _central_age(level: str, assumptions: dict) -> int:
    a = assumptions.get(f"graduation_age.{level}")
    return round(a.value) if a else GRADUATION_AGE[level]


def supply_notes(cohorts: CohortSupply, assumptions: dict, draws: dict) -> list[Message]:
    """Notes saying which cohorts each level's graduates come from, and which births were filled in."""
    years = draws["years"]
    total = assumptions.get("graduates_per_year")
    parts = []
    used: set[int] = set()
    for level in cohorts.levels:
        age = _central_age(level, assumptions)
        a = assumptions.get(f"graduation_age.{level}")
        lo, hi = (round(a.low), round(a.high)) if a else (age, age)
        used.update(int(y) - k for y in years for k in range(lo, hi + 1))
        used.update(cohorts.graduates_year - k for k in range(lo, hi + 1))
        first, last = int(years[0]) - age, int(years[-1]) - age
        index = cohort_index(cohorts.births, np.array([years[0], years[-1]]), np.array([age]), cohorts.graduates_year)[0]
        parts.append(note("supply.level_cohorts", education=level, first_year=int(years[0]), last_year=int(years[-1]),
                          first_cohort=first, last_cohort=last, age=age, index_first=float(index[0]),
                          index_last=float(index[1]), year=cohorts.graduates_year))
    levels = Listing(parts, sep="; ")
    head = (note("supply.cohorts_total", year=cohorts.graduates_year, total=total.value, levels=levels) if total
            else note("supply.cohorts", year=cohorts.graduates_year, levels=levels))
    notes = [head]
    trend = assumptions.get("field_share_trend")
    if trend and (trend.value or trend.high > trend.low):
        shares = {"trend": trend.value, "low": trend.low, "high": trend.high}
        notes.append(note("supply.field_share_trend_until", **shares, year=cohorts.trend_until) if cohorts.trend_until
                     else note("supply.field_share_trend", **shares))
    notes.extend(note("supply.births", note=n) for n in cohorts.births.notes(used))
    return notes


def cohort_table(cohorts: CohortSupply | None, draws: dict, assumptions: dict) -> list[dict]:
    """Per level and year: the birth cohort (at the central age), its births, the cohort index and the
    p50 graduates and entrants, for tables and charts. Empty without cohort supply."""
    if cohorts is None:
        return []
    years = draws["years"]
    out = []
    for level in cohorts.levels:
        age = _central_age(level, assumptions)
        index = cohort_index(cohorts.births, years, np.array([age]), cohorts.graduates_year)[0]
        grads = np.median(draws["graduates_by_level"][level], axis=0)
        entrants = np.median(draws["entrants_by_level"][level], axis=0)
        out.append({"education": level, "graduation_age": age, "graduates_year": cohorts.graduates_year,
                    "by_year": [{"year": int(y), "cohort": int(y) - age,
                                 "births": float(cohorts.births.of(np.array([int(y) - age]))[0]),
                                 "births_filled": (int(y) - age) in cohorts.births.interpolated
                                 or int(y) - age > cohorts.births.last,
                                 "cohort_index": float(i), "graduates_p50": float(g), "entrants_p50": float(e)}
                                for y, i, g, e in zip(years, index, grads, entrants)]})
    return out
