"""Surveys and reviews: the policy row, survey links, outbound deliveries, case resolution time.

Revision ID: 0002_surveys
Revises: 0001_initial
Create Date: 2026-11-23 18:19:59.420221
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from operator_app.server import types as server_types

revision: str = "0002_surveys"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outbound_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=True),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_until", server_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", server_types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbound_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbound_deliveries_survey_id"), ["survey_id"], unique=False
        )
        batch_op.create_index("ix_outbound_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_outbound_status_ts", ["status", "updated_at", "id"], unique=False)

    op.create_table(
        "survey_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("survey_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", server_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("survey_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_tokens_survey_id"), ["survey_id"], unique=False)

    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("resolved_at", server_types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_review_cases_opened", ["opened_at", "id"], unique=False)
    # Cases resolved before this column existed: their last change was the resolution.
    op.execute("UPDATE review_cases SET resolved_at = updated_at WHERE status = 'resolved'")


def downgrade() -> None:
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cases_opened")
        batch_op.drop_column("resolved_at")

    with op.batch_alter_table("survey_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_tokens_survey_id"))

    op.drop_table("survey_tokens")
    with op.batch_alter_table("outbound_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_outbound_status_ts")
        batch_op.drop_index("ix_outbound_due")
        batch_op.drop_index(batch_op.f("ix_outbound_deliveries_survey_id"))

    op.drop_table("outbound_deliveries")
    op.drop_table("policies")
