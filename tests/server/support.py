"""Test helpers: a movable clock, an in-process uvicorn on a free port, signed-in clients."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from operator_app.domain.enums import Role

API = "/api/v1"


class MovableClock:
    """Real time plus an offset the tests move forward (token expiry, rate-limit windows)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        with self._lock:
            self.offset += timedelta(**delta)

    def reset(self) -> None:
        with self._lock:
            self.offset = timedelta(0)


class LiveServer:
    """uvicorn serving ``app`` in a thread, on a loopback socket bound to a free port."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say
        # so, and without it Nagle + delayed ACK add ~40 ms to every response.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        port = self.socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            app, log_config=None, ws="none", lifespan="on", timeout_graceful_shutdown=3
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.app.state.context.hub.close()  # end open event streams first
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()
        if self.thread.is_alive():
            raise RuntimeError("the test server did not stop")


class ApiClients:
    """One httpx client per caller (role, "telephony", or anonymous), kept for the session."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.tokens: dict[Any, str] = {}
        self._clients: dict[Any, httpx.Client] = {}
        self.anonymous = self._client(None)

    def _client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url + API, headers=headers, timeout=30)

    def sign_in(self, role: Role, username: str, password: str) -> None:
        response = self.anonymous.post(
            "/auth/login", json={"username": username, "password": password}
        )
        response.raise_for_status()
        self.set_token(role, response.json()["access_token"])

    def set_token(self, caller: Any, token: str) -> None:
        self.tokens[caller] = token
        self._clients[caller] = self._client(token)

    def __getitem__(self, caller: Any) -> httpx.Client:
        return self._clients[caller]

    @property
    def operator(self) -> httpx.Client:
        return self._clients[Role.OPERATOR]

    @property
    def supervisor(self) -> httpx.Client:
        return self._clients[Role.SUPERVISOR]

    @property
    def admin(self) -> httpx.Client:
        return self._clients[Role.ADMIN]

    def close(self) -> None:
        self.anonymous.close()
        for client in self._clients.values():
            client.close()


def client_for(base_url: str, token: str | None = None, **kwargs: Any) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base_url + API, headers=headers, timeout=30, **kwargs)


def mutation(
    entity: str,
    op: str,
    data: dict[str, Any],
    *,
    entity_id: uuid.UUID | None = None,
    base_version: int | None = None,
    mutation_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "mutation_id": str(mutation_id or uuid.uuid4()),
        "entity": entity,
        "id": str(entity_id or uuid.uuid4()),
        "op": op,
        "base_version": base_version,
        "data": data,
    }


def send(client: httpx.Client, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/mutations", json={"mutations": list(mutations)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    assert [r["mutation_id"] for r in results] == [m["mutation_id"] for m in mutations]
    return results


def new_customer(client: httpx.Client, **data: Any) -> uuid.UUID:
    customer_id = uuid.uuid4()
    fields = {"first_name": "Пётр", "last_name": "Тестов", "phones": ["+7 900 000-00-00"]} | data
    [result] = send(client, mutation("customer", "create", fields, entity_id=customer_id))
    assert result["status"] == "applied", result
    return customer_id


def all_changes(client: httpx.Client, since: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    while True:
        page = client.get("/changes", params={"since": since, "limit": limit}).json()
        changes += page["changes"]
        since = page["next"]
        if not page["has_more"]:
            return changes


def head_seq(client: httpx.Client) -> int:
    """Where the feed is now, for this caller (pages to the end)."""
    since = 0
    while True:
        page = client.get("/changes", params={"since": since, "limit": 2000}).json()
        since = page["next"]
        if not page["has_more"]:
            return since


class EventStream:
    """A minimal SSE reader over ``GET /events`` with deadlines (heartbeats keep it moving)."""

    def __init__(self, client: httpx.Client, last_event_id: str | None = None) -> None:
        headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
        self._context = client.stream("GET", "/events", headers=headers)
        self.response = self._context.__enter__()
        assert self.response.status_code == 200, self.response.read()
        self._lines = self.response.iter_lines()
        self.comments = 0

    def next_line(self, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        for line in self._lines:
            if time.monotonic() > deadline:
                break
            return line
        raise AssertionError("the event stream ended or stalled")

    def next_event(self, timeout: float = 15) -> dict[str, Any]:
        """The next event as {event, data (decoded JSON), id}; heartbeats are counted."""
        deadline = time.monotonic() + timeout
        event: dict[str, Any] = {}
        while time.monotonic() < deadline:
            line = self.next_line(timeout)
            if line.startswith(":"):
                self.comments += 1
                continue
            if not line:
                if "data" in event:
                    event["data"] = json.loads(event["data"])
                    return event
                continue
            name, _, value = line.partition(":")
            event[name] = value.removeprefix(" ")
        raise AssertionError("no event before the deadline")

    def close(self) -> None:
        self._context.__exit__(None, None, None)

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
