"""Small, hand-built cache contents shared by the cache tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def uid(n: int) -> uuid.UUID:
    """Readable, ordered ids: uid(1) < uid(2) < …"""
    return uuid.UUID(int=n)


def customer(n: int, last: str, first: str, middle: str = "", **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": uid(n),
        "first_name": first,
        "last_name": last,
        "middle_name": middle,
        "phones": [],
        "emails": [],
        "channel_of_origin": "phone",
        "tier": "standard",
        "birthday": None,
        "customer_since": date(2020, 1, 1),
        "updated_at": NOW,
    }
    row.update(extra)
    return row


# Customer ids 1xx; products 2xx; orders 3xx; coverages 4xx; conversations 5xx.
ELKIN, SEMENOV, IVANOV, IVANOVA, SMITH, PETROV = (uid(n) for n in (101, 102, 103, 104, 105, 106))
ROUTER, TARIFF = uid(201), uid(202)


def sample_rows() -> list[tuple[str, list[dict[str, Any]]]]:
    customers = [
        customer(
            101,
            "Ёлкин",
            "Пётр",
            "Иванович",
            phones=["+79123456789"],
            emails=["petr.elkin@mail.ru"],
            tier="gold",
        ),
        customer(102, "Семенов", "Алексей", phones=["+79161112233"], emails=["sem@yandex.ru"]),
        customer(103, "Иванов", "Иван", "Иванович", phones=["+79031234567", "+74951234567"]),
        customer(104, "Иванова", "Мария", phones=["+79037654321"], emails=["maria_iv@inbox.ru"]),
        customer(105, "Smith", "Anna", phones=["+447911123456"], emails=["anna.smith@example.com"]),
        customer(106, "Петров", "Сергей", phones=["+79260000001"]),
    ]
    products = [
        {
            "id": ROUTER,
            "sku": "RT-1",
            "name": "Роутер X1",
            "category": "net",
            "price": Decimal("1990.00"),
        },
        {
            "id": TARIFF,
            "sku": "TF-2",
            "name": "Тариф Плюс",
            "category": "tariff",
            "price": Decimal("499.00"),
        },
    ]
    orders = [
        {
            "id": uid(301),
            "customer_id": ELKIN,
            "number": "ORD-2024-0001",
            "ordered_at": NOW - timedelta(days=30),
            "amount": Decimal("1990.00"),
            "status": "paid",
        },
        {
            "id": uid(302),
            "customer_id": ELKIN,
            "number": "ORD-2025-0002",
            "ordered_at": NOW - timedelta(days=3),
            "amount": Decimal("499.00"),
            "status": "pending",
        },
        {
            "id": uid(303),
            "customer_id": PETROV,
            "number": "100-777",
            "ordered_at": NOW - timedelta(days=10),
            "amount": Decimal("10.50"),
            "status": "paid",
        },
    ]
    lines = [
        {
            "id": uid(351),
            "order_id": uid(301),
            "product_id": ROUTER,
            "quantity": 1,
            "amount": Decimal("1990.00"),
        },
        {
            "id": uid(352),
            "order_id": uid(302),
            "product_id": TARIFF,
            "quantity": 1,
            "amount": Decimal("499.00"),
        },
    ]
    coverages = [
        {
            "id": uid(401),
            "customer_id": SEMENOV,
            "product_id": ROUTER,
            "kind": "warranty",
            "contract_number": "GAR-55/17",
            "starts": date(2024, 1, 1),
            "ends": date(2026, 1, 1),
        },
        {
            "id": uid(402),
            "customer_id": ELKIN,
            "product_id": TARIFF,
            "kind": "subscription",
            "contract_number": "SUB-900",
            "starts": date(2024, 6, 1),
            "ends": date(2025, 6, 1),
            "auto_renew": True,
        },
    ]
    interests = [
        {
            "id": uid(451),
            "customer_id": ELKIN,
            "product_id": ROUTER,
            "stage": "abandoned",
            "last_activity_at": NOW - timedelta(days=1),
        },
    ]
    conversations = [
        {
            "id": uid(501),
            "customer_id": ELKIN,
            "channel": "webchat",
            "status": "open",
            "topic": "Не работает интернет",
            "assignee": "anna",
            "opened_at": NOW - timedelta(hours=2),
            "last_inbound_at": NOW - timedelta(minutes=20),
            "last_outbound_at": None,
        },
        {
            "id": uid(502),
            "customer_id": SEMENOV,
            "channel": "email",
            "status": "resolved",
            "topic": "Счёт",
            "assignee": "anna",
            "opened_at": NOW - timedelta(days=5),
            "resolved_at": NOW - timedelta(days=4),
        },
    ]
    messages = [
        {
            "id": uid(601),
            "conversation_id": uid(501),
            "customer_id": ELKIN,
            "direction": "in",
            "author": "Пётр",
            "body": "Здравствуйте",
            "sent_at": NOW - timedelta(minutes=20),
        },
    ]
    return [
        ("customer", customers),
        ("product", products),
        ("order", orders),
        ("order_line", lines),
        ("coverage", coverages),
        ("interest", interests),
        ("conversation", conversations),
        ("message", messages),
    ]


def sample_cache(tmp_path: Path) -> Engine:
    engine = open_cache(tmp_path / "cache.db")
    load_rows(engine, sample_rows())
    return engine
