"""End-to-end fixtures: the real server process and in-process clients of it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from operator_app.api import ApiClient, Session
from operator_app.cache.db import open_cache
from operator_app.sync import Backoff, EventBus, SyncEngine, SyncReport
from tests.e2e.server_process import PASSWORD, ServerProcess


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with a small demo data set and the accounts alice and bob (operators)."""
    server = ServerProcess(tmp_path_factory.mktemp("server")).init(demo_customers=60)
    server.create_user("alice", name="Alice Operator")
    server.create_user("bob", name="Bob Operator")
    server.start()
    yield server
    server.stop()


class Client:
    """One operator's app: its own cache file, synced in-process through the real API."""

    def __init__(self, folder: Path, server_url: str, username: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.server_url = server_url
        self.username = username
        self.engine: Engine = open_cache(folder / "cache.sqlite3")
        self.bus = EventBus()
        self.events: list[Any] = []
        self.bus.subscribe(self.events.append)

    def session_run(self, scenario: Any, **options: Any) -> Any:
        async def go() -> Any:
            async with ApiClient(self.server_url, retry_delay=0.02, retries=1) as api:
                session = Session(api, self.username)
                if not session.resume():
                    await session.sign_in(PASSWORD)
                sync = SyncEngine(
                    self.engine,
                    session,
                    bus=self.bus,
                    backoff=Backoff(base=0.05, cap=0.2),
                    **{"listen_events": False, **options},
                )
                try:
                    return await scenario(sync)
                finally:
                    await sync.aclose()

        return asyncio.run(go())

    def sync(self, **options: Any) -> SyncReport:
        return self.session_run(lambda sync: sync.sync_until_idle(**options))  # type: ignore[no-any-return]

    def scalar(self, sql: str, *params: object) -> Any:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(sql, params).scalar()

    def rows(self, sql: str, *params: object) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.exec_driver_sql(sql, params).all())


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Any]:
    made: list[Client] = []

    def make(server_url: str, username: str = "alice", name: str | None = None) -> Client:
        client = Client(tmp_path / (name or f"client{len(made)}"), server_url, username)
        made.append(client)
        return client

    yield make
    for client in made:
        client.engine.dispose()
