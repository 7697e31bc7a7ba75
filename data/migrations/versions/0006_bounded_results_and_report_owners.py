"""Bounded scratch results and report owners.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

On ``stored_result``: ``kept`` (results of built-in and saved scenarios, backtests and the like are kept
as vintages; a forecast with lever overrides or a skill-gap profile is scratch, held in a bounded pool
and evicted least recently used first) and ``used_at`` (when a scratch result was last served). Results
stored before this revision are kept. On ``report``: ``requested_by``, the name of the key that asked for
a report, so each key's queue can be bounded and its reports cancelled by it; reports made before this
revision have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stored_result") as batch:
        batch.add_column(sa.Column("kept", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("used_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_stored_result_scratch", "stored_result", ["kept", "used_at"])
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("requested_by", sa.String(120), nullable=False, server_default=""))
    op.create_index("ix_report_requested_by", "report", ["requested_by", "status"])


def downgrade() -> None:
    op.drop_index("ix_report_requested_by", table_name="report")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("requested_by")
    op.drop_index("ix_stored_result_scratch", table_name="stored_result")
    with op.batch_alter_table("stored_result") as batch:
        batch.drop_column("used_at")
        batch.drop_column("kept")
