"""The demo generator: deterministic, schema-shaped rows with the stories the app shows."""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import phonenumbers
import pytest

from operator_app.cache.models import ENTITY_TABLES
from operator_app.demo import DEMO_USERS, ENTITY_ORDER, REFERENCE_NOW, generate
from operator_app.domain.enums import Channel, Role
from operator_app.domain.text import name_key

CUSTOMERS = 1500
LOW = {"csat": 2, "nps": 6, "ces": 3}

Rows = dict[str, list[dict[str, Any]]]


def collect(customers: int, **kwargs: Any) -> Rows:
    rows: Rows = collections.defaultdict(list)
    for entity, batch in generate(customers, **kwargs):
        rows[entity].extend(batch)
    return rows


@pytest.fixture(scope="module")
def rows() -> Rows:
    return collect(CUSTOMERS)


@pytest.fixture(scope="module")
def by_id(rows: Rows) -> dict[str, dict[uuid.UUID, dict[str, Any]]]:
    return {entity: {r["id"]: r for r in found if "id" in r} for entity, found in rows.items()}


# -- determinism -----------------------------------------------------------------------


def test_same_seed_and_moment_give_identical_rows() -> None:
    assert list(generate(200, seed=7)) == list(generate(200, seed=7))


def test_another_seed_gives_other_rows() -> None:
    first = collect(200, seed=1)
    second = collect(200, seed=2)
    assert first["customer"] != second["customer"]
    assert {r["id"] for r in first["message"]}.isdisjoint(r["id"] for r in second["message"])


def test_the_moment_moves_the_history_with_it() -> None:
    later = REFERENCE_NOW + timedelta(days=30)
    base = collect(100)
    moved = collect(100, now=later)
    assert max(r["sent_at"] for r in moved["message"]) <= later
    assert max(r["sent_at"] for r in base["message"]) <= REFERENCE_NOW
    assert max(r["sent_at"] for r in moved["message"]) > REFERENCE_NOW


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="customers"):
        generate(-1)
    with pytest.raises(ValueError, match="messages_per_customer"):
        generate(10, messages_per_customer=0)
    with pytest.raises(ValueError, match="timezone"):
        generate(10, now=datetime(2026, 1, 1))


def test_no_customers_still_gives_users_and_products() -> None:
    rows = collect(0)
    assert set(rows) == {"user", "product"}


# -- the shape of the rows ---------------------------------------------------------------


def test_rows_match_the_cache_schema_and_come_in_batches(rows: Rows) -> None:
    sizes = []
    for entity, batch in generate(CUSTOMERS):
        table = ENTITY_TABLES[entity]
        columns = set(table.c.keys())
        required = {
            c.name
            for c in table.c
            if not c.nullable and c.default is None and c.autoincrement is not True
        }
        for row in batch:
            assert set(row) <= columns, entity
            assert required <= set(row), (entity, required - set(row))
        sizes.append(len(batch))
    assert max(sizes) <= 10_000


def test_parents_come_before_children() -> None:
    seen: set[str] = set()
    parents = {"customer_phone": "customer", "order_line": "order", "message": "conversation"}
    for entity, _ in generate(300):
        parent = parents.get(entity)
        assert parent is None or parent in seen
        seen.add(entity)
    assert ENTITY_ORDER.index("order") < ENTITY_ORDER.index("order_line")


def test_values_are_python_types(rows: Rows) -> None:
    customer = rows["customer"][0]
    assert isinstance(customer["id"], uuid.UUID)
    assert isinstance(customer["historical_clv"], Decimal)
    assert isinstance(customer["customer_since"], date)
    assert isinstance(customer["phones"], list)
    for message in rows["message"][:500]:
        assert isinstance(message["sent_at"], datetime)
        assert message["sent_at"].utcoffset() == timedelta(0)


def test_ids_are_unique_across_tables(rows: Rows) -> None:
    ids = [r["id"] for found in rows.values() for r in found if "id" in r]
    assert len(ids) == len(set(ids))


def test_ids_are_proper_uuids_that_grow_in_insertion_order(rows: Rows) -> None:
    for entity in ("customer", "order", "message", "survey"):
        ids = [r["id"] for r in rows[entity]]
        assert ids == sorted(ids), entity  # appends to the primary-key B-tree
        for made in ids[:50]:
            assert made == uuid.UUID(str(made)) and hash(made) == hash(uuid.UUID(str(made)))
            assert made.version == 8 and made.variant == uuid.RFC_4122


def test_demo_users_include_the_three_sign_in_accounts(rows: Rows) -> None:
    roles = {u.username: u.role for u in DEMO_USERS}
    assert roles["operator"] is Role.OPERATOR
    assert roles["supervisor"] is Role.SUPERVISOR
    assert roles["admin"] is Role.ADMIN
    assert {r["username"] for r in rows["user"]} == set(roles)


# -- customers -------------------------------------------------------------------------


def test_customers_are_mostly_russian_with_patronymics(rows: Rows) -> None:
    customers = rows["customer"]
    russian = [c for c in customers if c["language"] == "ru"]
    assert 0.62 < len(russian) / len(customers) < 0.78
    assert sum(bool(c["middle_name"]) for c in russian) / len(russian) > 0.85
    assert all(re.search("[а-яё]", c["last_name"], re.I) for c in russian)
    english = [c for c in customers if c["language"] == "en"]
    assert all(not c["middle_name"] and c["last_name"].isascii() for c in english)
    zones = {c["timezone"] for c in russian}
    assert {"Europe/Moscow", "Asia/Yekaterinburg", "Asia/Vladivostok"} <= zones


def test_names_are_indexed_by_name_key(rows: Rows) -> None:
    for c in rows["customer"]:
        assert c["name_key"] == name_key(c["last_name"], c["first_name"], c["middle_name"])


def test_phones_are_valid_e164_and_listed_one_per_row(rows: Rows) -> None:
    customers = rows["customer"]
    listed = {(r["e164"], r["customer_id"]) for r in rows["customer_phone"]}
    expected = {(p, c["id"]) for c in customers for p in c["phones"]}
    assert listed == expected
    for c in customers:
        assert c["phones"]
        for phone in c["phones"]:
            assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
            assert (
                phonenumbers.format_number(
                    phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.E164
                )
                == phone
            )
    assert any(len(c["phones"]) == 2 for c in customers)


def test_emails_look_like_addresses_that_cannot_reach_anyone(rows: Rows) -> None:
    emails = [e for c in rows["customer"] for e in c["emails"]]
    assert len(emails) > CUSTOMERS * 0.7
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9._]+@[a-z]+\.example", e) for e in emails)


def test_some_birthdays_fall_within_two_weeks(rows: Rows) -> None:
    today = REFERENCE_NOW.date()

    def days_to_birthday(born: date) -> int:
        for year in (today.year, today.year + 1):
            try:
                upcoming = born.replace(year=year)
            except ValueError:  # 29 February
                upcoming = date(year, 3, 1)
            if upcoming >= today:
                return (upcoming - today).days
        raise AssertionError

    soon = [c for c in rows["customer"] if c["birthday"] and days_to_birthday(c["birthday"]) <= 14]
    assert len(soon) >= 10


def test_consent_and_tiers_vary(rows: Rows) -> None:
    customers = rows["customer"]
    assert {c["tier"] for c in customers} >= {"standard", "silver", "gold"}
    assert 0.25 < sum(c["consent_marketing"] for c in customers) / len(customers) < 0.6
    channels = {ch for c in customers for ch in c["consent_channels"]}
    assert channels <= {str(ch) for ch in Channel}
    assert all(c["customer_since"] <= REFERENCE_NOW.date() for c in customers)
    assert any(c["tags"] for c in customers)


# -- purchases ---------------------------------------------------------------------------


def test_catalogue_has_products_with_successors(rows: Rows, by_id: Any) -> None:
    products = rows["product"]
    assert 60 <= len(products) <= 100
    successors = [p for p in products if p["successor_id"]]
    assert len(successors) >= 15
    for product in successors:
        newer = by_id["product"][product["successor_id"]]
        assert newer["category"] == product["category"]


def test_buy_till_you_die_pattern(rows: Rows) -> None:
    customers = rows["customer"]
    orders_by_customer: dict[uuid.UUID, list[dict[str, Any]]] = collections.defaultdict(list)
    for order in rows["order"]:
        orders_by_customer[order["customer_id"]].append(order)
    repeat = sum(1 for found in orders_by_customer.values() if len(found) >= 2)
    assert 0.3 < repeat / len(customers) < 0.8
    assert len(orders_by_customer) < len(customers)  # some never bought
    # Long-standing buyers who stopped: nothing ordered in the past year.
    old = [
        c
        for c in customers
        if c["customer_since"] < REFERENCE_NOW.date() - timedelta(days=2 * 365)
        and c["id"] in orders_by_customer
    ]
    lapsed = [
        c
        for c in old
        if max(o["ordered_at"] for o in orders_by_customer[c["id"]])
        < REFERENCE_NOW - timedelta(days=365)
    ]
    assert 0.2 < len(lapsed) / len(old) < 0.9
    # Spend is skewed: the top tenth of customers brings a large share of the value.
    values = sorted((c["historical_clv"] for c in customers), reverse=True)
    assert sum(values[: len(values) // 10]) > Decimal("0.3") * sum(values)


def test_historical_value_is_paid_minus_refunded(rows: Rows) -> None:
    paid: dict[uuid.UUID, Decimal] = collections.defaultdict(Decimal)
    for order in rows["order"]:
        if order["status"] == "paid":
            paid[order["customer_id"]] += order["amount"]
        elif order["status"] == "refunded":
            paid[order["customer_id"]] -= order["amount"]
    for c in rows["customer"]:
        assert c["historical_clv"] == paid.get(c["id"], Decimal(0))
        assert c["historical_clv"] >= 0
    assert {o["status"] for o in rows["order"]} >= {"paid", "refunded", "cancelled"}


def test_orders_add_up_and_are_numbered(rows: Rows) -> None:
    lines: dict[uuid.UUID, Decimal] = collections.defaultdict(Decimal)
    for line in rows["order_line"]:
        lines[line["order_id"]] += line["amount"]
    numbers = [o["number"] for o in rows["order"]]
    assert len(set(numbers)) == len(numbers)
    for order in rows["order"]:
        assert re.fullmatch(r"SO-\d{7,}", order["number"])
        assert order["amount"] == lines[order["id"]] > 0
        assert order["ordered_at"] <= REFERENCE_NOW


def test_coverages_include_some_expiring_soon(rows: Rows) -> None:
    coverages = rows["coverage"]
    today = REFERENCE_NOW.date()
    assert {c["kind"] for c in coverages} == {"subscription", "warranty", "support"}
    assert sum(today <= c["ends"] <= today + timedelta(days=30) for c in coverages) >= 10
    assert any(c["auto_renew"] for c in coverages) and not all(c["auto_renew"] for c in coverages)
    numbers = [c["contract_number"] for c in coverages]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"CT-\d{6,}", n) for n in numbers)
    assert all(c["starts"] < c["ends"] for c in coverages)


def test_interests_include_abandoned_carts(rows: Rows) -> None:
    stages = collections.Counter(i["stage"] for i in rows["interest"])
    assert set(stages) == {"viewed", "cart", "abandoned", "won", "lost"}
    assert stages["abandoned"] >= 50


def test_offers_have_reasons_and_outcomes(rows: Rows) -> None:
    offers = rows["offer"]
    assert {o["outcome"] for o in offers} == {"shown", "accepted", "not_now", "declined"}
    assert "successor_available" in {o["reason_code"] for o in offers}
    assert all(o["explanation"] and o["at"] <= REFERENCE_NOW for o in offers)
    assert all(o["outcome_reason"] for o in offers if o["outcome"] == "declined")


def test_rows_do_not_depend_on_the_process() -> None:
    # Hash randomisation differs between processes; nothing may leak from it into rows.
    script = (
        "import hashlib; from operator_app.demo import generate; "
        "print(hashlib.sha256(repr(list(generate(150, seed=9))).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1
