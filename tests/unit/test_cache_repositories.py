"""Customer card and worklists, read from a real cache file."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.cache.repositories import CustomerRepository, WorklistRepository
from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    InterestStage,
    OrderStatus,
    Tier,
)
from tests.unit.cache_samples import ELKIN, NOW, ROUTER, SEMENOV, customer, sample_cache, uid


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = sample_cache(tmp_path_factory.mktemp("repos"))
    yield engine
    engine.dispose()


def test_card_holds_everything_above_the_timeline(engine: Engine) -> None:
    card = CustomerRepository(engine).get_card(ELKIN)
    assert card is not None
    assert card.customer.display_name == "Ёлкин Пётр Иванович"
    assert card.customer.tier is Tier.GOLD
    assert card.customer.phones == ("+79123456789",)
    assert card.customer.customer_since == date(2020, 1, 1)
    assert card.order_count == 2
    newest, older = card.orders
    assert (newest.number, newest.status, newest.amount) == (
        "ORD-2025-0002",
        OrderStatus.PENDING,
        Decimal("499.00"),
    )
    assert older.ordered_at == NOW - timedelta(days=30)
    assert [(line.product_name, line.amount) for line in older.lines] == [
        ("Роутер X1", Decimal("1990.00"))
    ]
    (subscription,) = card.coverages
    assert (subscription.kind, subscription.product_name, subscription.contract_number) == (
        CoverageKind.SUBSCRIPTION,
        "Тариф Плюс",
        "SUB-900",
    )
    assert subscription.auto_renew
    assert subscription.days_left(date(2025, 5, 1)) == 31
    (interest,) = card.interests
    assert (interest.product_id, interest.stage, interest.product_name) == (
        ROUTER,
        InterestStage.ABANDONED,
        "Роутер X1",
    )
    (conversation,) = card.open_conversations
    assert (conversation.channel, conversation.status) == (Channel.WEBCHAT, ConversationStatus.OPEN)


def test_card_without_open_conversations_and_unknown_customer(engine: Engine) -> None:
    repo = CustomerRepository(engine)
    card = repo.get_card(SEMENOV)
    assert card is not None
    assert card.open_conversations == ()
    assert card.orders == ()
    assert card.order_count == 0
    assert repo.get_card(uuid.uuid4()) is None


def test_unknown_enum_values_from_a_newer_server_do_not_break_the_card(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "c.db")
    load_rows(
        engine,
        [
            (
                "customer",
                [
                    customer(
                        1,
                        "Новый",
                        "Канал",
                        channel_of_origin="max",
                        tier="diamond",
                        consent_channels=["sms", "pigeon"],
                    )
                ],
            )
        ],
    )
    card = CustomerRepository(engine).get_card(uid(1))
    assert card is not None
    assert card.customer.channel_of_origin is Channel.OTHER
    assert card.customer.tier is Tier.STANDARD
    assert Channel.SMS in card.customer.consent.channels
    engine.dispose()


def conversation(
    n: int,
    channel: str,
    *,
    status: str = "open",
    assignee: str | None = None,
    inbound_ago: timedelta | None = None,
    outbound_ago: timedelta | None = None,
    follow_up_in: timedelta | None = None,
) -> dict[str, object]:
    return {
        "id": uid(n),
        "customer_id": uid(1),
        "channel": channel,
        "status": status,
        "topic": f"тема {n}",
        "assignee": assignee,
        "opened_at": NOW - timedelta(hours=10) + timedelta(minutes=n),
        "last_inbound_at": None if inbound_ago is None else NOW - inbound_ago,
        "last_outbound_at": None if outbound_ago is None else NOW - outbound_ago,
        "next_follow_up_at": None if follow_up_in is None else NOW + follow_up_in,
    }


@pytest.fixture(scope="module")
def worklists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorklistRepository]:
    engine = open_cache(tmp_path_factory.mktemp("worklists") / "cache.db")
    minute, hour = timedelta(minutes=1), timedelta(hours=1)
    load_rows(
        engine,
        [
            ("customer", [customer(1, "Ждущий", "Клиент")]),
            (
                "conversation",
                [
                    # Waiting past the SLA: phone 30 s, chat 5 min, e-mail 4 h.
                    conversation(10, "phone", inbound_ago=minute),
                    conversation(11, "webchat", inbound_ago=10 * minute, outbound_ago=20 * minute),
                    conversation(12, "email", inbound_ago=5 * hour, status="pending"),
                    conversation(13, "fax", inbound_ago=5 * hour),  # unknown: "other" SLA
                    # Not hanging: within SLA, answered, resolved, nothing inbound.
                    conversation(20, "email", inbound_ago=hour),
                    conversation(21, "webchat", inbound_ago=10 * minute, outbound_ago=minute),
                    conversation(22, "phone", inbound_ago=hour, status="resolved"),
                    conversation(23, "telegram"),
                    conversation(24, "whatsapp", inbound_ago=10 * minute),
                    # Worklists by assignee and follow-ups.
                    conversation(30, "vk", assignee="anna"),
                    conversation(31, "vk", assignee="anna", status="pending"),
                    conversation(32, "vk", assignee="anna", status="resolved", follow_up_in=-hour),
                    conversation(33, "sms", assignee="boris", follow_up_in=2 * hour),
                    conversation(34, "sms", follow_up_in=-2 * hour),
                ],
            ),
        ],
    )
    yield WorklistRepository(engine)
    engine.dispose()


def test_hanging_uses_each_channels_sla(worklists: WorklistRepository) -> None:
    items = worklists.hanging(NOW)
    assert [item.conversation_id for item in items] == [uid(12), uid(13), uid(11), uid(10)]
    assert all(item.overdue for item in items)
    assert items[0].since == NOW - timedelta(hours=5)
    assert items[0].customer_name == "Ждущий Клиент"
    assert items[1].channel is Channel.OTHER
    assert [i.conversation_id for i in worklists.hanging(NOW, limit=2)] == [uid(12), uid(13)]


def test_open_contacts_of_an_operator_and_incoming(worklists: WorklistRepository) -> None:
    mine = worklists.open_contacts("anna")
    assert [item.conversation_id for item in mine] == [uid(31), uid(30)]
    assert mine[0].status is ConversationStatus.PENDING
    incoming = worklists.open_contacts(None)
    assert uid(34) in [item.conversation_id for item in incoming]
    assert uid(22) not in [item.conversation_id for item in incoming]  # resolved
    assert worklists.open_contacts("nobody") == []


def test_follow_ups_due(worklists: WorklistRepository) -> None:
    due_now = worklists.follow_ups_due(NOW)
    assert [item.conversation_id for item in due_now] == [uid(34), uid(32)]
    assert all(item.overdue for item in due_now)
    today = worklists.follow_ups_due(NOW, until=NOW + timedelta(hours=3))
    assert [item.conversation_id for item in today] == [uid(34), uid(32), uid(33)]
    assert not today[-1].overdue
    assert today[-1].since == NOW + timedelta(hours=2)
