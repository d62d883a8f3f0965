"""The API client against a scripted HTTP server on loopback: every failure is typed."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.responses import JSONResponse, Response

from operator_app.api import (
    ApiClient,
    AuthError,
    ConfigurationError,
    ConflictError,
    ForbiddenError,
    IncompatibleServerError,
    Mutation,
    NetworkError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    Session,
    Timeouts,
    ValidationError,
    normalize_server_url,
)
from operator_app.api.client import parse_retry_after
from tests.e2e.loopback import Recorded, ScriptedServer, free_port, problem, slow, sse

TOKEN = "oat_secret-token-value"
USER = {"id": str(uuid.uuid4()), "username": "alice", "name": "Alice", "role": "operator"}


def ok(body: Any) -> Any:
    return lambda _request: JSONResponse(body)


def login_ok(_request: Recorded) -> Response:
    return JSONResponse({"access_token": TOKEN, "expires_at": "2030-01-01T00:00:00Z", "user": USER})


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer().start()
    yield scripted
    scripted.stop()


@pytest.fixture
def server(shared_server: ScriptedServer) -> ScriptedServer:
    shared_server.reset()
    return shared_server


def call(server: ScriptedServer, method: str, *args: Any, **client_options: Any) -> Any:
    async def go() -> Any:
        async with ApiClient(server.url, retry_delay=0.01, **client_options) as api:
            api.use_token(TOKEN)
            return await getattr(api, method)(*args)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://crm.example.com/", "https://crm.example.com"),
        ("  http://127.0.0.1:8765  ", "http://127.0.0.1:8765"),
        ("https://example.com/crm/", "https://example.com/crm"),
    ],
)
def test_server_addresses_are_normalised(text: str, expected: str) -> None:
    assert normalize_server_url(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the server address"),
        ("crm.example.com", "must start with http:// or https://"),
        ("ftp://crm.example.com", "not ftp://"),
        ("http://", "no host"),
        ("https://bob:pw@crm.example.com", "sign-in form"),
        ("https://crm.example.com/?x=1", "'?'"),
        ("http://[::1", "not a valid server address"),
    ],
)
def test_garbage_addresses_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        normalize_server_url(text)


def test_sign_in_keeps_the_token_in_the_keyring_only(
    server: ScriptedServer, memory_keyring: Any
) -> None:
    server.on("POST", "/api/v1/auth/login", login_ok)
    server.on("GET", "/api/v1/changes", ok({"changes": [], "next": 0, "has_more": False}))

    async def go() -> None:
        async with ApiClient(server.url) as api:
            session = Session(api, "alice")
            result = await session.sign_in("pa55word!")
            assert result.user.role == "operator"
            assert TOKEN not in repr(result) and TOKEN not in repr(api)
            await api.changes(0)

    asyncio.run(go())
    assert memory_keyring.secrets == {("operator-app", f"{server.url}|alice"): TOKEN}
    assert server.hits("/api/v1/changes")[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert server.hits("/api/v1/auth/login")[0].json() == {
        "username": "alice",
        "password": "pa55word!",
    }


def test_a_later_run_resumes_with_the_kept_token(
    server: ScriptedServer, memory_keyring: Any
) -> None:
    memory_keyring.secrets[("operator-app", f"{server.url}|alice")] = TOKEN
    server.on("GET", "/api/v1/changes", ok({"changes": [], "next": 0, "has_more": False}))

    async def go() -> bool:
        async with ApiClient(server.url) as api:
            resumed = Session(api, "alice").resume()
            await api.changes(0)
            return resumed

    assert asyncio.run(go())
    assert server.hits("/api/v1/changes")[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_without_a_keyring_the_token_stays_in_memory_with_a_notice(
    server: ScriptedServer,
) -> None:
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    keyring.set_keyring(NoKeyring())
    server.on("POST", "/api/v1/auth/login", login_ok)
    server.on("GET", "/api/v1/changes", ok({"changes": [], "next": 0, "has_more": False}))

    async def go() -> Session:
        async with ApiClient(server.url) as api:
            session = Session(api, "alice")
            assert not session.resume()
            await session.sign_in("pa55word!")
            await api.changes(0)
            return session

    session = asyncio.run(go())
    assert session.tokens.persistent is False
    assert session.tokens.notice and "memory" in session.tokens.notice
    assert session.tokens.load() == TOKEN
    assert server.hits("/api/v1/changes")[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_wrong_password_is_an_auth_error_in_plain_words(server: ScriptedServer) -> None:
    server.on("POST", "/api/v1/auth/login", lambda _r: problem(401, "Wrong username or password."))
    with pytest.raises(AuthError, match="Wrong user name or password"):
        call(server, "login", "alice", "nope")
    assert len(server.hits("/api/v1/auth/login")) == 1  # never retried


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationError),
        (500, ServerError),
        (503, ServerError),
        (418, ProtocolError),
    ],
)
def test_problem_documents_become_typed_errors(
    server: ScriptedServer, status: int, error: type[Exception]
) -> None:
    server.on("GET", "/api/v1/changes", lambda _r: problem(status, "the reason"))
    with pytest.raises(error) as caught:
        call(server, "changes", 0)
    assert "the reason" in str(caught.value)
    assert caught.value.status == status  # type: ignore[attr-defined]


def test_idempotent_calls_are_retried_on_server_errors(server: ScriptedServer) -> None:
    server.once(
        "GET", "/api/v1/changes", lambda _r: problem(502, "x"), lambda _r: problem(500, "y")
    )
    server.on("GET", "/api/v1/changes", ok({"changes": [], "next": 5, "has_more": False}))
    assert call(server, "changes", 5).next == 5
    assert len(server.hits("/api/v1/changes")) == 3


def test_too_many_requests_carries_retry_after(server: ScriptedServer) -> None:
    server.on(
        "GET", "/api/v1/changes", lambda _r: problem(429, "slow down", **{"Retry-After": "7"})
    )
    with pytest.raises(RateLimitedError) as caught:
        call(server, "changes", 0)
    assert caught.value.retry_after == 7.0
    assert len(server.hits("/api/v1/changes")) == 1  # the caller decides when to come back


def test_retry_after_may_be_an_http_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 01 Jan 2030 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize(
    "body",
    [
        b"<html>gateway</html>",
        b'{"changes": "lots"}',
        b'{"changes": [{"seq": "one"}], "next": 1, "has_more": false}',
        b'{"changes": [], "next": 0, "has_more": true}',
        b'{"changes": [{"seq": 3, "entity": "note", "id": "x", "op": "update", "data": {}},'
        b' {"seq": 2, "entity": "note", "id": "y", "op": "update", "data": {}}],'
        b' "next": 3, "has_more": false}',
        b"[1, 2, 3]",
    ],
)
def test_garbage_answers_are_protocol_errors(server: ScriptedServer, body: bytes) -> None:
    server.on("GET", "/api/v1/changes", lambda _r: Response(body, media_type="application/json"))
    with pytest.raises(ProtocolError, match="does not understand"):
        call(server, "changes", 0)


def test_unreachable_and_slow_servers_are_network_errors(server: ScriptedServer) -> None:
    async def unreachable() -> None:
        async with ApiClient(f"http://127.0.0.1:{free_port()}", retries=0) as api:
            await api.changes(0)

    with pytest.raises(NetworkError, match="unreachable"):
        asyncio.run(unreachable())
    server.on(
        "GET", "/api/v1/changes", slow(1.0, ok({"changes": [], "next": 0, "has_more": False}))
    )
    with pytest.raises(NetworkError, match="did not answer in time"):
        call(server, "changes", 0, timeouts=Timeouts(read=0.2), retries=0)


def test_another_api_version_is_incompatible(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/version", ok({"api_version": 1, "server_version": "0.1.0"}))
    assert call(server, "version").compatible
    server.on("GET", "/api/v1/version", ok({"api_version": 2, "server_version": "9"}))
    with pytest.raises(IncompatibleServerError, match="version 2"):
        call(server, "version")
    server.routes.pop(("GET", "/api/v1/version"))
    with pytest.raises(IncompatibleServerError, match="does not look like"):
        call(server, "version")


def test_mutation_results_must_answer_each_mutation_in_order(server: ScriptedServer) -> None:
    first = Mutation(uuid.uuid4(), "note", uuid.uuid4(), "create", None, {"body": "x"})
    second = Mutation(uuid.uuid4(), "note", uuid.uuid4(), "create", None, {"body": "y"})
    result = lambda m: {"mutation_id": str(m.mutation_id), "status": "applied", "version": 1}  # noqa: E731
    server.on("POST", "/api/v1/mutations", ok({"results": [result(first), result(second)]}))
    results = call(server, "push", [first, second])
    assert [r.status for r in results] == ["applied", "applied"]
    assert server.hits("/api/v1/mutations")[0].json()["mutations"][0] == {
        "mutation_id": str(first.mutation_id),
        "entity": "note",
        "id": str(first.id),
        "op": "create",
        "base_version": None,
        "data": {"body": "x"},
    }
    server.on("POST", "/api/v1/mutations", ok({"results": [result(second), result(first)]}))
    with pytest.raises(ProtocolError, match="out of order"):
        call(server, "push", [first, second])
    server.on("POST", "/api/v1/mutations", ok({"results": [result(first)]}))
    with pytest.raises(ProtocolError, match="1 results for 2"):
        call(server, "push", [first, second])


def test_a_conflict_result_carries_the_servers_row_and_fields(server: ScriptedServer) -> None:
    mutation = Mutation(uuid.uuid4(), "customer", uuid.uuid4(), "update", 3, {"tags": ["a"]})
    server.on(
        "POST",
        "/api/v1/mutations",
        ok(
            {
                "results": [
                    {
                        "mutation_id": str(mutation.mutation_id),
                        "status": "conflict",
                        "version": 5,
                        "error": "tags changed",
                        "current": {"tags": ["b"]},
                        "conflicts": ["tags"],
                    }
                ]
            }
        ),
    )
    [result] = call(server, "push", [mutation])
    assert (result.status, result.version, result.current, result.conflicts) == (
        "conflict",
        5,
        {"tags": ["b"]},
        ("tags",),
    )
    assert not result.done


def test_events_resume_after_the_last_event_id(server: ScriptedServer) -> None:
    server.on(
        "GET",
        "/api/v1/events",
        sse(("7", "change", {"seq": 10}), ("8", "incoming_contact", {"phone": "+79120000001"})),
    )

    async def go() -> list[Any]:
        async with ApiClient(server.url) as api:
            api.use_token(TOKEN)
            return [event async for event in api.events("6")]

    events = asyncio.run(go())
    assert [(e.id, e.kind, e.data) for e in events] == [
        ("7", "change", {"seq": 10}),
        ("8", "incoming_contact", {"phone": "+79120000001"}),
    ]
    headers = server.hits("/api/v1/events")[0].headers
    assert headers["last-event-id"] == "6" and headers["accept"] == "text/event-stream"


def test_an_event_stream_that_is_not_one_is_a_protocol_error(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/events", ok({"not": "a stream"}))

    async def go() -> None:
        async with ApiClient(server.url) as api:
            async for _ in api.events():
                pass

    with pytest.raises(ProtocolError, match="not an event stream"):
        asyncio.run(go())


def test_an_unreadable_ca_bundle_is_a_configuration_error(tmp_path: Any) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ConfigurationError, match="CA bundle"):
        ApiClient("https://crm.example.com", ca_bundle=bad)
    with pytest.raises(ConfigurationError, match="CA bundle"):
        ApiClient("https://crm.example.com", ca_bundle=tmp_path / "missing.pem")


def test_logs_never_hold_tokens_or_passwords(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.on("POST", "/api/v1/auth/login", login_ok)
    server.on("POST", "/api/v1/mutations", lambda _r: problem(500, "boom"))
    caplog.set_level(logging.DEBUG)

    async def go() -> None:
        async with ApiClient(server.url, retry_delay=0.01) as api:
            await Session(api, "alice").sign_in("pa55word-secret")
            mutation = Mutation(
                uuid.uuid4(), "note", uuid.uuid4(), "create", None, {"body": "private body text"}
            )
            with pytest.raises(ServerError):
                await api.push([mutation])

    asyncio.run(go())
    text = caplog.text
    assert "POST /mutations" in text
    for secret in (TOKEN, "pa55word-secret", "private body text"):
        assert secret not in text


def test_the_demo_traffic_state_is_read_and_checked(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/admin/demo/traffic", ok({"enabled": True, "interval_s": 5.0}))
    assert call(server, "demo_traffic") is True
    server.on("GET", "/api/v1/admin/demo/traffic", ok({"enabled": "yes"}))
    with pytest.raises(ProtocolError, match="simulated traffic"):
        call(server, "demo_traffic")


def test_a_server_answering_as_another_api_version_is_named_on_any_call(
    server: ScriptedServer,
) -> None:
    feed = {"changes": [], "next": 0, "has_more": False}
    server.on(
        "GET", "/api/v1/changes", lambda _r: JSONResponse(feed, headers={"X-API-Version": "1"})
    )
    assert call(server, "changes", 0).next == 0
    server.on(
        "GET", "/api/v1/changes", lambda _r: JSONResponse(feed, headers={"X-API-Version": "2"})
    )
    with pytest.raises(IncompatibleServerError, match=r"speaks API version 2.*update the app"):
        call(server, "changes", 0)
    # an error answer from an upgraded server says the same, not "not found"
    server.on(
        "GET",
        "/api/v1/changes",
        lambda _r: JSONResponse(
            {"detail": "gone"}, status_code=404, headers={"X-API-Version": "2"}
        ),
    )
    with pytest.raises(IncompatibleServerError, match="version 2"):
        call(server, "changes", 0)
