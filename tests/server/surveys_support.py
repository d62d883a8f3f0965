"""Survey test rig: a server wired to a loopback SMTP sink and a loopback webhook receiver.

``survey_env`` (module-scoped, per backend) starts both receivers, then the server with
delivery settings pointing at them and fast retries. Tests make their own customers
and conversations (:meth:`SurveyEnv.conversation`) so the once-per-N-days rule never
couples them, and change the policy only through :meth:`SurveyEnv.policy`, which puts
the module's baseline back afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import URL

from operator_app.domain.enums import Role, SurveyKind
from operator_app.domain.text import name_key
from operator_app.server import changelog
from operator_app.server.accounts import create_user
from operator_app.server.app import create_app
from operator_app.server.db import Database
from operator_app.server.delivery_settings import DeliverySettings, SmtpSettings
from operator_app.server.models import (
    Conversation,
    Customer,
    CustomerPhone,
    OutboundDelivery,
    Survey,
)
from operator_app.server.schema import upgrade_to_head
from operator_app.server.seed import load_batches
from operator_app.server.settings import ServerSettings
from operator_app.server.surveys import create_survey, record_answer
from tests.server.conftest import BACKENDS, PASSWORD, PgSchemas, ServerHandle, base_rows
from tests.server.support import LiveServer, MovableClock

WEBHOOK_SECRET = "test-webhook-secret-0123456789"
BRAND = "Test care"
# The baseline every survey test module starts from: nothing waits for the night to end.
BASELINE_POLICY: dict[str, Any] = {
    "quiet_hours": None,
    "reminder_after_hours": None,
    "min_days_between_surveys": 30,
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    predicate: Callable[[], Any], *, timeout: float = 20, what: str = "condition"
) -> Any:
    """Poll ``predicate`` until it returns something truthy (deadline, not a timed assert)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


class SmtpSink:
    """An aiosmtpd server on loopback keeping every message; can be stopped and restarted.

    Recipients containing "refuse" get a permanent 550. With ``credentials`` it wants a
    login; with ``tls`` it offers STARTTLS (required), or speaks TLS at once (``implicit``).
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        credentials: tuple[str, str] | None = None,
        tls: ssl.SSLContext | None = None,
        implicit: bool = False,
    ) -> None:
        self.port = port or free_port()
        self.credentials = credentials
        self.tls = tls
        self.implicit = implicit
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []
        self._controller: Controller | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if "refuse" in address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted"

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        given = (data.login.decode(), data.password.decode())
        if given == self.credentials:
            self.logins.append(given[0])
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> None:
        options: dict[str, Any] = {}
        if self.credentials:
            options |= {
                "authenticator": self._authenticate,
                "auth_required": True,
                # Implicit TLS is invisible to aiosmtpd: it would think the line is plain.
                "auth_require_tls": self.tls is not None and not self.implicit,
            }
        if self.tls is not None and self.implicit:
            options["ssl_context"] = self.tls
        elif self.tls is not None:
            options |= {"tls_context": self.tls, "require_starttls": True}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookSink:
    """A loopback HTTP receiver: records every request; answers planned statuses, then 200."""

    received: list[Received] = field(default_factory=list)
    planned: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with sink.lock:
                    sink.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = sink.planned.pop(0) if sink.planned else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def plan(self, *statuses: int) -> None:
        with self.lock:
            self.planned[:] = list(statuses)

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def signature_ok(request: Received) -> bool:
    """Checked here from first principles (not with the server's helper)."""
    timestamp = request.headers["x-operatorapp-timestamp"]
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest("sha256=" + expected, request.headers["x-operatorapp-signature"])


def add_conversation(
    handle: ServerHandle,
    *,
    channel: str = "email",
    topic: str = "Billing",
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    language: str = "ru",
    timezone: str = "Europe/Moscow",
    consent: list[str] | None = None,
    assignee: str | None = "op",
    first_name: str = "Мария",
    opened_at: datetime | None = None,
    first_response_at: datetime | None = None,
    resolved_at: datetime | None = None,
    customer_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID, uuid.UUID]:
    """A customer (new unless ``customer_id``) and a conversation; returns both ids."""
    now = handle.clock()
    conversation_id = uuid.uuid4()
    with handle.db.writing() as session:
        if customer_id is None:
            customer_id = uuid.uuid4()
            address = emails if emails is not None else [f"c{customer_id.hex[:12]}@example.com"]
            phone_list = phones if phones is not None else [f"+7912{secrets.randbelow(10**7):07d}"]
            session.add(
                Customer(
                    id=customer_id,
                    first_name=first_name,
                    last_name="Тестова",
                    middle_name="",
                    name_key=name_key("Тестова", first_name, ""),
                    phones=phone_list,
                    emails=address,
                    language=language,
                    timezone=timezone,
                    channel_of_origin=channel,
                    tier="standard",
                    consent_channels=consent if consent is not None else [],
                    version=1,
                    updated_at=now,
                )
            )
            session.flush()
            session.add_all(CustomerPhone(e164=p, customer_id=customer_id) for p in phone_list)
        session.add(
            Conversation(
                id=conversation_id,
                customer_id=customer_id,
                channel=channel,
                status="resolved" if resolved_at else "open",
                topic=topic,
                assignee=assignee,
                opened_at=opened_at or now - timedelta(minutes=30),
                first_response_at=first_response_at,
                resolved_at=resolved_at,
                version=1,
                updated_at=now,
            )
        )
    return customer_id, conversation_id


class SurveyEnv(ServerHandle):
    smtp: SmtpSink
    webhook: WebhookSink

    def conversation(self, **options: Any) -> tuple[uuid.UUID, uuid.UUID]:
        """A customer (new unless ``customer_id``) and a conversation; returns both ids."""
        return add_conversation(self, **options)

    def customer_email(self, customer_id: uuid.UUID) -> str:
        with self.db.reading() as session:
            customer = session.get(Customer, customer_id)
            assert customer is not None
            return str(customer.emails[0])

    @contextmanager
    def policy(self, **changes: Any) -> Iterator[dict[str, Any]]:
        document = {**BASELINE_POLICY, **changes}
        response = self.api.admin.put("/admin/policy", json=document)
        assert response.status_code == 200, response.text
        try:
            yield response.json()
        finally:
            reset = self.api.admin.put("/admin/policy", json=BASELINE_POLICY)
            assert reset.status_code == 200, reset.text

    def ask(self, conversation_id: uuid.UUID, kind: str = "csat", **extra: Any) -> dict[str, Any]:
        response = self.api.operator.post(
            "/surveys", json={"conversation_id": str(conversation_id), "kind": kind, **extra}
        )
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    def page(self, url: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(url, timeout=15, **kwargs)

    def answer(
        self, url: str, score: int | str | None, comment: str = "", **extra: str
    ) -> httpx.Response:
        """Open the page, then send its form as a browser would."""
        page = self.page(url)
        assert page.status_code == 200, page.text
        data = {"form_token": form_token(page.text), "lang": "ru", "comment": comment, **extra}
        if score is not None:
            data["score"] = str(score)
        return httpx.post(url, data=data, timeout=15)


def form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def start_env(url: URL | str, backend: str, delivery: DeliverySettings) -> SurveyEnv:
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
    # Sessions outlive the weeks the tests move the clock forward by.
    settings = ServerSettings(
        clock=clock, event_ping_seconds=0.5, delivery=delivery, token_ttl=timedelta(days=3650)
    )
    live = LiveServer(create_app(db, settings))
    live.start()
    env = SurveyEnv(backend, db, live, clock, data)
    for role, username in env.usernames.items():
        env.api.sign_in(role, username, PASSWORD)
    response = env.api.admin.put("/admin/policy", json=BASELINE_POLICY)
    assert response.status_code == 200, response.text
    return env


def delivery_settings(smtp: SmtpSink, webhook: WebhookSink, **overrides: Any) -> DeliverySettings:
    values: dict[str, Any] = {
        "smtp": SmtpSettings(
            host="127.0.0.1", port=smtp.port, sender=f"{BRAND} <care@example.com>", security="none"
        ),
        "gateway_url": webhook.url + "/gateway",
        "webhook_secret": WEBHOOK_SECRET,
        "review_webhook_url": webhook.url + "/alerts/T000/B000/secret",
        "brand_name": BRAND,
        "max_attempts": 3,
        "retry_base_seconds": 0.05,
        "retry_max_seconds": 0.2,
        "poll_seconds": 0.05,
        "http_timeout_seconds": 5,
    }
    values.update(overrides)
    return DeliverySettings(**values)


@pytest.fixture(scope="module", params=BACKENDS)
def survey_env(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schemas: PgSchemas | None,
) -> Iterator[SurveyEnv]:
    if request.param == "postgresql":
        if pg_schemas is None:
            pytest.skip("PostgreSQL variant: set OPERATOR_APP_TEST_PG_URL")
        url: URL | str = pg_schemas.new_url()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('surveys') / 'server.sqlite3'}"
    smtp = SmtpSink()
    smtp.start()
    webhook = WebhookSink()
    env = start_env(url, request.param, delivery_settings(smtp, webhook))
    env.smtp, env.webhook = smtp, webhook
    try:
        yield env
    finally:
        env.api.close()
        env.live.stop()
        env.db.dispose()
        smtp.stop()
        webhook.close()


# --- rows for the authorization matrix (any server, straight through the services) --------


def make_link(handle: ServerHandle) -> tuple[uuid.UUID, str]:
    """A fresh link-only survey for a new customer: (survey id, link secret)."""
    _, conversation_id = add_conversation(handle, channel="phone")
    now = handle.clock()
    with handle.db.writing() as session:
        created = create_survey(
            session,
            conversation_id=conversation_id,
            kind=SurveyKind.CSAT,
            actor="test",
            now=now,
            settings=DeliverySettings(),
            link_base="http://unused",
            enforce_frequency=False,
        )
        changelog.append(session, created.effects.changes, actor="test", at=now)
    assert created.token is not None
    return created.survey.id, created.token


def make_case(handle: ServerHandle) -> uuid.UUID:
    """A review case opened by a low CSAT."""
    survey_id, _ = make_link(handle)
    now = handle.clock()
    with handle.db.writing() as session:
        survey = session.get(Survey, survey_id)
        assert survey is not None
        effects = record_answer(session, survey, 1, "matrix", actor="test", now=now)
        changelog.append(session, effects.changes, actor="test", at=now)
    [case] = effects.opened_cases
    return case.id


def make_dead_letter(handle: ServerHandle) -> uuid.UUID:
    now = handle.clock()
    delivery_id = uuid.uuid4()
    with handle.db.writing() as session:
        session.add(
            OutboundDelivery(
                id=delivery_id,
                kind="review_alert",
                purpose="review_case",
                survey_id=None,
                target="http://alerts.invalid",
                payload={"text": "test"},
                status="dead",
                attempts=3,
                next_attempt_at=now,
                lease_until=None,
                last_error="test",
                created_at=now,
                updated_at=now,
                sent_at=None,
            )
        )
    return delivery_id


def page_form(handle: ServerHandle) -> tuple[dict[str, str], dict[str, Any]]:
    """Path values and form data for posting a fresh survey page (as its page would)."""
    _, token = make_link(handle)
    page = httpx.get(f"{handle.base_url}/s/{token}", timeout=15)
    assert page.status_code == 200, page.text
    return {"token": token}, {"data": {"score": "5", "form_token": form_token(page.text)}}
