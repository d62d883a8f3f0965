"""Clients against the real reference server process on loopback: nothing lost, nothing
doubled, conflicts shown to people, and the cache converges."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from operator_app.api import NetworkError
from operator_app.cache.outbox import (
    add_note,
    add_reply,
    pending_count,
    set_conversation_status,
    update_customer,
)
from operator_app.cache.repositories import CustomerRepository
from operator_app.cache.sync_outcomes import list_conflicts, resolve_conflict
from operator_app.cache.sync_state import entity_counts
from operator_app.sync import ConnectionState, StateChanged
from tests.e2e.conftest import Client
from tests.e2e.server_process import ServerProcess

# What an operator's feed carries (users and the audit trail are for admins).
OPERATOR_ENTITIES = {
    "customer": "customers",
    "product": "products",
    "order": "orders",
    "order_line": "order_lines",
    "coverage": "coverages",
    "interest": "interests",
    "conversation": "conversations",
    "message": "messages",
    "note": "notes",
    "survey": "surveys",
    "offer": "offers",
}


def server_count(server: ServerProcess, table: str) -> int:
    return int(server.query(f"SELECT count(*) FROM {table}")[0][0])  # type: ignore[arg-type]


def first_customer(client: Client) -> uuid.UUID:
    return uuid.UUID(bytes=client.scalar("SELECT id FROM customers ORDER BY name_key LIMIT 1"))


def test_initial_sync_fills_an_empty_cache(demo_server: ServerProcess, make_client: Any) -> None:
    client = make_client(demo_server.url)
    report = client.sync()
    counts = entity_counts(client.engine)
    for entity, table in OPERATOR_ENTITIES.items():
        assert counts[entity] == server_count(demo_server, table), entity
    assert report.pulled >= sum(counts.values()) and report.pending == 0
    # Search and the screen pop work on what was pulled.
    last_name, phones = client.rows("SELECT last_name, phones FROM customers LIMIT 1")[0]
    repository = CustomerRepository(client.engine)
    assert repository.search(last_name)
    phone = __import__("json").loads(phones)[0]
    assert repository.find_by_phone(phone)
    assert client.sync().pulled == 0  # idle: nothing new


def test_offline_edits_reach_the_server_exactly_once_after_it_returns(
    tmp_path: Path, make_client: Any
) -> None:
    server = ServerProcess(tmp_path / "server").init(demo_customers=20)
    server.create_user("alice")
    server.start()
    try:
        client = make_client(server.url)
        client.sync()
        customer = first_customer(client)
        conversation = uuid.UUID(
            bytes=client.scalar(
                "SELECT id FROM conversations WHERE customer_id = ? LIMIT 1", customer.bytes
            )
        )
        server.stop(kill=True)
        note = add_note(client.engine, customer, "written while offline", "alice")
        reply = add_reply(client.engine, conversation, "ответ без сети", "alice")
        set_conversation_status(client.engine, conversation, "pending")
        update_customer(client.engine, customer, {"tags": ["offline-edit"]})
        with pytest.raises(NetworkError):
            client.sync(max_failures=2)
        assert pending_count(client.engine) == 4
        states = [e for e in client.events if isinstance(e, StateChanged)]
        assert states[-1].state == ConnectionState.OFFLINE and states[-1].message

        server.start()
        report = client.sync()
        assert report.pushed == 4 and pending_count(client.engine) == 0
        assert server.query("SELECT count(*) FROM notes WHERE id = ?", note.id.hex) == [(1,)]
        assert server.query("SELECT body FROM messages WHERE id = ?", reply.id.hex) == [
            ("ответ без сети",)
        ]
        assert server.query("SELECT status FROM conversations WHERE id = ?", conversation.hex) == [
            ("pending",)
        ]
        assert server.query("SELECT tags FROM customers WHERE id = ?", customer.hex) == [
            ('["offline-edit"]',)
        ]
        # Every mutation was applied once (the idempotency record counts them).
        assert server_count(server, "mutations_applied") == 4
        # A second client sees the same.
        other = make_client(server.url, name="other")
        other.sync()
        assert other.scalar("SELECT body FROM notes WHERE id = ?", note.id.bytes) == (
            "written while offline"
        )
    finally:
        server.stop()


def test_the_same_field_edited_on_two_clients_is_a_conflict_with_both_values(
    demo_server: ServerProcess, make_client: Any
) -> None:
    alice = make_client(demo_server.url, "alice", name="alice")
    bob = make_client(demo_server.url, "bob", name="bob")
    alice.sync()
    bob.sync()
    customer = first_customer(alice)
    update_customer(alice.engine, customer, {"tags": ["alice-says"]})
    update_customer(bob.engine, customer, {"tags": ["bob-says"]})
    alice.sync()
    report = bob.sync()
    assert report.conflicts == 1
    [conflict] = list_conflicts(bob.engine)
    assert conflict.mine == {"tags": ["bob-says"]}
    assert conflict.theirs == {"tags": ["alice-says"]}
    # Until Bob chooses, his card shows the server's value; nothing was overwritten.
    assert bob.scalar("SELECT tags FROM customers WHERE id = ?", customer.bytes) == '["alice-says"]'
    assert demo_server.query("SELECT tags FROM customers WHERE id = ?", customer.hex) == [
        ('["alice-says"]',)
    ]
    resolve_conflict(bob.engine, conflict.id, keep="mine")
    bob.sync()
    alice.sync()
    assert demo_server.query("SELECT tags FROM customers WHERE id = ?", customer.hex) == [
        ('["bob-says"]',)
    ]
    assert alice.scalar("SELECT tags FROM customers WHERE id = ?", customer.bytes) == '["bob-says"]'
    assert list_conflicts(bob.engine) == []


def test_different_fields_edited_on_two_clients_merge(
    demo_server: ServerProcess, make_client: Any
) -> None:
    alice = make_client(demo_server.url, "alice", name="alice")
    bob = make_client(demo_server.url, "bob", name="bob")
    alice.sync()
    bob.sync()
    customer = uuid.UUID(bytes=alice.scalar("SELECT id FROM customers ORDER BY name_key DESC"))
    update_customer(alice.engine, customer, {"first_name": "Алиса"})
    update_customer(bob.engine, customer, {"emails": ["bob-set@example.com"], "tags": ["merged"]})
    alice.sync()
    assert bob.sync().conflicts == 0
    alice.sync()
    expected = ("Алиса", '["bob-set@example.com"]', '["merged"]')
    query = "SELECT first_name, emails, tags FROM customers WHERE id = ?"
    assert demo_server.query(query, customer.hex) == [expected]
    for client in (alice, bob):
        assert tuple(client.rows(query, customer.bytes)[0]) == expected
        assert list_conflicts(client.engine) == []


def test_repeated_sends_never_double_a_note(demo_server: ServerProcess, make_client: Any) -> None:
    """The answer to a push is lost after the server applied it: the replay is a duplicate."""
    from tests.e2e.loopback import FaultProxy

    proxy = FaultProxy(demo_server.url).start()
    try:
        client = make_client(proxy.url)
        client.sync()
        customer = first_customer(client)
        note = add_note(client.engine, customer, "sent twice, stored once", "alice")
        proxy.arm("/api/v1/mutations", "after", times=1)
        client.sync()
        assert proxy.injected == ["after /api/v1/mutations"]
        assert demo_server.query("SELECT count(*) FROM notes WHERE id = ?", note.id.hex) == [(1,)]
        assert pending_count(client.engine) == 0
    finally:
        proxy.stop()


def test_two_clients_see_each_others_changes(demo_server: ServerProcess, make_client: Any) -> None:
    alice = make_client(demo_server.url, "alice", name="alice")
    bob = make_client(demo_server.url, "bob", name="bob")
    alice.sync()
    bob.sync()
    customer = first_customer(alice)

    async def scenario(sync: Any) -> None:
        await sync.add_note(customer, "hello from alice")
        await sync.sync_until_idle()

    alice.session_run(scenario)
    bob.sync()
    assert bob.rows("SELECT author, body FROM notes WHERE body = 'hello from alice'") == [
        ("Alice Operator", "hello from alice")
    ]
    assert entity_counts(alice.engine) == entity_counts(bob.engine)


def test_an_initial_sync_cut_off_midway_resumes_to_the_same_cache(
    demo_server: ServerProcess, make_client: Any
) -> None:
    from operator_app.cache.apply import read_cursor, search_rebuild_pending
    from operator_app.sync import SyncProgress

    cut = make_client(demo_server.url, name="cut")

    async def pull_four_pages(sync: Any) -> None:
        four = asyncio.Event()
        pages: list[Any] = []

        def on_event(event: Any) -> None:
            if isinstance(event, SyncProgress) and event.phase == "pull":
                pages.append(event)
                if len(pages) == 4:
                    four.set()

        sync.bus.subscribe(on_event)
        pulling = asyncio.ensure_future(sync.pull())
        await asyncio.wait(
            [pulling, asyncio.ensure_future(four.wait())],
            timeout=60,
            return_when=asyncio.FIRST_COMPLETED,
        )
        assert not pulling.done(), "the feed ended before the cut"
        pulling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pulling

    cut.session_run(pull_four_pages, page_size=100)
    assert read_cursor(cut.engine) > 0 and search_rebuild_pending(cut.engine)
    cut.engine.dispose()

    resumed = make_client(demo_server.url, name="cut")  # the app started again
    resumed.session_run(lambda sync: sync.sync_until_idle(), page_size=100)
    fresh = make_client(demo_server.url, name="fresh")
    fresh.sync()
    assert not search_rebuild_pending(resumed.engine)
    assert entity_counts(resumed.engine) == entity_counts(fresh.engine)
    for sql in (
        "SELECT * FROM customers ORDER BY id",
        "SELECT * FROM messages ORDER BY id",
        "SELECT * FROM orders ORDER BY id",
        "SELECT e164, customer_id FROM customer_phones ORDER BY 1, 2",
        "SELECT customer_id, terms FROM search_docs ORDER BY 1",
    ):
        assert resumed.rows(sql) == fresh.rows(sql), sql
    last_name, phones = resumed.rows("SELECT last_name, phones FROM customers LIMIT 1")[0]
    repository = CustomerRepository(resumed.engine)
    assert repository.search(last_name)
    assert repository.find_by_phone(json.loads(phones)[0])
