"""Keyset cursors: round trips, and anything the server did not hand out is a 422."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime

import pytest

from operator_app.server.cursors import (
    decode_cursor,
    decode_time_cursor,
    encode_cursor,
    encode_time_cursor,
)
from operator_app.server.errors import ApiProblem

ROW = uuid.UUID("12345678-1234-5678-1234-567812345678")


def test_round_trips_keep_key_and_row() -> None:
    assert decode_cursor(encode_cursor("ёлкин анна", ROW)) == ("ёлкин анна", ROW)
    at = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
    assert decode_time_cursor(encode_time_cursor(at, ROW)) == (at, ROW)


def _raw(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    ["", "!!!", "bm90IGpzb24", _raw([1]), _raw(["a", "not-a-uuid"]), _raw({"a": 1})],
)
def test_foreign_cursors_are_422(cursor: str) -> None:
    with pytest.raises(ApiProblem) as caught:
        decode_cursor(cursor)
    assert caught.value.status == 422


@pytest.mark.parametrize("key", ["yesterday", "2026-03-02T09:30:00"])
def test_time_cursor_needs_an_aware_timestamp(key: str) -> None:
    with pytest.raises(ApiProblem) as caught:
        decode_time_cursor(_raw([key, str(ROW)]))
    assert caught.value.status == 422
