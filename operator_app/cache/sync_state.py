"""Whose cache this is, how far it has synced, and what it holds (for ``cache stats``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from operator_app.cache.db import write_transaction
from operator_app.cache.rowcodec import CODECS
from operator_app.cache.types import from_micros

# Derived on the client (from customers.phones), not an entity of the change feed.
_DERIVED = frozenset({"customer_phone"})


@dataclass(frozen=True, slots=True)
class SyncStatus:
    cursor: int
    last_sync_at: datetime | None
    server_url: str | None
    username: str | None


def read_sync_status(engine: Engine) -> SyncStatus:
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT cursor, last_sync_at, server_url, username FROM sync_state WHERE id = 1"
        ).first()
    if row is None:
        return SyncStatus(0, None, None, None)
    return SyncStatus(
        cursor=int(row[0] or 0),
        last_sync_at=from_micros(int(row[1])) if row[1] is not None else None,
        server_url=row[2],
        username=row[3],
    )


def bind_owner(engine: Engine, server_url: str, username: str) -> None:
    """Record which account on which server this cache mirrors."""
    with write_transaction(engine) as conn:
        conn.exec_driver_sql(
            "INSERT INTO sync_state (id, cursor, server_url, username) VALUES (1, 0, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET server_url = excluded.server_url, "
            "username = excluded.username",
            (server_url, username),
        )


def entity_counts(engine: Engine) -> dict[str, int]:
    """Rows per feed entity in the cache."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for entity, codec in CODECS.items():
            if entity in _DERIVED:
                continue
            counts[entity] = int(
                conn.exec_driver_sql(f'SELECT count(*) FROM "{codec.table.name}"').scalar_one()
            )
    return counts
