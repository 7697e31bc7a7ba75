"""Report errors keep their message id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Adds ``error_id`` to ``report``: the id and parameters of a failed report's message in the ``errors``
catalogue (JSON), so the reports page shows why a report failed in the reader's language. Reports that
failed before this revision keep their English ``error`` only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("error_id", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("error_id")
