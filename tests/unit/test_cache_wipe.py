"""Wiping the local cache: every row goes (search index and outbox included), the file
and its schema stay, and the next sync starts again from cursor 0."""

from __future__ import annotations

import uuid
from pathlib import Path

from operator_app.cache.apply import apply_changes
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import add_note, pending_count
from operator_app.cache.repositories import CustomerRepository
from operator_app.cache.schema import schema_version
from operator_app.cache.sync_state import read_sync_status
from operator_app.cache.wipe import wipe_cache
from tests.e2e.builders import Feed, customer_row


def test_wipe_empties_everything_but_the_schema(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "cache.sqlite3")
    try:
        customer_id = uuid.uuid4()
        apply_changes(engine, [Feed().upsert("customer", customer_row(customer_id))], 7)
        add_note(engine, customer_id, "Перезвонить", "Оператор")
        repository = CustomerRepository(engine)
        assert [c.id for c in repository.search("Петров")] == [customer_id]
        assert pending_count(engine) == 1 and read_sync_status(engine).cursor == 7
        with engine.connect() as conn:
            version = schema_version(conn)

        assert wipe_cache(engine) > 0

        assert repository.search("Петров") == []
        assert repository.search("+79123456789") == []
        assert pending_count(engine) == 0
        assert read_sync_status(engine).cursor == 0
        with engine.connect() as conn:
            assert schema_version(conn) == version
            assert conn.exec_driver_sql("SELECT count(*) FROM customers").scalar() == 0
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        # The emptied cache takes a fresh sync like a new one.
        apply_changes(engine, [Feed().upsert("customer", customer_row(customer_id))], 3)
        assert [c.id for c in repository.search("Петров")] == [customer_id]
    finally:
        engine.dispose()
