"""Rows → JSON-friendly snapshots, the ``data`` of the change feed and of resources.

UUIDs, dates and times become ISO strings (UTC times end in ``Z``), money becomes a
decimal string with two fraction digits, JSON columns pass through. The snapshot of
an entity lists the client's columns plus ``version`` and ``updated_at``; columns
that must never leave the server are left out here, in one place.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Uuid
from sqlalchemy.sql.elements import ColumnElement

from operator_app.server.models import ENTITY_MODELS, Base
from operator_app.server.types import CENT, Money, UTCDateTime

SERVER_ONLY_COLUMNS: dict[str, frozenset[str]] = {"user": frozenset({"password_hash"})}

Converter = Callable[[Any], Any]


def json_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _uuid(value: Any) -> str:
    return str(value)


def _datetime(value: Any) -> str:
    return json_datetime(value)


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _money(value: Any) -> str:
    return str(Decimal(value).quantize(CENT))


def _plain(value: Any) -> Any:
    return value


def _converter(column: ColumnElement[Any]) -> Converter:
    kind = column.type
    if isinstance(kind, Uuid):
        return _uuid
    if isinstance(kind, UTCDateTime):
        return _datetime
    if isinstance(kind, Money):
        return _money
    if isinstance(kind, Date):
        return _date
    return _plain


def _snapshot_columns(entity: str, model: type[Base]) -> tuple[tuple[str, Converter], ...]:
    hidden = SERVER_ONLY_COLUMNS.get(entity, frozenset())
    return tuple(
        (column.name, _converter(column))
        for column in model.__table__.columns
        if column.name not in hidden
    )


SNAPSHOT_COLUMNS: dict[str, tuple[tuple[str, Converter], ...]] = {
    entity: _snapshot_columns(entity, model) for entity, model in ENTITY_MODELS.items()
}


def snapshot_from_mapping(entity: str, row: Mapping[Any, Any]) -> dict[str, Any]:
    """The JSON-friendly snapshot of a row given as a column → value mapping."""
    result: dict[str, Any] = {}
    for name, convert in SNAPSHOT_COLUMNS[entity]:
        value = row.get(name)
        result[name] = None if value is None else convert(value)
    return result


def snapshot(entity: str, obj: Base) -> dict[str, Any]:
    """The JSON-friendly snapshot of an ORM object."""
    return snapshot_from_mapping(
        entity, {name: getattr(obj, name) for name, _ in SNAPSHOT_COLUMNS[entity]}
    )


def to_json_value(value: Any) -> Any:
    """One Python value in the snapshot's JSON form (for comparing a client's edit)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return json_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _money(value)
    return value


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 kept readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
