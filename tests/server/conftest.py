"""Reference-server fixtures: a real server on a free loopback port, per database backend.

``backend`` is ``sqlite`` (a temp file) or ``postgresql`` (a fresh schema in the
database named by ``OPERATOR_APP_TEST_PG_URL``, dropped afterwards); without that
variable the PostgreSQL variants skip. One server per backend serves the whole
session; tests create their own rows (fresh UUIDs, unique usernames), so they do not
depend on each other.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL

from operator_app.domain.enums import Role
from operator_app.server.accounts import create_user
from operator_app.server.app import create_app
from operator_app.server.db import Database, parse_database_url
from operator_app.server.schema import upgrade_to_head
from operator_app.server.security import SCOPE_TELEPHONY, issue_token
from operator_app.server.seed import load_batches
from operator_app.server.settings import ServerSettings
from tests.server.support import ApiClients, LiveServer, MovableClock

PG_ENV = "OPERATOR_APP_TEST_PG_URL"
PASSWORD = "correct-horse-1"
BACKENDS = ["sqlite", "postgresql"]


def pg_base_url() -> URL | None:
    raw = os.environ.get(PG_ENV, "").strip()
    return parse_database_url(raw) if raw else None


class PgSchemas:
    """Creates throw-away schemas and drops them again."""

    def __init__(self, base: URL) -> None:
        self.base = base
        self.admin = Database(base, pool_size=1, max_overflow=1)
        self.created: list[str] = []

    def new_url(self) -> URL:
        name = f"oa_test_{secrets.token_hex(6)}"
        with self.admin.engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        self.created.append(name)
        return self.base.update_query_dict({"options": f"-csearch_path={name}"})

    def drop_all(self) -> None:
        with self.admin.engine.begin() as connection:
            for name in self.created:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PgSchemas | None]:
    base = pg_base_url()
    if base is None:
        yield None
        return
    schemas = PgSchemas(base)
    yield schemas
    schemas.drop_all()


def _skip_without_pg(schemas: PgSchemas | None) -> PgSchemas:
    if schemas is None:
        pytest.skip(
            f"PostgreSQL variant: set {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return schemas


@pytest.fixture
def fresh_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_schemas: PgSchemas | None
) -> str:
    """A URL of an empty database for the parametrised backend (``request.param``)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "postgresql":
        return _skip_without_pg(pg_schemas).new_url().render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


def base_rows(now: datetime) -> dict[str, Any]:
    """A small hand-made data set: two customers, a product, an open conversation."""
    customer_id, other_id = uuid.uuid4(), uuid.uuid4()
    product_id, conversation_id = uuid.uuid4(), uuid.uuid4()
    customer = {
        "id": customer_id,
        "first_name": "Иван",
        "last_name": "Ёлкин",
        "middle_name": "",
        "name_key": "елкин иван",
        "phones": ["+79123456789"],
        "emails": ["ivan@example.com"],
        "channel_of_origin": "phone",
        "tier": "gold",
        "customer_since": now.date() - timedelta(days=400),
        "historical_clv": "1234.50",
    }
    other = {
        "id": other_id,
        "first_name": "Анна",
        "last_name": "Смирнова",
        "name_key": "смирнова анна",
        "phones": ["+79990001122"],
        "channel_of_origin": "email",
        "tier": "standard",
    }
    return {
        "customer_id": customer_id,
        "other_customer_id": other_id,
        "product_id": product_id,
        "conversation_id": conversation_id,
        "batches": [
            (
                "product",
                [
                    {
                        "id": product_id,
                        "sku": f"SKU-{product_id.hex[:8]}",
                        "name": "Plan",
                        "category": "plans",
                        "price": "990.00",
                    }
                ],
            ),
            ("customer", [customer, other]),
            (
                "conversation",
                [
                    {
                        "id": conversation_id,
                        "customer_id": customer_id,
                        "channel": "webchat",
                        "status": "open",
                        "topic": "Billing",
                        "opened_at": now - timedelta(hours=1),
                        "last_inbound_at": now - timedelta(hours=1),
                    }
                ],
            ),
        ],
    }


class ServerHandle:
    """Everything a test needs to talk to one running server."""

    def __init__(
        self,
        backend: str,
        db: Database,
        live: LiveServer,
        clock: MovableClock,
        data: dict[str, Any],
    ) -> None:
        self.backend = backend
        self.db = db
        self.live = live
        self.clock = clock
        self.data = data
        self.api = ApiClients(live.base_url)
        self.usernames = {Role.OPERATOR: "op", Role.SUPERVISOR: "sup", Role.ADMIN: "adm"}

    @property
    def base_url(self) -> str:
        return self.live.base_url

    @property
    def context(self) -> Any:
        return self.live.app.state.context

    def new_token(self, role: Role | None = None, *, scope: str = "user") -> str:
        """A fresh bearer token without the password round trip (for matrix-style tests)."""
        from sqlalchemy import select

        from operator_app.server.models import User

        with self.db.writing() as session:
            user_id = None
            if role is not None:
                user_id = session.scalar(
                    select(User.id).where(User.username == self.usernames[role])
                )
            issued = issue_token(
                session,
                now=self.clock(),
                ttl=timedelta(hours=1),
                user_id=user_id,
                scope=scope,
                label="test integration" if scope != "user" else "",
            )
        return issued.secret

    def head(self) -> int:
        """The newest seq in the change log."""
        from operator_app.server.changelog import latest_seq

        with self.db.reading() as session:
            return latest_seq(session)

    def add_user(self, role: Role, *, password: str = PASSWORD) -> str:
        username = f"u{secrets.token_hex(5)}"
        with self.db.writing() as session:
            create_user(session, username=username, role=role, password=password, now=self.clock())
        return username


def _start(backend: str, url: URL | str) -> Iterator[ServerHandle]:
    clock = MovableClock()
    db = Database(url)
    upgrade_to_head(db)
    now = clock()
    data = base_rows(now)
    with db.writing() as session:
        load_batches(session.connection(), data.pop("batches"), now)
        for role, username in (("operator", "op"), ("supervisor", "sup"), ("admin", "adm")):
            create_user(
                session,
                username=username,
                role=Role(role),
                password=PASSWORD,
                name=f"Test {role}",
                now=now,
            )
    settings = ServerSettings(clock=clock, event_ping_seconds=0.5, event_ring_size=50)
    live = LiveServer(create_app(db, settings))
    live.start()
    handle = ServerHandle(backend, db, live, clock, data)
    for role, username in handle.usernames.items():
        handle.api.sign_in(role, username, PASSWORD)
    handle.api.set_token("telephony", handle.new_token(scope=SCOPE_TELEPHONY))
    try:
        yield handle
    finally:
        handle.api.close()
        live.stop()
        db.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schemas: PgSchemas | None,
) -> Iterator[ServerHandle]:
    if request.param == "postgresql":
        url: URL | str = _skip_without_pg(pg_schemas).new_url()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
    yield from _start(request.param, url)


@pytest.fixture(autouse=True)
def _reset_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "server" in request.fixturenames:
        request.getfixturevalue("server").clock.reset()


@pytest.fixture
def now(server: ServerHandle) -> Callable[[], datetime]:
    return server.clock


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
