"""Web UI sessions and report job heartbeats.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Adds ``ui_session`` (the cookie holds a session id, never the API key; a session carries its CSRF
token) and, on ``report``, the ``worker`` that runs a job and its ``heartbeat_at``, so a job whose
process died is found and failed instead of staying ``running`` forever. Jobs left queued or running
by a service stopped before this revision have no heartbeat and are failed at the next start.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ui_session",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("key_id", sa.Integer, sa.ForeignKey("api_key.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ui_session_key_id", "ui_session", ["key_id"])
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("worker", sa.String(120), nullable=False, server_default=""))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("worker")
    op.drop_index("ix_ui_session_key_id", table_name="ui_session")
    op.drop_table("ui_session")
