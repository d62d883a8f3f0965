"""Read side of the cache: queries that return domain objects.

Every list is bounded (``limit``) and paged by keyset, never by OFFSET.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.engine import Engine

from operator_app.domain.entities import CustomerCard, CustomerSummary, TimelineItem, WorklistItem

TimelineCursor = tuple[datetime, uuid.UUID]


class CustomerRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(self, query: str, limit: int = 50) -> list[CustomerSummary]:
        """Customers matching any fragment of name, phone (any format), e-mail, order or
        contract number. Safe for any input; an empty/blank query returns []."""
        raise NotImplementedError

    def find_by_phone(self, raw_phone: str) -> list[CustomerSummary]:
        """Exact phone lookup for screen pop (any format → E.164 → customers)."""
        raise NotImplementedError

    def get_card(self, customer_id: uuid.UUID) -> CustomerCard | None:
        raise NotImplementedError

    def timeline_page(
        self, customer_id: uuid.UUID, before: TimelineCursor | None = None, limit: int = 50
    ) -> list[TimelineItem]:
        """Newest-first items strictly older than ``before`` (at, id)."""
        raise NotImplementedError


class WorklistRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open_contacts(self, assignee: str | None, limit: int = 100) -> list[WorklistItem]:
        raise NotImplementedError

    def follow_ups_due(self, now: datetime, limit: int = 100) -> list[WorklistItem]:
        raise NotImplementedError

    def hanging(self, now: datetime, limit: int = 100) -> list[WorklistItem]:
        """Customer waiting: last inbound after last outbound and older than the channel SLA."""
        raise NotImplementedError
