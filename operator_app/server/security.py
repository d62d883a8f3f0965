"""Passwords (argon2id, salted and slow) and bearer tokens (random, stored as SHA-256).

A token is shown to its owner once; the database keeps only its hash, so reading the
table does not let anyone sign in. Lookups by hash are constant work per request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from operator_app.domain.enums import Role
from operator_app.server.models import Token, User

TOKEN_PREFIX = "oat_"
SCOPE_USER = "user"
SCOPE_TELEPHONY = "telephony"
MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): tens of
# milliseconds per sign-in here, and memory-hard against GPU guessing.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verified against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def normalize_username(text: str) -> str:
    return text.strip().casefold()


def check_username(username: str) -> str | None:
    """Why ``username`` (normalised) cannot be used, or None when it is fine."""
    if not USERNAME_PATTERN.fullmatch(username):
        return (
            "a username is 1–64 characters: latin letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return None


def check_password(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 1000:
        return "a password may have at most 1000 characters"
    return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    secret: str
    token_id: uuid.UUID
    expires_at: datetime | None


def issue_token(
    session: Session,
    *,
    now: datetime,
    ttl: timedelta | None,
    user_id: uuid.UUID | None,
    scope: str = SCOPE_USER,
    label: str = "",
) -> IssuedToken:
    secret = new_token_secret()
    expires_at = None if ttl is None else now + ttl
    token = Token(
        id=uuid.uuid4(),
        token_hash=token_hash(secret),
        scope=scope,
        user_id=user_id,
        label=label,
        created_at=now,
        expires_at=expires_at,
        revoked_at=None,
    )
    session.add(token)
    return IssuedToken(secret=secret, token_id=token.id, expires_at=expires_at)


def revoke_token(session: Session, token_id: uuid.UUID, *, now: datetime) -> None:
    session.execute(
        update(Token).where(Token.id == token_id, Token.revoked_at.is_(None)).values(revoked_at=now)
    )


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a signed-in user, or an integration with a narrow scope."""

    token_id: uuid.UUID
    scope: str
    user_id: uuid.UUID | None
    username: str
    name: str
    role: Role | None


class TokenRejected(Exception):
    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail


def resolve_token(session: Session, secret: str, *, now: datetime) -> Principal:
    """The principal behind a bearer token, or :class:`TokenRejected` saying why not."""
    return lookup_token(session, token_hash(secret), now=now)[0]


def lookup_token(
    session: Session, digest: str, *, now: datetime
) -> tuple[Principal, datetime | None]:
    """The principal behind a token hash and the token's expiry, or :class:`TokenRejected`.

    Plain columns, not ORM objects: this runs for every request that is not cached.
    """
    row = session.execute(
        select(
            Token.id,
            Token.scope,
            Token.label,
            Token.expires_at,
            Token.revoked_at,
            User.id,
            User.username,
            User.name,
            User.role,
            User.disabled,
        )
        .outerjoin(User, User.id == Token.user_id)
        .where(Token.token_hash == digest)
    ).first()
    if row is None:
        raise TokenRejected("unauthorized", "The access token is not valid; sign in again.")
    token_id, scope, label, expires_at, revoked_at, user_id, username, name, role, disabled = row
    if revoked_at is not None:
        raise TokenRejected("unauthorized", "This session has ended; sign in again.")
    check_expiry(expires_at, now)
    if scope == SCOPE_USER:
        if user_id is None or disabled:
            raise TokenRejected("unauthorized", "This account is disabled.")
        return Principal(token_id, scope, user_id, username, name, Role(role)), expires_at
    return Principal(token_id, scope, None, label or scope, label, None), expires_at


def check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is not None and expires_at <= now:
        raise TokenRejected("token-expired", "The session has expired; sign in again.")
