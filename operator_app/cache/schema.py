"""What a cache file is: its format marker, schema version and the steps that upgrade it.

A new file is created at :data:`SCHEMA_VERSION` straight from the models. An older
file is brought forward by :data:`UPGRADES`, one step per version, each step in its
own transaction together with the version bump, so a crash leaves the file at the
last completed version. Steps add or reshape; none deletes synced or pending data,
and the outbox in particular is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from operator_app import __version__
from operator_app.cache import fts

SCHEMA_VERSION = 5
FORMAT_MARKER = "operator-app cache"
# Also stamped into the SQLite header ("OPCA"), so tools can tell the file apart.
APPLICATION_ID = 0x4F504341

META_FORMAT = "format"
META_SCHEMA_VERSION = "schema_version"
META_APP_VERSION = "app_version"
META_CREATED_AT = "created_at"
META_CREATED_BY = "created_by"

# Every index the models declare (a unit test keeps them equal). Opening a cache checks
# that they exist against this list, so the ORM models need not be loaded before the
# window is on screen; only when one is missing are the models loaded to recreate it.
INDEX_NAMES = frozenset(
    {
        "ix_audit_events_at",
        "ix_conversations_customer_ts",
        "ix_conversations_follow_up",
        "ix_conversations_open_assignee",
        "ix_conversations_open_customer",
        "ix_conversations_status_ts",
        "ix_conversations_waiting",
        "ix_coverages_customer_id",
        "ix_coverages_ends",
        "ix_customer_phones_customer_id",
        "ix_customers_name_key",
        "ix_interests_customer_id",
        "ix_messages_conversation_id",
        "ix_messages_customer_ts",
        "ix_notes_customer_ts",
        "ix_offers_customer_ts",
        "ix_order_lines_order_id",
        "ix_orders_customer_ts",
        "ix_review_cases_customer_id",
        "ix_review_cases_status",
        "ix_surveys_customer_ts",
        "ix_sync_conflicts_entity_id",
        "ix_worklist_snoozes_until",
    }
)


@dataclass(frozen=True, slots=True)
class Upgrade:
    version: int  # the version the file has after this step
    description: str
    apply: Callable[[Connection], None]


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def get_meta(conn: Connection, key: str) -> str | None:
    row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).first()
    return None if row is None else str(row[0])


def schema_version(conn: Connection) -> int:
    value = get_meta(conn, META_SCHEMA_VERSION)
    return int(value) if value is not None else 0


def create_schema(conn: Connection) -> None:
    """Create every table, index and the search index of the current version."""
    from operator_app.cache.models import Base

    Base.metadata.create_all(conn)
    fts.create_search_tables(conn)
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    set_meta(conn, META_FORMAT, FORMAT_MARKER)
    set_meta(conn, META_SCHEMA_VERSION, str(SCHEMA_VERSION))
    set_meta(conn, META_APP_VERSION, __version__)
    set_meta(conn, META_CREATED_BY, __version__)
    set_meta(conn, META_CREATED_AT, datetime.now(UTC).isoformat(timespec="seconds"))


# -- upgrade steps (frozen: never edit a released step, add a new one) ------------------


def _v2_search_index_and_worklists(conn: Connection) -> None:
    """Full-text customer search, and partial indexes over unresolved conversations."""
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    fts.create_search_tables(conn)
    open_sql = "status IN ('open', 'pending')"
    waiting_sql = "(last_outbound_at IS NULL OR last_inbound_at > last_outbound_at)"
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_conversations_open_customer "
        f"ON conversations (customer_id) WHERE {open_sql}"
    )
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_conversations_open_assignee "
        f"ON conversations (assignee, opened_at) WHERE {open_sql}"
    )
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_conversations_waiting "
        f"ON conversations (channel, last_inbound_at) WHERE {open_sql} AND {waiting_sql}"
    )
    fts.rebuild_search_index(conn)


_V3_SYNC_TABLES = (
    """CREATE TABLE IF NOT EXISTS sync_conflicts (
        id INTEGER NOT NULL, mutation_id BLOB NOT NULL, entity VARCHAR(32) NOT NULL,
        entity_id BLOB NOT NULL, base_version INTEGER, server_version INTEGER,
        mine JSON NOT NULL, theirs JSON NOT NULL, error TEXT, detected_at BIGINT NOT NULL,
        PRIMARY KEY (id), UNIQUE (mutation_id))""",
    "CREATE INDEX IF NOT EXISTS ix_sync_conflicts_entity_id ON sync_conflicts (entity_id)",
    """CREATE TABLE IF NOT EXISTS outbox_rejected (
        seq INTEGER NOT NULL, mutation_id BLOB NOT NULL, entity VARCHAR(32) NOT NULL,
        entity_id BLOB NOT NULL, op VARCHAR(16) NOT NULL, base_version INTEGER,
        data JSON NOT NULL, created_at BIGINT NOT NULL, rejected_at BIGINT NOT NULL,
        error TEXT NOT NULL, PRIMARY KEY (seq), UNIQUE (mutation_id))""",
    """CREATE TABLE IF NOT EXISTS sync_shadow (
        entity VARCHAR(32) NOT NULL, entity_id BLOB NOT NULL, fields JSON NOT NULL,
        version INTEGER, PRIMARY KEY (entity, entity_id))""",
)


def _v3_sync_bookkeeping(conn: Connection) -> None:
    """Sync conflicts for the operator, refused changes, server values under local edits."""
    for statement in _V3_SYNC_TABLES:
        conn.exec_driver_sql(statement)


_V4_POLICY_AND_SNOOZES = (
    """CREATE TABLE IF NOT EXISTS policies (
        id BLOB NOT NULL, document JSON NOT NULL, updated_by VARCHAR(100) NOT NULL,
        version INTEGER NOT NULL, updated_at BIGINT, PRIMARY KEY (id))""",
    """CREATE TABLE IF NOT EXISTS worklist_snoozes (
        conversation_id BLOB NOT NULL, until BIGINT NOT NULL, inbound_at BIGINT,
        PRIMARY KEY (conversation_id))""",
    "CREATE INDEX IF NOT EXISTS ix_worklist_snoozes_until ON worklist_snoozes (until)",
)


def _v4_policy_and_snoozes(conn: Connection) -> None:
    """The admin's policy (SLAs for hanging dialogs) and snoozed waiting entries."""
    for statement in _V4_POLICY_AND_SNOOZES:
        conn.exec_driver_sql(statement)
    # A policy synced before this step was skipped as unknown and the cursor is past it:
    # it arrives with the admin's next save; until then the DESIGN defaults apply.


_V5_VALUE_STATEMENTS = (
    "ALTER TABLE customers ADD COLUMN expected_purchases FLOAT",
    """CREATE TABLE IF NOT EXISTS upsell_stats (
        id BLOB NOT NULL, computed_at BIGINT, acceptance JSON NOT NULL,
        co_purchases JSON NOT NULL, version INTEGER NOT NULL, updated_at BIGINT,
        PRIMARY KEY (id))""",
)


def _v5_customer_value_and_upsell_learning(conn: Connection) -> None:
    """What the server's value refit syncs: expected purchases per customer, and the
    learned acceptance rates and bought-together pairs for ranking offers offline.

    Rows pulled before this step lack ``expected_purchases``; the next refit that
    changes a customer's figures brings it."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(customers)")}
    for statement in _V5_VALUE_STATEMENTS:
        if statement.startswith("ALTER") and "expected_purchases" in columns:
            continue
        conn.exec_driver_sql(statement)


UPGRADES: tuple[Upgrade, ...] = (
    Upgrade(2, "customer search index, worklist indexes", _v2_search_index_and_worklists),
    Upgrade(3, "sync conflicts, refused changes, shadow values", _v3_sync_bookkeeping),
    Upgrade(4, "team policy, snoozed worklist entries", _v4_policy_and_snoozes),
    Upgrade(5, "expected purchases, upsell learning", _v5_customer_value_and_upsell_learning),
)


def pending_upgrades(version: int) -> list[Upgrade]:
    return [step for step in UPGRADES if step.version > version]


def apply_upgrade(conn: Connection, step: Upgrade) -> None:
    """Run one step and record its version, in the caller's (single) transaction."""
    step.apply(conn)
    set_meta(conn, META_SCHEMA_VERSION, str(step.version))
