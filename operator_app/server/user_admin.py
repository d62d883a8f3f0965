"""Admins manage accounts: create, change role or name, disable/enable, reset a password.

Every change bumps the user's version, goes to the change feed (entity ``user``, admins
only) and to the audit trail. Two guards keep the team from locking itself out: an admin
cannot disable or demote their own account, and no change may leave the team without an
enabled admin. A disabled account's tokens are revoked in the same transaction (the token
check refuses disabled accounts too, so they stop working at once either way).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from operator_app.domain.enums import Role
from operator_app.server.audit import audit
from operator_app.server.changelog import PendingChange
from operator_app.server.models import Token, User
from operator_app.server.security import check_password, hash_password

GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters


class UserChangeRefused(ValueError):
    """The change is not allowed; ``errors`` name the fields at fault for the form."""

    def __init__(self, message: str, errors: list[dict[str, str]], *, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.status = status


@dataclass(slots=True)
class UserEdit:
    """What an admin asks to change; None leaves a field as it is."""

    name: str | None = None
    role: Role | None = None
    disabled: bool | None = None


@dataclass(slots=True)
class Changed:
    user: User
    changes: list[PendingChange] = field(default_factory=list)


def generate_password() -> str:
    """A one-time password an admin hands over; the user is expected to change it."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def check_name(name: str) -> str | None:
    if len(name) > 200:
        return "at most 200 characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "contains control characters"
    return None


def password_problem(password: str) -> list[dict[str, str]]:
    problem = check_password(password)
    return [{"field": "password", "message": problem}] if problem else []


def enabled_admins(session: Session, *, lock: bool) -> list[uuid.UUID]:
    query = (
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.disabled.is_(False))
        .order_by(User.id)
    )
    if lock:
        # Two admins demoting each other at once must not both succeed (PostgreSQL).
        query = query.with_for_update()
    return list(session.scalars(query))


def revoke_sessions(
    session: Session, user_id: uuid.UUID, *, now: datetime, keep: uuid.UUID | None = None
) -> int:
    """End every open session of ``user_id`` (except the token ``keep``); how many ended."""
    query = update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None))
    if keep is not None:
        query = query.where(Token.id != keep)
    result = session.execute(query.values(revoked_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def edit_user(
    session: Session,
    user: User,
    edit: UserEdit,
    *,
    actor_id: uuid.UUID,
    actor: str,
    now: datetime,
) -> Changed:
    """Apply ``edit`` to ``user`` (locked by the caller); no change → no feed row."""
    errors: list[dict[str, str]] = []
    name = None if edit.name is None else edit.name.strip()
    if name is not None:
        problem = check_name(name)
        if problem:
            errors.append({"field": "name", "message": problem})
        name = name or user.username
    becomes_inactive_admin = user.role == Role.ADMIN.value and (
        (edit.role is not None and edit.role != Role.ADMIN) or edit.disabled is True
    )
    if user.id == actor_id and becomes_inactive_admin:
        field_name = "disabled" if edit.disabled else "role"
        errors.append(
            {
                "field": field_name,
                "message": "you cannot disable or demote your own account; ask another admin",
            }
        )
    if errors:
        raise UserChangeRefused(
            "The change was not saved; check: " + ", ".join(e["field"] for e in errors) + ".",
            errors,
        )
    if becomes_inactive_admin and not user.disabled:
        admins = enabled_admins(session, lock=True)
        if admins == [user.id]:
            field_name = "disabled" if edit.disabled else "role"
            raise UserChangeRefused(
                "This is the last enabled admin; make someone else an admin first.",
                [{"field": field_name, "message": "the team needs at least one enabled admin"}],
                status=409,
            )
    before = {"name": user.name, "role": user.role, "disabled": user.disabled}
    if name is not None:
        user.name = name
    if edit.role is not None:
        user.role = edit.role.value
    if edit.disabled is not None:
        user.disabled = edit.disabled
    after = {"name": user.name, "role": user.role, "disabled": user.disabled}
    if after == before:
        return Changed(user)
    user.version += 1
    user.updated_at = now
    if user.disabled and not before["disabled"]:
        revoke_sessions(session, user.id, now=now)
    if after["disabled"] != before["disabled"]:
        action = "user_disabled" if user.disabled else "user_enabled"
    elif after["role"] != before["role"]:
        action = "user_role_changed"
    else:
        action = "user_renamed"
    details = {key: after[key] for key in after if after[key] != before[key]}
    trail = audit(
        session,
        actor=actor,
        action=action,
        entity="user",
        entity_id=user.id,
        now=now,
        details={"username": user.username, **details},
    )
    return Changed(user, [PendingChange("user", user, "update"), trail])


def reset_password(
    session: Session,
    user: User,
    password: str,
    *,
    actor: str,
    actor_token: uuid.UUID,
    now: datetime,
) -> Changed:
    """A new password for ``user``; their other sessions end (they sign in again)."""
    errors = password_problem(password)
    if errors:
        raise UserChangeRefused("The password was not changed; check: password.", errors)
    user.password_hash = hash_password(password)
    user.version += 1
    user.updated_at = now
    revoke_sessions(session, user.id, now=now, keep=actor_token)
    trail = audit(
        session,
        actor=actor,
        action="user_password_reset",
        entity="user",
        entity_id=user.id,
        now=now,
        details={"username": user.username},
    )
    return Changed(user, [PendingChange("user", user, "update"), trail])


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)
