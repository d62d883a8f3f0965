"""Sign-in, sign-out, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select, update

from operator_app.domain.enums import Role
from operator_app.server.audit import audit
from operator_app.server.auth import AnyUser
from operator_app.server.changelog import append
from operator_app.server.context import Context
from operator_app.server.errors import ApiProblem
from operator_app.server.models import User
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import LoginRequest, LoginResponse, UserInfo
from operator_app.server.security import (
    hash_password,
    issue_token,
    needs_rehash,
    normalize_username,
    revoke_token,
    verify_password,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    response_model=LoginResponse,
    responses=problems(400, 401, 413, 422, 429),
    summary="Sign in with username and password; returns a bearer token",
)
def login(body: LoginRequest, request: Request, context: Context) -> LoginResponse:
    username = normalize_username(body.username)
    client = request.client.host if request.client else "unknown"
    key = (username, client)
    wait = context.login_limiter.retry_after(key)
    if wait is not None:
        raise ApiProblem(
            429,
            f"Too many failed sign-ins for this account; try again in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    with context.db.reading() as session:
        user = session.scalar(select(User).where(User.username == username))
    usable = user is not None and not user.disabled
    # Always verify (against a dummy hash when needed): unknown names cost the same time.
    if not verify_password(user.password_hash if usable and user else None, body.password):
        context.login_limiter.record_failure(key)
        if user is not None:
            now = context.now()
            with context.db.writing() as session:
                change = audit(
                    session,
                    actor=username,
                    action="login_failed",
                    entity="user",
                    entity_id=user.id,
                    now=now,
                    details={"client": client},
                )
                append(session, [change], actor=username, at=now)
        raise ApiProblem(
            401,
            "Wrong username or password.",
            slug="invalid-credentials",
            headers={"WWW-Authenticate": 'Bearer realm="operator-app"'},
        )
    assert user is not None
    context.login_limiter.reset(key)
    now = context.now()
    with context.db.writing() as session:
        issued = issue_token(session, now=now, ttl=context.settings.token_ttl, user_id=user.id)
        if user.password_hash and needs_rehash(user.password_hash):
            session.execute(
                update(User)
                .where(User.id == user.id)
                .values(password_hash=hash_password(body.password))
            )
        change = audit(
            session,
            actor=username,
            action="login",
            entity="user",
            entity_id=user.id,
            now=now,
            details={"client": client},
        )
        append(session, [change], actor=username, at=now)
    assert issued.expires_at is not None
    return LoginResponse(
        access_token=issued.secret,
        expires_at=issued.expires_at,
        user=UserInfo(id=user.id, username=user.username, name=user.name, role=Role(user.role)),
    )


@router.post(
    "/logout",
    status_code=204,
    response_class=Response,
    responses=problems(*AUTHENTICATED),
    summary="End this session: the token stops working at once",
)
def logout(principal: AnyUser, context: Context) -> Response:
    now = context.now()
    with context.db.writing() as session:
        revoke_token(session, principal.token_id, now=now)
        assert principal.user_id is not None
        change = audit(
            session,
            actor=principal.username,
            action="logout",
            entity="user",
            entity_id=principal.user_id,
            now=now,
        )
        append(session, [change], actor=principal.username, at=now)
    context.tokens.forget(principal.token_id)  # after the commit: see TokenCache
    return Response(status_code=204)


@router.get(
    "/me",
    response_model=UserInfo,
    responses=problems(*AUTHENTICATED),
    summary="The signed-in user",
)
def me(principal: AnyUser) -> UserInfo:
    assert principal.user_id is not None and principal.role is not None
    return UserInfo(
        id=principal.user_id, username=principal.username, name=principal.name, role=principal.role
    )
