"""Korean descriptions of sources and definitions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Adds ``description_ko`` to ``source`` and ``definition``: the Korean edition of ``description``, shown
on Korean pages and in the Korean report. Rows stored before this revision keep their English
description and get an empty Korean one, which readers take as "show the English".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("source", "definition")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("description_ko", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("description_ko")
