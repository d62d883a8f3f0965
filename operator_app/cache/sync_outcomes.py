"""What happens to outbox rows once the server has answered, and the operator's choices.

* applied / duplicate: the row leaves the outbox; later edits of the same record are
  rebased on the server's new version when nothing else changed in between.
* conflict: the row leaves the outbox and becomes a ``sync_conflicts`` record with the
  operator's values (*mine*) and the server's (*theirs*); the card shows the server's
  values until the operator chooses (:func:`resolve_conflict`). Creates never conflict.
* rejected: the row moves to ``outbox_rejected`` with the server's reason; edited
  fields go back to the server's values, created records stay visible locally until
  the operator retries or discards them.

Blocking SQLite work: call it on the single DB worker thread.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import Connection, Engine

from operator_app.cache.customer_edits import LocalChangeError
from operator_app.cache.customer_lookups import refresh_customer_lookups
from operator_app.cache.db import write_transaction
from operator_app.cache.outbox import OutboxEntry, edit_row, enqueue
from operator_app.cache.pending import (
    delete_shadow,
    load_shadow,
    pending_fields,
    save_shadow,
    table_fields,
    write_fields,
)
from operator_app.cache.rowcodec import CODECS
from operator_app.cache.types import from_micros, to_micros


@dataclass(frozen=True, slots=True)
class MutationOutcome:
    """The server's answer for one mutation (the cache layer's copy of the API result)."""

    mutation_id: uuid.UUID
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None = None
    error: str | None = None
    current: dict[str, Any] | None = None
    conflicts: tuple[str, ...] | None = None  # fields in conflict; None = all sent fields


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    done: int = 0
    conflicts: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class Conflict:
    """Both versions of the fields of one refused edit, for the operator to choose."""

    id: int
    mutation_id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    fields: tuple[str, ...]
    mine: dict[str, Any]
    theirs: dict[str, Any]
    base_version: int | None
    server_version: int | None
    error: str | None
    detected_at: datetime


@dataclass(frozen=True, slots=True)
class RejectedChange:
    """A local change the server refused for good, with its reason."""

    seq: int
    mutation_id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    op: str
    data: dict[str, Any]
    error: str
    created_at: datetime
    rejected_at: datetime


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def record_results(
    engine: Engine,
    sent: list[OutboxEntry],
    outcomes: list[MutationOutcome],
    *,
    now: datetime | None = None,
) -> OutcomeSummary:
    """Settle a pushed batch in one transaction (``outcomes`` in the order of ``sent``)."""
    if len(sent) != len(outcomes):
        raise ValueError("one outcome per sent mutation is required")
    at = now or datetime.now(UTC)
    done = conflicts = rejected = 0
    with write_transaction(engine) as conn:
        customers: list[uuid.UUID] = []
        for entry, outcome in zip(sent, outcomes, strict=True):
            if outcome.mutation_id != entry.mutation_id:
                raise ValueError("outcomes are not in the order of the sent mutations")
            # (No DELETE … RETURNING: older SQLite builds on some desktops lack it.)
            removed = conn.exec_driver_sql("DELETE FROM outbox WHERE seq = ?", (entry.seq,))
            if removed.rowcount == 0:
                continue  # settled already (a replayed answer)
            if outcome.status in ("applied", "duplicate"):
                _settle_done(conn, entry, outcome)
                done += 1
            elif outcome.status == "conflict" and entry.op == "update":
                conflicts += _settle_conflict(conn, entry, outcome, at)
            else:
                _settle_rejected(conn, entry, outcome.error or "refused by the server", at)
                rejected += 1
            if entry.entity == "customer":
                customers.append(entry.entity_id)
        refresh_customer_lookups(conn, customers)
    return OutcomeSummary(done=done, conflicts=conflicts, rejected=rejected)


def _settle_done(conn: Connection, entry: OutboxEntry, outcome: MutationOutcome) -> None:
    codec = CODECS.get(entry.entity)
    if codec is None:
        return
    key = entry.entity_id.bytes
    base = entry.base_version or 0
    if codec.versioned and outcome.version is not None and outcome.version == base + 1:
        # Only our change happened since ``base``: the row is now at the new version, and
        # edits made on top of it are based on that version (no conflict with ourselves).
        conn.exec_driver_sql(
            f'UPDATE "{codec.table.name}" SET version = ? WHERE id = ? AND version <= ?',
            (outcome.version, key, base),
        )
        conn.exec_driver_sql(
            "UPDATE outbox SET base_version = ? WHERE entity = ? AND entity_id = ? "
            "AND op = 'update' AND base_version = ?",
            (outcome.version, entry.entity, key, base),
        )
    _shrink_shadow(conn, entry, server_now_has=table_fields(codec, entry.data))


def _shrink_shadow(conn: Connection, entry: OutboxEntry, server_now_has: dict[str, Any]) -> None:
    """Keep shadow values only for fields that still have unpushed edits."""
    key = entry.entity_id.bytes
    remaining = pending_fields(conn, entry.entity, key)
    shadow = load_shadow(conn, entry.entity, key)
    if shadow is None:
        return
    fields, version = shadow
    kept = {f: server_now_has.get(f, fields.get(f)) for f in remaining if f in fields}
    if kept:
        save_shadow(conn, entry.entity, key, kept, version)
    else:
        delete_shadow(conn, entry.entity, key)


def _server_values(
    conn: Connection, entry: OutboxEntry, names: list[str], current: dict[str, Any] | None
) -> dict[str, Any]:
    shadow = load_shadow(conn, entry.entity, entry.entity_id.bytes)
    known = shadow[0] if shadow else {}
    theirs: dict[str, Any] = {}
    for name in names:
        if current and name in current:
            theirs[name] = current[name]
        elif name in known:
            theirs[name] = known[name]
    return theirs


def _revert_to_server(
    conn: Connection, entry: OutboxEntry, theirs: dict[str, Any], server_now_has: dict[str, Any]
) -> None:
    """Show the server's values again in fields no other unpushed edit covers."""
    codec = CODECS[entry.entity]
    remaining = pending_fields(conn, entry.entity, entry.entity_id.bytes)
    write_fields(
        conn, codec, entry.entity_id.bytes, {f: v for f, v in theirs.items() if f not in remaining}
    )
    _shrink_shadow(conn, entry, server_now_has)


def _settle_conflict(
    conn: Connection, entry: OutboxEntry, outcome: MutationOutcome, at: datetime
) -> int:
    """Record the fields in conflict; send the others again on the server's version."""
    codec = CODECS.get(entry.entity)
    if codec is None:
        _settle_rejected(conn, entry, outcome.error or "conflict", at)
        return 0
    mine = table_fields(codec, entry.data)
    theirs = _server_values(conn, entry, list(mine), outcome.current)
    named = set(outcome.conflicts) if outcome.conflicts is not None else set(mine)
    missing = object()

    def differs(name: str, value: Any) -> bool:
        server = theirs.get(name, missing)
        return server is missing or not codec.same(name, server, value)

    disputed = {f: v for f, v in mine.items() if f in named and differs(f, v)}
    later = pending_fields(conn, entry.entity, entry.entity_id.bytes)
    # Fields the server did not dispute merge: re-sent on the version it reported, unless a
    # later unpushed edit of the same field will carry the newer value anyway.
    merge = {
        f: v for f, v in mine.items() if f not in disputed and f not in later and differs(f, v)
    }
    if merge and outcome.version is not None:
        conn.exec_driver_sql(
            "INSERT INTO outbox (mutation_id, entity, entity_id, op, base_version, data, "
            "created_at, attempts) VALUES (?, ?, ?, 'update', ?, ?, ?, 0)",
            (
                uuid.uuid4().bytes,
                entry.entity,
                entry.entity_id.bytes,
                outcome.version,
                _dumps(merge),
                to_micros(at),
            ),
        )
    else:
        merge = {}
    _revert_to_server(
        conn, entry, {f: v for f, v in theirs.items() if f not in merge}, server_now_has=theirs
    )
    if not disputed:
        return 0  # nothing left to decide: the server holds (or will get) these values
    conn.exec_driver_sql(
        "INSERT INTO sync_conflicts (mutation_id, entity, entity_id, base_version, "
        "server_version, mine, theirs, error, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.mutation_id.bytes,
            entry.entity,
            entry.entity_id.bytes,
            entry.base_version,
            outcome.version,
            _dumps(disputed),
            _dumps({f: theirs.get(f) for f in disputed}),
            (outcome.error or "")[:500] or None,
            to_micros(at),
        ),
    )
    return 1


def _settle_rejected(conn: Connection, entry: OutboxEntry, error: str, at: datetime) -> None:
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO outbox_rejected (seq, mutation_id, entity, entity_id, op, "
        "base_version, data, created_at, rejected_at, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.seq,
            entry.mutation_id.bytes,
            entry.entity,
            entry.entity_id.bytes,
            entry.op,
            entry.base_version,
            _dumps(entry.data),
            to_micros(entry.created_at),
            to_micros(at),
            error[:500],
        ),
    )
    codec = CODECS.get(entry.entity)
    if entry.op == "update" and codec is not None:
        names = list(table_fields(codec, entry.data))
        theirs = _server_values(conn, entry, names, None)
        _revert_to_server(conn, entry, theirs, server_now_has={})


# -- conflicts -----------------------------------------------------------------


def list_conflicts(engine: Engine) -> list[Conflict]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, mutation_id, entity, entity_id, base_version, server_version, mine, "
            "theirs, error, detected_at FROM sync_conflicts ORDER BY id"
        ).all()
    result = []
    for row in rows:
        mine = _loads(row[6]) or {}
        result.append(
            Conflict(
                id=row[0],
                mutation_id=uuid.UUID(bytes=bytes(row[1])),
                entity=row[2],
                entity_id=uuid.UUID(bytes=bytes(row[3])),
                fields=tuple(mine),
                mine=mine,
                theirs=_loads(row[7]) or {},
                base_version=row[4],
                server_version=row[5],
                error=row[8],
                detected_at=from_micros(int(row[9])),
            )
        )
    return result


def resolve_conflict(
    engine: Engine,
    conflict_id: int,
    keep: Literal["mine", "theirs"],
    *,
    now: datetime | None = None,
) -> None:
    """``theirs``: accept the server's values. ``mine``: send my values again, now based
    on the server's version the operator has just seen."""
    if keep not in ("mine", "theirs"):
        raise LocalChangeError("Choose 'mine' or 'theirs'.")
    at = now or datetime.now(UTC)
    with write_transaction(engine) as conn:
        row = conn.exec_driver_sql(
            "SELECT entity, entity_id, mine FROM sync_conflicts WHERE id = ?", (conflict_id,)
        ).first()
        if row is None:
            raise LocalChangeError("This conflict was already resolved.")
        conn.exec_driver_sql("DELETE FROM sync_conflicts WHERE id = ?", (conflict_id,))
        if keep == "theirs":
            return
        entity, entity_id = row[0], uuid.UUID(bytes=bytes(row[1]))
        edit_row(conn, entity, entity_id, _loads(row[2]) or {}, at)
        if entity == "customer":
            refresh_customer_lookups(conn, [entity_id])


# -- rejected changes --------------------------------------------------------------


def list_rejected(engine: Engine) -> list[RejectedChange]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT seq, mutation_id, entity, entity_id, op, data, error, created_at, "
            "rejected_at FROM outbox_rejected ORDER BY seq"
        ).all()
    return [
        RejectedChange(
            seq=row[0],
            mutation_id=uuid.UUID(bytes=bytes(row[1])),
            entity=row[2],
            entity_id=uuid.UUID(bytes=bytes(row[3])),
            op=row[4],
            data=_loads(row[5]) or {},
            error=row[6],
            created_at=from_micros(int(row[7])),
            rejected_at=from_micros(int(row[8])),
        )
        for row in rows
    ]


def _take_rejected(conn: Connection, seq: int) -> Any:
    row = conn.exec_driver_sql(
        "SELECT entity, entity_id, op, data FROM outbox_rejected WHERE seq = ?", (seq,)
    ).first()
    if row is None:
        raise LocalChangeError("This change is no longer waiting for a decision.")
    conn.exec_driver_sql("DELETE FROM outbox_rejected WHERE seq = ?", (seq,))
    return row


def retry_rejected(engine: Engine, seq: int, *, now: datetime | None = None) -> None:
    """Queue a refused change again (a new mutation id: the server already answered)."""
    at = now or datetime.now(UTC)
    with write_transaction(engine) as conn:
        entity, blob, op, data = _take_rejected(conn, seq)
        entity_id = uuid.UUID(bytes=bytes(blob))
        values = _loads(data) or {}
        if op == "update":
            edit_row(conn, entity, entity_id, values, at)
        else:
            enqueue(
                conn,
                entity=entity,
                entity_id=entity_id,
                op=op,
                base_version=None,
                data=values,
                now=at,
            )
        if entity == "customer":
            refresh_customer_lookups(conn, [entity_id])


def discard_rejected(engine: Engine, seq: int) -> None:
    """Drop a refused change; a record it created exists only here, so it goes too."""
    with write_transaction(engine) as conn:
        entity, blob, op, _ = _take_rejected(conn, seq)
        codec = CODECS.get(entity)
        if op == "create" and codec is not None:
            conn.exec_driver_sql(f'DELETE FROM "{codec.table.name}" WHERE id = ?', (bytes(blob),))
            if entity == "customer":
                refresh_customer_lookups(conn, [uuid.UUID(bytes=bytes(blob))])


def issue_counts(engine: Engine) -> tuple[int, int]:
    """(open conflicts, rejected changes) for the status bar."""
    with engine.connect() as conn:
        conflicts = conn.exec_driver_sql("SELECT count(*) FROM sync_conflicts").scalar_one()
        rejected = conn.exec_driver_sql("SELECT count(*) FROM outbox_rejected").scalar_one()
    return int(conflicts), int(rejected)
