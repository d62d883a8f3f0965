"""Sign-in, sign-out, token expiry and the sign-in rate limit."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from operator_app.domain.enums import Role
from operator_app.server.models import User
from tests.server.conftest import PASSWORD, ServerHandle, utc
from tests.server.support import client_for

PROBLEM = "application/problem+json"


def login(server: ServerHandle, username: str, password: str = PASSWORD) -> httpx.Response:
    return server.api.anonymous.post(
        "/auth/login", json={"username": username, "password": password}
    )


def test_login_returns_a_working_token_and_the_user(server: ServerHandle) -> None:
    username = server.add_user(Role.SUPERVISOR)
    response = login(server, username.upper())  # usernames are case-insensitive
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["username"] == username
    assert body["user"]["role"] == "supervisor"
    expires = utc(body["expires_at"])
    ttl = server.context.settings.token_ttl
    assert server.clock() < expires <= server.clock() + ttl
    with client_for(server.base_url, body["access_token"]) as client:
        me = client.get("/auth/me")
    assert me.status_code == 200
    assert me.json() == body["user"]


def test_wrong_password_and_unknown_user_look_the_same(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    wrong = login(server, username, "not-the-password")
    unknown = login(server, "nobody-" + username, "whatever-password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "urn:operator-app:problem:invalid-credentials"
        assert "access_token" not in response.text
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_five_failures_a_minute_lock_the_account_for_this_client(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    allowed = server.context.settings.login_failures_allowed
    for _ in range(allowed):
        assert login(server, username, "wrong-password").status_code == 401
    locked = login(server, username)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert locked.headers["content-type"] == PROBLEM
    assert locked.json()["type"] == "urn:operator-app:problem:too-many-requests"
    retry_after = int(locked.headers["Retry-After"])
    assert 0 < retry_after <= 60
    # Other accounts are not affected.
    other = server.add_user(Role.OPERATOR)
    assert login(server, other).status_code == 200
    # When the window has passed, the right password works again.
    server.clock.advance(seconds=retry_after + 1)
    assert login(server, username).status_code == 200


def test_a_success_clears_earlier_failures(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    allowed = server.context.settings.login_failures_allowed
    for _ in range(allowed - 1):
        assert login(server, username, "wrong-password").status_code == 401
    assert login(server, username).status_code == 200
    for _ in range(allowed - 1):
        assert login(server, username, "wrong-password").status_code == 401
    assert login(server, username).status_code == 200


def test_expired_token_is_refused(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = login(server, username).json()["access_token"]
    with client_for(server.base_url, token) as client:
        assert client.get("/auth/me").status_code == 200
        server.clock.advance(seconds=server.context.settings.token_ttl.total_seconds() + 1)
        response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["type"] == "urn:operator-app:problem:token-expired"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_logout_revokes_the_token_at_once(server: ServerHandle) -> None:
    username = server.add_user(Role.ADMIN)
    token = login(server, username).json()["access_token"]
    with client_for(server.base_url, token) as client:
        assert client.post("/auth/logout").status_code == 204
        after = client.get("/changes")
        again = client.post("/auth/logout")
    assert after.status_code == 401
    assert after.json()["type"] == "urn:operator-app:problem:unauthorized"
    assert again.status_code == 401


def test_disabled_account_cannot_sign_in_or_use_its_token(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = login(server, username).json()["access_token"]
    with server.db.writing() as session:
        session.execute(update(User).where(User.username == username).values(disabled=True))
    with client_for(server.base_url, token) as client:
        assert client.get("/auth/me").status_code == 401
    assert login(server, username).status_code == 401


def test_garbage_tokens_are_refused(server: ServerHandle) -> None:
    for header in ("Bearer nonsense", "Bearer " + "x" * 500, "Basic dXNlcjpwYXNz", "Bearer"):
        response = server.api.anonymous.get("/auth/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["content-type"] == PROBLEM


def test_login_is_audited_for_admins_only(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    since = server.head()
    assert login(server, username).status_code == 200
    admin_view = server.api.admin.get("/changes", params={"since": since}).json()["changes"]
    actions = [c["data"]["action"] for c in admin_view if c["entity"] == "audit_event"]
    assert "login" in actions
    operator_view = server.api.operator.get("/changes", params={"since": since}).json()["changes"]
    assert not [c for c in operator_view if c["entity"] in {"audit_event", "user"}]


def test_a_token_in_use_stops_working_once_its_account_is_disabled(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = login(server, username).json()["access_token"]
    with client_for(server.base_url, token) as client:
        assert client.get("/auth/me").status_code == 200  # the server now remembers it
        with server.db.writing() as session:
            session.execute(update(User).where(User.username == username).values(disabled=True))
        response = client.get("/auth/me")
    assert response.status_code == 401
    assert "disabled" in response.json()["detail"]


def test_a_token_in_use_follows_a_role_change_at_once(server: ServerHandle) -> None:
    username = server.add_user(Role.OPERATOR)
    token = login(server, username).json()["access_token"]
    with client_for(server.base_url, token) as client:
        assert client.get("/auth/me").json()["role"] == "operator"
        with server.db.writing() as session:
            session.execute(update(User).where(User.username == username).values(role="supervisor"))
        assert client.get("/auth/me").json()["role"] == "supervisor"
