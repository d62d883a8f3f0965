"""The order history the value refit reads, streamed from the database in one pass.

For a million customers with several orders each, materialising the orders as Python
objects (or the per-customer day maps :func:`analytics.rfm.rfm_from_orders` builds)
would take gigabytes. Instead the orders are read sorted by customer, a server-side
cursor's worth at a time, as raw day/cent values, and folded customer by customer into
flat numpy arrays: memory is a few dozen bytes per customer.

The summary follows ``rfm_from_orders`` exactly (one purchase occasion per customer per
UTC day; zero-amount orders skipped; orders dated after ``now`` left out of the
frequency/recency/T figures); a test holds the two to the same numbers.
"""

from __future__ import annotations

import uuid
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import BigInteger, ColumnElement, Connection, Integer, String, cast, func, select
from sqlalchemy import type_coerce as coerce

from operator_app.analytics.rfm import DAYS_PER_UNIT, RFM
from operator_app.domain.enums import OrderStatus
from operator_app.domain.metrics import net_paid
from operator_app.server.models import Order

STREAM_ROWS = 20_000  # rows per fetch from the cursor

IdKeys = NDArray[np.bytes_]  # 16-byte big-endian UUIDs ("S16"), sorted


def id_key(value: Any) -> bytes:
    """A customer id as stored (UUID on PostgreSQL, 32 hex digits on SQLite) → 16 bytes."""
    if isinstance(value, uuid.UUID):
        return value.bytes
    return bytes.fromhex(str(value).replace("-", ""))


def find_keys(keys: IdKeys, wanted: list[bytes]) -> NDArray[np.int64]:
    """Positions of ``wanted`` in the sorted ``keys``; -1 where absent."""
    if not len(keys) or not wanted:
        return np.full(len(wanted), -1, dtype=np.int64)
    probe = np.array(wanted, dtype="S16")
    positions = np.searchsorted(keys, probe)
    clipped = np.minimum(positions, len(keys) - 1)
    return np.where(keys[clipped] == probe, clipped, -1).astype(np.int64)


def day_of(column: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp column, without per-row type conversion:
    ``YYYY-MM-DD`` text on SQLite (it stores UTC wall time as text), a date on PostgreSQL."""
    if dialect == "sqlite":
        return func.substr(coerce(column, String()), 1, 10)
    return func.date(func.timezone("UTC", column))


def month_of(column: ColumnElement[Any], dialect: str) -> ColumnElement[str]:
    """The UTC month of a timestamp column as ``YYYY-MM`` text."""
    if dialect == "sqlite":
        return func.substr(coerce(column, String()), 1, 7)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM")


def cents_of(column: ColumnElement[Any], dialect: str) -> ColumnElement[int]:
    """A money column as whole cents (SQLite stores cents already)."""
    if dialect == "sqlite":
        return coerce(column, Integer())
    return cast(column * 100, BigInteger)


def _ordinal(day: Any) -> int:
    if isinstance(day, date):
        return day.toordinal()
    return date.fromisoformat(str(day)).toordinal()


@dataclass(frozen=True, slots=True, eq=False)
class OrderHistory:
    """Per customer with a paid or refunded order, aligned with ``keys`` (sorted)."""

    keys: IdKeys
    historical_cents: NDArray[np.int64]  # paid − refunded, never below 0
    rfm_row: NDArray[np.int64]  # row in ``rfm`` (customers with a purchase), else -1
    rfm: RFM | None  # None when nobody has bought anything yet
    orders: int  # order rows read

    def __len__(self) -> int:
        return len(self.keys)


class _Columns:
    """Growing flat arrays (8 bytes per value) for the per-customer results."""

    def __init__(self) -> None:
        self.keys = bytearray()  # 16 bytes per customer, not a bytes object each
        self.historical = array("q")
        self.rfm_row = array("q")
        self.frequency = array("d")
        self.recency = array("d")
        self.age = array("d")
        self.monetary = array("d")


def _stream(connection: Connection, dialect: str) -> Iterator[Any]:
    orders = Order.__table__
    query = (
        select(
            coerce(orders.c.customer_id, String()) if dialect == "sqlite" else orders.c.customer_id,
            day_of(orders.c.ordered_at, dialect),
            cents_of(orders.c.amount, dialect),
            orders.c.status,
        )
        .where(orders.c.status.in_([OrderStatus.PAID.value, OrderStatus.REFUNDED.value]))
        .order_by(orders.c.customer_id)
    )
    result = connection.execute(query.execution_options(yield_per=STREAM_ROWS))
    yield from result


def read_order_history(connection: Connection, now: datetime, unit: str = "weeks") -> OrderHistory:
    """Fold every paid and refunded order into per-customer value figures as of ``now``."""
    if unit not in DAYS_PER_UNIT:
        raise ValueError(f"unit must be one of {', '.join(DAYS_PER_UNIT)}, got {unit!r}")
    dialect = connection.dialect.name
    today = now.date().toordinal()
    per_unit = DAYS_PER_UNIT[unit]
    paid = OrderStatus.PAID.value
    out = _Columns()
    rows_read = 0
    for raw_id, rows in groupby(_stream(connection, dialect), key=itemgetter(0)):
        paid_cents = refunded_cents = 0
        by_day: dict[int, int] = {}
        for _, day, cents, status in rows:
            rows_read += 1
            amount = int(cents)
            if status != paid:
                refunded_cents += amount
                continue
            paid_cents += amount
            if amount > 0:
                ordinal = _ordinal(day)
                if ordinal <= today:
                    by_day[ordinal] = by_day.get(ordinal, 0) + amount
        out.keys += id_key(raw_id)
        out.historical.append(net_paid(paid_cents, refunded_cents))
        if not by_day:
            out.rfm_row.append(-1)
            continue
        out.rfm_row.append(len(out.frequency))
        days = sorted(by_day)
        first, last = days[0], days[-1]
        repeats = len(days) - 1
        out.frequency.append(float(repeats))
        out.recency.append((last - first) / per_unit)
        out.age.append((today - first) / per_unit)
        repeat_spend = sum(float(by_day[d]) / 100 for d in days[1:])
        out.monetary.append(repeat_spend / repeats if repeats else 0.0)
    return _finish(out, unit, rows_read)


def _finish(out: _Columns, unit: str, rows_read: int) -> OrderHistory:
    # Views on the collected buffers, not copies: nothing appends to them any more.
    keys = np.frombuffer(out.keys, dtype="S16")
    historical = np.frombuffer(out.historical, dtype=np.int64)
    rfm_row = np.frombuffer(out.rfm_row, dtype=np.int64)
    # The database sorted by its own notion of the id; make sure it is byte order.
    if len(keys) > 1 and not bool(np.all(keys[:-1] < keys[1:])):
        order = np.argsort(keys, kind="stable")
        keys, historical, rfm_row = keys[order], historical[order], rfm_row[order]
    rfm = None
    n = len(out.frequency)
    if n:
        rfm = RFM(
            customer_ids=range(n),
            frequency=np.frombuffer(out.frequency, dtype=np.float64),
            recency=np.frombuffer(out.recency, dtype=np.float64),
            T=np.frombuffer(out.age, dtype=np.float64),
            monetary_value=np.frombuffer(out.monetary, dtype=np.float64),
            unit=unit,
        )
    return OrderHistory(keys, historical, rfm_row, rfm, rows_read)
