"""Accounts and integration tokens, for the command line and the demo seed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from operator_app.domain.enums import Role
from operator_app.server.audit import audit
from operator_app.server.changelog import PendingChange, append
from operator_app.server.models import User
from operator_app.server.security import (
    SCOPE_TELEPHONY,
    IssuedToken,
    check_username,
    hash_password,
    issue_token,
    normalize_username,
)


class AccountError(ValueError):
    """The account cannot be created as asked; the message says why, ``field`` says where."""

    def __init__(self, message: str, *, field: str = "username") -> None:
        super().__init__(message)
        self.field = field


def create_user(
    session: Session,
    *,
    username: str,
    role: Role,
    password: str,
    now: datetime,
    name: str = "",
    actor: str = "cli",
) -> User:
    """A new account, logged in the change feed and the audit trail."""
    login = normalize_username(username)
    problem = check_username(login)
    if problem:
        raise AccountError(problem)
    if session.scalar(select(User.id).where(User.username == login)) is not None:
        raise AccountError(f"the username {login!r} is taken")
    display = name.strip() or login
    if len(display) > 200:
        raise AccountError("the name may have at most 200 characters", field="name")
    user = User(
        id=uuid.uuid4(),
        username=login,
        name=display,
        role=role.value,
        password_hash=hash_password(password),
        disabled=False,
        version=1,
        updated_at=now,
    )
    session.add(user)
    changes = [
        PendingChange("user", user, "create"),
        audit(
            session,
            actor=actor,
            action="user_created",
            entity="user",
            entity_id=user.id,
            now=now,
            details={"username": login, "role": role.value},
        ),
    ]
    append(session, changes, actor=actor, at=now)
    return user


def create_integration_token(session: Session, *, label: str, now: datetime) -> IssuedToken:
    """A token for the PBX/CTI integration: may only report incoming contacts; no expiry."""
    text = label.strip()
    if not text or len(text) > 100:
        raise AccountError(
            "the label must be 1–100 characters (e.g. the PBX's name)", field="label"
        )
    return issue_token(session, now=now, ttl=None, user_id=None, scope=SCOPE_TELEPHONY, label=text)
