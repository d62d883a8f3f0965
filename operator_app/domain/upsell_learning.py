"""P(accept) per (reason, segment), learned from offer outcomes with a Beta prior.

Each outcome updates a Beta(α, β) belief about the acceptance rate:

- accepted: a success (α + 1);
- declined: a failure (β + 1);
- not now: half a failure (β + ½). The customer did not buy, but did not say no to
  the product either; counting it fully would teach the engine to stop offering
  things people want later, ignoring it would keep offering things people defer;
- shown with no outcome: nothing (the operator never got an answer).

Two levels of pooling so that a new segment or a rare reason starts sensibly:
the reason's rate across all segments is shrunk toward the policy's prior mean,
and each segment's rate is shrunk toward its reason's rate, both with the policy's
``prior_strength`` (in outcomes):

    m_reason  = (k·m₀ + accepted_reason) / (k + n_reason)
    P(accept) = (k·m_reason + accepted_segment) / (k + n_segment)

where n counts accepted + declined + ½·not-now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from operator_app.domain.enums import OfferOutcome

_NOT_NOW_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class OutcomeCounts:
    accepted: float = 0.0
    declined: float = 0.0
    not_now: float = 0.0

    def __post_init__(self) -> None:
        for name in ("accepted", "declined", "not_now"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and value >= 0):
                raise ValueError(f"Outcome count {name} must be ≥ 0, got {value!r}")

    @property
    def successes(self) -> float:
        return self.accepted

    @property
    def trials(self) -> float:
        return self.accepted + self.declined + _NOT_NOW_WEIGHT * self.not_now

    def __add__(self, other: OutcomeCounts) -> OutcomeCounts:
        return OutcomeCounts(
            self.accepted + other.accepted,
            self.declined + other.declined,
            self.not_now + other.not_now,
        )


_NONE = OutcomeCounts()


def _outcome(value: OfferOutcome | str) -> OfferOutcome:
    try:
        return OfferOutcome(value)
    except ValueError:
        known = ", ".join(o.value for o in OfferOutcome)
        raise ValueError(f"Unknown offer outcome {value!r}; expected one of: {known}") from None


class AcceptanceStats:
    """Outcome counts per (reason code, segment); immutable once built."""

    __slots__ = ("_by_key", "_by_reason")

    def __init__(self, counts: dict[tuple[str, str], OutcomeCounts] | None = None) -> None:
        self._by_key = dict(counts or {})
        by_reason: dict[str, OutcomeCounts] = {}
        for (reason, _segment), c in self._by_key.items():
            by_reason[reason] = by_reason.get(reason, OutcomeCounts()) + c
        self._by_reason = by_reason

    @classmethod
    def from_outcomes(
        cls, outcomes: Iterable[tuple[str, str, OfferOutcome | str]]
    ) -> AcceptanceStats:
        """From (reason_code, segment, outcome) of past offers, e.g. the server's offers
        table joined with each customer's segment at the time."""
        tallies: dict[tuple[str, str], list[float]] = {}
        for reason, segment, raw in outcomes:
            outcome = _outcome(raw)
            if outcome is OfferOutcome.SHOWN:
                continue
            tally = tallies.setdefault((reason, segment), [0.0, 0.0, 0.0])
            if outcome is OfferOutcome.ACCEPTED:
                tally[0] += 1
            elif outcome is OfferOutcome.DECLINED:
                tally[1] += 1
            else:
                tally[2] += 1
        return cls({key: OutcomeCounts(*t) for key, t in tallies.items()})

    def counts(self, reason_code: str, segment: str) -> OutcomeCounts:
        return self._by_key.get((reason_code, segment), _NONE)

    def p_accept(
        self, reason_code: str, segment: str, prior_mean: float, prior_strength: float
    ) -> float:
        reason = self._by_reason.get(reason_code, _NONE)
        reason_mean = (prior_strength * prior_mean + reason.successes) / (
            prior_strength + reason.trials
        )
        own = self._by_key.get((reason_code, segment), _NONE)
        return (prior_strength * reason_mean + own.successes) / (prior_strength + own.trials)

    def to_list(self) -> list[dict[str, Any]]:
        """JSON rows, sorted, for the policy the server sends to clients."""
        return [
            {
                "reason_code": reason,
                "segment": segment,
                "accepted": c.accepted,
                "declined": c.declined,
                "not_now": c.not_now,
            }
            for (reason, segment), c in sorted(self._by_key.items())
        ]

    @classmethod
    def from_list(cls, rows: Iterable[dict[str, Any]]) -> AcceptanceStats:
        counts: dict[tuple[str, str], OutcomeCounts] = {}
        for row in rows:
            key = (str(row["reason_code"]), str(row["segment"]))
            counts[key] = counts.get(key, OutcomeCounts()) + OutcomeCounts(
                row.get("accepted", 0), row.get("declined", 0), row.get("not_now", 0)
            )
        return cls(counts)


NO_STATS = AcceptanceStats()
