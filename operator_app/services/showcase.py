"""Which customer to put on screen when nobody asked for one (demo screenshots)."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.engine import Engine

from operator_app.cache.models import (
    ConversationRow,
    CoverageRow,
    CustomerRow,
    InterestRow,
    MessageRow,
    OrderRow,
)
from operator_app.domain.enums import ConversationStatus
from operator_app.services.cache_probe import cache_has_customers

__all__ = ["cache_has_customers", "pick_showcase_customer"]

# Candidates: the customers of the latest open contacts. Enough to find a rich card
# without counting anything for millions of customers.
SAMPLE = 300
# What makes a card worth showing: history, purchases, coverages, open interests.
RICHNESS_WEIGHTS = (
    (MessageRow.customer_id, 1),
    (OrderRow.customer_id, 5),
    (CoverageRow.customer_id, 10),
    (InterestRow.customer_id, 10),
)


def pick_showcase_customer(engine: Engine) -> uuid.UUID | None:
    """A customer worth showing: an open contact and the fullest card and timeline.

    Looks only at the customers of the latest open conversations, so it stays fast on
    a cache with millions of customers. ``None`` for an empty cache.
    """
    with engine.connect() as conn:
        latest_open = conn.execute(
            select(ConversationRow.customer_id)
            .where(ConversationRow.status == ConversationStatus.OPEN.value)
            .order_by(ConversationRow.opened_at.desc())
            .limit(SAMPLE * 2)
        ).scalars()
        candidates = list(dict.fromkeys(latest_open))[:SAMPLE]
        if not candidates:
            return conn.execute(
                select(CustomerRow.id).order_by(CustomerRow.name_key).limit(1)
            ).scalar()

        richness: ColumnElement[int] = literal(0)
        for column, weight in RICHNESS_WEIGHTS:
            richness = richness + (
                select(func.count()).where(column == CustomerRow.id).scalar_subquery() * weight
            )
        return conn.execute(
            select(CustomerRow.id)
            .where(CustomerRow.id.in_(candidates))
            .order_by(richness.desc(), CustomerRow.id)
            .limit(1)
        ).scalar()
