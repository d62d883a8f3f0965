"""The one definition of every customer metric (DESIGN.md, "Metrics").

Pure functions over plain numbers so the client (offline), the server's dashboards
and the review-queue rules all compute the same figures.

Conventions:

- Shares are percentages in [0, 100] (CSAT 87.5 means 87.5 %), the same scale NPS
  uses for its difference of two shares; CES is a mean on its own 1–7 scale.
- A metric over no answers is ``None`` ("no data"), never 0: an empty week is not a
  bad week.
- Scores are integers within the survey's scale. Anything else (7 on a 1–5 CSAT,
  3.5, ``True``, ``None``) is a :class:`ValueError` naming the survey and the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from operator_app.domain.entities import Order
from operator_app.domain.enums import OrderStatus, SurveyKind

_Amount = TypeVar("_Amount", int, Decimal)  # minor units (the server's cents) or money

# Inclusive (lowest, highest) score per survey kind.
SCORE_RANGES: dict[SurveyKind, tuple[int, int]] = {
    SurveyKind.CSAT: (1, 5),  # 5 = very satisfied
    SurveyKind.NPS: (0, 10),  # 10 = extremely likely to recommend
    SurveyKind.CES: (1, 7),  # 7 = very easy
}

_LABELS: dict[SurveyKind, str] = {
    SurveyKind.CSAT: "CSAT",
    SurveyKind.NPS: "NPS",
    SurveyKind.CES: "CES",
}


def survey_kind(kind: SurveyKind | str) -> SurveyKind:
    """``"csat"``, ``"CSAT"`` or ``SurveyKind.CSAT`` → ``SurveyKind.CSAT``."""
    if isinstance(kind, SurveyKind):
        return kind
    if isinstance(kind, str):
        try:
            return SurveyKind(kind.strip().lower())
        except ValueError:
            pass
    known = ", ".join(k.value for k in SurveyKind)
    raise ValueError(f"Unknown survey kind {kind!r}; expected one of: {known}")


def validate_score(kind: SurveyKind | str, score: object) -> int:
    """Return ``score`` if it is an integer on ``kind``'s scale, else raise ``ValueError``."""
    kind = survey_kind(kind)
    low, high = SCORE_RANGES[kind]
    label = _LABELS[kind]
    # bool is an int subclass; a checkbox value is not a score.
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"{label} score must be a whole number {low}–{high}, got {score!r}")
    if not low <= score <= high:
        raise ValueError(f"{label} score must be between {low} and {high}, got {score}")
    return score


def _validated(kind: SurveyKind, scores: Iterable[object]) -> list[int]:
    return [validate_score(kind, s) for s in scores]


def csat(scores: Iterable[int]) -> float | None:
    """Customer satisfaction: percentage of answers 4–5 on the 1–5 scale."""
    values = _validated(SurveyKind.CSAT, scores)
    if not values:
        return None
    return 100.0 * sum(1 for s in values if s >= 4) / len(values)


def nps(scores: Iterable[int]) -> float | None:
    """Net promoter score: % promoters (9–10) minus % detractors (0–6), in [-100, 100]."""
    values = _validated(SurveyKind.NPS, scores)
    if not values:
        return None
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return 100.0 * (promoters - detractors) / len(values)


def ces(scores: Iterable[int]) -> float | None:
    """Customer effort score: mean answer on 1–7, where 7 = very easy."""
    values = _validated(SurveyKind.CES, scores)
    if not values:
        return None
    return sum(values) / len(values)


@dataclass(frozen=True, slots=True)
class LowScoreThresholds:
    """Admin policy: a score at or below its threshold is "low" and opens a review case.

    Defaults per DESIGN.md: CSAT ≤ 2, NPS ≤ 6, CES ≤ 3. Each threshold must lie on its
    survey's scale (a CSAT threshold of 0 would silently switch reviews off; use the
    survey rules to switch them off instead).
    """

    csat: int = 2
    nps: int = 6
    ces: int = 3

    def __post_init__(self) -> None:
        for kind in SurveyKind:
            value = self.for_kind(kind)
            low, high = SCORE_RANGES[kind]
            label = _LABELS[kind]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(
                    f"{label} low-score threshold must be a whole number, got {value!r}"
                )
            if not low <= value <= high:
                raise ValueError(
                    f"{label} low-score threshold must be between {low} and {high}, got {value}"
                )

    def for_kind(self, kind: SurveyKind | str) -> int:
        kind = survey_kind(kind)
        if kind is SurveyKind.CSAT:
            return self.csat
        if kind is SurveyKind.NPS:
            return self.nps
        return self.ces

    def to_dict(self) -> dict[str, int]:
        return {"csat": self.csat, "nps": self.nps, "ces": self.ces}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> LowScoreThresholds:
        """Build from admin policy JSON; missing keys keep their defaults."""
        unknown = set(data) - {"csat", "nps", "ces"}
        if unknown:
            raise ValueError(f"Unknown low-score threshold(s): {', '.join(sorted(unknown))}")
        return cls(**data)  # type: ignore[arg-type]  # validated in __post_init__


DEFAULT_LOW_SCORE = LowScoreThresholds()


def is_low_score(
    kind: SurveyKind | str,
    score: int,
    thresholds: LowScoreThresholds = DEFAULT_LOW_SCORE,
) -> bool:
    """True if ``score`` on survey ``kind`` is at or below the admin's low-score threshold."""
    kind = survey_kind(kind)
    return validate_score(kind, score) <= thresholds.for_kind(kind)


def repeat_purchase_rate(order_counts: Iterable[int]) -> float | None:
    """RPR: percentage of customers with ≥ 2 orders among customers with ≥ 1 order.

    ``order_counts`` holds one count per customer; customers with no orders are
    allowed and ignored. ``None`` when no customer has ordered.
    """
    buyers = repeaters = 0
    for count in order_counts:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"Order count must be a whole number ≥ 0, got {count!r}")
        if count >= 1:
            buyers += 1
            if count >= 2:
                repeaters += 1
    if buyers == 0:
        return None
    return 100.0 * repeaters / buyers


def net_paid(paid: _Amount, refunded: _Amount) -> _Amount:
    """Historical value from the two totals: paid minus refunded, never below zero (a
    refund can only give back what was paid). The server's refit and the demo generator
    call this too, so the card's figure means the same everywhere."""
    return max(paid - refunded, paid * 0)


def historical_clv(orders: Iterable[Order], currency: str | None = None) -> Decimal:
    """Historical CLV: the sum of paid orders minus refunds (:func:`net_paid`).

    A refunded order is money given back and is subtracted; pending and cancelled
    orders count for nothing. All counted orders must be in one currency (``currency``
    if given, else that of the first counted order); mixing currencies is a
    ``ValueError`` because adding roubles to euros gives a number that means nothing.
    """
    paid = refunded = Decimal(0)
    for order in orders:
        if order.status not in (OrderStatus.PAID, OrderStatus.REFUNDED):
            continue
        if currency is None:
            currency = order.currency
        elif order.currency != currency:
            raise ValueError(
                f"Order {order.number} is in {order.currency}, others in {currency}; "
                "convert to one currency first"
            )
        if order.status is OrderStatus.PAID:
            paid += order.amount
        else:
            refunded += order.amount
    return net_paid(paid, refunded)


def week_start(day: date) -> date:
    """The Monday (ISO 8601 week) of ``day``'s week: dashboards' "by week" bucket key."""
    return day - timedelta(days=day.weekday())


def median(values: Iterable[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); ``None``
    for no values. Times to resolve are skewed by a few old cases, so dashboards show
    the median beside the mean."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
