"""Admin: accounts and roles — list, create, rename, change role, disable/enable, reset password.

Passwords follow the same rules as ``operator-app-server create-user``. A password the
server generates is in the answer once and nowhere else (the database keeps its hash).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from operator_app.domain.enums import Role
from operator_app.server import changelog
from operator_app.server.accounts import AccountError, create_user
from operator_app.server.auth import ADMINS, require_roles
from operator_app.server.context import Context, ServerContext
from operator_app.server.errors import ApiProblem
from operator_app.server.models import User
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import Strict
from operator_app.server.security import Principal, check_username, normalize_username
from operator_app.server.settings import API_PREFIX
from operator_app.server.user_admin import (
    Changed,
    UserChangeRefused,
    UserEdit,
    check_name,
    edit_user,
    enabled_admins,
    generate_password,
    password_problem,
    reset_password,
)

router = APIRouter(prefix="/admin/users", tags=["admin"])
Admin = Annotated[Principal, Depends(require_roles(ADMINS))]


class UserAdminOut(BaseModel):
    id: uuid.UUID
    username: str
    name: str
    role: Role
    disabled: bool
    version: int
    updated_at: datetime


class UserList(BaseModel):
    items: list[UserAdminOut]


class UserCreateIn(Strict):
    username: str = Field(max_length=1000)
    name: str = Field(default="", max_length=1000)
    role: Role
    password: str | None = Field(
        default=None,
        max_length=1000,
        description="Leave out to have the server make one (shown once in the answer).",
    )


class UserCreated(BaseModel):
    user: UserAdminOut
    generated_password: str | None = Field(
        description="Only when the server made the password: hand it over; it is not stored."
    )


class UserEditIn(Strict):
    name: str | None = Field(default=None, max_length=1000)
    role: Role | None = None
    disabled: bool | None = None
    base_version: int | None = Field(
        default=None, description="The version you read; 409 if someone changed it meanwhile."
    )


class PasswordResetIn(Strict):
    password: str | None = Field(
        default=None, max_length=1000, description="Leave out to have the server make one."
    )


class PasswordReset(BaseModel):
    generated_password: str | None


def _out(user: User) -> UserAdminOut:
    return UserAdminOut(
        id=user.id,
        username=user.username,
        name=user.name,
        role=Role(user.role),
        disabled=user.disabled,
        version=user.version,
        updated_at=user.updated_at,
    )


def _refuse(message: str, errors: list[dict[str, str]], status: int = 422) -> ApiProblem:
    return ApiProblem(status, message, errors=errors)


def _get(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise ApiProblem(404, f"There is no user {user_id}.")
    return user


def _commit(context: ServerContext, session: Session, changed: Changed, actor: str) -> int | None:
    return changelog.append(session, changed.changes, actor=actor, at=context.now())


@router.get(
    "",
    response_model=UserList,
    responses=problems(*AUTHENTICATED),
    summary="Every account, disabled ones included, by username",
)
def list_users(principal: Admin, context: Context) -> UserList:
    with context.db.reading() as session:
        rows = session.scalars(select(User).order_by(User.username)).all()
        return UserList(items=[_out(row) for row in rows])


@router.post(
    "",
    status_code=201,
    response_model=UserCreated,
    responses=problems(*AUTHENTICATED),
    summary="Add an account (422 lists every field at fault)",
)
def add_user(
    body: UserCreateIn, principal: Admin, context: Context, response: Response
) -> UserCreated:
    login = normalize_username(body.username)
    errors: list[dict[str, str]] = []
    problem = check_username(login)
    if problem:
        errors.append({"field": "username", "message": problem})
    problem = check_name(body.name.strip())
    if problem:
        errors.append({"field": "name", "message": problem})
    generated = generate_password() if body.password is None else None
    password = body.password if body.password is not None else generated
    assert password is not None
    errors += password_problem(password)
    if errors:
        fields = ", ".join(e["field"] for e in errors)
        raise _refuse(f"The account was not created; check: {fields}.", errors)
    now = context.now()
    with context.db.writing() as session:
        try:
            user = create_user(
                session,
                username=login,
                role=body.role,
                password=password,
                name=body.name,
                now=now,
                actor=principal.username,
            )
        except AccountError as refused:
            status = 409 if "taken" in str(refused) else 422
            raise _refuse(
                f"The account was not created: {refused}.",
                [{"field": refused.field, "message": str(refused)}],
                status,
            ) from None
        seq = changelog.latest_seq(session)
        result = _out(user)
    context.announce_change(seq)
    response.headers["Location"] = f"{API_PREFIX}/admin/users/{result.id}"
    return UserCreated(user=result, generated_password=generated)


@router.patch(
    "/{user_id}",
    response_model=UserAdminOut,
    responses=problems(*AUTHENTICATED, 404, 409),
    summary="Change name, role, or disable/enable (a disabled account's sessions end at once)",
    description="An admin cannot disable or demote their own account, and the team always "
    "keeps one enabled admin (409).",
)
def change_user(
    user_id: uuid.UUID, body: UserEditIn, principal: Admin, context: Context
) -> UserAdminOut:
    assert principal.user_id is not None
    with context.db.writing() as session:
        if body.role is not None or body.disabled:
            # Admin rows first, then the target: the same order in every transaction, so
            # two admins demoting each other wait instead of deadlocking.
            enabled_admins(session, lock=True)
        user = _get(session, user_id)
        if body.base_version is not None and body.base_version != user.version:
            raise ApiProblem(
                409,
                f"{user.username} was changed since version {body.base_version} (now version "
                f"{user.version}); reload and apply your edit again.",
            )
        try:
            changed = edit_user(
                session,
                user,
                UserEdit(name=body.name, role=body.role, disabled=body.disabled),
                actor_id=principal.user_id,
                actor=principal.username,
                now=context.now(),
            )
        except UserChangeRefused as refused:
            raise _refuse(refused.message, refused.errors, refused.status) from None
        seq = _commit(context, session, changed, principal.username)
        result = _out(user)
    context.announce_change(seq)
    return result


@router.post(
    "/{user_id}/password",
    response_model=PasswordReset,
    responses=problems(*AUTHENTICATED, 404),
    summary="Set a new password (typed, or generated and shown once); their sessions end",
)
def set_password(
    user_id: uuid.UUID, body: PasswordResetIn, principal: Admin, context: Context
) -> PasswordReset:
    generated = generate_password() if body.password is None else None
    password = body.password if body.password is not None else generated
    assert password is not None
    with context.db.writing() as session:
        user = _get(session, user_id)
        try:
            changed = reset_password(
                session,
                user,
                password,
                actor=principal.username,
                actor_token=principal.token_id,
                now=context.now(),
            )
        except UserChangeRefused as refused:
            raise _refuse(refused.message, refused.errors, refused.status) from None
        seq = _commit(context, session, changed, principal.username)
    context.announce_change(seq)
    return PasswordReset(generated_password=generated)
