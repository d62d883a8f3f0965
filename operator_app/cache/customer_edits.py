"""Checking and normalising what an operator typed into a customer card.

Phones become E.164, e-mails are checked and de-duplicated, consent channels must
be known channels. The result is the JSON form the outbox sends and the cache
stores; every mistake becomes a :class:`LocalChangeError` that names the field.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from functools import cache
from typing import Any

from operator_app.domain.enums import Channel
from operator_app.domain.phones import normalize_phone


class LocalChangeError(ValueError):
    """A local change cannot be made as asked; the message tells the operator why."""


# What the server lets a client change on an existing customer, and on a new one.
EDITABLE_CUSTOMER_FIELDS = (
    "first_name",
    "last_name",
    "middle_name",
    "phones",
    "emails",
    "language",
    "tags",
    "consent_channels",
    "consent_marketing",
)
NEW_CUSTOMER_FIELDS = (*EDITABLE_CUSTOMER_FIELDS, "timezone", "channel_of_origin")

_FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "middle_name": "middle name",
    "consent_channels": "consent channels",
    "consent_marketing": "marketing consent",
    "channel_of_origin": "channel of origin",
}
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]{2,}$")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
MAX_NAME = 200
MAX_TAG = 50
MAX_ITEMS = 20
MAX_TAGS = 50


def _label(field: str) -> str:
    return _FIELD_LABELS.get(field, field)


def _strings(field: str, value: Any, limit: int = MAX_ITEMS) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise LocalChangeError(f"The {_label(field)} must be a list.")
    items = list(value)
    if len(items) > limit:
        raise LocalChangeError(f"At most {limit} {_label(field)} per customer.")
    if not all(isinstance(item, str) for item in items):
        raise LocalChangeError(f"Every entry of {_label(field)} must be text.")
    return [item.strip() for item in items if item.strip()]


def normalize_phones(value: Any) -> list[str]:
    result: list[str] = []
    for raw in _strings("phones", value):
        phone = normalize_phone(raw)
        if phone is None:
            raise LocalChangeError(f"{raw[:40]!r} is not a phone number.")
        if phone.e164 not in result:
            result.append(phone.e164)
    return result


def normalize_emails(value: Any) -> list[str]:
    result: list[str] = []
    seen: set[str] = set()
    for raw in _strings("emails", value):
        local, _, domain = raw.rpartition("@")
        email = f"{local}@{domain.lower()}" if local else raw
        if len(email) > 254 or len(local) > 64 or not _EMAIL.match(email):
            raise LocalChangeError(f"{raw[:60]!r} is not an e-mail address.")
        if email.casefold() not in seen:
            seen.add(email.casefold())
            result.append(email)
    return result


def _tags(value: Any) -> list[str]:
    result: list[str] = []
    for tag in _strings("tags", value, MAX_TAGS):
        if len(tag) > MAX_TAG:
            raise LocalChangeError(f"The tag {tag[:20]!r}… is longer than {MAX_TAG} characters.")
        if tag.casefold() not in (t.casefold() for t in result):
            result.append(tag)
    return result


def _channel(field: str, value: Any) -> str:
    try:
        return Channel(str(value)).value
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        raise LocalChangeError(f"{str(value)[:20]!r} is not a channel ({known}).") from None


def _consent_channels(value: Any) -> list[str]:
    result: list[str] = []
    for item in _strings("consent_channels", value):
        channel = _channel("consent_channels", item)
        if channel not in result:
            result.append(channel)
    return sorted(result, key=[c.value for c in Channel].index)


def _name(field: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise LocalChangeError(f"The {_label(field)} must be text.")
    text = " ".join(value.split())
    if len(text) > MAX_NAME:
        raise LocalChangeError(f"The {_label(field)} is longer than {MAX_NAME} characters.")
    return text


@cache
def _known_timezones() -> frozenset[str]:
    try:
        return frozenset(zoneinfo.available_timezones())
    except Exception:  # no tz database on this system: accept any name
        return frozenset()


def _timezone(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LocalChangeError("The time zone must be a name like Europe/Moscow.")
    name = value.strip()
    known = _known_timezones()
    if known and name not in known:
        raise LocalChangeError(f"{name[:40]!r} is not a known time zone.")
    return name


def _language(value: Any) -> str:
    code = value.strip().replace("_", "-") if isinstance(value, str) else ""
    primary, dash, rest = code.partition("-")
    code = primary.lower() + dash + rest
    if not _LANGUAGE.fullmatch(code):
        raise LocalChangeError(f"{str(value)[:20]!r} is not a language code like ru or en.")
    return code


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise LocalChangeError(f"The {_label(field)} must be yes or no.")
    return value


def normalize_customer_changes(
    changes: dict[str, Any], *, creating: bool = False
) -> dict[str, Any]:
    """The JSON form of ``changes``; unknown fields and bad values raise LocalChangeError."""
    if not isinstance(changes, dict):
        raise LocalChangeError("Customer changes must be given as field → value.")
    allowed = NEW_CUSTOMER_FIELDS if creating else EDITABLE_CUSTOMER_FIELDS
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise LocalChangeError(f"These customer fields cannot be edited: {', '.join(unknown)}.")
    result: dict[str, Any] = {}
    for field, value in changes.items():
        if field in ("first_name", "last_name", "middle_name"):
            result[field] = _name(field, value)
        elif field == "phones":
            result[field] = normalize_phones(value)
        elif field == "emails":
            result[field] = normalize_emails(value)
        elif field == "tags":
            result[field] = _tags(value)
        elif field == "consent_channels":
            result[field] = _consent_channels(value)
        elif field == "consent_marketing":
            result[field] = _bool(field, value)
        elif field == "channel_of_origin":
            result[field] = _channel(field, value)
        elif field == "timezone":
            result[field] = _timezone(value)
        elif field == "language":
            result[field] = _language(value)
    return result
