"""Warnings and milestones derived from a card (plain functions, no Qt)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from operator_app.domain.entities import Coverage, Customer, CustomerCard
from operator_app.domain.enums import CoverageKind
from operator_app.gui.models import card_facts

TODAY = date(2026, 3, 10)


def coverage(kind: CoverageKind, ends: date, auto_renew: bool = False) -> Coverage:
    return Coverage(
        id=uuid.uuid4(),
        customer_id=uuid.uuid4(),
        product_id=uuid.uuid4(),
        product_name="Ноутбук Aero 14",
        kind=kind,
        contract_number="WAR-1",
        starts=date(2024, 1, 1),
        ends=ends,
        auto_renew=auto_renew,
    )


def card(*coverages: Coverage, **customer: object) -> CustomerCard:
    person = Customer(id=uuid.uuid4(), first_name="Анна", last_name="Иванова", **customer)  # type: ignore[arg-type]
    return CustomerCard(
        customer=person, orders=(), coverages=coverages, interests=(), open_conversations=()
    )


def test_warnings_cover_the_next_30_days_only_and_say_when() -> None:
    found = card_facts.proactive_warnings(
        card(
            coverage(CoverageKind.WARRANTY, date(2026, 3, 10)),
            coverage(CoverageKind.SUBSCRIPTION, date(2026, 3, 11), auto_renew=True),
            coverage(CoverageKind.SUPPORT, date(2026, 4, 9)),
            coverage(CoverageKind.SUPPORT, date(2026, 4, 10)),  # 31 days
            coverage(CoverageKind.WARRANTY, date(2026, 3, 9)),  # already over
        ),
        TODAY,
    )
    assert [w.text for w in found] == [
        "Warranty ends today",
        "Subscription ends tomorrow",
        "Support ends in 30 days",
    ]
    assert found[1].detail == "Ноутбук Aero 14 · WAR-1 · renews automatically"


def test_birthday_soon_and_years_as_customer() -> None:
    person = card(birthday=date(1988, 3, 16), customer_since=date(2019, 3, 11)).customer
    assert [m.text for m in card_facts.milestones(person, TODAY)] == [
        "Birthday in 6 days (38)",
        "Customer for 6 years (since 2019)",
    ]
    assert card_facts.milestones(person, TODAY)[0].soon


def test_birthday_on_29_february_in_a_common_year() -> None:
    person = card(birthday=date(2000, 2, 29)).customer
    assert card_facts.milestones(person, date(2027, 2, 27))[0].text == "Birthday in 2 days (27)"


def test_a_customer_of_less_than_a_year_is_new() -> None:
    person = card(customer_since=date(2025, 12, 1)).customer
    assert [m.text for m in card_facts.milestones(person, TODAY)] == ["New customer this year"]


def test_unfinished_purchases_ignore_viewed_and_won() -> None:
    from operator_app.domain.entities import Interest
    from operator_app.domain.enums import InterestStage

    def interest(stage: InterestStage, name: str, hour: int) -> Interest:
        return Interest(
            id=uuid.uuid4(),
            customer_id=uuid.uuid4(),
            product_id=uuid.uuid4(),
            product_name=name,
            stage=stage,
            last_activity_at=datetime(2026, 3, 9, hour, tzinfo=UTC),
        )

    base = card()
    with_interests = CustomerCard(
        customer=base.customer,
        orders=(),
        coverages=(),
        interests=(
            interest(InterestStage.CART, "Пылесос", 9),
            interest(InterestStage.VIEWED, "Часы", 10),
            interest(InterestStage.ABANDONED, "Смартфон", 11),
            interest(InterestStage.WON, "Наушники", 12),
        ),
        open_conversations=(),
    )
    assert card_facts.unfinished_purchases(with_interests) == ["Смартфон", "Пылесос"]
