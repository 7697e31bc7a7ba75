"""How dataset versions are stored: a version is its parent plus the rows it changed.

Versions form a tree. Every import builds on the active version (its parent); activating an older
version and importing on top of it starts a branch. A version stores only its delta:

- An ``observation`` row carries ``version_id``, the version that wrote it. An import writes the rows
  of the upload that are new or differ from the parent's row for the same series and year; an import
  that changes nothing writes no observation at all.
- The rows of version V are, per (series, year), the row written by the nearest version on V's
  lineage (V, its parent, its parent's parent, … down to the seed). A new version takes
  ``max(id) + 1``, so ids grow along every lineage and "nearest" is "highest id on the lineage". The
  lineage is a recursive query over ``dataset_version.parent_id``; branches need nothing more,
  because a row written on one branch is never on another branch's lineage.
- Imports only add or replace rows (PRODUCT.md §3.3), so no row ever has to be hidden. (Should
  deleting ever be needed, it would be a tombstone row resolved the same way.)
- ``series_summary`` holds each series' list entry (metric, breakdown, unit, first and last year,
  number of points), written by the versions that change the series and resolved the same way;
  ``sector_summary`` holds per version and sector the series and observation counts (a handful of
  rows per version). Sector lists and summaries never read observations; a sector's reads scan only
  that sector's rows through ``ix_observation_sector``.

Versions stay immutable (a new version only adds rows with its own id, which no existing lineage
contains) and each import is one transaction. This module builds the queries that resolve a
version and computes what an import has to write; ``store.py`` runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
from sqlalchemy import CTE, Select, bindparam, exists, select

from talentgap.seeds.vocab import OBSERVATION_COLUMNS

from .schema import DatasetVersion, Observation, SectorSummary, SeriesSummary

KEY = ["series_id", "year"]
SERIES_COLUMNS = ("series_id", "metric", "definition", "occupation", "education", "region", "unit",
                  "first_year", "last_year", "points")
_BREAKDOWN = ("sector", "metric", "definition", "occupation", "education", "region", "unit")


def lineage() -> CTE:
    """The ids of version ``:version`` and all its ancestors (one recursive query over ``parent_id``)."""
    dv = DatasetVersion.__table__
    up = select(dv.c.id, dv.c.parent_id).where(dv.c.id == bindparam("version")).cte("lineage", recursive=True)
    return up.union_all(select(dv.c.id, dv.c.parent_id).join(up, dv.c.id == up.c.parent_id))


def _newest(table, key: tuple[str, ...], where: tuple) -> Select:
    """Rows of ``table`` on ``:version``'s lineage that no higher version on it wrote again for the
    same ``key`` (an anti-join: SQLite probes ``key`` in the index, PostgreSQL hashes or merges)."""
    ids = select(lineage().c.id)
    newer = table.alias("newer")
    shadowed = exists().where(*(newer.c[k] == table.c[k] for k in key), newer.c.version_id > table.c.version_id,
                              newer.c.version_id.in_(ids))
    return select(table).where(table.c.version_id.in_(ids), ~shadowed, *where)


# The statements are built once and take their values as bound parameters at execution: building
# and hashing them again costs more than running them on a small dataset.
@cache
def observations_query(*, by_sector: bool = False, by_series: bool = False) -> Select:
    """Every observation of ``:version`` in the long format, ordered by sector, series and year; of
    sector ``:sector`` if ``by_sector``, and of the series in the list ``:series_ids`` if ``by_series``
    (give both: the index leads with the sector)."""
    t = Observation.__table__
    where = ((t.c.sector == bindparam("sector"),) if by_sector else ()) + (
        (t.c.series_id.in_(bindparam("series_ids", expanding=True)),) if by_series else ())
    rows = _newest(t, ("sector", "series_id", "year"), where)
    return rows.with_only_columns(*(t.c[c] for c in OBSERVATION_COLUMNS)).order_by(t.c.sector, t.c.series_id, t.c.year)


@cache
def series_query() -> Select:
    """The list entry of every series of sector ``:sector`` in ``:version`` (columns ``SERIES_COLUMNS``),
    unordered: sorting thousands of ids under PostgreSQL's locale collation costs more than the query."""
    t = SeriesSummary.__table__
    rows = _newest(t, ("sector", "series_id"), (t.c.sector == bindparam("sector"),))
    return rows.with_only_columns(*(t.c[c] for c in SERIES_COLUMNS))


@cache
def sector_counts_query() -> Select:
    """Per sector of ``:version``: its number of series and of observations."""
    t = SectorSummary.__table__
    return (select(t.c.sector, t.c.series, t.c.observations).where(t.c.version_id == bindparam("version"))
            .order_by(t.c.sector))


@dataclass(frozen=True)
class Delta:
    """What an import writes: the rows that differ from its parent, and the summaries they change."""

    rows: pd.DataFrame  # observations to store under the new version
    series: list[dict]  # series_summary rows (without version_id) of every series with a stored row
    sectors: dict[str, tuple[int, int]]  # sector -> (series, observations) of the new version
    added: int  # (series, year) keys the parent did not have
    replaced: int  # keys the parent had (changed or not)
    row_count: int  # observations of the new version


def plan_delta(base: pd.DataFrame, upload: pd.DataFrame, *, parent_sectors: dict[str, tuple[int, int]],
               parent_rows: int) -> Delta:
    """The delta of a new version: ``upload`` (typed long rows, one per series and year) on top of a
    parent whose rows of the upload's series are ``base`` and whose sector counts are ``parent_sectors``.
    """
    upload = upload[list(OBSERVATION_COLUMNS)].reset_index(drop=True)
    joined = upload.merge(base[list(OBSERVATION_COLUMNS)], on=KEY, how="left", suffixes=("", "_base"),
                          indicator=True)
    known = (joined["_merge"] == "both").to_numpy()
    same = known.copy()
    for col in (c for c in OBSERVATION_COLUMNS if c not in KEY):
        same &= (joined[col] == joined[f"{col}_base"]).to_numpy()
    rows = upload[~same]
    merged = pd.concat([base, upload], ignore_index=True).drop_duplicates(KEY, keep="last")
    series = summarise_series(merged[merged["series_id"].isin(set(rows["series_id"]))])

    sectors = dict(parent_sectors)
    new_keys = upload[~known].groupby("sector").size()
    new_series = upload[~upload["series_id"].isin(set(base["series_id"]))].groupby("sector")["series_id"].nunique()
    for sector in set(new_keys.index) | set(new_series.index):
        n_series, n_obs = sectors.get(sector, (0, 0))
        sectors[sector] = (n_series + int(new_series.get(sector, 0)), n_obs + int(new_keys.get(sector, 0)))
    added = int((~known).sum())
    return Delta(rows, series, sectors, added, len(upload) - added, parent_rows + added)


def summarise_series(frame: pd.DataFrame) -> list[dict]:
    """One ``series_summary`` row per series of ``frame`` (all of each series' rows in one version)."""
    if frame.empty:
        return []
    grouped = frame.groupby("series_id", sort=True)
    out = grouped[list(_BREAKDOWN)].first()
    out["first_year"] = grouped["year"].min()
    out["last_year"] = grouped["year"].max()
    out["points"] = grouped["year"].size()
    records = out.reset_index().to_dict("records")
    for rec in records:
        for col in ("first_year", "last_year", "points"):
            rec[col] = int(rec[col])
    return records
