"""Sectors as data.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Adds the ``sector`` table: each sector's id, English and Korean names and specification (JSON), with
the dataset versions that added and removed it. Opening the store fills it with the shipped sectors
when it is empty (``data/sectors.py``), so a database upgraded to this revision keeps its five sectors.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sector",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("name_ko", sa.String(200), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("added_version", sa.Integer, nullable=False),
        sa.Column("removed_version", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sector")
