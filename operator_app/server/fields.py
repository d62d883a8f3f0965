"""Parsers for the fields a client may send in a mutation's ``data``.

Each parser takes the raw JSON value and returns the value to store, or raises
:class:`FieldError` with a sentence an operator can read ("phones: '12' is not a
phone number"). Nothing is coerced silently: a number is not a string, a naive time
is not a UTC time.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from operator_app.domain.phones import normalize_phone

Parser = Callable[[Any], Any]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class FieldError(ValueError):
    """A value the server will not store; the message is for people."""


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def text(max_length: int, *, multiline: bool = False, required: bool = False) -> Parser:
    """A string up to ``max_length`` characters; single-line ones are trimmed."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"expected text, got {_describe(value)}")
        result = value if multiline else value.strip()
        if len(result) > max_length:
            raise FieldError(f"at most {max_length} characters (got {len(result)})")
        if (_CONTROL if multiline else _CONTROL_SINGLE_LINE).search(result):
            raise FieldError("contains control characters")
        if required and not result.strip():
            raise FieldError("must not be empty")
        return result

    return parse


def optional(parser: Parser) -> Parser:
    def parse(value: Any) -> Any:
        return None if value is None else parser(value)

    return parse


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {_describe(value)}")
    return value


def number(minimum: float, maximum: float) -> Parser:
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldError(f"expected a number, got {_describe(value)}")
        if not minimum <= value <= maximum:
            raise FieldError(f"must be between {minimum:g} and {maximum:g}")
        return float(value)

    return parse


def integer(minimum: int, maximum: int) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"expected a whole number, got {_describe(value)}")
        if not minimum <= value <= maximum:
            raise FieldError(f"must be between {minimum} and {maximum}")
        return value

    return parse


def choice(enum: type[StrEnum]) -> Parser:
    allowed = ", ".join(member.value for member in enum)

    def parse(value: Any) -> str:
        if not isinstance(value, str) or value not in enum._value2member_map_:
            raise FieldError(f"{_describe(value)} is not one of: {allowed}")
        return value

    return parse


def identifier(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise FieldError(f"expected an id (UUID text), got {_describe(value)}")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise FieldError(f"{_describe(value)} is not an id (UUID)") from None


def timestamp(value: Any) -> datetime:
    """An ISO 8601 time with a zone (``Z`` or an offset), returned in UTC."""
    if not isinstance(value, str):
        raise FieldError(f"expected an ISO 8601 time, got {_describe(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(f"{_describe(value)} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise FieldError(f"{_describe(value)} has no time zone (add Z or +03:00)")
    parsed = parsed.astimezone(UTC)
    if parsed < EARLIEST:
        raise FieldError(f"{_describe(value)} is before the year 2000")
    return parsed


def calendar_date(value: Any) -> date:
    if not isinstance(value, str):
        raise FieldError(f"expected a date (YYYY-MM-DD), got {_describe(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError(f"{_describe(value)} is not a date (YYYY-MM-DD)") from None


def list_of(item: Parser, *, max_items: int, unique: bool = True) -> Parser:
    """A JSON list; items parsed one by one; duplicates dropped, first order kept."""

    def parse(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise FieldError(f"expected a list, got {_describe(value)}")
        if len(value) > max_items:
            raise FieldError(f"at most {max_items} entries (got {len(value)})")
        result: list[Any] = []
        for index, raw in enumerate(value):
            try:
                parsed = item(raw)
            except FieldError as error:
                raise FieldError(f"entry {index + 1}: {error}") from None
            if not unique or parsed not in result:
                result.append(parsed)
        return result

    return parse


def phone(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected a phone number as text, got {_describe(value)}")
    parsed = normalize_phone(value)
    if parsed is None:
        raise FieldError(f"{_describe(value)} is not a phone number")
    return parsed.e164


def email(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected an e-mail address as text, got {_describe(value)}")
    address = value.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise FieldError(f"{_describe(value)} is not an e-mail address")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def tag(value: Any) -> str:
    result = text(50, required=True)(value)
    return str(result)


def language(value: Any) -> str:
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
        raise FieldError(f"{_describe(value)} is not a language code such as ru or en")
    return value


def timezone(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise FieldError(f"{_describe(value)} is not a time zone such as Europe/Moscow")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(f"{_describe(value)} is not a time zone such as Europe/Moscow") from None
    return value
