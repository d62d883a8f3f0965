"""Opaque keyset cursors ``(sort key, row id)`` shared by every paged endpoint.

A cursor is URL-safe base64 of a JSON pair; a cursor the server did not hand out is a
422 problem, never a 500.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from operator_app.server.errors import ApiProblem
from operator_app.server.serialize import json_datetime


def _invalid_cursor() -> ApiProblem:
    return ApiProblem(
        422,
        "The cursor is not one this server handed out; start again without it.",
        errors=[{"field": "cursor", "message": "invalid cursor"}],
    )


def encode_cursor(key: str, row_id: uuid.UUID) -> str:
    raw = json.dumps([key, str(row_id)], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, row_id = json.loads(raw)
        return str(key), uuid.UUID(str(row_id))
    except (ValueError, TypeError):
        raise _invalid_cursor() from None


def encode_time_cursor(at: datetime, row_id: uuid.UUID) -> str:
    return encode_cursor(json_datetime(at), row_id)


def decode_time_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    key, row_id = decode_cursor(cursor)
    try:
        when = datetime.fromisoformat(key.replace("Z", "+00:00"))
    except ValueError:
        raise _invalid_cursor() from None
    if when.tzinfo is None:
        raise _invalid_cursor()
    return when, row_id
