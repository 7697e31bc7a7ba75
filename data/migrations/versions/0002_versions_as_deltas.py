"""Dataset versions as deltas: a version stores only the rows it changed, plus stored summaries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Revision 0001 stored a full copy of the observations per version. This revision keeps, per version,
only the rows that differ from its parent's row for the same series and year (see
``talentgap/data/lineage.py``), adds ``dataset_version.stored_rows`` and the ``series_summary`` and
``sector_summary`` tables (filled from the full copies before they are pruned), and replaces the
``(version_id, sector)`` index by ``(sector, series_id, year, version_id)``. The downgrade writes the
full copies back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("series_id", "sector", "metric", "definition", "occupation", "education", "region", "year", "value",
           "unit", "source_id")
SAME = tuple(c for c in COLUMNS if c not in ("series_id", "year"))
BREAKDOWN = ("sector", "metric", "definition", "occupation", "education", "region", "unit")

observation = sa.table("observation", sa.column("id"), sa.column("version_id"), *(sa.column(c) for c in COLUMNS))
version = sa.table("dataset_version", sa.column("id"), sa.column("parent_id"), sa.column("stored_rows"))
series_summary = sa.table("series_summary", sa.column("version_id"), sa.column("series_id"),
                          *(sa.column(c) for c in BREAKDOWN), sa.column("first_year"), sa.column("last_year"),
                          sa.column("points"))
sector_summary = sa.table("sector_summary", sa.column("version_id"), sa.column("sector"), sa.column("series"),
                          sa.column("observations"))


def upgrade() -> None:
    op.add_column("dataset_version", sa.Column("stored_rows", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "series_summary",
        sa.Column("series_id", sa.String(300), primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_version.id"), primary_key=True),
        *(sa.Column(c, sa.String(n), nullable=False) for c, n in zip(BREAKDOWN, (40, 60, 120, 120, 40, 120, 40))),
        sa.Column("first_year", sa.Integer, nullable=False),
        sa.Column("last_year", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
    )
    op.create_index("ix_series_summary_sector", "series_summary", ["sector", "series_id", "version_id"])
    op.create_table(
        "sector_summary",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_version.id"), primary_key=True),
        sa.Column("sector", sa.String(40), primary_key=True),
        sa.Column("series", sa.Integer, nullable=False),
        sa.Column("observations", sa.Integer, nullable=False),
    )
    bind = op.get_bind()
    o = observation.alias("o")
    # counts per version and sector, from the full copies
    bind.execute(sector_summary.insert().from_select(
        ["version_id", "sector", "series", "observations"],
        sa.select(o.c.version_id, o.c.sector, sa.func.count(sa.distinct(o.c.series_id)), sa.func.count())
        .group_by(o.c.version_id, o.c.sector)))
    # rows equal to the parent's row for the same series and year: resolved through the parent from now on
    redundant = op.create_table("migration_0002_redundant", sa.Column("id", sa.Integer, primary_key=True))
    p = observation.alias("p")
    bind.execute(redundant.insert().from_select(["id"], sa.select(o.c.id).select_from(
        o.join(version, version.c.id == o.c.version_id)
        .join(p, sa.and_(p.c.version_id == version.c.parent_id, p.c.series_id == o.c.series_id,
                         p.c.year == o.c.year)))
        .where(*(p.c[c] == o.c[c] for c in SAME))))
    kept = (sa.select(o.c.version_id, o.c.series_id).where(o.c.id.not_in(sa.select(redundant.c.id))).distinct()
            .subquery("kept"))
    # a series' list entry for each version that changed it, from that version's full copy
    bind.execute(series_summary.insert().from_select(
        ["version_id", "series_id", *BREAKDOWN, "first_year", "last_year", "points"],
        sa.select(o.c.version_id, o.c.series_id, *(sa.func.min(o.c[c]) for c in BREAKDOWN), sa.func.min(o.c.year),
                  sa.func.max(o.c.year), sa.func.count())
        .select_from(o.join(kept, sa.and_(kept.c.version_id == o.c.version_id, kept.c.series_id == o.c.series_id)))
        .group_by(o.c.version_id, o.c.series_id)))
    bind.execute(version.update().values(stored_rows=sa.select(sa.func.count()).select_from(observation).where(
        observation.c.version_id == version.c.id,
        observation.c.id.not_in(sa.select(redundant.c.id))).scalar_subquery()))
    bind.execute(observation.delete().where(observation.c.id.in_(sa.select(redundant.c.id))))
    op.drop_table("migration_0002_redundant")
    op.drop_index("ix_observation_version_sector", table_name="observation")
    op.create_index("ix_observation_sector", "observation", ["sector", "series_id", "year", "version_id"])


def downgrade() -> None:
    bind = op.get_bind()
    t = observation
    for (v,) in bind.execute(sa.select(version.c.id).order_by(version.c.id)).all():
        up = sa.select(version.c.id, version.c.parent_id).where(version.c.id == v).cte("lineage", recursive=True)
        up = up.union_all(sa.select(version.c.id, version.c.parent_id).join(up, version.c.id == up.c.parent_id))
        rank = sa.func.row_number().over(partition_by=(t.c.series_id, t.c.year), order_by=t.c.version_id.desc())
        rows = sa.select(t, rank.label("newest")).where(t.c.version_id.in_(sa.select(up.c.id))).subquery()
        bind.execute(t.insert().from_select(["version_id", *COLUMNS], sa.select(
            sa.literal(v), *(rows.c[c] for c in COLUMNS)).where(rows.c.newest == 1, rows.c.version_id != v)))
    op.drop_index("ix_observation_sector", table_name="observation")
    op.create_index("ix_observation_version_sector", "observation", ["version_id", "sector"])
    op.drop_table("sector_summary")
    op.drop_index("ix_series_summary_sector", table_name="series_summary")
    op.drop_table("series_summary")
    op.drop_column("dataset_version", "stored_rows")
