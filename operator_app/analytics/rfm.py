"""From raw orders to the per-customer summary the CLV models read.

One purchase *occasion* per customer per calendar day (UTC): three orders placed in
one session are one visit, not two repeat purchases. For each customer:

- ``frequency``: purchase days after the first one (repeat purchases);
- ``recency``: first to last purchase day, in ``unit``;
- ``T``: first purchase day to ``now``, in ``unit``;
- ``monetary_value``: mean amount per repeat purchase day (the first purchase is left
  out, as the Gamma-Gamma model expects); 0 without repeat purchases.

Pass paid orders only (refunds and cancellations are not purchases). Zero-amount
orders (free replacements, gifts) are skipped: they say nothing about spending.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from operator_app.analytics._inputs import FloatArray

DAYS_PER_UNIT: dict[str, float] = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}


@dataclass(frozen=True, slots=True, eq=False)
class RFM:
    """Per-customer summary; arrays aligned with ``customer_ids`` (sorted)."""

    # Any sequence: the server's refit passes ``range(n)`` (row numbers) rather than a
    # million-element tuple.
    customer_ids: Sequence[Hashable]
    frequency: FloatArray
    recency: FloatArray
    T: FloatArray
    monetary_value: FloatArray
    unit: str

    def __len__(self) -> int:
        return len(self.customer_ids)

    @property
    def order_count(self) -> NDArray[np.int64]:
        """Purchase days per customer (repeat purchases + the first)."""
        return (self.frequency + 1).astype(np.int64)

    @property
    def days_since_last_purchase(self) -> FloatArray:
        return np.asarray((self.T - self.recency) * DAYS_PER_UNIT[self.unit], dtype=np.float64)


def _day(value: object, what: str) -> date:
    # Aware datetimes are read in UTC; naive ones are taken to be UTC already.
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError(f"{what} must be a date or datetime, got {value!r}")


def _amount(value: object, customer_id: Hashable) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"Order amount of customer {customer_id} must be a number, got {value!r}")
    amount = float(value)
    if not math.isfinite(amount) or amount < 0:
        raise ValueError(
            f"Order amount of customer {customer_id} must be ≥ 0 (pass refunds separately), "
            f"got {value!r}"
        )
    return amount


def _sorted_ids(ids: Iterable[Hashable]) -> list[Hashable]:
    try:
        return sorted(ids)  # type: ignore[type-var]
    except TypeError:  # mixed id types: any stable order will do
        return sorted(ids, key=repr)


def rfm_from_orders(
    orders: Iterable[tuple[Hashable, datetime | date, Decimal | float | int]],
    now: datetime | date,
    unit: str = "weeks",
) -> RFM:
    """Summarise ``(customer_id, ordered_at, amount)`` rows as of ``now``.

    ``unit`` ("days", "weeks" or "months" of 30.44 days) is the time unit of recency
    and T, and so of the fitted BG/NBD ``alpha``. Raises ``ValueError`` for malformed
    rows, negative or non-finite amounts, orders dated after ``now``, or no orders.
    """
    if unit not in DAYS_PER_UNIT:
        raise ValueError(f"unit must be one of {', '.join(DAYS_PER_UNIT)}, got {unit!r}")
    today = _day(now, "now")
    spend_by_day: dict[Hashable, dict[date, float]] = {}
    for row_number, row in enumerate(orders):
        try:
            customer_id, ordered_at, raw_amount = row
        except (TypeError, ValueError):
            raise ValueError(
                f"Order row {row_number} must be (customer_id, ordered_at, amount), got {row!r}"
            ) from None
        day = _day(ordered_at, f"Order date of customer {customer_id}")
        if day > today:
            raise ValueError(
                f"Order of customer {customer_id} is dated {day.isoformat()}, after now "
                f"({today.isoformat()})"
            )
        amount = _amount(raw_amount, customer_id)
        if amount == 0:
            continue
        days = spend_by_day.setdefault(customer_id, {})
        days[day] = days.get(day, 0.0) + amount
    if not spend_by_day:
        raise ValueError("No orders with a positive amount to summarise")

    ids = _sorted_ids(spend_by_day)
    n = len(ids)
    frequency = np.empty(n)
    recency = np.empty(n)
    age = np.empty(n)
    monetary = np.empty(n)
    per_unit = DAYS_PER_UNIT[unit]
    for i, customer_id in enumerate(ids):
        days = spend_by_day[customer_id]
        ordered_days = sorted(days)
        first, last = ordered_days[0], ordered_days[-1]
        repeat_spend = [days[d] for d in ordered_days[1:]]
        frequency[i] = len(repeat_spend)
        recency[i] = (last - first).days / per_unit
        age[i] = (today - first).days / per_unit
        monetary[i] = sum(repeat_spend) / len(repeat_spend) if repeat_spend else 0.0
    return RFM(tuple(ids), frequency, recency, age, monetary, unit)
