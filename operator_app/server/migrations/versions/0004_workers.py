"""State shared by several server workers: event stream, failed sign-ins, leases.

Revision ID: 0004_workers
Revises: 0003_value
Create Date: 2026-11-23 23:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from operator_app.server import types as server_types

revision: str = "0004_workers"
down_revision: str | None = "0003_value"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _serial() -> sa.types.TypeEngine[Any]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, server_types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "server_events",
        sa.Column("id", _serial(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("audience", _json(), nullable=True),
        _at("at"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "login_failures",
        sa.Column("id", _serial(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        _at("at"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_key", ["username", "client", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_at"), ["at"], unique=False)
    op.create_table(
        "worker_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        _at("until"),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("outbound_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_claim", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_deliveries", schema=None) as batch_op:
        batch_op.drop_column("lease_claim")
    op.drop_table("worker_leases")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_at"))
        batch_op.drop_index("ix_login_failures_key")
    op.drop_table("login_failures")
    op.drop_table("server_events")
