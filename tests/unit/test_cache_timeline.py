"""Timeline keyset paging: every item exactly once, newest first, whatever the page size."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.cache.repositories import CustomerRepository
from operator_app.domain.entities import TimelineItem
from operator_app.domain.enums import Channel, Direction, TimelineKind
from tests.unit.cache_samples import NOW, customer

KINDS = list(TimelineKind)
_ids = itertools.count(10_000)


def next_id() -> uuid.UUID:
    # Spread ids over the whole range so that ties on time are broken in varied ways.
    n = next(_ids)
    return uuid.UUID(int=(n * 0x9E3779B97F4A7C15_F39CC0605CEDC835) % (1 << 128))


def timeline_rows(
    customer_id: uuid.UUID, items: list[tuple[TimelineKind, datetime]], status: str = "resolved"
) -> tuple[list[tuple[str, list[dict[str, Any]]]], list[tuple[datetime, uuid.UUID]]]:
    """Rows for one customer's timeline items, and their expected (at, id) keys."""
    conversation_id = next_id()
    rows: dict[str, list[dict[str, Any]]] = {
        "customer": [customer(0, "Тестов", "Тест", id=customer_id)],
        "conversation": [
            {
                "id": conversation_id,
                "customer_id": customer_id,
                "channel": "vk",
                "status": status,
                "topic": "тема",
                "assignee": None,
                "opened_at": NOW - timedelta(days=400),
            }
        ],
    }
    keys = [(NOW - timedelta(days=400), conversation_id)]
    for kind, at in items:
        item_id = next_id()
        keys.append((at, item_id))
        base = {"id": item_id, "customer_id": customer_id}
        if kind is TimelineKind.CONVERSATION:
            rows["conversation"].append(
                base
                | {
                    "channel": "phone",
                    "status": status,
                    "topic": "звонок",
                    "assignee": None,
                    "opened_at": at,
                }
            )
        elif kind is TimelineKind.MESSAGE:
            rows.setdefault("message", []).append(
                base
                | {
                    "conversation_id": conversation_id,
                    "direction": "out",
                    "author": "op",
                    "body": "текст",
                    "sent_at": at,
                }
            )
        elif kind is TimelineKind.NOTE:
            rows.setdefault("note", []).append(
                base | {"author": "op", "body": "заметка", "created_at": at}
            )
        elif kind is TimelineKind.SURVEY:
            rows.setdefault("survey", []).append(
                base
                | {
                    "conversation_id": None,
                    "kind": "csat",
                    "channel": "sms",
                    "sent_at": at,
                    "score": 4,
                    "comment": "ок",
                }
            )
        elif kind is TimelineKind.OFFER:
            rows.setdefault("offer", []).append(
                base
                | {
                    "product_id": None,
                    "reason_code": "upgrade",
                    "explanation": "новее",
                    "score": 0.5,
                    "outcome": "declined",
                    "outcome_reason": "дорого",
                    "at": at,
                }
            )
        else:
            rows.setdefault("order", []).append(
                base
                | {
                    "number": f"N-{item_id.hex[:12]}",
                    "ordered_at": at,
                    "amount": Decimal("12.30"),
                    "status": "paid",
                }
            )
    return list(rows.items()), keys


def walk(repo: CustomerRepository, customer_id: uuid.UUID, page: int) -> list[TimelineItem]:
    seen: list[TimelineItem] = []
    cursor = None
    while True:
        items = repo.timeline_page(customer_id, before=cursor, limit=page)
        assert len(items) <= page
        if not items:
            return seen
        seen += items
        cursor = (items[-1].at, items[-1].id)


def expected_order(keys: list[tuple[datetime, uuid.UUID]]) -> list[tuple[datetime, uuid.UUID]]:
    return sorted(keys, key=lambda k: (k[0], k[1].bytes), reverse=True)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = open_cache(tmp_path_factory.mktemp("timeline") / "cache.db")
    yield engine
    engine.dispose()


def test_every_item_once_in_order_for_every_page_size(engine: Engine) -> None:
    customer_id = next_id()
    # Three items per kind at each of four instants: many exact ties across sources.
    instants = [NOW - timedelta(hours=h) for h in (1, 2, 2, 5)]
    items = [(kind, at) for kind in KINDS for at in instants for _ in range(3)]
    batches, keys = timeline_rows(customer_id, items)
    load_rows(engine, batches)
    other_id = next_id()
    load_rows(engine, timeline_rows(other_id, [(TimelineKind.NOTE, NOW)])[0])
    repo = CustomerRepository(engine)
    want = expected_order(keys)
    for page in (1, 2, 3, 5, 7, 13, 50, 500):
        got = walk(repo, customer_id, page)
        assert [(item.at, item.id) for item in got] == want, page


def test_items_carry_what_the_timeline_shows(engine: Engine) -> None:
    customer_id = next_id()
    at = NOW - timedelta(minutes=5)
    batches, _ = timeline_rows(
        customer_id,
        [
            (TimelineKind.MESSAGE, at),
            (TimelineKind.OFFER, at - timedelta(minutes=1)),
            (TimelineKind.ORDER, at - timedelta(minutes=2)),
            (TimelineKind.SURVEY, at - timedelta(minutes=3)),
            (TimelineKind.CONVERSATION, at - timedelta(minutes=4)),
        ],
        status="open",
    )
    load_rows(engine, batches)
    items = CustomerRepository(engine).timeline_page(customer_id, limit=10)
    kinds = [item.kind for item in items]
    assert kinds == [
        TimelineKind.MESSAGE,
        TimelineKind.OFFER,
        TimelineKind.ORDER,
        TimelineKind.SURVEY,
        TimelineKind.CONVERSATION,
        TimelineKind.CONVERSATION,
    ]
    message, offer, order, survey, call, opened = items
    assert (message.body, message.direction, message.channel) == (
        "текст",
        Direction.OUTBOUND,
        Channel.VK,
    )
    assert (offer.title, offer.body) == ("новее", "declined: дорого")
    assert order.body == "12.30 RUB"
    assert (survey.score, survey.channel, survey.body) == (4, Channel.SMS, "ок")
    assert call.is_open and opened.is_open
    assert not message.is_open
    assert all(item.at.tzinfo is not None for item in items)


def test_unknown_customer_and_empty_pages(engine: Engine) -> None:
    repo = CustomerRepository(engine)
    assert repo.timeline_page(uuid.uuid4()) == []
    assert repo.timeline_page(uuid.uuid4(), limit=0) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=6)),
        max_size=40,
    ),
    page=st.integers(min_value=1, max_value=12),
)
def test_paging_property(engine: Engine, items: list[tuple[TimelineKind, int]], page: int) -> None:
    customer_id = next_id()
    batches, keys = timeline_rows(
        customer_id, [(kind, NOW - timedelta(seconds=s)) for kind, s in items]
    )
    load_rows(engine, batches)
    got = walk(CustomerRepository(engine), customer_id, page)
    assert [(item.at, item.id) for item in got] == expected_order(keys)


def test_a_cache_file_of_its_own(tmp_path: Path) -> None:
    # The module fixture shares one file; this checks a fresh file pages the same way.
    engine = open_cache(tmp_path / "cache.db")
    customer_id = next_id()
    batches, keys = timeline_rows(customer_id, [(TimelineKind.NOTE, NOW)] * 3)
    load_rows(engine, batches)
    got = walk(CustomerRepository(engine), customer_id, 2)
    assert [(item.at, item.id) for item in got] == expected_order(keys)
    engine.dispose()
