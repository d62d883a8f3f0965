"""Local changes: written to the cache and queued for the server in ONE transaction.

Each function below changes the cache row the operator sees and appends an outbox
row with a fresh ``mutation_id`` in the same SQLite transaction, so a crash leaves
either both or neither. The pusher (``operator_app.sync``) sends the outbox in
order; the server deduplicates by ``mutation_id``, so replays after a crash are
harmless.

Mutation format (DESIGN "HTTP API")::

    {"mutation_id", "entity": "note", "id", "op": "create", "base_version": null,
     "data": {"customer_id", "body"}}

Edits of mutable fields carry ``base_version``: the server version the edit was
made on. Locally created rows have version 0 until the server's copy arrives.

These functions do blocking SQLite work: call them on the single DB worker thread.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection, Engine

from operator_app.cache.customer_edits import (
    LocalChangeError,
    normalize_customer_changes,
)
from operator_app.cache.customer_lookups import refresh_customer_lookups
from operator_app.cache.db import write_transaction
from operator_app.cache.pending import (
    insert_row,
    load_shadow,
    pending_fields,
    read_fields,
    save_shadow,
)
from operator_app.cache.rowcodec import CODECS
from operator_app.cache.types import from_micros, to_micros
from operator_app.domain.entities import Message, Note, Offer
from operator_app.domain.enums import ConversationStatus, Direction, OfferOutcome

__all__ = [
    "LocalChangeError",
    "OutboxEntry",
    "add_note",
    "add_reply",
    "claim_batch",
    "create_customer",
    "pending",
    "pending_count",
    "record_offer",
    "set_conversation_status",
    "set_offer_outcome",
    "update_customer",
]

# The server's limits (server/mutation_rules.py): longer text would be refused later.
MAX_NOTE = 10_000
MAX_BODY = 20_000  # a reply (outbound message)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One queued local change, in the order it was made."""

    seq: int
    mutation_id: uuid.UUID
    entity: str
    entity_id: uuid.UUID
    op: str
    base_version: int | None
    data: dict[str, Any]
    created_at: datetime
    attempts: int
    last_error: str | None


def _now(now: datetime | None) -> datetime:
    value = now or datetime.now(UTC)
    if value.tzinfo is None:
        raise ValueError("naive datetime: local changes are stamped in UTC")
    return value


def _body(body: str, limit: int = MAX_BODY) -> str:
    if not isinstance(body, str) or not body.strip():
        raise LocalChangeError("The text is empty.")
    if len(body) > limit:
        raise LocalChangeError(
            f"The text is {len(body)} characters long; at most {limit} fit. Shorten it and "
            "send again."
        )
    return body


def _as_uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise LocalChangeError(f"{str(value)[:40]!r} is not a {what} id.") from None


def enqueue(
    conn: Connection,
    *,
    entity: str,
    entity_id: uuid.UUID,
    op: str,
    base_version: int | None,
    data: dict[str, Any],
    now: datetime,
) -> uuid.UUID:
    """Append one mutation (or fold it into an unsent one for the same row); its id."""
    if op == "update":
        latest = conn.exec_driver_sql(
            "SELECT seq, mutation_id, op, data, attempts FROM outbox "
            "WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1",
            (entity, entity_id.bytes),
        ).first()
        # Never change a row that may already have reached the server: its id is spent.
        if latest is not None and latest[4] == 0 and latest[2] in ("create", "update"):
            merged = json.loads(latest[3]) if isinstance(latest[3], str) else dict(latest[3])
            merged.update(data)
            conn.exec_driver_sql(
                "UPDATE outbox SET data = ? WHERE seq = ?",
                (json.dumps(merged, ensure_ascii=False), latest[0]),
            )
            return uuid.UUID(bytes=bytes(latest[1]))
    mutation_id = uuid.uuid4()
    conn.exec_driver_sql(
        "INSERT INTO outbox (mutation_id, entity, entity_id, op, base_version, data, "
        "created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (
            mutation_id.bytes,
            entity,
            entity_id.bytes,
            op,
            base_version,
            json.dumps(data, ensure_ascii=False),
            to_micros(now),
        ),
    )
    return mutation_id


def edit_row(
    conn: Connection, entity: str, entity_id: uuid.UUID, changes: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Apply JSON-form ``changes`` to a synced row and queue them; only real changes count."""
    codec = CODECS[entity]
    key = entity_id.bytes
    names = [*changes, "version"]
    current = read_fields(conn, codec, key, names)
    if current is None:
        raise LocalChangeError(f"This {entity.replace('_', ' ')} is not in the local cache.")
    version = current.pop("version")
    changed = {k: v for k, v in changes.items() if not codec.same(k, current.get(k), v)}
    if not changed:
        return {}
    # Remember the server's values under fields that had no unpushed edit yet.
    already = pending_fields(conn, entity, key)
    shadow = load_shadow(conn, entity, key)
    fields, shadow_version = shadow if shadow else ({}, version)
    for name in changed:
        if name not in already and name not in fields:
            fields[name] = current[name]
    if fields:
        save_shadow(conn, entity, key, fields, shadow_version)
    assignments = ", ".join(f'"{n}" = ?' for n in changed)
    params = [codec.stored(n, v) for n, v in changed.items()]
    conn.exec_driver_sql(
        f'UPDATE "{codec.table.name}" SET {assignments} WHERE id = ?', (*params, key)
    )
    enqueue(
        conn,
        entity=entity,
        entity_id=entity_id,
        op="update",
        base_version=version,
        data=changed,
        now=now,
    )
    return changed


def add_note(
    engine: Engine,
    customer_id: uuid.UUID | str,
    body: str,
    author: str,
    *,
    now: datetime | None = None,
) -> Note:
    customer_id = _as_uuid(customer_id, "customer")
    body = _body(body, MAX_NOTE)
    at = _now(now)
    note_id = uuid.uuid4()
    with write_transaction(engine) as conn:
        if read_fields(conn, CODECS["customer"], customer_id.bytes, []) is None:
            raise LocalChangeError("This customer is not in the local cache.")
        conn.exec_driver_sql(
            "INSERT INTO notes (id, customer_id, author, body, created_at, version) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            (note_id.bytes, customer_id.bytes, author, body, to_micros(at)),
        )
        enqueue(
            conn,
            entity="note",
            entity_id=note_id,
            op="create",
            base_version=None,
            data={"customer_id": str(customer_id), "body": body},
            now=at,
        )
    return Note(id=note_id, customer_id=customer_id, author=author, body=body, created_at=at)


def add_reply(
    engine: Engine,
    conversation_id: uuid.UUID | str,
    body: str,
    author: str,
    *,
    now: datetime | None = None,
) -> Message:
    conversation_id = _as_uuid(conversation_id, "conversation")
    body = _body(body)
    at = _now(now)
    message_id = uuid.uuid4()
    with write_transaction(engine) as conn:
        row = conn.exec_driver_sql(
            "SELECT customer_id FROM conversations WHERE id = ?", (conversation_id.bytes,)
        ).first()
        if row is None:
            raise LocalChangeError("This conversation is not in the local cache.")
        customer_id = uuid.UUID(bytes=bytes(row[0]))
        micros = to_micros(at)
        conn.exec_driver_sql(
            "INSERT INTO messages (id, conversation_id, customer_id, direction, author, body, "
            "sent_at, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, '[]')",
            (
                message_id.bytes,
                conversation_id.bytes,
                customer_id.bytes,
                Direction.OUTBOUND.value,
                author,
                body,
                micros,
            ),
        )
        # Shown at once in the worklists; the server's copy of the conversation follows.
        conn.exec_driver_sql(
            "UPDATE conversations SET last_outbound_at = ?, "
            "first_response_at = COALESCE(first_response_at, ?) WHERE id = ?",
            (micros, micros, conversation_id.bytes),
        )
        enqueue(
            conn,
            entity="message",
            entity_id=message_id,
            op="create",
            base_version=None,
            data={"conversation_id": str(conversation_id), "body": body},
            now=at,
        )
    return Message(
        id=message_id,
        conversation_id=conversation_id,
        customer_id=customer_id,
        direction=Direction.OUTBOUND,
        author=author,
        body=body,
        sent_at=at,
    )


def set_conversation_status(
    engine: Engine,
    conversation_id: uuid.UUID | str,
    status: ConversationStatus | str,
    next_follow_up_at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Change status (and the follow-up time); returns the fields that really changed."""
    conversation_id = _as_uuid(conversation_id, "conversation")
    try:
        status = ConversationStatus(str(status))
    except ValueError:
        raise LocalChangeError(f"{str(status)[:20]!r} is not a conversation status.") from None
    if next_follow_up_at is not None and next_follow_up_at.tzinfo is None:
        raise LocalChangeError("The follow-up time needs a time zone.")
    changes = {
        "status": status.value,
        "next_follow_up_at": (
            next_follow_up_at.astimezone(UTC).isoformat() if next_follow_up_at else None
        ),
    }
    with write_transaction(engine) as conn:
        return edit_row(conn, "conversation", conversation_id, changes, _now(now))


def update_customer(
    engine: Engine,
    customer_id: uuid.UUID | str,
    changes: dict[str, Any],
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Edit a customer's card; returns the normalised fields that really changed.

    The edit is based on the cached version of the customer (``base_version``).
    """
    customer_id = _as_uuid(customer_id, "customer")
    normalized = normalize_customer_changes(changes)
    with write_transaction(engine) as conn:
        changed = edit_row(conn, "customer", customer_id, normalized, _now(now))
        if changed:
            refresh_customer_lookups(conn, [customer_id])
    return changed


def create_customer(
    engine: Engine,
    *,
    first_name: str = "",
    last_name: str = "",
    middle_name: str = "",
    phones: list[str] | tuple[str, ...] = (),
    emails: list[str] | tuple[str, ...] = (),
    channel_of_origin: str = "phone",
    language: str = "ru",
    timezone: str = "Europe/Moscow",
    tags: list[str] | tuple[str, ...] = (),
    consent_channels: list[str] | tuple[str, ...] = (),
    consent_marketing: bool = False,
    now: datetime | None = None,
) -> uuid.UUID:
    """A new customer (e.g. an unknown caller); needs a name, a phone or an e-mail."""
    data = normalize_customer_changes(
        {
            "first_name": first_name,
            "last_name": last_name,
            "middle_name": middle_name,
            "phones": list(phones),
            "emails": list(emails),
            "channel_of_origin": channel_of_origin,
            "language": language,
            "timezone": timezone,
            "tags": list(tags),
            "consent_channels": list(consent_channels),
            "consent_marketing": consent_marketing,
        },
        creating=True,
    )
    if not (data["first_name"] or data["last_name"] or data["phones"] or data["emails"]):
        raise LocalChangeError("A new customer needs at least a name, a phone or an e-mail.")
    at = _now(now)
    customer_id = uuid.uuid4()
    # Shown at once; the server fills in the rest (tier, customer_since) in its copy.
    local_row = {
        "id": str(customer_id),
        **data,
        "tier": "standard",
        "customer_since": at.date().isoformat(),
        "name_key": "",
        "version": 0,
    }
    with write_transaction(engine) as conn:
        insert_row(conn, CODECS["customer"], local_row)
        enqueue(
            conn,
            entity="customer",
            entity_id=customer_id,
            op="create",
            base_version=None,
            data=data,
            now=at,
        )
        refresh_customer_lookups(conn, [customer_id])
    return customer_id


def record_offer(
    engine: Engine,
    *,
    customer_id: uuid.UUID | str,
    product_id: uuid.UUID | str | None,
    reason_code: str,
    explanation: str,
    score: float,
    outcome: OfferOutcome | str,
    outcome_reason: str = "",
    by_user: str = "",
    now: datetime | None = None,
) -> Offer:
    """An offer shown to a customer, with its outcome (append-only on the server)."""
    customer = _as_uuid(customer_id, "customer")
    product = _as_uuid(product_id, "product") if product_id else None
    try:
        result = OfferOutcome(str(outcome))
    except ValueError:
        raise LocalChangeError(f"{str(outcome)[:20]!r} is not an offer outcome.") from None
    at = _now(now)
    offer_id = uuid.uuid4()
    data = {
        "customer_id": str(customer),
        "product_id": str(product) if product else None,
        "reason_code": reason_code,
        "explanation": explanation,
        "score": float(score),
        "outcome": result.value,
        "outcome_reason": outcome_reason,
        "at": at.isoformat(),
    }
    row = {"id": str(offer_id), **data, "by_user": by_user, "version": 0}
    with write_transaction(engine) as conn:
        if read_fields(conn, CODECS["customer"], customer.bytes, []) is None:
            raise LocalChangeError("This customer is not in the local cache.")
        insert_row(conn, CODECS["offer"], row)
        enqueue(
            conn,
            entity="offer",
            entity_id=offer_id,
            op="create",
            base_version=None,
            data=data,
            now=at,
        )
    return Offer(
        id=offer_id,
        customer_id=customer,
        product_id=product,
        reason_code=reason_code,
        explanation=explanation,
        score=float(score),
        outcome=result,
        outcome_reason=outcome_reason,
        by_user=by_user,
        at=at,
    )


def set_offer_outcome(
    engine: Engine,
    offer_id: uuid.UUID | str,
    outcome: OfferOutcome | str,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    offer = _as_uuid(offer_id, "offer")
    try:
        result = OfferOutcome(str(outcome))
    except ValueError:
        raise LocalChangeError(f"{str(outcome)[:20]!r} is not an offer outcome.") from None
    with write_transaction(engine) as conn:
        return edit_row(
            conn, "offer", offer, {"outcome": result.value, "outcome_reason": reason}, _now(now)
        )


# -- the queue -----------------------------------------------------------------

_ENTRY_COLUMNS = (
    "seq, mutation_id, entity, entity_id, op, base_version, data, created_at, attempts, last_error"
)


def _entry(row: Any) -> OutboxEntry:
    data = json.loads(row[6]) if isinstance(row[6], str | bytes) else row[6]
    return OutboxEntry(
        seq=row[0],
        mutation_id=uuid.UUID(bytes=bytes(row[1])),
        entity=row[2],
        entity_id=uuid.UUID(bytes=bytes(row[3])),
        op=row[4],
        base_version=row[5],
        data=data if isinstance(data, dict) else {},
        created_at=from_micros(int(row[7])),
        attempts=row[8],
        last_error=row[9],
    )


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())


def pending(engine: Engine, limit: int = 100) -> list[OutboxEntry]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT {_ENTRY_COLUMNS} FROM outbox ORDER BY seq LIMIT ?", (limit,)
        ).all()
    return [_entry(r) for r in rows]


def claim_batch(engine: Engine, limit: int = 100) -> list[OutboxEntry]:
    """The next rows to send, oldest first, counted as attempted (so no longer foldable).

    A batch holds at most one edit per row: a later edit of the same row waits for the
    earlier one's answer, which it is then rebased on.
    """
    with write_transaction(engine) as conn:
        rows = conn.exec_driver_sql(
            f"SELECT {_ENTRY_COLUMNS} FROM outbox ORDER BY seq LIMIT ?", (limit,)
        ).all()
        batch: list[OutboxEntry] = []
        seen: set[tuple[str, uuid.UUID]] = set()
        for row in rows:
            entry = _entry(row)
            key = (entry.entity, entry.entity_id)
            if key in seen:
                break
            seen.add(key)
            batch.append(entry)
        if batch:
            conn.exec_driver_sql(
                "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?",
                [(e.seq,) for e in batch],
            )
    return batch


def note_failure(engine: Engine, entries: list[OutboxEntry], error: str) -> None:
    """Remember why the last send failed (shown to the operator; never the data)."""
    with write_transaction(engine) as conn:
        conn.exec_driver_sql(
            "UPDATE outbox SET last_error = ? WHERE seq = ?",
            [(error[:500], e.seq) for e in entries],
        )
