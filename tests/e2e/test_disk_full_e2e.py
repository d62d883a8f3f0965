"""A full disk while the cache is written: a clear message, no crash, the outbox intact,
and everything works again once there is room.

The disk is made "full" with SQLite's ``max_page_count`` (the file may not grow past its
current size): SQLite answers SQLITE_FULL, the very error a full disk gives.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from operator_app.cache.apply import read_cursor
from operator_app.cache.db import CacheFullError
from operator_app.cache.outbox import add_note, pending_count
from operator_app.sync import ConnectionState, StateChanged, SyncEngine
from tests.e2e.server_process import ServerProcess

NOTE_LENGTH = 9_000  # the server takes notes of up to 10,000 characters
FULL = "The disk is full — free some space; your unsynced changes are kept."


@contextmanager
def disk_full(engine: Engine) -> Iterator[None]:
    """Every connection of ``engine`` may not grow the file while the block runs."""
    engine.dispose()
    raw = sqlite3.connect(str(engine.url.database), isolation_level=None)
    try:  # no free pages left inside the file either
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()

    def limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # = the current size

    event.listen(engine, "connect", limit)
    try:
        yield
    finally:
        event.remove(engine, "connect", limit)
        engine.dispose()  # new connections: room again


def big_body(engine: Engine, tag: str) -> str:
    """A note that needs new pages of its own (it does not fit in a page's free space)."""
    with engine.connect() as conn:
        page_size = int(conn.exec_driver_sql("PRAGMA page_size").scalar() or 4096)
    assert page_size <= 4096 * 2
    return tag + " " + "x" * NOTE_LENGTH


def notes_on_server(server: ServerProcess, tag: str) -> int:
    return len(server.query("SELECT id FROM notes WHERE body LIKE ?", tag + "%"))


def test_a_full_disk_during_a_pull_keeps_the_outbox_and_says_so(
    demo_server: ServerProcess, make_client: Any
) -> None:
    client = make_client(demo_server.url)
    client.sync()
    customer = uuid.UUID(bytes=client.scalar("SELECT id FROM customers LIMIT 1"))
    tag = f"kept-{uuid.uuid4()}"
    add_note(client.engine, customer, tag, "alice")  # waiting in the outbox
    cursor = read_cursor(client.engine)
    # Another operator's changes are waiting on the server: the pull must write them.
    other = make_client(demo_server.url, "bob")
    other.sync()
    for i in range(30):
        add_note(other.engine, customer, f"from bob {i} " + "y" * 2000, "bob")
    other.sync()

    async def pull_into_full_disk(sync: SyncEngine) -> list[StateChanged]:
        states: list[StateChanged] = []
        sync.bus.subscribe(lambda e: states.append(e) if isinstance(e, StateChanged) else None)
        with pytest.raises(CacheFullError) as raised:  # the headless command
            await sync.sync_until_idle()
        assert str(raised.value) == FULL
        sync.start()  # the app's loop: goes on, says why
        for _ in range(200):
            if any(s.message == FULL for s in states):
                break
            await asyncio.sleep(0.02)
        assert sync._task is not None and not sync._task.done()  # no crash
        await sync.stop()
        return states

    with disk_full(client.engine):
        states = client.session_run(pull_into_full_disk)

    assert [s.state for s in states if s.message == FULL][:1] == [ConnectionState.OFFLINE]
    assert pending_count(client.engine) == 1  # the unsynced note is still there
    assert read_cursor(client.engine) == cursor  # the failed page was not half-applied
    assert notes_on_server(demo_server, tag) == 0  # pushed only after a pull succeeds

    report = client.sync()  # room again: everything goes through, once
    assert report.pending == 0
    assert notes_on_server(demo_server, tag) == 1
    assert client.scalar("SELECT count(*) FROM notes WHERE body LIKE 'from bob %'") == 30


def test_a_full_disk_while_saving_a_note_refuses_it_whole_and_keeps_the_outbox(
    demo_server: ServerProcess, make_client: Any
) -> None:
    client = make_client(demo_server.url)
    client.sync()
    customer = uuid.UUID(bytes=client.scalar("SELECT id FROM customers LIMIT 1"))
    earlier = f"earlier-{uuid.uuid4()}"
    add_note(client.engine, customer, earlier, "alice")
    tag = f"too-big-{uuid.uuid4()}"
    body = big_body(client.engine, tag)

    async def write_into_full_disk(sync: SyncEngine) -> str:
        with pytest.raises(CacheFullError) as raised:
            await sync.add_note(customer, body)
        return str(raised.value)

    with disk_full(client.engine):
        message = client.session_run(write_into_full_disk)

    assert message == FULL
    assert pending_count(client.engine) == 1  # the earlier note only, nothing half-written
    assert client.scalar("SELECT count(*) FROM notes WHERE body LIKE ?", tag + "%") == 0

    async def write_again(sync: SyncEngine) -> None:
        await sync.add_note(customer, body)
        await sync.sync_until_idle()

    client.session_run(write_again)  # room again: the same note saves and syncs
    assert pending_count(client.engine) == 0
    assert notes_on_server(demo_server, tag) == 1
    assert notes_on_server(demo_server, earlier) == 1
