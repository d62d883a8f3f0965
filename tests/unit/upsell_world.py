"""A small shop and builders for upsell tests: one catalogue, entities made in one line."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from operator_app.domain.entities import (
    Conversation,
    Coverage,
    Interest,
    Offer,
    Order,
    OrderLine,
    Survey,
)
from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    InterestStage,
    OfferOutcome,
    OrderStatus,
    SurveyKind,
)
from operator_app.domain.upsell import Catalogue, CatalogueItem, CustomerContext

NOW = datetime(2025, 6, 15, 10, 0, tzinfo=UTC)
CUSTOMER = uuid.UUID(int=1)


def _id(n: int) -> uuid.UUID:
    return uuid.UUID(int=1000 + n)


PHONE_X3, PHONE_X4, PHONE_X5 = _id(1), _id(2), _id(3)
CASE, CHARGER, EARBUDS = _id(4), _id(5), _id(6)
PLAN_BASIC, PLAN_PLUS = _id(7), _id(8)
SUPPORT = _id(9)
WARRANTY_EXT = _id(10)
GIFT_CARD = _id(11)
OLD_LAPTOP = _id(12)  # successor not on sale any more
LAPTOP_G2, LAPTOP_G3 = _id(13), _id(14)

ITEMS = [
    CatalogueItem(
        PHONE_X3, "Nova X3", "Smartphones", Decimal("69990"), None, PHONE_X4, WARRANTY_EXT
    ),
    CatalogueItem(
        PHONE_X4, "Nova X4", "Smartphones", Decimal("79990"), None, PHONE_X5, WARRANTY_EXT
    ),
    CatalogueItem(
        PHONE_X5, "Nova X5", "Smartphones", Decimal("89990"), Decimal("15000"), None, WARRANTY_EXT
    ),
    CatalogueItem(CASE, "Nova case", "Accessories", Decimal("1990"), Decimal("1200")),
    CatalogueItem(CHARGER, "Fast charger", "Accessories", Decimal("2990"), Decimal("1500")),
    CatalogueItem(EARBUDS, "Nova Buds", "Audio", Decimal("9990"), Decimal("3000")),
    CatalogueItem(PLAN_BASIC, "Cloud Basic", "Plans", Decimal("1990"), Decimal("1500"), PLAN_PLUS),
    CatalogueItem(PLAN_PLUS, "Cloud Plus", "Plans", Decimal("2990"), Decimal("2300")),
    CatalogueItem(SUPPORT, "Priority support", "Support", Decimal("4990"), Decimal("4000")),
    CatalogueItem(WARRANTY_EXT, "Warranty +1 year", "Services", Decimal("5990"), Decimal("4500")),
    CatalogueItem(GIFT_CARD, "Birthday bonus card", "Gifts", Decimal("500"), Decimal("100")),
    CatalogueItem(OLD_LAPTOP, "AirBook G1", "Laptops", Decimal("59990"), None, LAPTOP_G2),
    CatalogueItem(
        LAPTOP_G2, "AirBook G2", "Laptops", Decimal("69990"), None, LAPTOP_G3, on_sale=False
    ),
    CatalogueItem(LAPTOP_G3, "AirBook G3", "Laptops", Decimal("99990"), Decimal("12000")),
]
CATALOGUE = Catalogue(ITEMS)
NAMES = {item.product_id: item.name for item in ITEMS}

_counter = iter(range(10**9))


def next_id() -> uuid.UUID:
    return uuid.UUID(int=10**12 + next(_counter))


def order(*products: uuid.UUID, days_ago: float, status: OrderStatus = OrderStatus.PAID) -> Order:
    lines = tuple(OrderLine(p, NAMES.get(p, "Unknown"), 1, Decimal(100)) for p in products)
    oid = next_id()
    return Order(
        oid,
        CUSTOMER,
        f"N-{oid.int % 100000}",
        NOW - timedelta(days=days_ago),
        Decimal(100) * len(products),
        "RUB",
        status,
        lines,
    )


def coverage(
    product: uuid.UUID,
    kind: CoverageKind,
    *,
    ends_in: int,
    auto_renew: bool = False,
    length_days: int = 365,
) -> Coverage:
    ends = NOW.date() + timedelta(days=ends_in)
    return Coverage(
        next_id(),
        CUSTOMER,
        product,
        NAMES.get(product, "Unknown"),
        kind,
        "C-1",
        ends - timedelta(days=length_days),
        ends,
        auto_renew,
    )


def interest(product: uuid.UUID, stage: InterestStage, *, days_ago: float) -> Interest:
    return Interest(
        next_id(), CUSTOMER, product, NAMES.get(product, "?"), stage, NOW - timedelta(days=days_ago)
    )


def offer(
    product: uuid.UUID | None,
    outcome: OfferOutcome,
    *,
    days_ago: float,
    reason: str = "successor_available",
) -> Offer:
    return Offer(
        next_id(),
        CUSTOMER,
        product,
        reason,
        "",
        0.0,
        outcome,
        "",
        "op",
        NOW - timedelta(days=days_ago),
    )


def survey(kind: SurveyKind, score: int, *, days_ago: float) -> Survey:
    at = NOW - timedelta(days=days_ago)
    return Survey(next_id(), CUSTOMER, None, kind, Channel.EMAIL, at, score, "", at)


def contact(
    topic: str = "delivery question",
    status: ConversationStatus = ConversationStatus.OPEN,
    channel: Channel = Channel.PHONE,
    *,
    opened_minutes_ago: float = 10,
) -> Conversation:
    return Conversation(
        next_id(),
        CUSTOMER,
        channel,
        status,
        topic,
        "op",
        NOW - timedelta(minutes=opened_minutes_ago),
    )


def context(**overrides: object) -> CustomerContext:
    values: dict[str, object] = {
        "customer_id": CUSTOMER,
        "now": NOW,
        "marketing_consent": True,
        "segment": "consumer",
    }
    values.update(overrides)
    return CustomerContext(**values)  # type: ignore[arg-type]
