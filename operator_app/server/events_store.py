"""The ``server_events`` table: events every worker of one server reads and fans out.

Ids come from the table (one increasing sequence for all workers) and are written as
``<epoch>-<id>``; the epoch is made once per database (``server_meta``), so an id stays
valid across workers and restarts, while an id from another database is recognised as
foreign. Only the newest ``keep`` events matter; older rows are deleted now and then.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from operator_app.server.db import Database
from operator_app.server.events import HubEvent
from operator_app.server.models import ServerEvent
from operator_app.server.schema import read_meta, write_meta
from operator_app.server.serialize import dumps

EPOCH_KEY = "event_epoch"
PRUNE_EVERY = 64
# On PostgreSQL ids are taken before commit, so a reader could see id 11 before id 10
# commits and never look back. Publishers take turns on this advisory lock (held to
# the end of their short transaction), so ids become visible in order.
_PG_LOCK_KEY = 0x6F70_6576  # "opev"


def event_epoch(db: Database) -> str:
    """This database's event epoch, made by whichever worker asks first."""
    with db.reading() as session:
        epoch = read_meta(session, EPOCH_KEY)
    if epoch:
        return epoch
    try:
        with db.writing() as session:
            epoch = read_meta(session, EPOCH_KEY)
            if not epoch:
                epoch = secrets.token_hex(4)
                write_meta(session, EPOCH_KEY, epoch)
            return epoch
    except IntegrityError:  # another worker wrote it first
        with db.reading() as session:
            epoch = read_meta(session, EPOCH_KEY)
        assert epoch
        return epoch


def insert_event(
    db: Database,
    kind: str,
    data: dict[str, Any],
    audience: frozenset[str] | None,
    *,
    at: datetime,
    keep: int,
) -> int:
    with db.writing() as session:
        if db.is_postgres:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        row = ServerEvent(
            kind=kind,
            data=dumps(data),
            audience=sorted(audience) if audience is not None else None,
            at=at,
        )
        session.add(row)
        session.flush()
        number = int(row.id)
        if number % PRUNE_EVERY == 0:
            session.execute(delete(ServerEvent).where(ServerEvent.id <= number - keep))
    return number


def latest_event_id(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.max(ServerEvent.id))) or 0)


def events_after(db: Database, after: int, epoch: str, *, limit: int) -> list[HubEvent]:
    with db.reading() as session:
        rows = session.scalars(
            select(ServerEvent).where(ServerEvent.id > after).order_by(ServerEvent.id).limit(limit)
        ).all()
        return _events(rows, epoch)


@dataclass(frozen=True, slots=True)
class StoredRange:
    oldest: int | None
    newest: int | None
    events: list[HubEvent]  # after the asked-for id, oldest first


def replay_range(db: Database, after: int, epoch: str, *, limit: int) -> StoredRange:
    with db.reading() as session:
        oldest, newest = session.execute(
            select(func.min(ServerEvent.id), func.max(ServerEvent.id))
        ).one()
        rows = session.scalars(
            select(ServerEvent).where(ServerEvent.id > after).order_by(ServerEvent.id).limit(limit)
        ).all()
        return StoredRange(oldest, newest, _events(rows, epoch))


def _events(rows: Iterable[ServerEvent], epoch: str) -> list[HubEvent]:
    return [
        HubEvent(
            int(row.id),
            f"{epoch}-{row.id}",
            row.kind,
            json.loads(row.data),
            frozenset(row.audience) if row.audience is not None else None,
        )
        for row in rows
    ]
