"""Plausibility of an import against the data it extends: a count that jumps a hundredfold (a stock
tenfold) from the same series' nearest other year, or a new series far above anything its sector has
measured in that metric and unit, is refused unless the import says it is meant (an override the new
version's origin records).

The usual cause is a unit slip: thousands entered as persons (×1,000), a figure typed with two extra
zeros (×100). Such a value would also break the forecasts built on it (a log-scale trend fitted to it
runs to 10^16 by 2035), so it is stopped at the door, with the row, the value and the figure it was
compared with. Only counts and amounts of metrics that cannot change sign are checked (changes,
balances and percentages have their own rules in :mod:`talentgap.seeds.domains`).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentgap.i18n import msg
from talentgap.seeds.domains import PERCENT, SIGNED
from talentgap.seeds.validate import Problem

from .lineage import observations_query

#: How many times larger (or smaller) than its reference a value may be. A workforce stock moves
#: slowly (the seeds' largest change between two observed years is under ×3); targets, plans and
#: counts of entrants can move tenfold (the seeds hold ×12.5 over five years).
FACTORS = {"stock": 10.0}
DEFAULT_FACTOR = 100.0
#: What an import's origin says when it was imported past these checks.
OVERRIDE_NOTE = "plausibility checks overridden"


def factor(metric: str) -> float:
    return FACTORS.get(metric, DEFAULT_FACTOR)


def _checked(frame: pd.DataFrame) -> pd.Series:
    return (frame["unit"] != PERCENT) & ~frame["metric"].isin(SIGNED)


def check_import(s: Session, parent: int, upload: pd.DataFrame, base: pd.DataFrame) -> list[Problem]:
    """:func:`implausible` for an import on version ``parent`` (``base``: the parent's rows of the
    upload's series), reading the sector references it needs inside the import's transaction."""
    fresh = upload[_checked(upload) & ~upload["series_id"].isin(set(base["series_id"]))]
    return implausible(upload, base, sector_largest(s, parent, sorted(set(fresh["sector"]))))


def sector_largest(s: Session, version: int, sectors: list[str]) -> pd.DataFrame:
    """The largest value of each metric and unit in each of ``sectors`` in ``version``."""
    out = []
    for sector in sectors:
        rows = observations_query(by_sector=True).subquery()
        query = select(rows.c.metric, rows.c.unit, func.max(rows.c.value)).group_by(rows.c.metric, rows.c.unit)
        out += [(sector, m, u, v) for m, u, v in s.execute(query, {"version": version, "sector": sector})]
    return pd.DataFrame(out, columns=["sector", "metric", "unit", "value"])


def implausible(upload: pd.DataFrame, parent: pd.DataFrame, sector_largest: pd.DataFrame) -> list[Problem]:
    """Problems with ``upload``'s values (typed rows; row ``i`` of the file is index ``i - 2``) against
    ``parent`` (the parent version's rows of the upload's series) and ``sector_largest`` (columns
    ``sector, metric, unit, value``: the largest value of each in the parent).

    A row of a series the parent holds in other years is compared with the nearest of those years
    (both ways: ×factor up or down); a row of a new series only with its sector's largest value of the
    metric and unit (upward: a new breakdown may well be small)."""
    rows = upload[_checked(upload) & (upload["value"] > 0)]
    if rows.empty:
        return []
    rows = rows.assign(file_row=rows.index + 2).sort_values("year", kind="stable")
    history = parent.loc[_checked(parent) & (parent["value"] > 0), ["series_id", "year", "value"]]
    problems: list[Problem] = []
    nearest = pd.DataFrame(columns=["file_row"])
    if not history.empty:
        ref = history.rename(columns={"year": "ref_year", "value": "ref_value"}).sort_values("ref_year")
        ref["ref_year"] = ref["ref_year"].astype("int64")
        rows["year"] = rows["year"].astype("int64")
        # one key type on both sides, whatever string type the frames came with (object or Arrow)
        ref["series_id"] = ref["series_id"].astype(object)
        rows["series_id"] = rows["series_id"].astype(object)
        # the parent's value in the nearest other year of the same series (the row's own year excluded:
        # an import correcting a bad value is compared with its neighbours, not with the value it replaces)
        before = pd.merge_asof(rows, ref, left_on="year", right_on="ref_year", by="series_id",
                               direction="backward", allow_exact_matches=False)
        after = pd.merge_asof(rows, ref, left_on="year", right_on="ref_year", by="series_id",
                              direction="forward", allow_exact_matches=False)
        use_after = before["ref_year"].isna() | ((after["ref_year"] - after["year"]) < (before["year"] - before["ref_year"]))
        nearest = before.where(~use_after, after)
        nearest = nearest[nearest["ref_year"].notna()]
        for r in nearest.itertuples(index=False):
            ratio = r.value / r.ref_value
            limit = factor(r.metric)
            if ratio >= limit or ratio <= 1 / limit:
                problems.append(Problem(int(r.file_row), "value", msg(
                    "plausibility.series_jump", times=_times(ratio), year=int(r.ref_year), reference=r.ref_value,
                    limit=f"{limit:g}"), got=_number(r.value)))
    fresh = rows[~rows["file_row"].isin(set(nearest["file_row"]))]
    if not fresh.empty and not sector_largest.empty:
        joined = fresh.merge(sector_largest.rename(columns={"value": "largest"}), on=["sector", "metric", "unit"])
        for r in joined.itertuples(index=False):
            limit = factor(r.metric)
            if r.largest > 0 and r.value / r.largest >= limit:
                problems.append(Problem(int(r.file_row), "value", msg(
                    "plausibility.sector_jump", times=_times(r.value / r.largest), metric=r.metric, unit=r.unit,
                    largest=r.largest, limit=f"{limit:g}"), got=_number(r.value)))
    return sorted(problems, key=lambda p: p.row)


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}" if ratio >= 10 else f"1/{1 / ratio:,.0f}" if ratio < 0.1 else f"{ratio:.2g}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1 else f"{value:g}"
