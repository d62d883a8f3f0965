"""Value segments for the card's value strip: new, loyal, high value, at risk, lost.

The rules, first match wins (thresholds in :class:`SegmentThresholds`):

1. **lost**: P(alive) < ``lost_p_alive`` (0.15), or no purchase for more than
   ``lost_after_days`` (365);
2. one purchase so far (``order_count`` ≤ 1; P(alive) is 1 by construction then, so
   it says nothing): **new** within ``new_within_days`` (180) of that purchase, else
   **at risk** (a one-off buyer who has not come back);
3. **at risk**: P(alive) < ``at_risk_p_alive`` (0.5);
4. **high value**: predicted CLV at or above the ``high_value_quantile`` (0.8, the top
   fifth) of the customer base;
5. **loyal**: everybody else (came back, probably still buying).

At-risk beats high-value on purpose: a valuable customer slipping away is the one the
operator should treat as a save, not as an upsell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from operator_app.analytics._inputs import FloatArray, as_vector


class CustomerSegment(StrEnum):
    NEW = "new"
    LOYAL = "loyal"
    HIGH_VALUE = "high_value"
    AT_RISK = "at_risk"
    LOST = "lost"


def _share(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")


def _days(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a number of days ≥ 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class SegmentThresholds:
    lost_p_alive: float = 0.15
    lost_after_days: float = 365
    new_within_days: float = 180
    at_risk_p_alive: float = 0.5
    high_value_quantile: float = 0.8

    def __post_init__(self) -> None:
        _share("lost_p_alive", self.lost_p_alive)
        _share("at_risk_p_alive", self.at_risk_p_alive)
        _share("high_value_quantile", self.high_value_quantile)
        _days("lost_after_days", self.lost_after_days)
        _days("new_within_days", self.new_within_days)
        if self.lost_p_alive > self.at_risk_p_alive:
            raise ValueError("lost_p_alive must not exceed at_risk_p_alive")


DEFAULT_SEGMENT_THRESHOLDS = SegmentThresholds()


def segment(
    p_alive: float,
    clv_quantile: float,
    order_count: int,
    days_since_last_purchase: float,
    thresholds: SegmentThresholds = DEFAULT_SEGMENT_THRESHOLDS,
) -> CustomerSegment:
    """The customer's value segment (rules in the module docstring).

    ``clv_quantile`` is the customer's predicted CLV as a quantile of the base, in
    [0, 1] (see :func:`clv_quantiles`); ``order_count`` counts purchase occasions
    including the first (0 for a customer who never bought: "new").
    """
    _share("p_alive", p_alive)
    _share("clv_quantile", clv_quantile)
    if isinstance(order_count, bool) or not isinstance(order_count, int | np.integer):
        raise ValueError(f"order_count must be a whole number ≥ 0, got {order_count!r}")
    if order_count < 0:
        raise ValueError(f"order_count must be a whole number ≥ 0, got {order_count!r}")
    _days("days_since_last_purchase", days_since_last_purchase)
    if order_count == 0:
        return CustomerSegment.NEW
    if p_alive < thresholds.lost_p_alive or days_since_last_purchase > thresholds.lost_after_days:
        return CustomerSegment.LOST
    if order_count == 1:
        if days_since_last_purchase <= thresholds.new_within_days:
            return CustomerSegment.NEW
        return CustomerSegment.AT_RISK
    if p_alive < thresholds.at_risk_p_alive:
        return CustomerSegment.AT_RISK
    if clv_quantile >= thresholds.high_value_quantile:
        return CustomerSegment.HIGH_VALUE
    return CustomerSegment.LOYAL


SEGMENT_ORDER: tuple[CustomerSegment, ...] = tuple(CustomerSegment)


def _first_bad(name: str, values: NDArray[np.generic], bad: NDArray[np.bool_]) -> None:
    hits = np.flatnonzero(bad)
    if hits.size:
        raise ValueError(f"{name} out of range at index {int(hits[0])}: {values[hits[0]]!r}")


def segment_indices(
    p_alive: FloatArray,
    clv_quantile: FloatArray,
    order_count: NDArray[np.integer],
    days_since_last_purchase: FloatArray,
    thresholds: SegmentThresholds = DEFAULT_SEGMENT_THRESHOLDS,
) -> NDArray[np.int8]:
    """:func:`segment` for whole arrays at once, as indices into :data:`SEGMENT_ORDER`:
    the same rules in the same order, without a Python call per customer (a million
    customers took seconds)."""
    p, q, days = p_alive, clv_quantile, days_since_last_purchase
    _first_bad("p_alive", p, ~((p >= 0.0) & (p <= 1.0)))
    _first_bad("clv_quantile", q, ~((q >= 0.0) & (q <= 1.0)))
    _first_bad("order_count", order_count, order_count < 0)
    _first_bad("days_since_last_purchase", days, ~(np.isfinite(days) & (days >= 0)))
    index = {name: np.int8(i) for i, name in enumerate(SEGMENT_ORDER)}
    one = order_count == 1
    chosen = np.select(
        [
            order_count == 0,
            (p < thresholds.lost_p_alive) | (days > thresholds.lost_after_days),
            one & (days <= thresholds.new_within_days),
            one,
            p < thresholds.at_risk_p_alive,
            q >= thresholds.high_value_quantile,
        ],
        [
            index[CustomerSegment.NEW],
            index[CustomerSegment.LOST],
            index[CustomerSegment.NEW],
            index[CustomerSegment.AT_RISK],
            index[CustomerSegment.AT_RISK],
            index[CustomerSegment.HIGH_VALUE],
        ],
        default=index[CustomerSegment.LOYAL],
    )
    return np.asarray(chosen, dtype=np.int8)


def clv_quantiles(values: ArrayLike) -> FloatArray:
    """Mid-rank quantile of each value in [0, 1]: (customers below + half the ties) / n.

    Ties share one quantile, so a base where everybody is worth the same sits at 0.5
    and nobody is called high value.
    """
    array = as_vector("values", values)
    if array.size == 0:
        return array
    ranks = _average_ranks(array)
    return np.asarray((ranks - 0.5) / array.size, dtype=np.float64)


def _average_ranks(array: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing the mean of their ranks (``scipy.stats.rankdata``'s
    "average"), here so that the refit need not load ``scipy.stats`` (~40 MB, 2 s)."""
    order = np.argsort(array, kind="mergesort")
    ordered = array[order]
    starts = np.empty(array.size, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    first = np.flatnonzero(starts)  # 0-based position where each tie group starts
    after = np.append(first[1:], array.size)
    ranks = np.empty(array.size, dtype=np.float64)
    ranks[order] = ((first + 1 + after) / 2.0)[np.cumsum(starts) - 1]
    return ranks
