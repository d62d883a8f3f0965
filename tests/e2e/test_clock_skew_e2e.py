"""Clients whose clocks are far off: nothing is refused for it, and the server's clock
decides what is recorded (a note or reply is dated when the server takes it; a client
time it is sent is never later than the server's now)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from operator_app.cache.outbox import add_note, add_reply
from operator_app.cache.sync_outcomes import list_rejected
from operator_app.cache.types import from_micros
from tests.e2e.server_process import ServerProcess

SKEW = timedelta(days=400)
SLACK = timedelta(minutes=5)  # the test's own run time


def server_time(text: object) -> datetime:
    return datetime.fromisoformat(str(text)).replace(tzinfo=UTC)


def test_clients_with_skewed_clocks_sync_normally_and_the_server_clock_wins(
    demo_server: ServerProcess, make_client: Any
) -> None:
    ahead = make_client(demo_server.url, "alice", name="ahead")
    behind = make_client(demo_server.url, "bob", name="behind")
    ahead.sync()
    behind.sync()
    customer = uuid.UUID(bytes=ahead.scalar("SELECT id FROM customers ORDER BY id LIMIT 1"))
    conversation = uuid.UUID(bytes=ahead.scalar("SELECT id FROM conversations ORDER BY id LIMIT 1"))
    tag = uuid.uuid4().hex
    started = datetime.now(UTC)
    add_note(ahead.engine, customer, f"{tag} ahead", "alice", now=started + SKEW)
    add_reply(ahead.engine, conversation, f"{tag} reply ahead", "alice", now=started + SKEW)
    add_note(behind.engine, customer, f"{tag} behind", "bob", now=started - SKEW)

    assert ahead.sync().pending == 0 and behind.sync().pending == 0
    ahead.sync()
    assert list_rejected(ahead.engine) == [] and list_rejected(behind.engine) == []

    notes = dict(
        (str(body), (server_time(created), server_time(updated)))
        for body, created, updated in demo_server.query(
            "SELECT body, created_at, updated_at FROM notes WHERE body LIKE ?", tag + "%"
        )
    )
    finished = datetime.now(UTC)
    created, updated = notes[f"{tag} ahead"]
    assert started - SLACK <= created <= finished + SLACK  # pulled back to the server's now
    assert started - SLACK <= updated <= finished + SLACK
    created, updated = notes[f"{tag} behind"]
    assert started - SLACK <= created <= finished + SLACK  # not 400 days ago either
    assert started - SLACK <= updated <= finished + SLACK
    [(sent_at,)] = demo_server.query(
        "SELECT sent_at FROM messages WHERE body = ?", f"{tag} reply ahead"
    )
    assert server_time(sent_at) <= finished + SLACK

    # Each cache now holds the server's times, also for its own notes.
    mine = from_micros(ahead.scalar("SELECT created_at FROM notes WHERE body = ?", f"{tag} ahead"))
    assert mine <= finished + SLACK
    assert behind.scalar("SELECT count(*) FROM notes WHERE body LIKE ?", tag + "%") == 2
