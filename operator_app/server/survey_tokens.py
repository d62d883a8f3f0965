"""Survey links and the anti-forgery token of the survey form.

A link's secret is ``secrets.token_urlsafe(24)`` (192 bits); the database keeps only
its SHA-256, so a copy of the table opens no survey. A link works until it expires or
its survey is answered (through any of its links): single use.

The form carries a token signed with the server's key (HMAC-SHA256) and bound to the
link it was rendered for, with the time it was made: a form posted from another site,
for another survey, or long after it was shown, is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from operator_app.server.models import ServerMeta, Survey, SurveyToken

TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
FORM_TOKEN_TTL = timedelta(hours=12)
_SECRET_META_KEY = "survey_form_key"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def mint_token(
    session: Session, survey_id: uuid.UUID, *, language: str, now: datetime, valid: timedelta
) -> str:
    """A new link secret for ``survey_id``; only its hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        SurveyToken(
            id=uuid.uuid4(),
            survey_id=survey_id,
            token_hash=hash_token(token),
            language=language,
            created_at=now,
            expires_at=now + valid,
        )
    )
    return token


@dataclass(frozen=True, slots=True)
class LinkState:
    status: str  # open | answered | expired | unknown
    link: SurveyToken | None = None
    survey: Survey | None = None


def find_link(session: Session, token: str, *, now: datetime, lock: bool = False) -> LinkState:
    """What a token opens. Malformed tokens are simply unknown."""
    if not TOKEN_PATTERN.fullmatch(token):
        return LinkState("unknown")
    query = (
        select(SurveyToken, Survey)
        .join(Survey, Survey.id == SurveyToken.survey_id)
        .where(SurveyToken.token_hash == hash_token(token))
    )
    if lock:
        query = query.with_for_update(of=Survey)
    row = session.execute(query).first()
    if row is None:
        return LinkState("unknown")
    link, survey = row
    if survey.answered_at is not None:
        return LinkState("answered", link, survey)
    if link.expires_at <= now:
        return LinkState("expired", link, survey)
    return LinkState("open", link, survey)


# --- the form's anti-forgery token --------------------------------------------------------


def form_key(session: Session, configured: str | None) -> bytes:
    """The configured secret, else a random one kept in ``server_meta`` (made once)."""
    if configured:
        return hashlib.sha256(b"survey-form|" + configured.encode("utf-8")).digest()
    stored = session.get(ServerMeta, _SECRET_META_KEY)
    if stored is None:
        session.add(ServerMeta(key=_SECRET_META_KEY, value=secrets.token_hex(32)))
        session.flush()
        stored = session.get(ServerMeta, _SECRET_META_KEY)
        assert stored is not None
    return bytes.fromhex(stored.value)


def _signature(key: bytes, token: str, issued: int) -> str:
    message = f"{hash_token(token)}|{issued}".encode("ascii")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def sign_form(key: bytes, token: str, now: datetime) -> str:
    issued = int(now.timestamp())
    return f"{issued}.{_signature(key, token, issued)}"


def check_form(key: bytes, token: str, form_token: str, now: datetime) -> str | None:
    """Why the form token is not acceptable (``forged`` or ``stale``), or None if it is."""
    issued_text, _, signature = form_token.partition(".")
    if not issued_text.isdigit() or len(issued_text) > 12 or not signature:
        return "forged"
    issued = int(issued_text)
    if not hmac.compare_digest(signature, _signature(key, token, issued)):
        return "forged"
    age = now.timestamp() - issued
    if age > FORM_TOKEN_TTL.total_seconds() or age < -300:
        return "stale"
    return None
