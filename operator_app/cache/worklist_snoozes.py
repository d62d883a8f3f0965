"""Snoozing worklist entries: follow-ups move (synced), waiting entries hide (local).

* A follow-up snooze is a real change to the conversation: its ``next_follow_up_at``
  moves, through the outbox like any edit, so it works offline and the team sees the
  new time once it is pushed.
* A "waiting for our reply" snooze changes nothing the customer or the team sees: the
  customer is still waiting. It is the operator's own "not now" and stays on this
  computer (``worklist_snoozes``), surviving restarts; a new message from the customer
  ends it early.

Blocking SQLite work: call from a DB thread, never the GUI thread.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from operator_app.cache.customer_edits import LocalChangeError
from operator_app.cache.db import write_transaction
from operator_app.cache.outbox import edit_row
from operator_app.cache.types import to_micros
from operator_app.domain.snooze import check_snooze_until


def _checked(until: datetime, now: datetime | None) -> datetime:
    current = now or datetime.now(UTC)
    problem = check_snooze_until(until, current)
    if problem is not None:
        raise LocalChangeError(problem)
    return current


def snooze_follow_up(
    engine: Engine,
    conversation_id: uuid.UUID,
    until: datetime,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Move the conversation's follow-up to ``until`` (queued for the server); returns
    the fields that changed."""
    current = _checked(until, now)
    changes = {"next_follow_up_at": until.astimezone(UTC).isoformat()}
    with write_transaction(engine) as conn:
        return edit_row(conn, "conversation", conversation_id, changes, current)


def snooze_waiting(
    engine: Engine,
    conversation_id: uuid.UUID,
    until: datetime,
    *,
    now: datetime | None = None,
) -> None:
    """Hide the conversation from "waiting for our reply" until ``until`` or until the
    customer writes again, whichever comes first."""
    current = _checked(until, now)
    with write_transaction(engine) as conn:
        row = conn.exec_driver_sql(
            "SELECT last_inbound_at FROM conversations WHERE id = ?", (conversation_id.bytes,)
        ).first()
        if row is None:
            raise LocalChangeError("This conversation is not in the local cache.")
        # Ended snoozes are only clutter; clear them while we hold the write lock.
        conn.exec_driver_sql("DELETE FROM worklist_snoozes WHERE until <= ?", (to_micros(current),))
        conn.exec_driver_sql(
            "INSERT INTO worklist_snoozes (conversation_id, until, inbound_at) VALUES (?, ?, ?) "
            "ON CONFLICT(conversation_id) DO UPDATE SET until = excluded.until, "
            "inbound_at = excluded.inbound_at",
            (conversation_id.bytes, to_micros(until), row[0]),
        )


def unsnooze_waiting(engine: Engine, conversation_id: uuid.UUID) -> bool:
    """Bring a snoozed waiting entry back now; False when it was not snoozed."""
    with write_transaction(engine) as conn:
        result = conn.exec_driver_sql(
            "DELETE FROM worklist_snoozes WHERE conversation_id = ?", (conversation_id.bytes,)
        )
        return bool(result.rowcount)
