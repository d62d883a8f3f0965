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
from numpy.typing import ArrayLike
from scipy.stats import rankdata

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


def clv_quantiles(values: ArrayLike) -> FloatArray:
    """Mid-rank quantile of each value in [0, 1]: (customers below + half the ties) / n.

    Ties share one quantile, so a base where everybody is worth the same sits at 0.5
    and nobody is called high value.
    """
    array = as_vector("values", values)
    if array.size == 0:
        return array
    ranks = rankdata(array, method="average")
    return np.asarray((ranks - 0.5) / array.size, dtype=np.float64)
