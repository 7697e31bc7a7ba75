"""The schema as it was before migrations: one full copy of the observations per dataset version.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

Databases made before Alembic have exactly these tables and no ``alembic_version``; opening one
stamps it with this revision and upgrades it from here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dataset_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("origin", sa.String(400), nullable=False),
        sa.Column("parent_id", sa.Integer, nullable=True),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("added_rows", sa.Integer, nullable=False),
        sa.Column("replaced_rows", sa.Integer, nullable=False),
    )
    op.create_table(
        "source",
        sa.Column("source_id", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("lines", sa.String(200), nullable=False),
        sa.Column("publisher", sa.String(200), nullable=False),
        sa.Column("published", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_table(
        "definition",
        sa.Column("sector", sa.String(40), primary_key=True),
        sa.Column("definition", sa.String(120), primary_key=True),
        sa.Column("label_en", sa.String(300), nullable=False),
        sa.Column("label_ko", sa.String(300), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_table(
        "scenario",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("base", sa.String(20), nullable=False),
        sa.Column("levers", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "stored_result",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("dataset_version", sa.Integer, nullable=False),
        sa.Column("model_version", sa.String(60), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("kind", "key", "dataset_version", "model_version"),
    )
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("dataset_version", sa.Integer, nullable=True),
        sa.Column("model_version", sa.String(60), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("directory", sa.Text, nullable=False),
        sa.Column("schedule", sa.String(120), nullable=False),
    )
    op.create_table(
        "schedule",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("cron", sa.String(120), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("next_run_at", TZ, nullable=False),
        sa.Column("running_since", TZ, nullable=True),
        sa.Column("last_run_at", TZ, nullable=True),
        sa.Column("last_status", sa.String(20), nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("last_report_id", sa.String(40), nullable=False),
    )
    op.create_table(
        "active_dataset",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_version.id"), nullable=False),
    )
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_version.id"), nullable=False),
        sa.Column("series_id", sa.String(300), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("metric", sa.String(60), nullable=False),
        sa.Column("definition", sa.String(120), nullable=False),
        sa.Column("occupation", sa.String(120), nullable=False),
        sa.Column("education", sa.String(40), nullable=False),
        sa.Column("region", sa.String(120), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(120), sa.ForeignKey("source.source_id"), nullable=False),
        sa.UniqueConstraint("version_id", "series_id", "year"),
    )
    op.create_index("ix_observation_version_sector", "observation", ["version_id", "sector"])


def downgrade() -> None:
    for table in ("observation", "active_dataset", "schedule", "report", "api_key", "stored_result", "scenario",
                  "definition", "source", "dataset_version"):
        op.drop_table(table)
