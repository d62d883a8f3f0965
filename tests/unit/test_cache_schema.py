"""Schema upgrades: an old cache file comes forward with nothing lost, above all the outbox."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Connection

from operator_app.cache import schema
from operator_app.cache.db import CacheUpgradeError, open_cache
from operator_app.cache.repositories import CustomerRepository

V1_SQL = Path(__file__).with_name("data") / "cache_schema_v1.sql"
OUTBOX = [
    (
        uuid.UUID(int=1000 + i).bytes,
        "note",
        uuid.UUID(int=2000 + i).bytes,
        "create",
        None,
        json.dumps({"body": f"заметка {i}"}),
        1_700_000_000_000_000 + i,
        i % 3,
        None,
    )
    for i in range(25)
]


def make_v1_cache(path: Path) -> None:
    """A cache file exactly as the first release wrote it, with unsent local changes."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SQL.read_text(encoding="utf-8"))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        [("format", schema.FORMAT_MARKER), ("schema_version", "1"), ("app_version", "0.0.1")],
    )
    conn.execute(
        "INSERT INTO customers(id, first_name, last_name, middle_name, name_key, phones, emails,"
        " language, timezone, channel_of_origin, tier, segment, tags, consent_channels,"
        " consent_marketing, historical_clv, open_complaints, currency, version)"
        " VALUES (?, 'Пётр', 'Ёлкин', '', 'елкин петр', '[\"+79123456789\"]', '[]', 'ru',"
        " 'Europe/Moscow', 'phone', 'gold', '', '[]', '[]', 0, 0, 0, 'RUB', 1)",
        (uuid.UUID(int=1).bytes,),
    )
    conn.execute(
        "INSERT INTO customer_phones(e164, customer_id) VALUES ('+79123456789', ?)",
        (uuid.UUID(int=1).bytes,),
    )
    conn.executemany(
        "INSERT INTO outbox(mutation_id, entity, entity_id, op, base_version, data, created_at,"
        " attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        OUTBOX,
    )
    conn.commit()
    conn.close()


def outbox(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT mutation_id, entity, entity_id, op, base_version, data, created_at, attempts,"
        " last_error FROM outbox ORDER BY seq"
    ).fetchall()
    conn.close()
    return rows


def _normal_sql(sql: str | None) -> str:
    text = re.sub(r"\s+", " ", sql or "").strip()
    return re.sub(r"\s*([(),])\s*", r"\1", text)


def schema_shape(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    shape: dict[str, object] = {}
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        columns = (
            conn.execute(f"PRAGMA table_xinfo('{table}')").fetchall() if kind == "table" else []
        )
        shape[name] = (kind, table, _normal_sql(sql), columns)
    conn.close()
    return shape


def test_upgrades_are_consecutive_and_end_at_the_current_version() -> None:
    versions = [step.version for step in schema.UPGRADES]
    assert versions == list(range(2, schema.SCHEMA_VERSION + 1))


def test_a_v1_cache_is_upgraded_and_keeps_every_pending_outbox_row(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    make_v1_cache(path)
    assert outbox(path) == OUTBOX

    engine = open_cache(path)
    with engine.connect() as conn:
        assert schema.schema_version(conn) == schema.SCHEMA_VERSION
    # What v2 added works on the old rows: the customer is found by name and phone.
    repo = CustomerRepository(engine)
    assert [c.display_name for c in repo.search("елкин")] == ["Ёлкин Пётр"]
    assert [c.display_name for c in repo.search("8 912 345")] == ["Ёлкин Пётр"]
    engine.dispose()
    assert outbox(path) == OUTBOX


def test_an_upgraded_file_has_exactly_the_schema_of_a_new_one(tmp_path: Path) -> None:
    upgraded = tmp_path / "upgraded.db"
    make_v1_cache(upgraded)
    open_cache(upgraded).dispose()
    fresh = tmp_path / "fresh.db"
    open_cache(fresh).dispose()
    assert schema_shape(upgraded) == schema_shape(fresh)


def test_a_failed_upgrade_leaves_the_file_at_its_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.db"
    make_v1_cache(path)
    real_step = schema.UPGRADES[0]

    def half_then_crash(conn: Connection) -> None:
        real_step.apply(conn)
        conn.exec_driver_sql("DELETE FROM outbox")
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "UPGRADES", (schema.Upgrade(2, "search index", half_then_crash),))
    with pytest.raises(CacheUpgradeError) as caught:
        open_cache(path)
    assert "could not be upgraded" in str(caught.value)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'search_docs'"
    ).fetchone() == (0,)
    conn.close()
    assert outbox(path) == OUTBOX

    monkeypatch.undo()
    engine = open_cache(path)
    engine.dispose()
    assert outbox(path) == OUTBOX


def test_missing_indexes_are_recreated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    open_cache(path).dispose()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX ix_messages_customer_ts")
    conn.execute("DROP TABLE customer_search")
    conn.commit()
    conn.close()
    open_cache(path).dispose()
    names = {name for (name,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert {"ix_messages_customer_ts", "customer_search"} <= names
