"""A misbehaving network between client and server: the client keeps working from its cache,
goes offline with a reason, comes back, and loses or doubles nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from operator_app.api import AuthError
from operator_app.cache.outbox import add_note, pending_count
from operator_app.sync import ConnectionState, StateChanged, SyncEngine
from tests.e2e.loopback import FaultProxy
from tests.e2e.server_process import ServerProcess


@pytest.fixture
def proxy(demo_server: ServerProcess) -> Iterator[FaultProxy]:
    faulty = FaultProxy(demo_server.url, delay=1.0).start()
    yield faulty
    faulty.stop()


def notes_on_server(server: ServerProcess, prefix: str) -> list[str]:
    rows = server.query("SELECT body FROM notes WHERE body LIKE ? ORDER BY body", prefix + "%")
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize(
    "kind", ["500", "503", "timeout", "garbage", "wrong-shape", "409", "429", "after"]
)
def test_each_fault_is_survived_without_loss_or_doubling(
    demo_server: ServerProcess, proxy: FaultProxy, make_client: Any, kind: str
) -> None:
    client = make_client(proxy.url)
    client.sync()
    customer = client.scalar("SELECT id FROM customers LIMIT 1")

    prefix = f"fault-{kind}-{uuid.uuid4().hex[:6]}-"
    for i in range(3):
        add_note(client.engine, uuid.UUID(bytes=customer), f"{prefix}{i}", "alice")
    proxy.arm("/api/v1/changes", kind, times=1, retry_after="1")
    proxy.arm("/api/v1/mutations", kind, times=1, retry_after="1")
    report = client.sync(max_failures=5)
    assert proxy.injected, "the fault was not exercised"
    assert report.pending == 0 and pending_count(client.engine) == 0
    assert notes_on_server(demo_server, prefix) == [f"{prefix}{i}" for i in range(3)]
    assert client.rows("SELECT count(*) FROM notes WHERE body LIKE ?", prefix + "%") == [(3,)]


def test_an_expired_session_asks_for_sign_in_and_keeps_changes(
    demo_server: ServerProcess, proxy: FaultProxy, make_client: Any
) -> None:
    client = make_client(proxy.url)
    client.sync()
    customer = client.scalar("SELECT id FROM customers LIMIT 1")

    add_note(client.engine, uuid.UUID(bytes=customer), "kept across sign-in", "alice")
    proxy.arm("/api/v1/changes", "401", times=1)
    with pytest.raises(AuthError):
        client.sync()
    assert pending_count(client.engine) == 1
    client.sync()
    assert notes_on_server(demo_server, "kept across sign-in") == ["kept across sign-in"]


def test_the_running_engine_goes_offline_and_recovers_by_itself(
    demo_server: ServerProcess, proxy: FaultProxy, make_client: Any
) -> None:
    client = make_client(proxy.url)
    client.sync()
    customer = client.scalar("SELECT id FROM customers LIMIT 1")

    customer_id = uuid.UUID(bytes=customer)

    async def scenario(sync: SyncEngine) -> None:
        proxy.arm("/api/v1/", "500", times=1000)
        sync.start()
        await wait_for(lambda: any(went_offline(e) for e in client.events))
        # The operator keeps working from the cache while offline.
        for i in range(5):
            await sync.add_note(customer_id, f"while-offline-{i}")
        assert pending_count(client.engine) == 5
        proxy.clear()
        sync.wake()
        await wait_for(lambda: sync.state == ConnectionState.ONLINE and not pending_now())

    def went_offline(event: Any) -> bool:
        return isinstance(event, StateChanged) and event.state == ConnectionState.OFFLINE

    def pending_now() -> int:
        return pending_count(client.engine)

    client.session_run(scenario, poll_interval=0.2)
    offline = [e for e in client.events if went_offline(e)]
    assert offline and "server had a problem" in (offline[0].message or "")
    assert notes_on_server(demo_server, "while-offline-") == [
        f"while-offline-{i}" for i in range(5)
    ]


async def wait_for(condition: Any, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.02)
