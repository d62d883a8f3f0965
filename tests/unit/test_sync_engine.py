"""The sync engine against a scripted server on loopback: paging, refusals, waits, states."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from starlette.responses import JSONResponse, Response

from operator_app.api import ApiClient, IncompatibleServerError, ServerError, Session
from operator_app.cache.apply import apply_changes, read_cursor
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import add_note, pending, pending_count
from operator_app.cache.sync_outcomes import list_rejected
from operator_app.sync import (
    Backoff,
    ConnectionState,
    EventBus,
    PendingChanged,
    StateChanged,
    SyncEngine,
    SyncProgress,
)
from tests.e2e.builders import Feed, customer_row
from tests.e2e.loopback import Recorded, ScriptedServer, problem, sse


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer().start()
    yield scripted
    scripted.stop()


@pytest.fixture
def server(shared_server: ScriptedServer) -> ScriptedServer:
    shared_server.reset()
    return shared_server


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    return open_cache(tmp_path / "cache.sqlite3")


@pytest.fixture
def customer(cache: Engine) -> uuid.UUID:
    customer_id = uuid.uuid4()
    apply_changes(cache, [Feed().upsert("customer", customer_row(customer_id))], 0)
    return customer_id


def feed_pages(rows: list[dict[str, Any]], page: int) -> Any:
    """A /changes handler over customer rows numbered 1..n."""

    def handler(request: Recorded) -> Response:
        since = int(request.query["since"])
        chunk = rows[since : since + page]
        changes = [
            {"seq": since + i + 1, "entity": "customer", "id": r["id"], "op": "create", "data": r}
            for i, r in enumerate(chunk)
        ]
        return JSONResponse(
            {"changes": changes, "next": since + len(chunk), "has_more": since + page < len(rows)}
        )

    return handler


def empty_feed(request: Recorded) -> Response:
    since = int(request.query["since"])
    return JSONResponse({"changes": [], "next": since, "has_more": False})


def applied_all(request: Recorded) -> Response:
    results = [
        {"mutation_id": m["mutation_id"], "status": "applied", "version": 1}
        for m in request.json()["mutations"]
    ]
    return JSONResponse({"results": results})


class Harness:
    def __init__(self, server: ScriptedServer, cache: Engine) -> None:
        self.server = server
        self.cache = cache
        self.events: list[Any] = []
        self.bus = EventBus()
        self.bus.subscribe(self.events.append)

    def states(self) -> list[ConnectionState]:
        return [e.state for e in self.events if isinstance(e, StateChanged)]

    def run(self, scenario: Any, **options: Any) -> Any:
        async def go() -> Any:
            async with ApiClient(self.server.url, retry_delay=0.01, retries=0) as api:
                api.use_token("oat_token")
                session = Session(api, "alice")
                engine = SyncEngine(
                    self.cache,
                    session,
                    bus=self.bus,
                    backoff=Backoff(base=0.01, cap=0.05),
                    **{"listen_events": False, **options},
                )
                try:
                    return await scenario(engine)
                finally:
                    await engine.aclose()

        return asyncio.run(go())


def test_pull_pages_until_the_feed_is_exhausted(server: ScriptedServer, cache: Engine) -> None:
    rows = [customer_row(uuid.uuid4(), last_name=f"Клиент{i}") for i in range(25)]
    server.on("GET", "/api/v1/changes", feed_pages(rows, page=10))
    harness = Harness(server, cache)
    report = harness.run(lambda engine: engine.sync_until_idle(), page_size=10)
    assert report.pulled == 25 and read_cursor(cache) == 25
    assert [r.query["since"] for r in server.hits("/api/v1/changes")][:3] == ["0", "10", "20"]
    progress = [e for e in harness.events if isinstance(e, SyncProgress)]
    assert progress[-1].done == 25 and not progress[-1].more
    assert harness.states()[-1] == ConnectionState.ONLINE
    with cache.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM customers").scalar() == 25


def test_a_batch_refused_as_a_whole_is_sent_one_by_one(
    server: ScriptedServer, cache: Engine, customer: uuid.UUID
) -> None:
    for body in ("first", "bad", "third"):
        add_note(cache, customer, body, "op")

    def mutations(request: Recorded) -> Response:
        sent = request.json()["mutations"]
        if len(sent) > 1 or sent[0]["data"]["body"] == "bad":
            return problem(422, "body: contains control characters")
        return applied_all(request)

    server.on("GET", "/api/v1/changes", empty_feed)
    server.on("POST", "/api/v1/mutations", mutations)
    report = Harness(server, cache).run(lambda engine: engine.sync_until_idle())
    assert (report.pushed, report.rejected) == (2, 1)
    [rejected] = list_rejected(cache)
    assert rejected.data["body"] == "bad" and "control characters" in rejected.error
    assert pending_count(cache) == 0


def test_retry_after_is_waited_out(server: ScriptedServer, cache: Engine) -> None:
    server.once("GET", "/api/v1/changes", lambda _r: problem(429, "busy", **{"Retry-After": "1"}))
    server.on("GET", "/api/v1/changes", empty_feed)
    waits: list[float] = []
    harness = Harness(server, cache)
    harness.run(lambda engine: engine.sync_until_idle(on_wait=lambda d, _e: waits.append(d)))
    assert waits == [1.0]
    offline = [e for e in harness.events if isinstance(e, StateChanged) and e.retry_in]
    assert offline[0].state == ConnectionState.OFFLINE and "busy" in (offline[0].message or "")
    assert harness.states()[-1] == ConnectionState.ONLINE


def test_failures_keep_every_local_change(
    server: ScriptedServer, cache: Engine, customer: uuid.UUID
) -> None:
    add_note(cache, customer, "important", "op")
    server.on("GET", "/api/v1/changes", empty_feed)
    server.on("POST", "/api/v1/mutations", lambda _r: problem(500, "database down"))
    harness = Harness(server, cache)
    with pytest.raises(ServerError):
        harness.run(lambda engine: engine.sync_until_idle(max_failures=2))
    [entry] = pending(cache)
    assert entry.data["body"] == "important" and "database down" in (entry.last_error or "")
    assert harness.states()[-1] == ConnectionState.OFFLINE


def test_the_loop_asks_for_credentials_on_401_and_resumes_after_sign_in(
    server: ScriptedServer, cache: Engine
) -> None:
    server.once("GET", "/api/v1/changes", lambda _r: problem(401, "token expired"))
    server.on("GET", "/api/v1/changes", empty_feed)
    server.on(
        "POST",
        "/api/v1/auth/login",
        lambda _r: JSONResponse(
            {
                "access_token": "oat_new",
                "expires_at": None,
                "user": {"id": "u1", "username": "alice", "name": "Alice", "role": "operator"},
            }
        ),
    )
    harness = Harness(server, cache)

    async def scenario(engine: SyncEngine) -> None:
        engine.start()
        await wait_for(lambda: engine.state == ConnectionState.AUTH_REQUIRED)
        await engine.sign_in("pa55word!")
        await wait_for(lambda: engine.state == ConnectionState.ONLINE)

    harness.run(scenario, poll_interval=60)
    assert ConnectionState.AUTH_REQUIRED in harness.states()
    assert server.hits("/api/v1/changes")[-1].headers["authorization"] == "Bearer oat_new"


def test_local_changes_and_server_hints_wake_the_engine(
    server: ScriptedServer, cache: Engine, customer: uuid.UUID
) -> None:
    server.on("GET", "/api/v1/changes", empty_feed)
    server.on("POST", "/api/v1/mutations", applied_all)
    server.on("GET", "/api/v1/events", sse(("1", "change", {"seq": 1})))
    harness = Harness(server, cache)

    async def scenario(engine: SyncEngine) -> None:
        engine.start()
        await wait_for(lambda: engine.state == ConnectionState.ONLINE)
        await engine.add_note(customer, "from the composer")
        await wait_for(lambda: len(server.hits("/api/v1/mutations")) == 1)
        await wait_for(lambda: len(server.hits("/api/v1/events")) >= 1)
        await wait_for(lambda: len(server.hits("/api/v1/changes")) >= 4)

    harness.run(scenario, poll_interval=60, listen_events=True)
    assert pending_count(cache) == 0
    assert any(isinstance(e, PendingChanged) and e.pending == 1 for e in harness.events)
    hints = [e for e in harness.events if type(e).__name__ == "ServerHint"]
    assert hints and hints[0].kind == "change" and hints[0].data == {"seq": 1}


async def wait_for(condition: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


def test_a_server_of_another_api_version_stops_sync_with_a_clear_message(
    server: ScriptedServer, cache: Engine, customer: uuid.UUID
) -> None:
    add_note(cache, customer, "kept for later", "op")
    upgraded = {"changes": [], "next": 0, "has_more": False}
    server.on(
        "GET", "/api/v1/changes", lambda _r: JSONResponse(upgraded, headers={"X-API-Version": "2"})
    )
    harness = Harness(server, cache)
    with pytest.raises(IncompatibleServerError):  # not retried: waiting cannot fix it
        harness.run(lambda engine: engine.sync_until_idle(max_failures=5))
    assert len(server.hits("/api/v1/changes")) == 1

    async def running(engine: SyncEngine) -> None:
        engine.start()
        await wait_for(lambda: any(isinstance(e, StateChanged) for e in harness.events))
        assert engine._task is not None and not engine._task.done()  # waits, no crash

    harness.events.clear()
    harness.run(running, poll_interval=60)
    said = [e.message for e in harness.events if isinstance(e, StateChanged) and e.message]
    assert said and "API version 2" in said[-1] and "update the app or the server" in said[-1]
    assert [e.data["body"] for e in pending(cache)] == ["kept for later"]
