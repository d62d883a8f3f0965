"""The admin API wrappers: field errors reach forms, writes are not retried, odd answers
are protocol errors."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from starlette.responses import JSONResponse

from operator_app.api import ApiClient, ProtocolError, ServerError, ValidationError
from operator_app.api.admin import AdminApi
from tests.e2e.loopback import ScriptedServer, problem
from tests.unit.test_api_client import TOKEN, server, shared_server

__all__ = ["server", "shared_server"]


def admin_call(server: ScriptedServer, method: str, *args: Any, **kwargs: Any) -> Any:
    async def go() -> Any:
        async with ApiClient(server.url, retry_delay=0.01) as api:
            api.use_token(TOKEN)
            return await getattr(AdminApi(api), method)(*args, **kwargs)

    return asyncio.run(go())


def test_field_errors_reach_the_caller(server: ScriptedServer) -> None:
    body = {
        "type": "urn:operator-app:problem:validation-failed",
        "title": "The request is not valid",
        "status": 422,
        "detail": "The rule is not valid; check: definition.reason.",
        "errors": [
            {"field": "definition.reason", "message": "at most 500 characters (got 501)"},
            "not an entry",
        ],
    }
    server.on(
        "POST",
        "/api/v1/admin/upsell-rules/preview",
        lambda _r: JSONResponse(body, status_code=422, media_type="application/problem+json"),
    )
    with pytest.raises(ValidationError) as caught:
        admin_call(server, "preview_rule", name="r", definition={"reason": "x" * 501})
    assert caught.value.field_errors == [("definition.reason", "at most 500 characters (got 501)")]
    assert len(server.hits("/api/v1/admin/upsell-rules/preview")) == 1


def test_writes_are_tried_once_reads_are_retried(server: ScriptedServer) -> None:
    server.on("POST", "/api/v1/admin/users", lambda _r: problem(503, "busy"))
    with pytest.raises(ServerError):
        admin_call(server, "create_user", username="a", name="", role="operator", password=None)
    assert len(server.hits("/api/v1/admin/users")) == 1

    user = {
        "id": str(uuid.uuid4()),
        "username": "anna",
        "name": "Anna",
        "role": "admin",
        "disabled": False,
        "version": 2,
    }
    server.once("GET", "/api/v1/admin/users", lambda _r: problem(502, "restarting"))
    server.on("GET", "/api/v1/admin/users", lambda _r: JSONResponse({"items": [user]}))
    [anna] = admin_call(server, "users")
    assert (anna.username, anna.role, anna.version) == ("anna", "admin", 2)


def test_unreadable_answers_are_protocol_errors(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/admin/upsell-rules", lambda _r: JSONResponse({"items": [{"id": 1}]}))
    with pytest.raises(ProtocolError):
        admin_call(server, "rules")
