"""Row values between their JSON form (the API's) and their SQLite form (the cache's).

The change feed and the outbox carry rows as JSON: UUIDs and times as ISO text,
dates as ``YYYY-MM-DD``, money as decimal text or numbers, lists as lists. The
cache stores the compact forms of :mod:`operator_app.cache.types`. Converting here,
once per column and straight to the stored form, lets a page of thousands of rows
go to SQLite with one ``executemany`` instead of through the ORM.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, Table

from operator_app.cache.models import ENTITY_TABLES
from operator_app.cache.types import (
    EPOCH,
    DayNumber,
    Money,
    UTCMicros,
    UUIDBlob,
    date_to_days,
    days_to_date,
    from_micros,
)

Converter = Callable[[Any], Any]


def uuid_bytes(value: str) -> bytes:
    """The 16 bytes of a UUID's text form; much faster than ``uuid.UUID(text).bytes``."""
    if len(value) == 36 and value[8] == "-" and value[13] == "-":
        blob = bytes.fromhex(value.replace("-", ""))
    elif len(value) == 32:
        blob = bytes.fromhex(value)
    else:
        return uuid.UUID(value).bytes  # braces, urn:uuid:… (or a clear ValueError)
    if len(blob) != 16:
        raise ValueError("badly formed UUID")
    return blob


def _uuid_in(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        return uuid_bytes(value)
    if isinstance(value, uuid.UUID):
        return value.bytes
    raise ValueError("expected a UUID")


_ONE_MICRO = timedelta(microseconds=1)


def _time_in(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise ValueError("expected a timestamp")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - EPOCH) // _ONE_MICRO


def _date_in(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise ValueError("expected a date, got a timestamp")
    if isinstance(value, date):
        return date_to_days(value)
    if not isinstance(value, str):
        raise ValueError("expected a date")
    return date_to_days(date.fromisoformat(value))


def _money_in(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("expected an amount")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("expected an amount") from None
    if not amount.is_finite():
        raise ValueError("expected a finite amount")
    return int((amount * 100).to_integral_value())


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json_in(value: Any) -> str:
    if not value and isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"
    return _JSON.encode(value)


def _bool_in(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if value in (0, 1):
        return int(value)
    raise ValueError("expected true/false")


def _int_in(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    return value


def _float_in(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return float(value)


def _text_in(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _uuid_out(value: Any) -> str | None:
    return None if value is None else str(uuid.UUID(bytes=bytes(value)))


def _time_out(value: Any) -> str | None:
    return None if value is None else from_micros(int(value)).isoformat()


def _date_out(value: Any) -> str | None:
    return None if value is None else days_to_date(int(value)).isoformat()


def _money_out(value: Any) -> str | None:
    return None if value is None else str(Decimal(int(value)) / 100)


def _json_out(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _bool_out(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _same(value: Any) -> Any:
    return value


def _converters(column_type: Any) -> tuple[Converter, Converter]:
    """(JSON → stored, stored → JSON) for one column type."""
    if isinstance(column_type, UUIDBlob):
        return _uuid_in, _uuid_out
    if isinstance(column_type, UTCMicros):
        return _time_in, _time_out
    if isinstance(column_type, DayNumber):
        return _date_in, _date_out
    if isinstance(column_type, Money):
        return _money_in, _money_out
    if isinstance(column_type, JSON):
        return _json_in, _json_out
    if isinstance(column_type, Boolean):
        return _bool_in, _bool_out
    if isinstance(column_type, Integer):
        return _int_in, _same
    if isinstance(column_type, Float):
        return _float_in, _same
    return _text_in, _same


@dataclass(frozen=True)
class ColumnCodec:
    name: str
    to_stored: Converter
    to_json: Converter
    nullable: bool
    default: Any  # JSON-form default for inserts that do not name the column; None = none
    # Bulk path: the value goes to SQLite as it came (text, numbers, booleans); a value of
    # the wrong kind is refused by SQLite and the row is skipped then.
    passthrough: bool = False

    @property
    def has_default(self) -> bool:
        return self.default is not None or self.nullable


@dataclass(frozen=True)
class TableCodec:
    entity: str
    table: Table
    columns: dict[str, ColumnCodec]
    key_columns: tuple[str, ...]
    versioned: bool

    def stored(self, name: str, value: Any) -> Any:
        return self.columns[name].to_stored(value)

    def json_value(self, name: str, stored: Any) -> Any:
        return self.columns[name].to_json(stored)

    def same(self, name: str, a: Any, b: Any) -> bool:
        """Equal as stored (``...Z`` and ``...+00:00`` are one time; "1.5" and 1.5 one sum)."""
        if a == b:
            return True
        column = self.columns.get(name)
        if column is None:
            return False
        try:
            return bool(column.to_stored(a) == column.to_stored(b))
        except (ValueError, TypeError, AttributeError):
            return False


def _json_default(column: Any) -> Any:
    default = column.default
    if default is None:
        return None
    arg = default.arg
    if callable(arg):  # list / dict factories: SQLAlchemy wraps them to take a context
        try:
            value = arg(None)
        except TypeError:
            value = arg()
        return value
    if isinstance(arg, Decimal):
        return str(arg)
    return arg


_PASSTHROUGH = frozenset({_text_in, _int_in, _float_in, _bool_in})


def _build(entity: str, table: Any) -> TableCodec:
    columns: dict[str, ColumnCodec] = {}
    for column in table.columns:
        into, out = _converters(column.type)
        columns[column.name] = ColumnCodec(
            name=column.name,
            to_stored=into,
            to_json=out,
            nullable=bool(column.nullable),
            default=_json_default(column),
            passthrough=into in _PASSTHROUGH and column.name != "version",
        )
    return TableCodec(
        entity=entity,
        table=table,
        columns=columns,
        key_columns=tuple(c.name for c in table.primary_key.columns),
        versioned="version" in columns,
    )


CODECS: dict[str, TableCodec] = {
    entity: _build(entity, table) for entity, table in ENTITY_TABLES.items()
}


def codec_for(entity: str) -> TableCodec | None:
    return CODECS.get(entity)
