"""Server tables: the whole data model of DESIGN.md plus the server's own bookkeeping.

Entity tables use the same entity names and column names as the client cache
(``operator_app/cache/models.py``) and the demo generator's rows, so demo batches
load directly and change-feed snapshots map one to one onto cache rows. On top of
that every entity row carries ``version`` (starts at 1, +1 per change) and
``updated_at``. Server-only columns (password hashes, disabled flags) never leave
the server: snapshots list their columns explicitly (``serialize.py``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from operator_app.server.types import JSONDocument, Money, UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint identity.
BigSerial = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(),
        datetime: UTCDateTime(),
        date: Date(),
        Decimal: Money(),
        dict[str, Any]: JSONDocument,
        list[Any]: JSONDocument,
    }


class Versioned:
    """Bookkeeping on every entity row: optimistic-concurrency version and last change."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class ServerMeta(Base):
    """Facts about this database: whether it was created as a demo, when, by which version."""

    __tablename__ = "server_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- the data model (mirrors the client cache) -------------------------------------------


class Customer(Versioned, Base):
    __tablename__ = "customers"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    middle_name: Mapped[str] = mapped_column(String(200), default="")
    name_key: Mapped[str] = mapped_column(String(600), index=True)
    phones: Mapped[list[Any]] = mapped_column(default=list)
    emails: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(16), default="ru")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    birthday: Mapped[date | None]
    customer_since: Mapped[date | None]
    channel_of_origin: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(32), default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    consent_channels: Mapped[list[Any]] = mapped_column(default=list)
    consent_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    historical_clv: Mapped[Decimal] = mapped_column(default=Decimal(0))
    predicted_clv: Mapped[Decimal | None]
    p_alive: Mapped[float | None] = mapped_column(Float)
    # BG/NBD expected purchases over the refit's horizon (analytics refit)
    expected_purchases: Mapped[float | None] = mapped_column(Float)
    value_segment: Mapped[str | None] = mapped_column(String(32))
    last_csat: Mapped[int | None]
    last_nps: Mapped[int | None]
    open_complaints: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")


class CustomerPhone(Base):
    """Phone → customer lookup for screen pops; derived from ``customers.phones``."""

    __tablename__ = "customer_phones"
    e164: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Product(Versioned, Base):
    __tablename__ = "products"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal]
    # Deferred: a catalogue batch may list a product before its successor.
    successor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("products.id", deferrable=True, initially="DEFERRED")
    )


class Order(Versioned, Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_customer_ts", "customer_id", "ordered_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(64), unique=True)
    ordered_at: Mapped[datetime]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    status: Mapped[str] = mapped_column(String(16))


class OrderLine(Versioned, Base):
    __tablename__ = "order_lines"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(default=1)
    amount: Mapped[Decimal]


class Coverage(Versioned, Base):
    """Subscriptions, warranties and support contracts."""

    __tablename__ = "coverages"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    kind: Mapped[str] = mapped_column(String(16))
    contract_number: Mapped[str] = mapped_column(String(64), unique=True)
    starts: Mapped[date]
    ends: Mapped[date] = mapped_column(index=True)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)


class Interest(Versioned, Base):
    __tablename__ = "interests"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    stage: Mapped[str] = mapped_column(String(16))
    last_activity_at: Mapped[datetime]


class Conversation(Versioned, Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_customer_ts", "customer_id", "opened_at", "id"),
        Index("ix_conversations_status_ts", "status", "opened_at"),
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(300), default="")
    assignee: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    next_follow_up_at: Mapped[datetime | None]
    last_inbound_at: Mapped[datetime | None]
    last_outbound_at: Mapped[datetime | None]


class Message(Versioned, Base):
    """Append-only. ``customer_id`` is denormalised like in the cache."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_customer_ts", "customer_id", "sent_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    attachments: Mapped[list[Any]] = mapped_column(default=list)


class Note(Versioned, Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_customer_ts", "customer_id", "created_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Survey(Versioned, Base):
    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_customer_ts", "customer_id", "sent_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    token: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime]
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]


class ReviewCase(Versioned, Base):
    __tablename__ = "review_cases"
    # The supervisors' queue is read newest first, page by page.
    __table_args__ = (Index("ix_review_cases_opened", "opened_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime]
    actions: Mapped[list[Any]] = mapped_column(default=list)
    resolved_at: Mapped[datetime | None]


class Offer(Versioned, Base):
    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_customer_ts", "customer_id", "at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"))
    reason_code: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    outcome: Mapped[str] = mapped_column(String(16))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    by_user: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime]


class UpsellRule(Versioned, Base):
    __tablename__ = "upsell_rules"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)


class UpsellStats(Versioned, Base):
    """What the analytics refit learned for offline ranking: one row (fixed id).

    ``acceptance``: rows of ``AcceptanceStats.to_list()`` (reason_code, segment,
    accepted, declined, not_now); ``co_purchases``: rows {product_id, with_product_id,
    confidence} for ``CoPurchaseStats``.
    """

    __tablename__ = "upsell_stats"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime]
    acceptance: Mapped[list[Any]] = mapped_column(default=list)
    co_purchases: Mapped[list[Any]] = mapped_column(default=list)


class User(Versioned, Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    # Server only. NULL: the account cannot sign in (e.g. a demo author without a password).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Versioned, Base):
    __tablename__ = "audit_events"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Policy(Versioned, Base):
    """The team's policy (survey rules, thresholds, limits, SLAs): one row, synced to all.

    ``document`` is the JSON of ``server/policy.py``'s ``SurveyPolicy``.
    """

    __tablename__ = "policies"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


# --- server bookkeeping ---------------------------------------------------------------------


class ChangeLog(Base):
    """Every change to an entity row, in commit order (``seq``), with the row's snapshot.

    ``data`` is the snapshot as JSON text, so ``/changes`` pages are served without
    re-encoding; ``version`` lets a conflict check look up the row as a client saw it.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        # Row first, not entity: an `entity IN (...)` filter on a feed page must not tempt
        # the planner away from walking the primary key in seq order.
        Index("ix_change_log_row", "entity_id", "entity", "version"),
        {"sqlite_autoincrement": True},
    )
    seq: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    op: Mapped[str] = mapped_column(String(8))
    version: Mapped[int | None]
    data: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(100))


class AnalyticsRun(Base):
    """One run of the customer-value refit: who started it, how it went, the fitted model.

    ``status``: running → succeeded | failed | cancelled; a run whose ``heartbeat_at``
    went stale (the process died) is marked abandoned by the next one.
    """

    __tablename__ = "analytics_runs"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    trigger: Mapped[str] = mapped_column(String(16))  # command | schedule
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    customers: Mapped[int] = mapped_column(default=0)  # customers looked at
    scored: Mapped[int] = mapped_column(default=0)  # customers with a prediction
    changed: Mapped[int] = mapped_column(default=0)  # customer rows updated (= feed rows)
    # ClvModel.to_dict() (BG/NBD and Gamma-Gamma parameters, horizon, discount), if fitted
    model: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # timings, counts
    message: Mapped[str] = mapped_column(Text, default="")


class Token(Base):
    """Bearer tokens, stored as SHA-256 of the secret: a stolen table opens nothing."""

    __tablename__ = "tokens"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "user": a signed-in person; "telephony": a PBX/CTI integration that may only
    # report incoming contacts.
    scope: Mapped[str] = mapped_column(String(16), default="user")
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class MutationApplied(Base):
    """Idempotency record: one row per mutation whose effect the server holds."""

    __tablename__ = "mutations_applied"
    mutation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    op: Mapped[str] = mapped_column(String(16))
    version: Mapped[int | None]
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    applied_at: Mapped[datetime]


class SurveyToken(Base):
    """A link to a survey page, stored as SHA-256 of its secret. A survey may have several
    (the operator's link, the e-mail, the reminder); answering through one ends them all."""

    __tablename__ = "survey_tokens"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    survey_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class OutboundDelivery(Base):
    """One message to send (survey e-mail, gateway webhook, review alert), with retries.

    ``pending`` rows are due at ``next_attempt_at`` (later for quiet hours); a worker
    leases a row until ``lease_until`` while it sends. After the last failed attempt a
    row is ``dead`` (the admins' dead-letter list); ``skipped`` means no longer needed
    (e.g. a reminder for a survey already answered). ``target`` is for people (an
    address or a host), never a secret; URLs and credentials come from the settings.
    """

    __tablename__ = "outbound_deliveries"
    __table_args__ = (
        Index("ix_outbound_due", "status", "next_attempt_at"),
        Index("ix_outbound_status_ts", "status", "updated_at", "id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # email | gateway | review_alert
    purpose: Mapped[str] = mapped_column(String(16))  # survey | reminder | review_case
    survey_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(12))  # pending | sent | dead | skipped
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    # Which claim holds the lease: a worker whose lease ran out (and was claimed by
    # another) sees a different value and does not send.
    lease_claim: Mapped[uuid.UUID | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


# --- shared by the worker processes of one server (``serve --workers N``) ------------------


class ServerEvent(Base):
    """The event stream's recent hints, for every worker to fan out to its own streams.

    ``id`` is the event's place in the stream (the number in ``Last-Event-ID``); only the
    newest rows are kept (``events_store.py`` prunes the rest).
    """

    __tablename__ = "server_events"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)  # JSON text
    audience: Mapped[list[Any] | None] = mapped_column(JSONDocument)  # usernames; None: all
    at: Mapped[datetime]


class LoginFailure(Base):
    """Recent failed sign-ins per (username, client address), counted by every worker."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_key", "username", "client", "at"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100))
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(index=True)


class WorkerLease(Base):
    """A job that must run in one worker only: who holds it, and until when."""

    __tablename__ = "worker_leases"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    until: Mapped[datetime]


# entity name (API / change feed / demo rows) → mapped class; same names as the client's
ENTITY_MODELS: dict[str, type[Base]] = {
    "customer": Customer,
    "product": Product,
    "order": Order,
    "order_line": OrderLine,
    "coverage": Coverage,
    "interest": Interest,
    "conversation": Conversation,
    "message": Message,
    "note": Note,
    "survey": Survey,
    "review_case": ReviewCase,
    "offer": Offer,
    "upsell_rule": UpsellRule,
    "upsell_stats": UpsellStats,
    "user": User,
    "audit_event": AuditEvent,
    "policy": Policy,
}
