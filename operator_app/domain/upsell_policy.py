"""Upsell vocabulary (reason, warning and suppression codes) and the admin's policy knobs."""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from operator_app.domain.metrics import DEFAULT_LOW_SCORE, LowScoreThresholds


class ReasonCode(StrEnum):
    """Why a product is suggested. Stored with every offer (``Offer.reason_code``) and the
    key under which acceptance is learned, so the values never change."""

    SUCCESSOR = "successor_available"  # owned product/plan has aged and has a newer version
    COVERAGE_EXPIRING = "coverage_expiring"  # warranty/support/subscription ends soon
    COVERAGE_EXPIRED = "coverage_expired"  # ... ended a few days ago
    ABANDONED_INTEREST = "abandoned_interest"  # left in the cart / purchase not completed
    BOUGHT_TOGETHER = "bought_together"  # often bought with something just bought
    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"  # years as a customer
    RULE = "rule"  # an admin rule; the stored code is "rule:<rule id>"


RULE_PREFIX = "rule:"


def rule_reason_code(rule_id: uuid.UUID) -> str:
    """The reason code stored for offers made by one admin rule (≤ 64 characters)."""
    return f"{RULE_PREFIX}{rule_id}"


class WarningKind(StrEnum):
    """Proactive notes for the operator. Service information, not marketing: shown even
    when offers are suppressed."""

    COVERAGE_EXPIRING = "coverage_expiring"
    COVERAGE_EXPIRED = "coverage_expired"
    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"


class Suppression(StrEnum):
    """Why no (or fewer) offers are shown. Hard rules: no ranking can override them."""

    NO_MARKETING_CONSENT = "no_marketing_consent"
    OPEN_COMPLAINT = "open_complaint"
    RECENT_LOW_SCORE = "recent_low_score"
    COMPLAINT_CONTACT = "complaint_contact"  # this contact is an unresolved complaint
    OFFER_LIMIT_REACHED = "offer_limit_reached"  # enough offers made in this contact


# Starting acceptance rates before any outcome is known (learning replaces them).
DEFAULT_PRIOR_ACCEPT_RATES: dict[str, float] = {
    ReasonCode.SUCCESSOR: 0.08,
    ReasonCode.COVERAGE_EXPIRING: 0.25,
    ReasonCode.COVERAGE_EXPIRED: 0.12,
    ReasonCode.ABANDONED_INTEREST: 0.15,
    ReasonCode.BOUGHT_TOGETHER: 0.06,
    ReasonCode.BIRTHDAY: 0.10,
    ReasonCode.ANNIVERSARY: 0.08,
    ReasonCode.RULE: 0.10,
}

_WHOLE_DAYS = (
    "low_score_quiet_days",
    "decline_cooldown_days",
    "not_now_cooldown_days",
    "coverage_warning_days",
    "coverage_grace_days",
    "ageing_months",
    "interest_days",
    "bought_together_days",
    "occasion_days",
)


@dataclass(frozen=True)
class UpsellPolicy:
    """Admin policy for suggestions. Every number is checked on construction."""

    max_offers_per_contact: int = 3
    # no offers for this long after a low CSAT/NPS/CES answer (thresholds below)
    low_score_quiet_days: int = 30
    low_score: LowScoreThresholds = DEFAULT_LOW_SCORE
    # the same product is not offered again this long after "decline" / "not now"
    decline_cooldown_days: int = 90
    not_now_cooldown_days: int = 7
    # coverage ending within this many days → warning + renewal offer; and after it ended
    coverage_warning_days: int = 30
    coverage_grace_days: int = 30
    # a product/plan this old with a newer version on sale → upgrade offer
    ageing_months: int = 12
    # a cart or unfinished purchase this recent → offer to complete it
    interest_days: int = 30
    # products bought this recently anchor "often bought together"
    bought_together_days: int = 90
    bought_together_min_confidence: float = 0.05
    # birthday / customer anniversary within ± this many days
    occasion_days: int = 7
    occasion_product_id: uuid.UUID | None = None  # the gift/offer for occasions, if any
    # margin per sale when the catalogue has none: price × this rate
    default_margin_rate: float = 0.3
    # Beta prior: mean from prior_accept_rates, weight of prior_strength outcomes
    prior_strength: float = 10.0
    prior_accept_rates: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_PRIOR_ACCEPT_RATES)
    )
    # topic words (folded, substring match) that make a contact a complaint
    complaint_topics: tuple[str, ...] = ("complaint", "жалоб", "претенз")

    def __post_init__(self) -> None:
        limit = self.max_offers_per_contact
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"max_offers_per_contact must be a whole number ≥ 0, got {limit!r}")
        for name in _WHOLE_DAYS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
        _rate("bought_together_min_confidence", self.bought_together_min_confidence)
        _rate("default_margin_rate", self.default_margin_rate)
        strength = self.prior_strength
        if not (isinstance(strength, int | float) and 0 < strength < math.inf):
            raise ValueError(f"prior_strength must be a positive number, got {strength!r}")
        # Reasons the admin did not set keep their defaults.
        rates = {str(k): v for k, v in DEFAULT_PRIOR_ACCEPT_RATES.items()}
        rates.update({str(k): v for k, v in self.prior_accept_rates.items()})
        for reason, rate in rates.items():
            _rate(f"prior_accept_rates[{reason}]", rate, open_interval=True)
        object.__setattr__(self, "prior_accept_rates", rates)
        if not isinstance(self.low_score, LowScoreThresholds):
            raise ValueError("low_score must be LowScoreThresholds")
        object.__setattr__(
            self, "complaint_topics", tuple(t.casefold() for t in self.complaint_topics if t)
        )

    def prior_mean(self, reason: ReasonCode, rule_rate: float | None = None) -> float:
        if rule_rate is not None:
            return rule_rate
        return self.prior_accept_rates[reason.value]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["low_score"] = self.low_score.to_dict()
        data["complaint_topics"] = list(self.complaint_topics)
        data["occasion_product_id"] = (
            str(self.occasion_product_id) if self.occasion_product_id else None
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UpsellPolicy:
        """Build from admin policy JSON; missing keys keep their defaults."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"Unknown upsell policy setting(s): {', '.join(sorted(unknown))}")
        values = dict(data)
        if "low_score" in values:
            values["low_score"] = LowScoreThresholds.from_dict(values["low_score"])
        if values.get("occasion_product_id"):
            raw_id = values["occasion_product_id"]
            values["occasion_product_id"] = _uuid("occasion_product_id", raw_id)
        if "complaint_topics" in values:
            values["complaint_topics"] = tuple(values["complaint_topics"])
        return cls(**values)


def _rate(name: str, value: object, *, open_interval: bool = False) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok:
        number = float(value)  # type: ignore[arg-type]
        ok = 0 < number < 1 if open_interval else 0 <= number <= 1
    if not ok:
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise ValueError(f"{name} must be a number {bounds}, got {value!r}")


def _uuid(name: str, value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a product id (UUID), got {value!r}") from None


DEFAULT_POLICY = UpsellPolicy()
