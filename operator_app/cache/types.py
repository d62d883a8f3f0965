"""Compact column types for a cache that holds millions of rows.

UUIDs are 16-byte blobs, times are integer microseconds since the Unix epoch (UTC),
money is integer minor units. All three sort correctly as stored, so keyset paging
``WHERE (ts, id) < (?, ?)`` runs on plain B-tree indexes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_micros(value: datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("naive datetime: the cache stores UTC only")
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    seconds, micros = divmod(value, 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=micros)


def date_to_days(value: date) -> int:
    return value.toordinal()


def days_to_date(value: int) -> date:
    return date.fromordinal(value)


class UUIDBlob(TypeDecorator[uuid.UUID]):
    impl = LargeBinary(16)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, bytes):
            return value
        return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        return None if value is None else uuid.UUID(bytes=bytes(value))


class UTCMicros(TypeDecorator[datetime]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None or isinstance(value, int):
            return value
        return to_micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_micros(int(value))


class DayNumber(TypeDecorator[date]):
    """A calendar date as its proleptic Gregorian ordinal."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None or isinstance(value, int):
            return value
        return date_to_days(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else days_to_date(int(value))


class Money(TypeDecorator[Decimal]):
    """Decimal amounts with two fraction digits, stored as integer minor units."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None or isinstance(value, int):
            return value
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(int(value)) / 100
