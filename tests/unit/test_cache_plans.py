"""Every statement the hot read paths run is an index search, never a full scan.

The statements are captured as SQLite runs them (parameters inlined by the trace
hook) on a cache with enough rows for the planner's statistics to be realistic,
then each one is explained.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache, write_transaction
from operator_app.cache.fts import index_customers
from operator_app.cache.repositories import CustomerRepository, WorklistRepository
from operator_app.cache.worklist_snoozes import snooze_waiting, unsnooze_waiting
from tests.unit.cache_samples import NOW, customer

# Plan lines that read a bounded, already-small set: subqueries, CTEs and the
# materialised top-N of the hanging list, the FTS index lookup.
ALLOWED_SCANS = ("SCAN (subquery-", "SCAN CONSTANT ROW", "SCAN w", "SCAN waiting")
CUSTOMERS = 3000


def rows() -> list[tuple[str, list[dict[str, Any]]]]:
    rng = random.Random(5)
    ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(CUSTOMERS)]
    customers = [
        customer(
            0,
            f"Фамилия{i % 300}",
            f"Имя{i % 40}",
            id=cid,
            phones=[f"+79{rng.randrange(10**9):09d}"],
            emails=[f"user{i}@mail.ru"],
        )
        for i, cid in enumerate(ids)
    ]
    conversations, messages, orders = [], [], []
    for n in range(CUSTOMERS * 2):
        cid = ids[n % CUSTOMERS]
        conv = uuid.UUID(int=rng.getrandbits(128))
        opened = NOW - timedelta(minutes=rng.randrange(100_000))
        conversations.append(
            {
                "id": conv,
                "customer_id": cid,
                "channel": rng.choice(["phone", "email", "vk"]),
                "status": "open" if n % 50 == 0 else "resolved",
                "topic": "t",
                "assignee": f"op{n % 7}",
                "opened_at": opened,
                "last_inbound_at": opened,
                "next_follow_up_at": opened if n % 9 == 0 else None,
            }
        )
        messages += [
            {
                "id": uuid.UUID(int=rng.getrandbits(128)),
                "conversation_id": conv,
                "customer_id": cid,
                "direction": "in",
                "author": "a",
                "body": "b",
                "sent_at": opened + timedelta(seconds=k),
            }
            for k in range(3)
        ]
        orders.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)),
                "customer_id": cid,
                "number": f"ORD-{n:06d}",
                "ordered_at": opened,
                "amount": 1,
                "status": "paid",
            }
        )
    return [
        ("customer", customers),
        ("conversation", conversations),
        ("message", messages),
        ("order", orders),
    ]


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, list[str], Path]]:
    path = tmp_path_factory.mktemp("plans") / "cache.db"
    engine = open_cache(path)
    load_rows(engine, rows())
    engine.dispose()
    statements: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(engine, "connect", trace)
    yield engine, statements, path
    engine.dispose()


def explain(path: Path, statement: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)]
    finally:
        conn.close()


def full_scans(path: Path, statements: list[str]) -> dict[str, list[str]]:
    found = {}
    for statement in statements:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        if "'main'.'customer_search_" in statement:
            continue  # FTS5's own bookkeeping on its shadow tables
        plan = explain(path, statement)
        scans = [
            line
            for line in plan
            if line.startswith("SCAN")
            and not line.startswith(ALLOWED_SCANS)
            and "VIRTUAL TABLE" not in line
        ]
        if scans:
            found[statement[:300]] = plan
    return found


def test_search_never_scans(traced: tuple[Engine, list[str], Path]) -> None:
    engine, statements, path = traced
    repo = CustomerRepository(engine)
    statements.clear()
    for query in [
        "ф",
        "фа",
        "фамилия1 имя2",
        "имя",
        "user12",
        "mail",
        "9",
        "8 912",
        "+7 912 345-67-89",
        "ORD-000123",
        "000123",
        "иванов 912",
        "nobody-matches-this",
        '"*NEAR(',
    ]:
        repo.search(query)
    repo.find_by_phone("8 912 345 67 89")
    assert statements
    assert full_scans(path, statements) == {}


def test_card_and_timeline_never_scan(traced: tuple[Engine, list[str], Path]) -> None:
    engine, statements, path = traced
    repo = CustomerRepository(engine)
    (some,) = repo.search("фамилия7 имя7", limit=1)
    statements.clear()
    repo.get_card(some.id)
    page = repo.timeline_page(some.id, limit=3)
    repo.timeline_page(some.id, before=(page[-1].at, page[-1].id), limit=3)
    assert full_scans(path, statements) == {}


def test_worklists_never_scan(traced: tuple[Engine, list[str], Path]) -> None:
    engine, statements, path = traced
    worklists = WorklistRepository(engine)
    statements.clear()
    worklists.hanging(NOW)
    worklists.open_contacts("op3")
    worklists.open_contacts(None)
    worklists.follow_ups_due(NOW, until=NOW + timedelta(hours=8))
    assert full_scans(path, statements) == {}


def test_worklists_with_snoozes_never_scan(traced: tuple[Engine, list[str], Path]) -> None:
    engine, statements, path = traced
    worklists = WorklistRepository(engine)
    some = worklists.hanging(NOW, limit=1) or worklists.open_contacts(None, limit=1)
    snooze_waiting(engine, some[0].conversation_id, NOW + timedelta(hours=1), now=NOW)
    statements.clear()
    worklists.hanging(NOW)
    worklists.next_late_at(NOW)
    page = worklists.follow_ups_due(NOW, limit=2, until=NOW + timedelta(hours=8))
    if page:
        cursor = (page[-1].since, page[-1].conversation_id)
        worklists.follow_ups_due(NOW, until=NOW + timedelta(hours=8), after=cursor)
    assert full_scans(path, statements) == {}
    unsnooze_waiting(engine, some[0].conversation_id)


def test_incremental_indexing_never_scans(traced: tuple[Engine, list[str], Path]) -> None:
    engine, statements, path = traced
    (some,) = CustomerRepository(engine).search("фамилия9", limit=1)
    statements.clear()
    with write_transaction(engine) as conn:
        index_customers(conn, [some.id])
    assert full_scans(path, statements) == {}
