"""Customer value: expected purchases on customers, the upsell statistics row, refit runs.

Revision ID: 0003_value
Revises: 0002_surveys
Create Date: 2026-11-23 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from operator_app.server import types as server_types

revision: str = "0003_value"
down_revision: str | None = "0002_surveys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_purchases", sa.Float(), nullable=True))

    op.create_table(
        "upsell_stats",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("computed_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acceptance", _json(), nullable=False),
        sa.Column("co_purchases", _json(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "analytics_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", server_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("model", _json(), nullable=True),
        sa.Column("details", _json(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("analytics_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_analytics_runs_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_analytics_runs_started_at"), ["started_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("analytics_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analytics_runs_started_at"))
        batch_op.drop_index(batch_op.f("ix_analytics_runs_status"))
    op.drop_table("analytics_runs")
    op.drop_table("upsell_stats")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("expected_purchases")
