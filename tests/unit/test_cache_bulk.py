"""Bulk loading: what goes in is what SQLAlchemy would store, and the cache is ready after."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from operator_app.cache.bulk import BulkLoadError, load_rows
from operator_app.cache.db import open_cache
from operator_app.cache.models import ENTITY_TABLES, Base
from operator_app.cache.repositories import CustomerRepository
from tests.unit.cache_samples import NOW, ROUTER, customer, sample_rows, uid


def table_contents(path: Path, table: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def test_counts_progress_and_a_ready_cache(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "cache.db")
    stages: list[tuple[str, int, int | None]] = []
    counts = load_rows(engine, sample_rows(), lambda *args: stages.append(args))
    assert counts == {
        "customer": 6,
        "product": 2,
        "order": 3,
        "order_line": 2,
        "coverage": 2,
        "interest": 1,
        "conversation": 2,
        "message": 1,
    }
    names = [stage for stage, _, _ in stages]
    assert names.index("load customer") < names.index("indexes") < names.index("search")
    assert names[-1] == "statistics"
    assert ("search", 6, 6) in stages
    # Every index of the models is there again after being dropped for the load.
    with engine.connect() as conn:
        present = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1").scalar()
    wanted = {index.name for table in Base.metadata.sorted_tables for index in table.indexes}
    assert wanted <= present
    engine.dispose()


def test_phones_and_name_key_are_derived(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "cache.db")
    row = customer(1, "Ёлкин", "Пётр", phones=["8 (912) 345-67-89", "+79123456789", "мусор"])
    load_rows(engine, [("customer", [row])])
    assert table_contents(tmp_path / "cache.db", "customer_phones") == [
        ("+79123456789", uid(1).bytes)
    ]
    with engine.connect() as conn:
        name_key, phones = conn.exec_driver_sql("SELECT name_key, phones FROM customers").one()
    assert name_key == "елкин петр"
    assert phones == '["+79123456789"]'
    assert [c.id for c in CustomerRepository(engine).find_by_phone("89123456789")] == [uid(1)]
    engine.dispose()


def every_kind_of_value() -> list[tuple[str, list[dict[str, Any]]]]:
    # Both rows carry the same keys: SQLAlchemy's own executemany (the reference) needs that.
    rich = {
        "tags": ["vip", "b2b"],
        "consent_channels": ["sms"],
        "consent_marketing": True,
        "historical_clv": Decimal("1234.56"),
        "predicted_clv": Decimal("0.01"),
        "p_alive": 0.25,
        "last_csat": 5,
        "name_key": "а б",
    }
    plain = {
        "tags": [],
        "consent_channels": [],
        "consent_marketing": False,
        "historical_clv": Decimal(0),
        "predicted_clv": None,
        "p_alive": None,
        "last_csat": None,
        "name_key": "в г",
    }
    return [
        (
            "customer",
            [
                customer(1, "А", "Б", birthday=date(1990, 2, 28), updated_at=NOW, **rich),
                customer(2, "В", "Г", birthday=None, updated_at=None, **plain),
            ],
        ),
        (
            "product",
            [{"id": ROUTER, "sku": "R", "name": "Р", "category": "c", "price": Decimal("10")}],
        ),
        (
            "offer",
            [
                {
                    "id": uid(9),
                    "customer_id": uid(1),
                    "product_id": None,
                    "reason_code": "x",
                    "score": 0.5,
                    "outcome": "shown",
                    "at": datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=NOW.tzinfo),
                }
            ],
        ),
        (
            "upsell_rule",
            [{"id": uid(7), "name": "r", "definition": {"when": [1, 2], "then": None}}],
        ),
        (
            "audit_event",
            [
                {
                    "id": uid(8),
                    "at": NOW,
                    "actor": "a",
                    "action": "b",
                    "entity": "c",
                    "entity_id": uuid.UUID(int=2**128 - 1),
                    "details": {},
                }
            ],
        ),
    ]


def test_stored_values_match_what_sqlalchemy_core_stores(tmp_path: Path) -> None:
    fast, core = tmp_path / "fast.db", tmp_path / "core.db"
    engine = open_cache(fast)
    load_rows(engine, every_kind_of_value())
    engine.dispose()
    engine = open_cache(core)
    with engine.begin() as conn:
        for entity, rows in every_kind_of_value():
            conn.execute(ENTITY_TABLES[entity].insert(), rows)
    engine.dispose()
    for table in ("customers", "products", "offers", "upsell_rules", "audit_events"):
        assert table_contents(fast, table) == table_contents(core, table), table


def test_rows_may_leave_out_columns_that_have_defaults(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "cache.db")
    rows = [customer(1, "А", "Б"), customer(2, "В", "Г", middle_name="Д", tags=["x"])]
    del rows[0]["middle_name"], rows[0]["phones"]
    load_rows(engine, [("customer", rows)])
    with engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT middle_name, tags, version FROM customers ORDER BY id"
        ).all()
    assert stored == [("", "[]", 1), ("Д", '["x"]', 1)]
    engine.dispose()


DANGLING_MESSAGE = {
    "id": uid(5),
    "conversation_id": uid(6),
    "customer_id": uid(7),
    "direction": "in",
    "author": "a",
    "body": "b",
    "sent_at": NOW,
}


@pytest.mark.parametrize(
    ("batches", "message"),
    [
        ([("customr", [{"id": uid(1)}])], "unknown entity 'customr'"),
        ([("customer", [customer(1, "А", "Б", colour="red")])], r"no such column\(s\) colour"),
        (
            [("customer", [customer(1, "А", "Б"), customer(2, "В", "Г", hue=1)])],
            r"no such column\(s\) hue",
        ),
        ([("product", [{"id": uid(1), "sku": "s", "category": "c", "price": 1}])], "name"),
        ([("customer", [customer(1, "А", "Б", updated_at=datetime(2024, 1, 1))])], "naive"),
        ([("customer", [customer(1, "А", "Б"), customer(1, "В", "Г")])], "UNIQUE"),
        ([("message", [DANGLING_MESSAGE])], "refer to rows that were not loaded"),
    ],
    ids=[
        "entity",
        "column",
        "column-in-a-later-row",
        "required",
        "naive-time",
        "duplicate",
        "dangling-reference",
    ],
)
def test_bad_rows_give_a_clear_error(
    tmp_path: Path, batches: list[tuple[str, list[dict[str, Any]]]], message: str
) -> None:
    engine = open_cache(tmp_path / "cache.db")
    with pytest.raises(BulkLoadError, match=message):
        load_rows(engine, batches)
    # Whatever failed, the cache is consistent and fully indexed afterwards.
    with engine.connect() as conn:
        present = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    wanted = {index.name for table in Base.metadata.sorted_tables for index in table.indexes}
    assert wanted <= present
    engine.dispose()


def test_connections_get_their_safety_pragmas_back(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "cache.db")
    load_rows(engine, sample_rows())
    with engine.connect() as first, engine.connect() as second:
        for conn in (first, second):
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -8192
    engine.dispose()
