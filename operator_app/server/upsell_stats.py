"""What clients need to rank offers offline as the server would: learned acceptance rates
and "bought together" pairs, computed by the value refit and synced as one row.

The row (entity ``upsell_stats``, fixed id :data:`UPSELL_STATS_ID`) holds

- ``acceptance``: ``AcceptanceStats.to_list()`` rows — outcome counts per (reason code,
  segment), the segment being the customer's *current* value segment, else business
  segment, else ``all`` (the same key ``CustomerContext.stats_segment`` looks up);
- ``co_purchases``: ``{product_id, with_product_id, confidence}`` rows from
  ``CoPurchaseStats.from_baskets`` over paid orders (one basket per order).

A client rebuilds the engine's inputs with ``AcceptanceStats.from_list(acceptance)`` and
``CoPurchaseStats((UUID(r["product_id"]), UUID(r["with_product_id"]), r["confidence"])
for r in co_purchases)``. The row is rewritten only when its content changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, String, func, literal, select
from sqlalchemy import type_coerce as coerce
from sqlalchemy.orm import Session

from operator_app.domain.enums import OfferOutcome, OrderStatus
from operator_app.domain.upsell import AcceptanceStats, CoPurchaseStats, OutcomeCounts
from operator_app.server.changelog import PendingChange
from operator_app.server.models import Customer, Offer, Order, OrderLine, Product, UpsellStats
from operator_app.server.refit_history import STREAM_ROWS

UPSELL_STATS_ID = uuid.UUID("75707365-6c6c-2d73-7461-747300000001")
CONFIDENCE_DIGITS = 4


@dataclass(frozen=True, slots=True)
class UpsellLearning:
    acceptance: list[dict[str, Any]]
    co_purchases: list[dict[str, Any]]
    offers: int  # answered offers counted
    baskets: int  # paid orders read


def stats_segment_of(customers: Any) -> Any:
    """SQL for ``CustomerContext.stats_segment``: value segment, else segment, else "all"."""
    return func.coalesce(
        func.nullif(customers.c.value_segment, ""),
        func.nullif(customers.c.segment, ""),
        literal("all"),
    )


def acceptance_stats(connection: Connection) -> tuple[AcceptanceStats, int]:
    offers, customers = Offer.__table__, Customer.__table__
    segment = stats_segment_of(customers).label("segment")
    query = (
        select(offers.c.reason_code, segment, offers.c.outcome, func.count().label("n"))
        .join(customers, customers.c.id == offers.c.customer_id)
        .where(offers.c.outcome != OfferOutcome.SHOWN.value)
        .group_by(offers.c.reason_code, segment, offers.c.outcome)
    )
    tallies: dict[tuple[str, str], list[float]] = {}
    answered = 0
    position = {
        OfferOutcome.ACCEPTED.value: 0,
        OfferOutcome.DECLINED.value: 1,
        OfferOutcome.NOT_NOW.value: 2,
    }
    for reason, seg, outcome, n in connection.execute(query):
        slot = position.get(outcome)
        if slot is None:  # an outcome this version does not know: leave it out
            continue
        tallies.setdefault((reason, seg), [0.0, 0.0, 0.0])[slot] += n
        answered += n
    return AcceptanceStats({key: OutcomeCounts(*t) for key, t in tallies.items()}), answered


def _baskets(connection: Connection, counter: list[int]) -> Iterator[list[uuid.UUID]]:
    lines, orders = OrderLine.__table__, Order.__table__
    sqlite = connection.dialect.name == "sqlite"
    order_id = coerce(lines.c.order_id, String()) if sqlite else lines.c.order_id
    product_id = coerce(lines.c.product_id, String()) if sqlite else lines.c.product_id
    query = (
        select(order_id, product_id)
        .join(orders, orders.c.id == lines.c.order_id)
        .where(orders.c.status == OrderStatus.PAID.value)
        .order_by(lines.c.order_id)
    )
    products: dict[Any, uuid.UUID] = {}  # raw value → UUID; the catalogue is small
    result = connection.execute(query.execution_options(yield_per=STREAM_ROWS))
    for _, rows in groupby(result, key=itemgetter(0)):
        basket = []
        for _, raw in rows:
            product = products.get(raw)
            if product is None:
                product = products[raw] = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
            basket.append(product)
        counter[0] += 1
        yield basket


def co_purchase_rows(connection: Connection) -> tuple[list[dict[str, Any]], int]:
    counter = [0]
    stats = CoPurchaseStats.from_baskets(_baskets(connection, counter))
    product_ids = connection.execute(select(Product.__table__.c.id)).scalars().all()
    rows = [
        {
            "product_id": str(anchor),
            "with_product_id": str(pair.product_id),
            "confidence": round(pair.confidence, CONFIDENCE_DIGITS),
        }
        for anchor in sorted(product_ids)
        for pair in stats.with_product(anchor)
    ]
    return rows, counter[0]


def learn(connection: Connection) -> UpsellLearning:
    acceptance, answered = acceptance_stats(connection)
    pairs, baskets = co_purchase_rows(connection)
    return UpsellLearning(acceptance.to_list(), pairs, answered, baskets)


def store(session: Session, learning: UpsellLearning, now: datetime) -> PendingChange | None:
    """Write the row if its content changed; the change for the feed, else None."""
    row = session.get(UpsellStats, UPSELL_STATS_ID, with_for_update=True)
    if row is None:
        row = UpsellStats(
            id=UPSELL_STATS_ID,
            computed_at=now,
            acceptance=learning.acceptance,
            co_purchases=learning.co_purchases,
            version=1,
            updated_at=now,
        )
        session.add(row)
        return PendingChange("upsell_stats", row, "create")
    if row.acceptance == learning.acceptance and row.co_purchases == learning.co_purchases:
        return None
    row.acceptance = learning.acceptance
    row.co_purchases = learning.co_purchases
    row.computed_at = now
    row.version += 1
    row.updated_at = now
    return PendingChange("upsell_stats", row, "update")
