"""Raw cache rows → domain entities.

Hot read paths run plain SQL (their plans are checked by tests), so values arrive in
their stored form: UUIDs as 16-byte blobs, times as UTC microseconds, dates as day
ordinals, money as minor units, lists as JSON text. Unknown enum values (a newer
server may send them) map to a neutral member instead of failing the whole screen.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from operator_app.cache.types import days_to_date, from_micros
from operator_app.domain.entities import (
    Consent,
    Conversation,
    Coverage,
    Customer,
    CustomerValue,
    Interest,
    Order,
    OrderLine,
)
from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    InterestStage,
    OrderStatus,
    Tier,
)

Row = Mapping[str, Any]
E = TypeVar("E", bound=StrEnum)


def as_uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(bytes=bytes(value))


def as_optional_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else as_uuid(value)


def as_datetime(value: Any) -> datetime:
    return from_micros(int(value))


def as_optional_datetime(value: Any) -> datetime | None:
    return None if value is None else from_micros(int(value))


def as_optional_date(value: Any) -> date | None:
    return None if value is None else days_to_date(int(value))


def as_money(value: Any) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def as_enum(kind: type[E], value: Any, fallback: E) -> E:
    try:
        return kind(value)
    except ValueError:
        return fallback


def display_name(last_name: str | None, first_name: str | None, middle_name: str | None) -> str:
    parts = [last_name, first_name, middle_name]
    return " ".join(p for p in parts if p) or "—"


def customer(row: Row) -> Customer:
    channels = frozenset(
        as_enum(Channel, c, Channel.OTHER) for c in as_list(row["consent_channels"])
    )
    predicted = row["predicted_clv"]
    return Customer(
        id=as_uuid(row["id"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
        middle_name=row["middle_name"] or "",
        phones=tuple(str(p) for p in as_list(row["phones"])),
        emails=tuple(str(e) for e in as_list(row["emails"])),
        language=row["language"],
        timezone=row["timezone"],
        birthday=as_optional_date(row["birthday"]),
        customer_since=as_optional_date(row["customer_since"]),
        channel_of_origin=as_enum(Channel, row["channel_of_origin"], Channel.OTHER),
        tier=as_enum(Tier, row["tier"], Tier.STANDARD),
        segment=row["segment"] or "",
        tags=tuple(str(t) for t in as_list(row["tags"])),
        consent=Consent(channels=channels, marketing=bool(row["consent_marketing"])),
        value=CustomerValue(
            historical_clv=as_money(row["historical_clv"]),
            predicted_clv=None if predicted is None else as_money(predicted),
            p_alive=row["p_alive"],
            expected_purchases=row.get("expected_purchases"),
            segment=row["value_segment"],
            last_csat=row["last_csat"],
            last_nps=row["last_nps"],
            open_complaints=row["open_complaints"] or 0,
            currency=row["currency"],
        ),
        version=row["version"],
        updated_at=as_optional_datetime(row["updated_at"]),
    )


def order(row: Row, lines: tuple[OrderLine, ...]) -> Order:
    return Order(
        id=as_uuid(row["id"]),
        customer_id=as_uuid(row["customer_id"]),
        number=row["number"],
        ordered_at=as_datetime(row["ordered_at"]),
        amount=as_money(row["amount"]),
        currency=row["currency"],
        status=as_enum(OrderStatus, row["status"], OrderStatus.PENDING),
        lines=lines,
    )


def order_line(row: Row) -> OrderLine:
    return OrderLine(
        product_id=as_uuid(row["product_id"]),
        product_name=row["product_name"] or "",
        quantity=row["quantity"],
        amount=as_money(row["amount"]),
    )


def coverage(row: Row) -> Coverage:
    return Coverage(
        id=as_uuid(row["id"]),
        customer_id=as_uuid(row["customer_id"]),
        product_id=as_uuid(row["product_id"]),
        product_name=row["product_name"] or "",
        kind=as_enum(CoverageKind, row["kind"], CoverageKind.SUPPORT),
        contract_number=row["contract_number"],
        starts=days_to_date(int(row["starts"])),
        ends=days_to_date(int(row["ends"])),
        auto_renew=bool(row["auto_renew"]),
    )


def interest(row: Row) -> Interest:
    return Interest(
        id=as_uuid(row["id"]),
        customer_id=as_uuid(row["customer_id"]),
        product_id=as_uuid(row["product_id"]),
        product_name=row["product_name"] or "",
        stage=as_enum(InterestStage, row["stage"], InterestStage.VIEWED),
        last_activity_at=as_datetime(row["last_activity_at"]),
    )


def conversation(row: Row) -> Conversation:
    return Conversation(
        id=as_uuid(row["id"]),
        customer_id=as_uuid(row["customer_id"]),
        channel=as_enum(Channel, row["channel"], Channel.OTHER),
        status=as_enum(ConversationStatus, row["status"], ConversationStatus.OPEN),
        topic=row["topic"] or "",
        assignee=row["assignee"],
        opened_at=as_datetime(row["opened_at"]),
        first_response_at=as_optional_datetime(row["first_response_at"]),
        resolved_at=as_optional_datetime(row["resolved_at"]),
        next_follow_up_at=as_optional_datetime(row["next_follow_up_at"]),
        last_inbound_at=as_optional_datetime(row["last_inbound_at"]),
        last_outbound_at=as_optional_datetime(row["last_outbound_at"]),
        version=row["version"],
    )
