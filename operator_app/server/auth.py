"""Who may call what: bearer-token authentication and role checks as FastAPI dependencies.

Every route states its audience with one of these, so the role check is on the server
for every endpoint (the authorization matrix test walks the OpenAPI document to keep
it that way).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.security.base import SecurityBase
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from operator_app.domain.enums import Role
from operator_app.server.context import ServerContext
from operator_app.server.errors import ApiProblem
from operator_app.server.security import (
    SCOPE_TELEPHONY,
    SCOPE_USER,
    Principal,
    TokenRejected,
    check_expiry,
    lookup_token,
    token_hash,
)

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="operator-app"'}

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


# Async: it runs on the event loop, and only a token the cache does not know costs a trip
# through the thread pool (for its database lookup).
async def _authenticate(authorization: str | None, context: ServerContext) -> Principal:
    scheme, token = get_authorization_scheme_param(authorization)
    if not (authorization and scheme and token) or scheme.lower() != "bearer":
        raise ApiProblem(
            401, "Sign in first: send Authorization: Bearer <token>.", headers=_CHALLENGE
        )
    token = token.strip()
    if not token or len(token) > 200:
        raise ApiProblem(401, "The access token is not valid; sign in again.", headers=_CHALLENGE)
    digest = token_hash(token)
    now = context.now()
    try:
        cached = context.tokens.get(digest)
        if cached is not None:
            check_expiry(cached.expires_at, now)
            return cached.principal
        generation = context.tokens.generation
        principal, expires_at = await run_in_threadpool(_lookup, context, digest, now)
    except TokenRejected as rejected:
        raise ApiProblem(401, rejected.detail, slug=rejected.slug, headers=_CHALLENGE) from None
    context.tokens.put(digest, principal, expires_at, generation=generation)
    return principal


def _lookup(
    context: ServerContext, digest: str, now: datetime
) -> tuple[Principal, datetime | None]:
    with context.db.reading() as session:
        return lookup_token(session, digest, now=now)


class Caller(SecurityBase):
    """A dependency that is the bearer security scheme itself (so the OpenAPI document
    names it as before: ``HTTPBearer``), authenticates the caller and lets ``admit``
    refuse them. One dependency per route rather than a chain of them: FastAPI's cost
    per request grows with every dependency it solves."""

    def __init__(self, admit: Callable[[Principal], None]) -> None:
        self.model = HTTPBearerModel(description="Token from POST /api/v1/auth/login")
        self.scheme_name = "HTTPBearer"
        self._admit = admit

    async def __call__(self, request: Request) -> Principal:
        principal = await _authenticate(
            request.headers.get("Authorization"), request.app.state.context
        )
        self._admit(principal)
        return principal


def require_roles(roles: frozenset[Role]) -> Caller:
    """A dependency admitting signed-in users whose role is in ``roles``."""
    allowed = ", ".join(sorted(role.value for role in roles))

    def admit(principal: Principal) -> None:
        if principal.scope != SCOPE_USER or principal.role not in roles:
            raise ApiProblem(403, f"This needs one of these roles: {allowed}.")

    return Caller(admit)


def _telephony_or_admin(principal: Principal) -> None:
    if principal.scope == SCOPE_TELEPHONY:
        return
    if principal.scope == SCOPE_USER and principal.role == Role.ADMIN:
        return
    raise ApiProblem(403, "Only the telephony integration token or an admin may report contacts.")


# PBX/CTI integration tokens, or an admin (for set-up and testing).
require_telephony = Caller(_telephony_or_admin)
any_user = require_roles(ALL_ROLES)
AnyUser = Annotated[Principal, Depends(any_user)]
Telephony = Annotated[Principal, Depends(require_telephony)]
