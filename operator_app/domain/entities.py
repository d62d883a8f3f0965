"""Entities of DESIGN.md's data model as plain, immutable dataclasses.

The cache and the server return these; the GUI renders them. Ids are UUIDs, times
are timezone-aware UTC datetimes, money is ``Decimal`` in the order's currency.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    Direction,
    InterestStage,
    OfferOutcome,
    OrderStatus,
    ReviewStatus,
    Role,
    SurveyKind,
    Tier,
    TimelineKind,
)


@dataclass(frozen=True, slots=True)
class Consent:
    """Per-channel contact consent plus marketing consent."""

    channels: frozenset[Channel] = frozenset()
    marketing: bool = False

    def allows(self, channel: Channel) -> bool:
        return channel in self.channels


@dataclass(frozen=True, slots=True)
class CustomerValue:
    """The value strip. Predicted values, P(alive), expected purchases and the value
    segment come from the server's analytics refit (None until it has run)."""

    historical_clv: Decimal = Decimal(0)
    predicted_clv: Decimal | None = None
    p_alive: float | None = None
    expected_purchases: float | None = None  # over the refit's horizon (12 months)
    segment: str | None = None
    last_csat: int | None = None
    last_nps: int | None = None
    open_complaints: int = 0
    currency: str = "RUB"


@dataclass(frozen=True, slots=True)
class Customer:
    id: uuid.UUID
    first_name: str
    last_name: str
    middle_name: str = ""
    phones: tuple[str, ...] = ()  # E.164
    emails: tuple[str, ...] = ()
    language: str = "ru"
    timezone: str = "Europe/Moscow"
    birthday: date | None = None
    customer_since: date | None = None
    channel_of_origin: Channel = Channel.PHONE
    tier: Tier = Tier.STANDARD
    segment: str = ""
    tags: tuple[str, ...] = ()
    consent: Consent = field(default_factory=Consent)
    value: CustomerValue = field(default_factory=CustomerValue)
    version: int = 1
    updated_at: datetime | None = None

    @property
    def display_name(self) -> str:
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or "—"

    @property
    def initials(self) -> str:
        letters = [p[0] for p in (self.first_name, self.last_name) if p]
        return "".join(letters).upper() or "?"


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """One row of search results or of a worklist."""

    id: uuid.UUID
    display_name: str
    phone: str | None
    email: str | None
    tier: Tier
    has_open_contact: bool = False


@dataclass(frozen=True, slots=True)
class Product:
    id: uuid.UUID
    sku: str
    name: str
    category: str
    price: Decimal
    successor_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class OrderLine:
    product_id: uuid.UUID
    product_name: str
    quantity: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Order:
    id: uuid.UUID
    customer_id: uuid.UUID
    number: str
    ordered_at: datetime
    amount: Decimal
    currency: str
    status: OrderStatus
    lines: tuple[OrderLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """A subscription, warranty or support contract."""

    id: uuid.UUID
    customer_id: uuid.UUID
    product_id: uuid.UUID
    product_name: str
    kind: CoverageKind
    contract_number: str
    starts: date
    ends: date
    auto_renew: bool

    def days_left(self, today: date) -> int:
        return (self.ends - today).days


@dataclass(frozen=True, slots=True)
class Interest:
    id: uuid.UUID
    customer_id: uuid.UUID
    product_id: uuid.UUID
    product_name: str
    stage: InterestStage
    last_activity_at: datetime


@dataclass(frozen=True, slots=True)
class Conversation:
    id: uuid.UUID
    customer_id: uuid.UUID
    channel: Channel
    status: ConversationStatus
    topic: str
    assignee: str | None
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    next_follow_up_at: datetime | None = None
    last_inbound_at: datetime | None = None
    last_outbound_at: datetime | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class Message:
    id: uuid.UUID
    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    direction: Direction
    author: str
    body: str
    sent_at: datetime
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    id: uuid.UUID
    customer_id: uuid.UUID
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Survey:
    id: uuid.UUID
    customer_id: uuid.UUID
    conversation_id: uuid.UUID | None
    kind: SurveyKind
    channel: Channel
    sent_at: datetime
    score: int | None = None
    comment: str = ""
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReviewCase:
    id: uuid.UUID
    survey_id: uuid.UUID
    customer_id: uuid.UUID
    status: ReviewStatus
    assignee: str | None
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class Offer:
    id: uuid.UUID
    customer_id: uuid.UUID
    product_id: uuid.UUID | None
    reason_code: str
    explanation: str
    score: float
    outcome: OfferOutcome
    outcome_reason: str
    by_user: str
    at: datetime


@dataclass(frozen=True, slots=True)
class User:
    id: uuid.UUID
    username: str
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One entry of the omnichannel timeline, newest first, keyed by (at, id)."""

    kind: TimelineKind
    id: uuid.UUID
    at: datetime
    title: str
    body: str
    channel: Channel | None = None
    is_open: bool = False
    direction: Direction | None = None
    score: int | None = None
    answered_at: datetime | None = None  # surveys: when the customer answered


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """Everything the centre panel shows above the timeline."""

    customer: Customer
    orders: tuple[Order, ...]
    coverages: tuple[Coverage, ...]
    interests: tuple[Interest, ...]
    open_conversations: tuple[Conversation, ...]
    order_count: int = 0


@dataclass(frozen=True, slots=True)
class WorklistItem:
    """One conversation in a worklist section (mine, incoming, follow-ups, hanging)."""

    conversation_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    channel: Channel
    status: ConversationStatus
    topic: str
    since: datetime  # opened, follow-up due, or last inbound message (waiting since)
    overdue: bool = False
