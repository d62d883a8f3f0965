"""Delivery: retries with backoff, dead letters for admins, signed webhooks, SMTP login/TLS."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL

from operator_app.domain.enums import Role
from operator_app.server.delivery_settings import (
    DeliverySettings,
    DeliverySettingsError,
    SmtpSettings,
    display_target,
)
from operator_app.server.mailer import PermanentFailure, TemporaryFailure, build_message, send_email
from operator_app.server.webhooks import signature, verify_signature
from tests.server.conftest import BACKENDS, PgSchemas
from tests.server.support import all_changes, head_seq
from tests.server.surveys_support import (
    SmtpSink,
    SurveyEnv,
    WebhookSink,
    delivery_settings,
    signature_ok,
    start_env,
    wait_until,
)

LOGIN = ("mailer", "s3cret-pass")
# The loopback test SMTP server takes a login without TLS (fine on 127.0.0.1).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@pytest.fixture(scope="module", params=BACKENDS)
def env(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schemas: PgSchemas | None,
) -> Iterator[SurveyEnv]:
    """A server whose SMTP server is down at first (it wants a login once it is up)."""
    if request.param == "postgresql":
        if pg_schemas is None:
            pytest.skip("PostgreSQL variant: set OPERATOR_APP_TEST_PG_URL")
        url: URL | str = pg_schemas.new_url()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('delivery') / 'server.sqlite3'}"
    smtp = SmtpSink(credentials=LOGIN)
    webhook = WebhookSink()
    settings = replace(
        delivery_settings(smtp, webhook),
        smtp=SmtpSettings(
            host="127.0.0.1",
            port=smtp.port,
            sender="care@example.com",
            security="none",
            username=LOGIN[0],
            password=LOGIN[1],
        ),
    )
    survey_env = start_env(url, request.param, settings)
    survey_env.smtp, survey_env.webhook = smtp, webhook
    try:
        yield survey_env
    finally:
        survey_env.api.close()
        survey_env.live.stop()
        survey_env.db.dispose()
        smtp.stop()
        webhook.close()


def _dead(env: SurveyEnv, survey_id: str) -> list[dict[str, Any]]:
    items = env.api.admin.get("/admin/dead-letters", params={"limit": 500}).json()["items"]
    return [item for item in items if item["survey_id"] == survey_id]


def test_smtp_down_is_retried_then_dead_lettered_then_sent_on_an_admins_retry(
    env: SurveyEnv,
) -> None:
    customer_id, conversation_id = env.conversation(channel="email")
    address = env.customer_email(customer_id)
    created = env.ask(conversation_id, "csat")
    assert created["status"] == "queued"
    [dead] = wait_until(lambda: _dead(env, created["id"]), what="the dead letter")
    assert dead["attempts"] == 3 and dead["kind"] == "email" and dead["target"] == address
    assert "cannot reach the SMTP server" in dead["last_error"]
    assert "s3cret" not in str(dead)
    assert env.api.supervisor.get("/admin/dead-letters").status_code == 403
    state = env.api.operator.get(f"/surveys/{created['id']}").json()
    assert [d["status"] for d in state["deliveries"]] == ["dead"]

    env.smtp.start()
    since = head_seq(env.api.admin)
    retried = env.api.admin.post(f"/admin/dead-letters/{dead['id']}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    [message] = wait_until(lambda: env.smtp.to(address), what="the e-mail after the retry")
    assert env.smtp.logins == [LOGIN[0]]
    link = next(w for w in message.get_body(("plain",)).get_content().split() if "/s/" in w)
    assert env.page(link).status_code == 200
    sent = wait_until(
        lambda: [
            d
            for d in env.api.operator.get(f"/surveys/{created['id']}").json()["deliveries"]
            if d["status"] == "sent"
        ],
        what="the delivery marked sent",
    )
    assert sent[0]["attempts"] == 1
    assert _dead(env, created["id"]) == []
    again = env.api.admin.post(f"/admin/dead-letters/{dead['id']}/retry")
    assert again.status_code == 409 and "not dead" in again.json()["detail"]
    assert env.api.admin.post(f"/admin/dead-letters/{uuid.uuid4()}/retry").status_code == 404
    audit = [c["data"] for c in all_changes(env.api.admin, since) if c["entity"] == "audit_event"]
    assert any(a["action"] == "delivery_retried" and a["actor"] == "adm" for a in audit)


def test_a_refused_recipient_is_dead_at_once(env: SurveyEnv) -> None:
    if not env.smtp.running:
        env.smtp.start()
    _, conversation_id = env.conversation(channel="email", emails=["refuse-me@example.com"])
    created = env.ask(conversation_id, "csat")
    [dead] = wait_until(lambda: _dead(env, created["id"]), what="the dead letter")
    assert dead["attempts"] == 1 and "refused" in dead["last_error"]


def test_gateway_failures_are_retried_with_the_same_delivery_id(env: SurveyEnv) -> None:
    env.webhook.plan(500, 503)
    _, conversation_id = env.conversation(channel="whatsapp")
    created = env.ask(conversation_id, "nps")

    def attempts() -> list[Any]:
        return [r for r in env.webhook.at("/gateway") if r.json()["survey_id"] == created["id"]]

    tries = wait_until(lambda: len(attempts()) == 3 and attempts(), what="three attempts")
    assert len({r.headers["x-operatorapp-delivery"] for r in tries}) == 1
    assert all(signature_ok(r) for r in tries)
    [delivery] = wait_until(
        lambda: [
            d
            for d in env.api.operator.get(f"/surveys/{created['id']}").json()["deliveries"]
            if d["status"] == "sent"
        ],
        what="the delivery marked sent",
    )
    assert delivery["attempts"] == 3 and delivery["last_error"] == ""


def test_a_gateway_that_rejects_the_request_is_not_asked_again(env: SurveyEnv) -> None:
    env.webhook.plan(422)
    _, conversation_id = env.conversation(channel="vk")
    created = env.ask(conversation_id, "csat")
    [dead] = wait_until(lambda: _dead(env, created["id"]), what="the dead letter")
    assert dead["attempts"] == 1 and "HTTP 422" in dead["last_error"]
    assert dead["target"].startswith("+79")


def test_review_alerts_that_keep_failing_become_dead_letters(env: SurveyEnv) -> None:
    env.webhook.plan(500, 500, 500)
    _, conversation_id = env.conversation(channel="phone")
    created = env.ask(conversation_id, "ces", score=1)
    [dead] = wait_until(lambda: _dead(env, created["id"]), what="the dead alert")
    assert dead["kind"] == "review_alert" and dead["attempts"] == 3
    # The URL's path (Slack keeps its secret there) never shows.
    assert dead["target"] == display_target(env.webhook.url) and "secret" not in dead["target"]


# --- pieces on their own -------------------------------------------------------------------


def test_signatures_verify_and_tampering_or_age_fails() -> None:
    secret = "a-shared-secret-of-some-length"
    now = datetime.now(UTC)
    stamp = str(int(now.timestamp()))
    body = b'{"text":"hi"}'
    header = signature(secret, stamp, body)
    assert verify_signature(secret, timestamp=stamp, body=body, signature_header=header, now=now)
    assert not verify_signature(
        secret, timestamp=stamp, body=body + b" ", signature_header=header, now=now
    )
    assert not verify_signature(
        "another-secret-entirely", timestamp=stamp, body=body, signature_header=header, now=now
    )
    old = str(int(now.timestamp()) - 3600)
    assert not verify_signature(
        secret, timestamp=old, body=body, signature_header=signature(secret, old, body), now=now
    )


def test_settings_from_the_environment() -> None:
    settings = DeliverySettings.from_env(
        {
            "OPERATOR_APP_SMTP_HOST": "mail.example.com",
            "OPERATOR_APP_SMTP_SECURITY": "SSL",
            "OPERATOR_APP_SMTP_FROM": "Care <care@example.com>",
            "OPERATOR_APP_SMTP_USER": "care",
            "OPERATOR_APP_SMTP_PASSWORD": "pw",
            "OPERATOR_APP_GATEWAY_URL": "https://gw.example.com/hook/",
            "OPERATOR_APP_WEBHOOK_SECRET": "0123456789abcdef",
            "OPERATOR_APP_PUBLIC_URL": "https://survey.example.com/",
        }
    )
    assert settings.smtp is not None and settings.smtp.port == 465
    assert settings.smtp.security == "ssl" and settings.smtp.password == "pw"
    assert "pw" not in repr(settings)
    assert settings.public_url == "https://survey.example.com"
    assert DeliverySettings.from_env({}) == DeliverySettings()
    wrong = [
        ({"OPERATOR_APP_SMTP_HOST": "h", "OPERATOR_APP_SMTP_FROM": "a@b.c",
          "OPERATOR_APP_SMTP_PORT": "smtp"}, "OPERATOR_APP_SMTP_PORT"),
        ({"OPERATOR_APP_SMTP_HOST": "h", "OPERATOR_APP_SMTP_FROM": "a@b.c",
          "OPERATOR_APP_SMTP_SECURITY": "tls13"}, "OPERATOR_APP_SMTP_SECURITY"),
        ({"OPERATOR_APP_SMTP_HOST": "h"}, "OPERATOR_APP_SMTP_FROM"),
        ({"OPERATOR_APP_GATEWAY_URL": "https://gw"}, "OPERATOR_APP_WEBHOOK_SECRET"),
        ({"OPERATOR_APP_GATEWAY_URL": "https://gw", "OPERATOR_APP_WEBHOOK_SECRET": "short"},
         "OPERATOR_APP_WEBHOOK_SECRET"),
        ({"OPERATOR_APP_PUBLIC_URL": "survey.example.com"}, "OPERATOR_APP_PUBLIC_URL"),
    ]  # fmt: skip
    for environ, name in wrong:
        with pytest.raises(DeliverySettingsError, match=name):
            DeliverySettings.from_env(environ)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl binary to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_smtp_over_tls_with_login(certificate: tuple[Path, Path], security: str) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    sink = SmtpSink(credentials=LOGIN, tls=server_tls, implicit=security == "ssl")
    sink.start()
    try:
        settings = SmtpSettings(
            host="127.0.0.1",
            port=sink.port,
            sender="care@example.com",
            security=security,  # type: ignore[arg-type]
            username=LOGIN[0],
            password=LOGIN[1],
            ca_file=str(cert),
        )
        message = build_message(settings, to="a@example.com", subject="Тема", text="т", html=None)
        send_email(settings, message)
        assert [m["Subject"] for m in sink.messages] == ["Тема"]
        assert sink.logins == [LOGIN[0]]
        with pytest.raises(TemporaryFailure, match="TLS"):
            send_email(replace(settings, ca_file=None), message)  # not trusted by the system
        with pytest.raises(PermanentFailure, match="login refused"):
            send_email(replace(settings, password="nope"), message)
    finally:
        sink.stop()


def test_admins_see_dead_letters_newest_first_in_pages(env: SurveyEnv) -> None:
    first = env.api.admin.get("/admin/dead-letters", params={"limit": 1})
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 1 and body["next_cursor"]
    second = env.api.admin.get(
        "/admin/dead-letters", params={"limit": 1, "cursor": body["next_cursor"]}
    ).json()
    assert second["items"][0]["id"] != body["items"][0]["id"]
    assert second["items"][0]["updated_at"] <= body["items"][0]["updated_at"]
    for role in (Role.OPERATOR, Role.SUPERVISOR):
        assert env.api[role].get("/admin/dead-letters").status_code == 403


def test_serve_refuses_unusable_delivery_settings_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from operator_app.server.cli import main

    monkeypatch.setenv("OPERATOR_APP_SMTP_HOST", "mail.example.com")
    monkeypatch.delenv("OPERATOR_APP_SMTP_FROM", raising=False)
    code = main(["serve", "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}"])
    assert code == 1
    err = capsys.readouterr().err
    assert "OPERATOR_APP_SMTP_FROM" in err and "Traceback" not in err
