"""Change-feed rows for tests, in the JSON form the server sends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FeedChange:
    seq: int
    entity: str
    id: str
    op: str
    data: dict[str, Any] | None


def customer_row(customer_id: uuid.UUID, *, version: int = 1, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(customer_id),
        "first_name": "Иван",
        "last_name": "Петров",
        "middle_name": "",
        "phones": ["+79123456789"],
        "emails": ["ivan@example.com"],
        "language": "ru",
        "timezone": "Europe/Moscow",
        "birthday": "1980-05-17",
        "customer_since": "2020-01-01",
        "channel_of_origin": "phone",
        "tier": "gold",
        "segment": "",
        "tags": ["vip"],
        "consent_channels": ["phone", "email"],
        "consent_marketing": True,
        "historical_clv": "1234.50",
        "predicted_clv": None,
        "p_alive": 0.8,
        "value_segment": None,
        "last_csat": 5,
        "last_nps": None,
        "open_complaints": 0,
        "currency": "RUB",
        "version": version,
        "updated_at": "2024-01-01T10:00:00+00:00",
    }
    row.update(fields)
    return row


def conversation_row(
    conversation_id: uuid.UUID, customer_id: uuid.UUID, *, version: int = 1, **fields: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(conversation_id),
        "customer_id": str(customer_id),
        "channel": "phone",
        "status": "open",
        "topic": "Доставка",
        "assignee": None,
        "opened_at": "2024-01-02T10:00:00+00:00",
        "first_response_at": None,
        "resolved_at": None,
        "next_follow_up_at": None,
        "last_inbound_at": "2024-01-02T10:00:00+00:00",
        "last_outbound_at": None,
        "version": version,
        "updated_at": "2024-01-02T10:00:00+00:00",
    }
    row.update(fields)
    return row


def message_row(
    message_id: uuid.UUID,
    conversation_id: uuid.UUID,
    customer_id: uuid.UUID,
    body: str = "Здравствуйте",
) -> dict[str, Any]:
    return {
        "id": str(message_id),
        "conversation_id": str(conversation_id),
        "customer_id": str(customer_id),
        "direction": "in",
        "author": "customer",
        "body": body,
        "sent_at": "2024-01-02T10:00:00+00:00",
        "attachments": [],
    }


class Feed:
    """Builds numbered change pages."""

    def __init__(self) -> None:
        self.seq = 0

    def upsert(self, entity: str, row: dict[str, Any]) -> FeedChange:
        self.seq += 1
        return FeedChange(self.seq, entity, row["id"], "upsert", row)

    def delete(self, entity: str, entity_id: uuid.UUID) -> FeedChange:
        self.seq += 1
        return FeedChange(self.seq, entity, str(entity_id), "delete", None)
