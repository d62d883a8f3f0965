"""The change log: every entity change, in commit order, readable page by page.

Gap-free reading needs ``seq`` order to equal commit order: a reader that has seen
``seq`` 11 must never later discover a 10. SQLite has one writer at a time, so it
holds by construction. On PostgreSQL two transactions could take ``seq`` 10 and 11
and commit in the opposite order, so appends take a transaction-scoped advisory lock
first: the lock is held until commit, and the next writer draws its ``seq`` after.
Writers do all their entity work before taking it, so the lock is held only for the
last inserts and the commit.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from operator_app.domain.enums import Role
from operator_app.server.models import ENTITY_MODELS, Base, ChangeLog
from operator_app.server.serialize import dumps, snapshot

# Arbitrary, fixed: identifies the change-log append lock among advisory locks.
CHANGE_LOG_LOCK_KEY = 0x6F61_6368  # high 32 bits of the lock id

EVERYONE = frozenset(Role)
# Who reads which entity through the feed. Anything customer-facing is for everyone;
# the review queue is supervisors' work; accounts and the audit trail are admins'.
ENTITY_READERS: dict[str, frozenset[Role]] = {
    **{entity: EVERYONE for entity in ENTITY_MODELS},
    "review_case": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "user": frozenset({Role.ADMIN}),
    "audit_event": frozenset({Role.ADMIN}),
}


def visible_entities(role: Role) -> frozenset[str]:
    return frozenset(entity for entity, roles in ENTITY_READERS.items() if role in roles)


@dataclass(frozen=True, slots=True)
class PendingChange:
    entity: str
    row: Base
    op: str  # create | update | delete


def lock_for_append(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # The table's oid in the low bits: servers in other schemas of the same database
        # (tests, staging) have their own change log and must not wait for ours.
        session.execute(
            text(
                "SELECT pg_advisory_xact_lock("
                "(CAST(:key AS bigint) << 32) | 'change_log'::regclass::oid::bigint)"
            ),
            {"key": CHANGE_LOG_LOCK_KEY},
        )


def append(
    session: Session, changes: Iterable[PendingChange], *, actor: str | None, at: datetime
) -> int | None:
    """Write the change-log rows for ``changes`` (call last in the transaction).

    Returns the last ``seq`` written, or None when there was nothing to write.
    """
    pending = list(changes)
    if not pending:
        return None
    session.flush()  # entity rows first: defaults filled, constraints checked
    lock_for_append(session)
    entries = []
    for change in pending:
        data = snapshot(change.entity, change.row)
        entry = ChangeLog(
            entity=change.entity,
            entity_id=uuid.UUID(data["id"]),
            op=change.op,
            version=data.get("version"),
            data=dumps(data) if change.op != "delete" else "null",
            at=at,
            actor=actor,
        )
        session.add(entry)
        entries.append(entry)
    session.flush()
    return max(entry.seq for entry in entries)


@functools.lru_cache(maxsize=16)
def _feed_statement(entities: frozenset[str]) -> Select[Any]:
    """The page query for one scope, built once: only ``since`` and ``limit`` vary.

    The entity names are rendered into the SQL (they are this module's own constants),
    so no expanding IN parameter is processed per execution.
    """
    log = ChangeLog.__table__
    query = select(
        log.c.seq, log.c.entity, type_coerce(log.c.entity_id, String), log.c.op, log.c.data
    ).where(log.c.seq > bindparam("since", type_=BigInteger))
    if entities != frozenset(ENTITY_MODELS):
        names: list[ColumnElement[Any]] = [
            literal_column(f"'{entity}'") for entity in sorted(entities)
        ]
        query = query.where((log.c.entity + literal_column("''")).in_(names))
    return query.order_by(log.c.seq).limit(bindparam("limit", type_=Integer))


def feed_query(since: int, limit: int, entities: frozenset[str]) -> Select[Any]:
    """The page query: walks the primary key in ``seq`` order and filters on the way.

    The entity filter is on ``entity || ''`` so that no index on ``entity`` can lure the
    planner away from that walk: databases made before the change-log index was
    reordered still have one leading with ``entity``, and SQLite without statistics
    would then read every matching row of the whole log and sort them, for each page.
    """
    return _feed_statement(entities).params(since=since, limit=limit)


def read_page(
    conn: Connection, *, since: int, limit: int, entities: frozenset[str]
) -> tuple[list[str], int | None, bool]:
    """Up to ``limit`` changes after ``since`` among ``entities``, as JSON objects ready to
    send; the last ``seq`` among them (None when empty); whether more follow.

    This is the hottest read of all, so it stays close to the driver: Core, not ORM, on
    a plain connection; one prepared statement per scope; the id as stored text (no
    ``uuid.UUID`` per row); the snapshot is already JSON.
    """
    rows = conn.execute(_feed_statement(entities), {"since": since, "limit": limit + 1}).all()
    page = rows[:limit]
    items = [
        f'{{"seq":{seq},"entity":"{entity}","id":"{_dashed(entity_id)}","op":"{op}","data":{data}}}'
        for seq, entity, entity_id, op, data in page
    ]
    return items, (page[-1][0] if page else None), len(rows) > limit


def _dashed(uuid_text: str | uuid.UUID) -> str:
    """The canonical 8-4-4-4-12 form of a UUID as the database hands it back: 32 hex
    digits on SQLite (CHAR(32)), a ``uuid.UUID`` or dashed text elsewhere."""
    if isinstance(uuid_text, str) and len(uuid_text) == 32:
        h = uuid_text.lower()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return str(uuid_text)


def latest_seq(session: Session) -> int:
    return session.scalar(select(func.max(ChangeLog.seq))) or 0


def snapshot_at_version(
    session: Session, entity: str, entity_id: uuid.UUID, version: int
) -> dict[str, Any] | None:
    """The row as it was at ``version`` (what a client based an edit on), if logged."""
    data = session.scalar(
        select(ChangeLog.data)
        .where(
            ChangeLog.entity == entity,
            ChangeLog.entity_id == entity_id,
            ChangeLog.version == version,
        )
        .order_by(ChangeLog.seq.desc())
        .limit(1)
    )
    if data is None:
        return None
    value = json.loads(data)
    return value if isinstance(value, dict) else None
