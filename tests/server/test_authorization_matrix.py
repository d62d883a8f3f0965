"""Every route of the OpenAPI document × every kind of caller → the expected status class.

A new route fails this test until it is given a row here: the role check is then
decided on purpose, not by accident.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from operator_app.domain.enums import Role
from tests.server.conftest import PASSWORD, ServerHandle
from tests.server.support import client_for
from tests.server.surveys_support import (
    add_conversation,
    make_case,
    make_dead_letter,
    make_link,
    page_form,
)

ANONYMOUS = "anonymous"
TELEPHONY = "telephony"
CALLERS: list[Any] = [ANONYMOUS, Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN, TELEPHONY]
EVERYONE = frozenset(CALLERS)
USERS = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})
STAFF = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Access:
    allowed: frozenset[Any]
    request: Callable[[ServerHandle], dict[str, Any]] = field(default=lambda s: {})
    stream: bool = False
    # For routes whose path and body are made together (a survey page and its form
    # token): returns (path values, request kwargs) and replaces PATH_VALUES/request.
    prepare: Callable[[ServerHandle], tuple[dict[str, str], dict[str, Any]]] | None = None
    # What an allowed caller gets: 2xx unless the route answers otherwise on this server.
    allowed_status: range = range(200, 300)


MATRIX: dict[tuple[str, str], Access] = {
    ("GET", "/api/v1/version"): Access(EVERYONE),
    ("POST", "/api/v1/auth/login"): Access(
        EVERYONE, lambda s: {"json": {"username": "op", "password": PASSWORD}}
    ),
    ("POST", "/api/v1/auth/logout"): Access(USERS),
    ("GET", "/api/v1/auth/me"): Access(USERS),
    ("GET", "/api/v1/changes"): Access(USERS, lambda s: {"params": {"since": 0, "limit": 5}}),
    ("POST", "/api/v1/mutations"): Access(USERS, lambda s: {"json": {"mutations": []}}),
    ("GET", "/api/v1/events"): Access(USERS, stream=True),
    ("POST", "/api/v1/telephony/incoming"): Access(
        frozenset({Role.ADMIN, TELEPHONY}), lambda s: {"json": {"phone": "+7 912 000-11-22"}}
    ),
    ("GET", "/api/v1/customers"): Access(USERS, lambda s: {"params": {"q": "ёлкин"}}),
    ("GET", "/api/v1/customers/{customer_id}"): Access(USERS),
    ("POST", "/api/v1/surveys"): Access(
        USERS, lambda s: {"json": {"conversation_id": str(add_conversation(s)[1]), "kind": "csat"}}
    ),
    ("GET", "/api/v1/surveys/{survey_id}"): Access(USERS),
    ("GET", "/api/v1/review-cases"): Access(STAFF, lambda s: {"params": {"status": "new"}}),
    ("GET", "/api/v1/review-cases/{case_id}"): Access(STAFF),
    ("POST", "/api/v1/review-cases/{case_id}/actions"): Access(
        STAFF, lambda s: {"json": {"action": "note", "note": "checked"}}
    ),
    ("GET", "/api/v1/metrics/surveys"): Access(STAFF, lambda s: {"params": {"group_by": "day"}}),
    ("GET", "/api/v1/metrics/first-response"): Access(STAFF),
    ("GET", "/api/v1/metrics/fcr"): Access(STAFF),
    ("GET", "/api/v1/admin/policy"): Access(ADMIN),
    # An empty document: every field at its default (the policy the server starts with).
    ("PUT", "/api/v1/admin/policy"): Access(ADMIN, lambda s: {"json": {}}),
    ("GET", "/api/v1/admin/dead-letters"): Access(ADMIN),
    ("POST", "/api/v1/admin/dead-letters/{delivery_id}/retry"): Access(ADMIN),
    # The customers' survey page: public, the link is the key (a bearer token changes nothing).
    ("GET", "/s/{token}"): Access(EVERYONE, prepare=lambda s: ({"token": make_link(s)[1]}, {})),
    ("POST", "/s/{token}"): Access(EVERYONE, prepare=page_form),
    ("GET", "/api/v1/metrics/customers"): Access(STAFF),
    ("GET", "/api/v1/metrics/offers"): Access(STAFF),
    ("GET", "/api/v1/admin/upsell-rules"): Access(ADMIN),
    ("POST", "/api/v1/admin/upsell-rules"): Access(ADMIN, lambda s: {"json": _rule_body(s)}),
    ("POST", "/api/v1/admin/upsell-rules/preview"): Access(
        ADMIN, lambda s: {"json": {"rule_id": matrix_rule_id(s)}}
    ),
    ("GET", "/api/v1/admin/upsell-rules/{rule_id}"): Access(ADMIN),
    ("PUT", "/api/v1/admin/upsell-rules/{rule_id}"): Access(
        ADMIN, lambda s: {"json": _rule_body(s)}
    ),
    ("DELETE", "/api/v1/admin/upsell-rules/{rule_id}"): Access(ADMIN),
    ("GET", "/api/v1/admin/users"): Access(ADMIN),
    ("POST", "/api/v1/admin/users"): Access(
        ADMIN,
        lambda s: {
            "json": {
                "username": f"m{secrets.token_hex(5)}",
                "role": "operator",
                "password": PASSWORD,
            }
        },
    ),
    ("PATCH", "/api/v1/admin/users/{user_id}"): Access(ADMIN, lambda s: {"json": {"name": "M"}}),
    ("POST", "/api/v1/admin/users/{user_id}/password"): Access(
        ADMIN, lambda s: {"json": {"password": PASSWORD}}
    ),
    # Any signed-in user on a demo database; this server is not one, so they get 404
    # (the demo case is in test_demo_traffic.py).
    ("GET", "/api/v1/admin/demo/traffic"): Access(USERS, allowed_status=range(404, 405)),
    ("PUT", "/api/v1/admin/demo/traffic"): Access(
        USERS, lambda s: {"json": {"enabled": False}}, allowed_status=range(404, 405)
    ),
}

PATH_VALUES: dict[str, Callable[[ServerHandle], str]] = {
    "customer_id": lambda s: str(s.data["customer_id"]),
    "survey_id": lambda s: str(make_link(s)[0]),
    "case_id": lambda s: str(make_case(s)),
    "delivery_id": lambda s: str(make_dead_letter(s)),
    "rule_id": lambda s: matrix_rule_id(s),
    "user_id": lambda s: matrix_user_id(s),
}


def _rule_body(server: ServerHandle) -> dict[str, Any]:
    return {
        "name": "Matrix rule",
        "definition": {"offer_product_id": str(server.data["product_id"])},
    }


def matrix_rule_id(server: ServerHandle) -> str:
    """A stored upsell rule for the routes that take one (made once per server)."""
    if "matrix_rule_id" not in server.data:
        response = server.api.admin.post("/admin/upsell-rules", json=_rule_body(server))
        assert response.status_code == 201, response.text
        server.data["matrix_rule_id"] = response.json()["id"]
    return str(server.data["matrix_rule_id"])


def matrix_user_id(server: ServerHandle) -> str:
    """An operator account for the routes that take one (made once per server)."""
    if "matrix_user_id" not in server.data:
        username = server.add_user(Role.OPERATOR)
        users = server.api.admin.get("/admin/users").json()["items"]
        server.data["matrix_user_id"] = next(u["id"] for u in users if u["username"] == username)
    return str(server.data["matrix_user_id"])


def _routes(server: ServerHandle) -> set[tuple[str, str]]:
    document = server.api.anonymous.get(server.base_url + "/openapi.json").json()
    return {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }


def test_every_route_is_in_the_matrix(server: ServerHandle) -> None:
    routes = _routes(server)
    assert routes - set(MATRIX) == set(), "new routes: decide who may call them in MATRIX"
    assert set(MATRIX) - routes == set(), "routes gone: remove them from MATRIX"


def _token_for(server: ServerHandle, caller: Any) -> str | None:
    if caller == ANONYMOUS:
        return None
    if caller == TELEPHONY:
        return server.new_token(scope="telephony")
    return server.new_token(caller)  # fresh per request: logout must not end shared tokens


def _call(
    client: httpx.Client, method: str, url: str, kwargs: dict[str, Any], access: Access
) -> int:
    if access.stream:
        with client.stream(method, url, **kwargs) as response:
            return response.status_code  # do not wait for events; closing ends the stream
    return client.request(method, url, **kwargs).status_code


@pytest.mark.parametrize("caller", CALLERS, ids=str)
def test_each_caller_gets_what_its_role_allows(server: ServerHandle, caller: Any) -> None:
    failures = []
    for (method, template), access in sorted(MATRIX.items()):
        path = template
        if access.prepare is not None:
            values, kwargs = access.prepare(server)
        else:
            values = {n: v(server) for n, v in PATH_VALUES.items() if "{" + n + "}" in template}
            kwargs = access.request(server)
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        with client_for(server.base_url, _token_for(server, caller)) as client:
            status = _call(client, method, server.base_url + path, kwargs, access)
        if caller in access.allowed:
            ok = status in access.allowed_status
        elif caller == ANONYMOUS:
            ok = status == 401
        else:
            ok = status == 403
        if not ok:
            failures.append(f"{method} {template} as {caller}: {status}")
    assert not failures, "\n".join(failures)
