"""The supervisor's low-score review queue, read from the local cache.

Cases arrive through the change feed like everything else (supervisors' and admins'
feeds carry them). Pages are keyset pages on (opened_at, id), newest first; filters
narrow by status, channel, the operator who handled the conversation, the score and
the case's age. Blocking SQLite work: call it on the DB worker thread.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from operator_app.cache.mapping import as_datetime, as_optional_uuid, as_uuid
from operator_app.cache.types import to_micros
from operator_app.domain.enums import ReviewStatus

OPEN_STATUSES = tuple(s.value for s in ReviewStatus if s is not ReviewStatus.RESOLVED)


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    statuses: tuple[str, ...] = OPEN_STATUSES  # empty: every status
    channel: str | None = None
    operator: str | None = None  # who handled the conversation
    max_score: int | None = None
    older_than: timedelta | None = None  # cases open at least this long
    assignee: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewQueueItem:
    id: uuid.UUID
    opened_at: datetime
    status: ReviewStatus
    assignee: str | None
    version: int
    customer_id: uuid.UUID
    customer_name: str
    phones: tuple[str, ...]
    survey_id: uuid.UUID
    kind: str
    score: int | None
    comment: str
    channel: str
    operator: str | None
    conversation_id: uuid.UUID | None
    topic: str
    actions: tuple[dict[str, Any], ...] = field(default=())

    @property
    def cursor(self) -> tuple[datetime, uuid.UUID]:
        return self.opened_at, self.id


_SELECT = (
    "SELECT r.id, r.opened_at, r.status, r.assignee, r.version, r.customer_id, "
    "c.first_name, c.middle_name, c.last_name, c.phones, r.survey_id, s.kind, s.score, "
    "s.comment, COALESCE(v.channel, s.channel), v.assignee, v.id, v.topic, r.actions "
    "FROM review_cases r JOIN surveys s ON s.id = r.survey_id "
    "JOIN customers c ON c.id = r.customer_id "
    "LEFT JOIN conversations v ON v.id = s.conversation_id"
)


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    data = json.loads(value) if isinstance(value, str | bytes) else value
    return list(data) if isinstance(data, list) else []


def _item(row: tuple[Any, ...]) -> ReviewQueueItem:
    (case_id, opened, status, assignee, version, customer_id, first, middle, last, phones,
     survey_id, kind, score, comment, channel, operator, conversation_id, topic,
     actions) = row  # fmt: skip
    try:
        state = ReviewStatus(status)
    except ValueError:
        state = ReviewStatus.NEW
    return ReviewQueueItem(
        id=as_uuid(case_id),
        opened_at=as_datetime(opened),
        status=state,
        assignee=assignee,
        version=int(version or 0),
        customer_id=as_uuid(customer_id),
        customer_name=" ".join(p for p in (first, middle, last) if p) or "—",
        phones=tuple(str(p) for p in _json_list(phones)),
        survey_id=as_uuid(survey_id),
        kind=str(kind or ""),
        score=score,
        comment=comment or "",
        channel=str(channel or ""),
        operator=operator,
        conversation_id=as_optional_uuid(conversation_id),
        topic=topic or "",
        actions=tuple(a for a in _json_list(actions) if isinstance(a, dict)),
    )


def review_page(
    engine: Engine,
    filters: ReviewFilter,
    *,
    now: datetime,
    after: tuple[datetime, uuid.UUID] | None = None,
    limit: int = 100,
) -> list[ReviewQueueItem]:
    """One page of cases, newest first, after ``after`` (the last item's cursor)."""
    where: list[str] = []
    params: list[Any] = []
    if filters.statuses:
        where.append(f"r.status IN ({', '.join('?' * len(filters.statuses))})")
        params += filters.statuses
    if filters.channel:
        where.append("COALESCE(v.channel, s.channel) = ?")
        params.append(filters.channel)
    if filters.operator:
        where.append("v.assignee = ?")
        params.append(filters.operator)
    if filters.assignee:
        where.append("r.assignee = ?")
        params.append(filters.assignee)
    if filters.max_score is not None:
        where.append("s.score <= ?")
        params.append(filters.max_score)
    if filters.older_than is not None:
        where.append("r.opened_at <= ?")
        params.append(to_micros(now - filters.older_than))
    if after is not None:
        where.append("(r.opened_at, r.id) < (?, ?)")
        params += [to_micros(after[0]), after[1].bytes]
    sql = _SELECT
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY r.opened_at DESC, r.id DESC LIMIT ?"
    params.append(limit)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(sql, tuple(params)).all()
    return [_item(tuple(row)) for row in rows]


def review_case(engine: Engine, case_id: uuid.UUID) -> ReviewQueueItem | None:
    with engine.connect() as conn:
        row = conn.exec_driver_sql(_SELECT + " WHERE r.id = ?", (case_id.bytes,)).first()
    return None if row is None else _item(tuple(row))


def queue_operators(engine: Engine) -> list[str]:
    """Operators who handled a conversation with a review case (for the filter)."""
    sql = (
        "SELECT DISTINCT v.assignee FROM review_cases r JOIN surveys s ON s.id = r.survey_id "
        "JOIN conversations v ON v.id = s.conversation_id WHERE v.assignee IS NOT NULL "
        "ORDER BY v.assignee LIMIT 500"
    )
    with engine.connect() as conn:
        return [str(r[0]) for r in conn.exec_driver_sql(sql).all()]
