"""Admins manage accounts over the API: create, role, disable/enable, reset password.

Runs on SQLite and (with OPERATOR_APP_TEST_PG_URL) on PostgreSQL.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from operator_app.domain.enums import Role
from operator_app.server.accounts import create_user
from operator_app.server.db import Database
from operator_app.server.models import User
from operator_app.server.schema import upgrade_to_head
from operator_app.server.user_admin import UserChangeRefused, UserEdit, edit_user
from tests.server.conftest import BACKENDS, PASSWORD, ServerHandle
from tests.server.support import all_changes, client_for, head_seq


def _login(server: ServerHandle, username: str, password: str) -> httpx.Response:
    return server.api.anonymous.post(
        "/auth/login", json={"username": username, "password": password}
    )


def _create(server: ServerHandle, **body: Any) -> httpx.Response:
    fields = {"username": f"n{secrets.token_hex(4)}", "role": "operator", "password": PASSWORD}
    return server.api.admin.post("/admin/users", json=fields | body)


def _by_name(server: ServerHandle, username: str) -> dict[str, Any]:
    users = server.api.admin.get("/admin/users").json()["items"]
    return next(u for u in users if u["username"] == username)


def test_an_admin_creates_an_account_that_can_sign_in(server: ServerHandle) -> None:
    since = head_seq(server.api.admin)
    username = f"Anna{secrets.token_hex(3)}"
    created = _create(server, username=f"  {username} ", name="Anna Petrova", role="supervisor")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["generated_password"] is None
    assert body["user"]["username"] == username.casefold()
    assert body["user"]["role"] == "supervisor" and body["user"]["disabled"] is False
    assert created.headers["location"].endswith(body["user"]["id"])

    login = _login(server, username.casefold(), PASSWORD)
    assert login.status_code == 200 and login.json()["user"]["name"] == "Anna Petrova"

    feed = all_changes(server.api.admin, since)
    [user_change] = [c for c in feed if c["entity"] == "user"]
    assert "password_hash" not in user_change["data"]
    actions = [c["data"]["action"] for c in feed if c["entity"] == "audit_event"]
    assert "user_created" in actions
    # Operators never see accounts in their feed.
    assert not [c for c in all_changes(server.api.operator, since) if c["entity"] == "user"]


def test_a_generated_password_is_shown_once_and_works(server: ServerHandle) -> None:
    created = server.api.admin.post(
        "/admin/users", json={"username": f"g{secrets.token_hex(4)}", "role": "operator"}
    )
    assert created.status_code == 201, created.text
    password = created.json()["generated_password"]
    assert password and len(password) >= 16
    assert _login(server, created.json()["user"]["username"], password).status_code == 200
    listed = server.api.admin.get("/admin/users").text
    assert password not in listed


def test_bad_fields_are_listed_one_by_one_and_nothing_is_created(server: ServerHandle) -> None:
    before = len(server.api.admin.get("/admin/users").json()["items"])
    response = _create(server, username="no spaces!", name="x" * 201, password="short")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("validation-failed")
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) == {"username", "name", "password"}
    assert "at least 8 characters" in fields["password"]
    wrong_type = _create(server, role="superuser")
    assert wrong_type.status_code == 422
    assert [e["field"] for e in wrong_type.json()["errors"]] == ["role"]
    assert len(server.api.admin.get("/admin/users").json()["items"]) == before


def test_a_taken_username_is_a_conflict_on_the_username_field(server: ServerHandle) -> None:
    response = _create(server, username="OP")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "username"
    assert "taken" in response.json()["errors"][0]["message"]


def test_disabling_ends_sessions_at_once_and_blocks_sign_in(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = _login(server, username, PASSWORD).json()["access_token"]
    user = _by_name(server, username)
    with client_for(server.base_url, token) as theirs:
        assert theirs.get("/auth/me").status_code == 200
        disabled = server.api.admin.patch(
            f"/admin/users/{user['id']}", json={"disabled": True, "base_version": user["version"]}
        )
        assert disabled.status_code == 200, disabled.text
        assert disabled.json()["disabled"] is True
        assert disabled.json()["version"] == user["version"] + 1
        assert theirs.get("/auth/me").status_code == 401
    assert _login(server, username, PASSWORD).status_code == 401

    enabled = server.api.admin.patch(f"/admin/users/{user['id']}", json={"disabled": False})
    assert enabled.status_code == 200
    assert _login(server, username, PASSWORD).status_code == 200


def test_changing_a_role_takes_effect_on_the_next_request(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = _login(server, username, PASSWORD).json()["access_token"]
    user = _by_name(server, username)
    with client_for(server.base_url, token) as theirs:
        assert theirs.get("/review-cases").status_code == 403
        changed = server.api.admin.patch(
            f"/admin/users/{user['id']}", json={"role": "supervisor", "name": " New Name "}
        )
        assert changed.status_code == 200
        assert changed.json()["role"] == "supervisor" and changed.json()["name"] == "New Name"
        assert theirs.get("/review-cases").status_code == 200
    stale = server.api.admin.patch(
        f"/admin/users/{user['id']}", json={"role": "operator", "base_version": user["version"]}
    )
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]


def test_an_admin_cannot_lock_themselves_out(server: ServerHandle) -> None:
    me = server.api.admin.get("/auth/me").json()
    for change, field in (({"disabled": True}, "disabled"), ({"role": "operator"}, "role")):
        refused = server.api.admin.patch(f"/admin/users/{me['id']}", json=change)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == field
        assert "another admin" in refused.json()["errors"][0]["message"]
    assert server.api.admin.get("/auth/me").json()["role"] == "admin"


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
def test_the_team_always_keeps_one_enabled_admin(fresh_database_url: str) -> None:
    """Through the API an admin can only change others, so this guards the race where two
    admins demote each other at once: the second to commit finds one admin left."""
    db = Database(fresh_database_url)
    try:
        upgrade_to_head(db)
        now = datetime.now(UTC)
        with db.writing() as session:
            only = create_user(
                session, username="boss", role=Role.ADMIN, password=PASSWORD, now=now
            )
            only_id = only.id
        for edit, field in (
            (UserEdit(disabled=True), "disabled"),
            (UserEdit(role=Role.OPERATOR), "role"),
        ):
            with pytest.raises(UserChangeRefused) as refused, db.writing() as session:
                user = session.get(User, only_id)
                assert user is not None
                edit_user(session, user, edit, actor_id=uuid.uuid4(), actor="gone", now=now)
            assert refused.value.status == 409
            assert refused.value.errors[0]["field"] == field
        with db.reading() as session:
            user = session.get(User, only_id)
            assert user is not None and user.role == "admin" and not user.disabled
    finally:
        db.dispose()


def test_reset_password_typed_or_generated_ends_their_sessions(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = _login(server, username, PASSWORD).json()["access_token"]
    user = _by_name(server, username)
    short = server.api.admin.post(f"/admin/users/{user['id']}/password", json={"password": "x"})
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "password"
    assert _login(server, username, PASSWORD).status_code == 200  # unchanged

    typed = server.api.admin.post(
        f"/admin/users/{user['id']}/password", json={"password": "another-good-one"}
    )
    assert typed.status_code == 200 and typed.json() == {"generated_password": None}
    with client_for(server.base_url, token) as theirs:
        assert theirs.get("/auth/me").status_code == 401
    assert _login(server, username, PASSWORD).status_code == 401
    assert _login(server, username, "another-good-one").status_code == 200

    generated = server.api.admin.post(f"/admin/users/{user['id']}/password", json={})
    fresh = generated.json()["generated_password"]
    assert generated.status_code == 200 and fresh
    assert _login(server, username, fresh).status_code == 200


def test_unknown_user_is_not_found(server: ServerHandle) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert server.api.admin.patch(f"/admin/users/{missing}", json={}).status_code == 404
    assert server.api.admin.post(f"/admin/users/{missing}/password", json={}).status_code == 404
