"""Read side of the cache: queries that return domain objects.

Every list is bounded (``limit``) and paged by keyset, never by OFFSET. Queries are
plain SQL so their shape (and index use, asserted by the tests) is exactly what is
written here; the partial indexes on conversations are only used when a query
repeats their ``WHERE`` clause word for word, hence the shared ``_OPEN``/``_WAITING``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Connection, Engine

from operator_app.cache import mapping
from operator_app.cache.models import OPEN_SQL, WAITING_SQL
from operator_app.cache.policy_store import read_policy, sla_seconds
from operator_app.cache.search import customers_by_phone, search_customers
from operator_app.cache.types import to_micros
from operator_app.domain.entities import (
    CustomerCard,
    CustomerSummary,
    OrderLine,
    TimelineItem,
    WorklistItem,
)
from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    Direction,
    TimelineKind,
)

TimelineCursor = tuple[datetime, uuid.UUID]
WorklistCursor = tuple[datetime, uuid.UUID]

RECENT_ORDERS = 20
CARD_LIST_LIMIT = 100
MAX_PAGE = 500
_OPEN = "v." + OPEN_SQL
_WAITING = f"v.{OPEN_SQL} AND {WAITING_SQL.replace('last_', 'v.last_')}"
# Later than any stored time / id: the cursor of the first page, so every page runs
# the same statement (one cached plan).
_TOP_MICROS = 2**62
_TOP_ID = b"\xff" * 17


def _raw(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


@contextlib.contextmanager
def _reading(engine: Engine) -> Iterator[Connection]:
    """One read transaction, so the statements of one answer see one snapshot even while
    the sync thread commits."""
    with engine.connect() as conn, conn.begin():
        yield conn


def _dicts(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = _raw(conn).execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


class CustomerRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(self, query: str, limit: int = 50) -> list[CustomerSummary]:
        """Customers matching any fragment of name, phone (any format), e-mail, order or
        contract number. Safe for any input; an empty/blank query returns []."""
        with _reading(self.engine) as conn:
            return search_customers(conn, query, limit)

    def find_by_phone(self, raw_phone: str) -> list[CustomerSummary]:
        """Exact phone lookup for screen pop (any format → E.164 → customers)."""
        with _reading(self.engine) as conn:
            return customers_by_phone(conn, raw_phone)

    def get_card(self, customer_id: uuid.UUID) -> CustomerCard | None:
        key = customer_id.bytes
        with _reading(self.engine) as conn:
            rows = _dicts(conn, "SELECT * FROM customers WHERE id = ?", (key,))
            if not rows:
                return None
            customer = mapping.customer(rows[0])
            order_rows = _dicts(
                conn,
                "SELECT * FROM orders WHERE customer_id = ? "
                "ORDER BY ordered_at DESC, id DESC LIMIT ?",
                (key, RECENT_ORDERS),
            )
            lines = self._order_lines(conn, [row["id"] for row in order_rows])
            order_count = (
                _raw(conn)
                .execute("SELECT count(*) FROM orders WHERE customer_id = ?", (key,))
                .fetchone()[0]
            )
            coverages = _dicts(
                conn,
                "SELECT v.*, p.name AS product_name FROM coverages v "
                "LEFT JOIN products p ON p.id = v.product_id "
                "WHERE v.customer_id = ? ORDER BY v.ends DESC LIMIT ?",
                (key, CARD_LIST_LIMIT),
            )
            interests = _dicts(
                conn,
                "SELECT i.*, p.name AS product_name FROM interests i "
                "LEFT JOIN products p ON p.id = i.product_id "
                "WHERE i.customer_id = ? ORDER BY i.last_activity_at DESC LIMIT ?",
                (key, CARD_LIST_LIMIT),
            )
            conversations = _dicts(
                conn,
                f"SELECT * FROM conversations v WHERE v.customer_id = ? AND {_OPEN} "
                "ORDER BY v.opened_at DESC LIMIT ?",
                (key, CARD_LIST_LIMIT),
            )
        return CustomerCard(
            customer=customer,
            orders=tuple(mapping.order(row, lines.get(bytes(row["id"]), ())) for row in order_rows),
            coverages=tuple(mapping.coverage(row) for row in coverages),
            interests=tuple(mapping.interest(row) for row in interests),
            open_conversations=tuple(mapping.conversation(row) for row in conversations),
            order_count=order_count,
        )

    @staticmethod
    def _order_lines(
        conn: Connection, order_ids: list[bytes]
    ) -> dict[bytes, tuple[OrderLine, ...]]:
        if not order_ids:
            return {}
        marks = ", ".join("?" * len(order_ids))
        rows = _dicts(
            conn,
            "SELECT l.order_id, l.product_id, l.quantity, l.amount, p.name AS product_name "
            "FROM order_lines l LEFT JOIN products p ON p.id = l.product_id "
            f"WHERE l.order_id IN ({marks}) ORDER BY l.rowid",
            order_ids,
        )
        grouped: dict[bytes, list[OrderLine]] = {}
        for row in rows:
            grouped.setdefault(bytes(row["order_id"]), []).append(mapping.order_line(row))
        return {key: tuple(value) for key, value in grouped.items()}

    def timeline_page(
        self, customer_id: uuid.UUID, before: TimelineCursor | None = None, limit: int = 50
    ) -> list[TimelineItem]:
        """Newest-first items strictly older than ``before`` (at, id)."""
        limit = min(limit, MAX_PAGE)
        if limit <= 0:
            return []
        at, item_id = (
            (_TOP_MICROS, _TOP_ID)
            if before is None
            else (
                to_micros(before[0]),
                before[1].bytes,
            )
        )
        params = (customer_id.bytes, at, item_id, limit) * len(_TIMELINE_SOURCES) + (limit,)
        with self.engine.connect() as conn:
            rows = _raw(conn).execute(TIMELINE_SQL, params).fetchall()
        return [_timeline_item(row) for row in rows]


# kind, table, time column, then the select list after (kind, id, at):
# title, body, channel, status, direction, score
_TIMELINE_SOURCES = (
    (
        TimelineKind.CONVERSATION,
        "conversations",
        "opened_at",
        "topic, status, channel, status, NULL, NULL",
    ),
    (
        TimelineKind.MESSAGE,
        "messages",
        "sent_at",
        "author, body, (SELECT v.channel FROM conversations v WHERE v.id = t.conversation_id), "
        "NULL, direction, NULL",
    ),
    (TimelineKind.NOTE, "notes", "created_at", "author, body, NULL, NULL, NULL, NULL"),
    # A survey's status column carries its answer time.
    (TimelineKind.SURVEY, "surveys", "sent_at", "kind, comment, channel, answered_at, NULL, score"),
    (
        TimelineKind.OFFER,
        "offers",
        "at",
        "CASE WHEN explanation != '' THEN explanation ELSE reason_code END, "
        "CASE WHEN outcome_reason != '' THEN outcome || ': ' || outcome_reason "
        "ELSE outcome END, NULL, NULL, NULL, NULL",
    ),
    (
        TimelineKind.ORDER,
        "orders",
        "ordered_at",
        "number, printf('%.2f %s', amount / 100.0, currency), NULL, status, NULL, NULL",
    ),
)

# One LIMITed keyset range per source (each an index range on (customer_id, ts, id)),
# then the newest ``limit`` of their union.
TIMELINE_SQL = (
    " UNION ALL ".join(
        f"SELECT * FROM (SELECT '{kind.value}' AS kind, t.id AS id, t.{ts} AS at, {rest} "
        f"FROM {table} t WHERE t.customer_id = ? AND (t.{ts}, t.id) < (?, ?) "
        f"ORDER BY t.{ts} DESC, t.id DESC LIMIT ?)"
        for kind, table, ts, rest in _TIMELINE_SOURCES
    )
    + " ORDER BY at DESC, id DESC LIMIT ?"
)


def _timeline_item(row: tuple[Any, ...]) -> TimelineItem:
    kind, item_id, at, title, body, channel, status, direction, score = row
    kind = TimelineKind(kind)
    return TimelineItem(
        kind=kind,
        id=mapping.as_uuid(item_id),
        at=mapping.as_datetime(at),
        title=title or "",
        body=body or "",
        channel=None if channel is None else mapping.as_enum(Channel, channel, Channel.OTHER),
        is_open=kind is TimelineKind.CONVERSATION and status != ConversationStatus.RESOLVED,
        direction=None
        if direction is None
        else mapping.as_enum(Direction, direction, Direction.INBOUND),
        score=score,
        answered_at=mapping.as_optional_datetime(status) if kind is TimelineKind.SURVEY else None,
    )


class WorklistRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open_contacts(self, assignee: str | None, limit: int = 100) -> list[WorklistItem]:
        """Unresolved conversations of ``assignee`` (None: the unassigned "incoming"
        ones), newest first."""
        who = "v.assignee IS NULL" if assignee is None else "v.assignee = ?"
        params: tuple[Any, ...] = () if assignee is None else (assignee,)
        sql = (
            f"{_WORKLIST_SELECT}, v.opened_at AS since FROM conversations v "
            f"JOIN customers c ON c.id = v.customer_id WHERE {_OPEN} AND {who} "
            "ORDER BY v.opened_at DESC LIMIT ?"
        )
        with self.engine.connect() as conn:
            rows = _raw(conn).execute(sql, (*params, limit)).fetchall()
        return [_worklist_item(row, overdue=False) for row in rows]

    def follow_ups_due(
        self,
        now: datetime,
        limit: int = 100,
        until: datetime | None = None,
        after: WorklistCursor | None = None,
    ) -> list[WorklistItem]:
        """Conversations with a follow-up due by ``until`` (default ``now``; pass the end
        of the operator's day for "due today"), earliest first; ``overdue`` when past.
        ``after`` (the last item's ``since`` and conversation id) gives the next page."""
        limit = min(limit, MAX_PAGE)
        if limit <= 0:
            return []
        now_micros = to_micros(now)
        until_micros = to_micros(until) if until is not None else now_micros
        at, key = (-1, b"") if after is None else (to_micros(after[0]), after[1].bytes)
        sql = (
            f"{_WORKLIST_SELECT}, v.next_follow_up_at AS since FROM conversations v "
            "JOIN customers c ON c.id = v.customer_id "
            "WHERE v.next_follow_up_at <= ? AND (v.next_follow_up_at, v.id) > (?, ?) "
            "ORDER BY v.next_follow_up_at, v.id LIMIT ?"
        )
        with self.engine.connect() as conn:
            rows = _raw(conn).execute(sql, (until_micros, at, key, limit)).fetchall()
        return [_worklist_item(row, overdue=row[-1] < now_micros) for row in rows]

    def hanging(self, now: datetime, limit: int = 100) -> list[WorklistItem]:
        """Customer waiting: last inbound after last outbound and older than the channel's
        first-response SLA (the admin's policy, else the defaults), longest wait first.
        Entries the operator snoozed stay out until the snooze ends or the customer
        writes again."""
        limit = min(limit, MAX_PAGE)
        if limit <= 0:
            return []
        now_micros = to_micros(now)
        with _reading(self.engine) as conn:
            raw = _raw(conn)
            channels = [row[0] for row in raw.execute(_WAITING_CHANNELS_SQL)]
            if not channels:
                return []
            policy = read_policy(conn)
            snoozed = raw.execute(_ACTIVE_SNOOZE_SQL, (now_micros,)).fetchone() is not None
            params: list[Any] = []
            for channel in channels:
                sla = sla_seconds(policy, mapping.as_enum(Channel, channel, Channel.OTHER))
                params += [channel, now_micros - sla * 1_000_000]
                params += [now_micros] if snoozed else []
                params.append(limit)
            sql = _hanging_sql(len(channels), snoozed)
            rows = raw.execute(sql, (*params, limit)).fetchall()
        return [_worklist_item(row, overdue=True) for row in rows]

    def next_late_at(self, now: datetime) -> datetime | None:
        """When the next customer who is waiting, but still within the channel's target,
        goes past it (the moment "waiting for our reply" changes without any new data)."""
        now_micros = to_micros(now)
        with _reading(self.engine) as conn:
            raw = _raw(conn)
            policy = read_policy(conn)
            soonest: int | None = None
            for (channel,) in raw.execute(_WAITING_CHANNELS_SQL).fetchall():
                sla = sla_seconds(policy, mapping.as_enum(Channel, channel, Channel.OTHER))
                sla_micros = sla * 1_000_000
                (first,) = raw.execute(
                    _NEXT_LATE_SQL, (channel, now_micros - sla_micros)
                ).fetchone()
                if first is not None and (soonest is None or first + sla_micros < soonest):
                    soonest = first + sla_micros
        return None if soonest is None else mapping.as_datetime(soonest)


_WORKLIST_SELECT = (
    "SELECT v.id, v.customer_id, c.last_name, c.first_name, c.middle_name, "
    "v.channel, v.status, v.topic"
)

# The channels that have waiting conversations, read off the partial index a step at a
# time (a handful of seeks) rather than by scanning it. INDEXED BY: for min() the planner
# may otherwise pick the status index and walk every open conversation.
_WAITING_CHANNELS_SQL = f"""
    WITH RECURSIVE waiting(channel) AS (
        SELECT (SELECT min(v.channel) FROM conversations v
                INDEXED BY ix_conversations_waiting WHERE {_WAITING})
        UNION ALL
        SELECT (SELECT min(v.channel) FROM conversations v
                INDEXED BY ix_conversations_waiting
                 WHERE {_WAITING} AND v.channel > waiting.channel)
        FROM waiting WHERE waiting.channel IS NOT NULL
    )
    SELECT channel FROM waiting WHERE channel IS NOT NULL
"""


# Per channel, the earliest wait still within that channel's target.
_NEXT_LATE_SQL = (
    f"SELECT min(v.last_inbound_at) FROM conversations v INDEXED BY ix_conversations_waiting "
    f"WHERE v.channel = ? AND {_WAITING} AND v.last_inbound_at >= ?"
)
_ACTIVE_SNOOZE_SQL = "SELECT 1 FROM worklist_snoozes WHERE until > ? LIMIT 1"
# A snooze holds while it lasts and the customer has not written since it was set.
_NOT_SNOOZED = (
    "NOT EXISTS (SELECT 1 FROM worklist_snoozes s WHERE s.conversation_id = v.id "
    "AND s.until > ? AND v.last_inbound_at <= s.inbound_at)"
)


@lru_cache(maxsize=64)
def _hanging_sql(channels: int, snoozed: bool) -> str:
    """Per channel, the longest-waiting conversations past that channel's SLA, read from
    the partial index alone (snoozes, when any are active, need the row's id too); only
    the overall first ``limit`` are then joined to their rows and customers."""
    skip = f" AND {_NOT_SNOOZED}" if snoozed else ""
    per_channel = (
        "SELECT * FROM (SELECT v.rowid AS r, v.last_inbound_at AS since FROM conversations v "
        f"WHERE v.channel = ? AND {_WAITING} AND v.last_inbound_at < ?{skip} "
        "ORDER BY v.last_inbound_at, v.rowid LIMIT ?)"
    )
    union = " UNION ALL ".join([per_channel] * channels)
    return (
        f"{_WORKLIST_SELECT}, w.since FROM ({union} ORDER BY since, r LIMIT ?) w "
        "JOIN conversations v ON v.rowid = w.r JOIN customers c ON c.id = v.customer_id "
        "ORDER BY w.since, w.r"
    )


def _worklist_item(row: tuple[Any, ...], *, overdue: bool) -> WorklistItem:
    conv_id, customer_id, last, first, middle, channel, status, topic, since = row
    return WorklistItem(
        conversation_id=mapping.as_uuid(conv_id),
        customer_id=mapping.as_uuid(customer_id),
        customer_name=mapping.display_name(last, first, middle),
        channel=mapping.as_enum(Channel, channel, Channel.OTHER),
        status=mapping.as_enum(ConversationStatus, status, ConversationStatus.OPEN),
        topic=topic or "",
        since=mapping.as_datetime(since),
        overdue=overdue,
    )
