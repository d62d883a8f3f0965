"""Closed vocabularies shared by the client cache, the server and the GUI.

Values are stable strings: they are stored in SQLite/PostgreSQL and sent over the API.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEBCHAT = "webchat"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    VK = "vk"
    INSTAGRAM = "instagram"
    SMS = "sms"
    OTHER = "other"  # in person, letter, anything else


# First-response SLA per channel (DESIGN.md defaults; admin policy may override).
DEFAULT_FIRST_RESPONSE_SLA: dict[Channel, timedelta] = {
    Channel.PHONE: timedelta(seconds=30),
    Channel.WEBCHAT: timedelta(minutes=5),
    Channel.WHATSAPP: timedelta(minutes=30),
    Channel.TELEGRAM: timedelta(minutes=30),
    Channel.VK: timedelta(minutes=30),
    Channel.INSTAGRAM: timedelta(minutes=30),
    Channel.SMS: timedelta(minutes=30),
    Channel.EMAIL: timedelta(hours=4),
    Channel.OTHER: timedelta(hours=4),
}


class Tier(StrEnum):
    STANDARD = "standard"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"


class ConversationStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"


class Direction(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class OrderStatus(StrEnum):
    PAID = "paid"
    PENDING = "pending"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class CoverageKind(StrEnum):
    SUBSCRIPTION = "subscription"
    WARRANTY = "warranty"
    SUPPORT = "support"


class InterestStage(StrEnum):
    VIEWED = "viewed"
    CART = "cart"
    ABANDONED = "abandoned"
    WON = "won"
    LOST = "lost"


class SurveyKind(StrEnum):
    CSAT = "csat"  # 1..5
    NPS = "nps"  # 0..10
    CES = "ces"  # 1..7, 7 = very easy


class ReviewStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    CALLBACK_PLANNED = "callback_planned"
    COMPENSATED = "compensated"
    RESOLVED = "resolved"


class OfferOutcome(StrEnum):
    SHOWN = "shown"
    ACCEPTED = "accepted"
    NOT_NOW = "not_now"
    DECLINED = "declined"


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class TimelineKind(StrEnum):
    CONVERSATION = "conversation"
    MESSAGE = "message"
    NOTE = "note"
    SURVEY = "survey"
    OFFER = "offer"
    ORDER = "order"
