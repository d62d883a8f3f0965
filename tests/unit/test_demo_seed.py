"""Seeding a demo cache file: complete or absent, never half-built; readable afterwards."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from operator_app.cache.models import CustomerRow, MessageRow
from operator_app.demo import generate
from operator_app.services.demo_seed import ensure_demo_cache, seed_demo_cache

AS_OF = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def table_digest(path: Path, table: str) -> str:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_seeded_cache_holds_what_was_generated(tmp_path: Path) -> None:
    target = tmp_path / "cache.sqlite3"
    stages: list[str] = []
    report = seed_demo_cache(
        target, 300, seed=5, now=AS_OF, progress=lambda stage, done, total: stages.append(stage)
    )
    assert report.path == target and target.is_file()
    assert report.customers == 300 and report.as_of == AS_OF
    assert report.size_bytes == target.stat().st_size > 0
    assert report.rows["customer"] == 300
    assert report.rows["message"] > 1000
    assert "customers" in stages
    # No temporary file or journal left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.sqlite3"]

    expected: dict[str, list[dict]] = {}
    for entity, rows in generate(300, seed=5, now=AS_OF):
        expected.setdefault(entity, []).extend(rows)
    engine = create_engine(f"sqlite:///{target}")
    with Session(engine) as session:
        first = expected["customer"][0]
        stored = session.get(CustomerRow, first["id"])
        assert stored is not None
        assert stored.last_name == first["last_name"]
        assert stored.phones == first["phones"]
        assert stored.historical_clv == first["historical_clv"]
        assert stored.customer_since == first["customer_since"]
        messages = session.scalars(
            select(MessageRow).where(MessageRow.customer_id == first["id"])
        ).all()
        assert {m.id for m in messages} == {
            m["id"] for m in expected["message"] if m["customer_id"] == first["id"]
        }
        assert all(m.sent_at.tzinfo is not None for m in messages)
    engine.dispose()
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert meta["demo_seed"] == "5"
    assert meta["demo_customers"] == "300"
    assert datetime.fromisoformat(meta["demo_as_of"]) == AS_OF


def test_same_seed_gives_the_same_cache(tmp_path: Path) -> None:
    first = seed_demo_cache(tmp_path / "a.sqlite3", 150, now=AS_OF).path
    second = seed_demo_cache(tmp_path / "b.sqlite3", 150, now=AS_OF).path
    for table in ("customers", "orders", "messages", "surveys"):
        assert table_digest(first, table) == table_digest(second, table)


def test_as_of_defaults_to_the_current_minute(tmp_path: Path) -> None:
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    report = seed_demo_cache(tmp_path / "c.sqlite3", 20)
    assert before <= report.as_of <= datetime.now(UTC)
    assert report.as_of.second == 0


def test_an_interrupted_seed_leaves_the_old_file_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "cache.sqlite3"
    target.write_bytes(b"the previous cache")

    def interrupt(stage: str, done: int, total: int | None) -> None:
        if stage == "customers" and done >= 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        seed_demo_cache(target, 2000, now=AS_OF, progress=interrupt)
    assert target.read_bytes() == b"the previous cache"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.sqlite3"]


def test_a_seed_replaces_an_existing_cache_and_its_stale_journal(tmp_path: Path) -> None:
    target = tmp_path / "cache.sqlite3"
    target.write_bytes(b"old")
    stale = tmp_path / "cache.sqlite3-wal"
    stale.write_bytes(b"a journal that belongs to the old file")
    seed_demo_cache(target, 30, now=AS_OF)
    assert not stale.exists()
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (30,)


def test_the_window_demo_is_seeded_once_in_its_own_folder(tmp_path: Path) -> None:
    path = ensure_demo_cache(tmp_path, customers=40)
    assert path == tmp_path / "demo" / "cache.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (40,)
    built = path.stat().st_mtime_ns
    assert ensure_demo_cache(tmp_path, customers=40) == path
    assert path.stat().st_mtime_ns == built  # found, not rebuilt
