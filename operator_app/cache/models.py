"""SQLAlchemy 2 models of the local cache: the whole data model of DESIGN.md.

Column names match the server's and the demo generator's row dictionaries, so one
bulk loader serves both. Indexes are chosen for the hot paths: phone → customer,
customer → timeline page by keyset ``(customer_id, ts DESC, id DESC)``, worklists.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from operator_app.cache.types import DayNumber, Money, UTCMicros, UUIDBlob


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: UUIDBlob(),
        datetime: UTCMicros(),
        date: DayNumber(),
        Decimal: Money(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Versioned:
    """Server bookkeeping every synced row carries."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None]


class Meta(Base):
    """Key/value facts about this cache file: format marker, schema version, owner."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CustomerRow(Versioned, Base):
    __tablename__ = "customers"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    middle_name: Mapped[str] = mapped_column(String(200), default="")
    # Folded "last first middle" (lower case, ё→е) for prefix ordering of short queries.
    name_key: Mapped[str] = mapped_column(String(600), index=True)
    phones: Mapped[list[Any]] = mapped_column(default=list)  # E.164 strings
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
    value_segment: Mapped[str | None] = mapped_column(String(32))
    last_csat: Mapped[int | None]
    last_nps: Mapped[int | None]
    open_complaints: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    # BG/NBD expected purchases over the refit's horizon (added in cache schema 5, hence
    # after the server bookkeeping columns: an upgraded file adds it at the end).
    expected_purchases: Mapped[float | None] = mapped_column(Float, sort_order=100)


class CustomerPhoneRow(Base):
    """One row per phone number: the screen-pop lookup (E.164 → customer)."""

    __tablename__ = "customer_phones"
    e164: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProductRow(Versioned, Base):
    __tablename__ = "products"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal]
    successor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"))


class OrderRow(Versioned, Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_customer_ts", "customer_id", "ordered_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(64), unique=True)
    ordered_at: Mapped[datetime]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    status: Mapped[str] = mapped_column(String(16))


class OrderLineRow(Base):
    __tablename__ = "order_lines"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(default=1)
    amount: Mapped[Decimal]


class CoverageRow(Versioned, Base):
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


class InterestRow(Versioned, Base):
    __tablename__ = "interests"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    stage: Mapped[str] = mapped_column(String(16))
    last_activity_at: Mapped[datetime]


# Unresolved conversations, and among them those whose customer wrote last.
OPEN_SQL = "status IN ('open', 'pending')"
WAITING_SQL = "(last_outbound_at IS NULL OR last_inbound_at > last_outbound_at)"


class ConversationRow(Versioned, Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_customer_ts", "customer_id", "opened_at", "id"),
        Index("ix_conversations_status_ts", "status", "opened_at"),
        Index("ix_conversations_follow_up", "next_follow_up_at"),
        # Partial indexes over unresolved conversations only (a small slice of the table):
        # "has an open contact" badges, the card, my/incoming worklists, hanging dialogs.
        # Queries must repeat these WHERE clauses verbatim for SQLite to use them.
        Index("ix_conversations_open_customer", "customer_id", sqlite_where=text(OPEN_SQL)),
        Index(
            "ix_conversations_open_assignee", "assignee", "opened_at", sqlite_where=text(OPEN_SQL)
        ),
        Index(
            "ix_conversations_waiting",
            "channel",
            "last_inbound_at",
            sqlite_where=text(f"{OPEN_SQL} AND {WAITING_SQL}"),
        ),
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


class MessageRow(Base):
    """Append-only. ``customer_id`` is denormalised so a timeline page is one index range."""

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


class NoteRow(Versioned, Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_customer_ts", "customer_id", "created_at", "id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class SurveyRow(Versioned, Base):
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


class ReviewCaseRow(Versioned, Base):
    __tablename__ = "review_cases"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime]
    actions: Mapped[list[Any]] = mapped_column(default=list)  # audit trail entries


class OfferRow(Versioned, Base):
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


class UpsellRuleRow(Versioned, Base):
    __tablename__ = "upsell_rules"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)


class UpsellStatsRow(Versioned, Base):
    """What the server's value refit learned for ranking offers offline: one row (the
    server's fixed id). ``acceptance``: ``AcceptanceStats.to_list()`` rows;
    ``co_purchases``: ``{product_id, with_product_id, confidence}`` rows."""

    __tablename__ = "upsell_stats"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime | None]
    acceptance: Mapped[list[Any]] = mapped_column(default=list)
    co_purchases: Mapped[list[Any]] = mapped_column(default=list)


class UserRow(Versioned, Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PolicyRow(Versioned, Base):
    """The team's policy as the admin saved it (SLAs, survey rules): one synced row.

    ``document`` is the server's policy JSON, read through ``cache.policy_store``; no
    row yet means the admin never saved one and the defaults apply.
    """

    __tablename__ = "policies"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class WorklistSnoozeRow(Base):
    """A "waiting for our reply" entry this operator put aside until ``until``.

    Kept on this computer only (it is the operator's own view, not the team's data), so
    it survives a restart but not a cache rebuild. ``inbound_at`` is the customer's last
    message when it was snoozed: a newer message brings the entry back early.
    """

    __tablename__ = "worklist_snoozes"
    conversation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    until: Mapped[datetime] = mapped_column(index=True)
    inbound_at: Mapped[datetime | None]


class OutboxRow(Base):
    """Local changes waiting for the server, in the order they were made."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    op: Mapped[str] = mapped_column(String(16))
    base_version: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncStateRow(Base):
    """Single row (id = 1): change-feed cursor and who this cache belongs to."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None]
    server_url: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str | None] = mapped_column(String(100))


class SyncConflictRow(Base):
    """A local edit the server refused because the same fields changed there.

    Both sides are kept (JSON form, field → value) until the operator chooses.
    """

    __tablename__ = "sync_conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    base_version: Mapped[int | None]
    server_version: Mapped[int | None]
    mine: Mapped[dict[str, Any]] = mapped_column(default=dict)
    theirs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    detected_at: Mapped[datetime]


class RejectedMutationRow(Base):
    """An outbox row the server refused for good (kept aside, visible, not retried)."""

    __tablename__ = "outbox_rejected"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # its former outbox seq
    mutation_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    op: Mapped[str] = mapped_column(String(16))
    base_version: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    rejected_at: Mapped[datetime]
    error: Mapped[str] = mapped_column(Text, default="")


class ServerShadowRow(Base):
    """The server's last known values of fields that show unpushed local edits."""

    __tablename__ = "sync_shadow"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int | None]


# entity name (API / outbox / demo rows) → table
ENTITY_TABLES = {
    "customer": CustomerRow.__table__,
    "customer_phone": CustomerPhoneRow.__table__,
    "product": ProductRow.__table__,
    "order": OrderRow.__table__,
    "order_line": OrderLineRow.__table__,
    "coverage": CoverageRow.__table__,
    "interest": InterestRow.__table__,
    "conversation": ConversationRow.__table__,
    "message": MessageRow.__table__,
    "note": NoteRow.__table__,
    "survey": SurveyRow.__table__,
    "review_case": ReviewCaseRow.__table__,
    "offer": OfferRow.__table__,
    "upsell_rule": UpsellRuleRow.__table__,
    "upsell_stats": UpsellStatsRow.__table__,
    "user": UserRow.__table__,
    "audit_event": AuditEventRow.__table__,
    "policy": PolicyRow.__table__,
}
