"""problem+json everywhere, the body size limit, the API version, the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from operator_app.server.app import create_app
from operator_app.server.settings import ServerSettings
from tests.server.conftest import ServerHandle
from tests.server.support import LiveServer, client_for

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-api-version"] == "1"
    body = response.json()
    assert body["type"] == f"urn:operator-app:problem:{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def test_version_endpoint_and_header(server: ServerHandle) -> None:
    response = server.api.anonymous.get("/version")
    assert response.status_code == 200
    assert response.json()["api_version"] == 1
    assert response.json()["server_version"]
    assert response.headers["x-api-version"] == "1"


def test_problem_documents_for_the_usual_mistakes(server: ServerHandle) -> None:
    anonymous, operator = server.api.anonymous, server.api.operator
    assert_problem(anonymous.get("/changes"), 401, "unauthorized")
    assert_problem(operator.post("/telephony/incoming", json={"phone": "1"}), 403, "forbidden")
    assert_problem(operator.get("/no/such/thing"), 404, "not-found")
    assert_problem(
        operator.get("/customers/00000000-0000-0000-0000-000000000001"), 404, "not-found"
    )
    assert_problem(operator.delete("/changes"), 405, "method-not-allowed")
    assert_problem(
        operator.post("/mutations", content=b"{nope", headers={"content-type": "application/json"}),
        400,
        "malformed-json",
    )
    invalid = assert_problem(operator.get("/customers/not-a-uuid"), 422, "validation-failed")
    assert invalid["errors"][0]["field"] == "customer_id"
    assert invalid["errors"][0]["message"]


def test_request_body_over_the_limit_is_413(server: ServerHandle) -> None:
    limit = server.context.settings.max_body_bytes
    body = b'{"mutations": [], "pad": "' + b"x" * limit + b'"}'
    declared = server.api.operator.post(
        "/mutations", content=body, headers={"content-type": "application/json"}
    )
    assert_problem(declared, 413, "payload-too-large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    streamed = server.api.operator.post(
        "/mutations", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(streamed, 413, "payload-too-large")
    # Anonymous callers get the same answer before authentication is even looked at.
    assert_problem(server.api.anonymous.post("/auth/login", content=body), 413, "payload-too-large")


def test_unexpected_failures_are_a_bare_500_problem(server: ServerHandle) -> None:
    app = create_app(server.db, ServerSettings())

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    live = LiveServer(app)
    live.start()
    try:
        with client_for(live.base_url) as client:
            response = client.get("/boom")
    finally:
        live.stop()
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in response.text
    assert body["instance"] == "/api/v1/boom"


def test_openapi_document_describes_every_operation(server: ServerHandle) -> None:
    response = server.api.anonymous.get(server.base_url + "/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"]
    security = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in security.values())
    for path, operations in document["paths"].items():
        assert path.startswith("/api/v1/") or path == "/s/{token}"  # the customers' page
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            if path not in {"/api/v1/version"}:
                assert "422" in operation["responses"] or "401" in operation["responses"]


@pytest.mark.parametrize("path", ["/api/v1/mutations", "/api/v1/auth/login"])
def test_validation_errors_name_the_fields(server: ServerHandle, path: str) -> None:
    response = server.api.operator.post(server.base_url + path, json={"unexpected": 1})
    body = assert_problem(response, 422, "validation-failed")
    assert {"field", "message", "location"} <= set(body["errors"][0])
