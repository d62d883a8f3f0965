"""Checks of the server's JSON answers, each failing with a sentence for the user.

One set per kind of answer, so the message names what was not understood ("an answer",
"dashboard figures") while the checks themselves are written once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from operator_app.api.errors import ProtocolError


class JsonChecks:
    def __init__(self, subject: str) -> None:
        self.subject = subject  # "an answer", "dashboard figures"

    def fail(self, what: str) -> ProtocolError:
        return ProtocolError(
            f"The server sent {self.subject} this app does not understand ({what})."
        )

    def object(self, value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} is not an object")
        return value

    def list(self, obj: dict[str, Any], key: str, what: str) -> list[Any]:
        value = obj.get(key)
        if not isinstance(value, list):
            raise self.fail(f"{what}.{key} is not a list")
        return value

    def integer(self, obj: dict[str, Any], key: str, what: str) -> int:
        value = obj.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{what}.{key} is not a whole number")
        return value

    def optional_integer(self, obj: dict[str, Any], key: str, what: str) -> int | None:
        if obj.get(key) is None:
            return None
        return self.integer(obj, key, what)

    def number(self, obj: dict[str, Any], key: str, what: str) -> float | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.fail(f"{what}.{key} is not a number")
        return float(value)

    def text(self, obj: dict[str, Any], key: str, what: str, *, optional: bool = False) -> str:
        value = obj.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{what}.{key} is not text")
        return value

    def optional_text(self, obj: dict[str, Any], key: str, what: str) -> str | None:
        if obj.get(key) is None:
            return None
        return self.text(obj, key, what)

    def boolean(self, obj: dict[str, Any], key: str, what: str) -> bool:
        value = obj.get(key)
        if not isinstance(value, bool):
            raise self.fail(f"{what}.{key} is not true/false")
        return value

    def timestamp(self, obj: dict[str, Any], key: str, what: str) -> datetime | None:
        """An ISO 8601 moment or null; one without a zone is taken as UTC."""
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{what}.{key} is not a timestamp")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{what}.{key} is not a timestamp") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
