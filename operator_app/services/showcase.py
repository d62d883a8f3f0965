"""Which customer to put on screen when nobody asked for one (demo screenshots)."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, func, select
from sqlalchemy.engine import Engine

from operator_app.cache.models import ConversationRow, CustomerRow, MessageRow
from operator_app.domain.enums import ConversationStatus

# Enough candidates to find a rich one without counting every customer's messages.
SAMPLE = 2000


def pick_showcase_customer(engine: Engine) -> uuid.UUID | None:
    """A customer with a rich history: an open contact and the longest timeline.

    Looks at a bounded sample (the first customers by name with an open contact),
    so it stays fast on a cache with millions of customers. ``None`` for an empty cache.
    """
    has_open = exists().where(
        ConversationRow.customer_id == CustomerRow.id,
        ConversationRow.status == ConversationStatus.OPEN.value,
    )
    with engine.connect() as conn:
        sample = (
            select(CustomerRow.id)
            .where(has_open)
            .order_by(CustomerRow.name_key)
            .limit(SAMPLE)
            .subquery()
        )
        richest = conn.execute(
            select(sample.c.id)
            .outerjoin(MessageRow, MessageRow.customer_id == sample.c.id)
            .group_by(sample.c.id)
            .order_by(func.count(MessageRow.id).desc(), sample.c.id)
            .limit(1)
        ).scalar()
        if richest is not None:
            return richest
        return conn.execute(select(CustomerRow.id).order_by(CustomerRow.name_key).limit(1)).scalar()


def cache_has_customers(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(CustomerRow.id).limit(1)).first() is not None
