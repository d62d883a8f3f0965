"""Offer outcomes on the server: an accepted offer becomes a lead, and acceptance metrics.

An accepted offer for a product turns into an ``interest`` at stage ``cart`` in the same
transaction as the offer, so sales can follow it up and the card shows an unfinished
purchase. An open interest in the same product (viewed, cart, abandoned) is moved to
``cart`` instead of adding a second one; otherwise a new interest is made with an id
derived from the offer's (:func:`lead_id`), the same on every replay.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from operator_app.domain.enums import InterestStage, OfferOutcome
from operator_app.domain.upsell_policy import RULE_PREFIX
from operator_app.server.changelog import PendingChange
from operator_app.server.models import Customer, Interest, Offer
from operator_app.server.models import UpsellRule as RuleRow
from operator_app.server.upsell_stats import stats_segment_of

LEAD_NAMESPACE = uuid.UUID("6c656164-2d66-726f-6d2d-6f6666657273")
OPEN_STAGES = (InterestStage.VIEWED.value, InterestStage.CART.value, InterestStage.ABANDONED.value)
ANSWERS = (OfferOutcome.ACCEPTED.value, OfferOutcome.DECLINED.value, OfferOutcome.NOT_NOW.value)


def lead_id(offer_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(LEAD_NAMESPACE, str(offer_id))


def lead_from_offer(session: Session, offer: Offer, now: datetime) -> PendingChange | None:
    """The interest an accepted product offer creates or advances (None otherwise)."""
    if offer.outcome != OfferOutcome.ACCEPTED.value or offer.product_id is None:
        return None
    existing = session.scalars(
        select(Interest)
        .where(
            Interest.customer_id == offer.customer_id,
            Interest.product_id == offer.product_id,
            Interest.stage.in_(OPEN_STAGES),
        )
        .order_by(Interest.last_activity_at.desc(), Interest.id)
        .limit(1)
        .with_for_update()
    ).first()
    if existing is not None:
        existing.stage = InterestStage.CART.value
        existing.last_activity_at = max(existing.last_activity_at, offer.at)
        existing.version += 1
        existing.updated_at = now
        return PendingChange("interest", existing, "update")
    interest = Interest(
        id=lead_id(offer.id),
        customer_id=offer.customer_id,
        product_id=offer.product_id,
        stage=InterestStage.CART.value,
        last_activity_at=offer.at,
        version=1,
        updated_at=now,
    )
    session.add(interest)
    return PendingChange("interest", interest, "create")


# --- acceptance metrics -----------------------------------------------------------------------


def _rate(accepted: int, answered: int) -> float | None:
    return round(100.0 * accepted / answered, 2) if answered else None


def _row(counts: dict[str, int]) -> dict[str, Any]:
    answered = sum(counts.get(o, 0) for o in ANSWERS)
    accepted = counts.get(OfferOutcome.ACCEPTED.value, 0)
    return {
        "offers": sum(counts.values()),
        "shown": counts.get(OfferOutcome.SHOWN.value, 0),
        "accepted": accepted,
        "not_now": counts.get(OfferOutcome.NOT_NOW.value, 0),
        "declined": counts.get(OfferOutcome.DECLINED.value, 0),
        "answered": answered,
        "acceptance_rate": _rate(accepted, answered),
    }


def _grouped(rows: Iterable[Any]) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = {}
    for key, outcome, n in rows:
        groups.setdefault(str(key), {})[outcome] = int(n)
    return groups


def offer_metrics(connection: Connection, since: datetime, until: datetime) -> dict[str, Any]:
    """Offers made in [since, until) by reason (rules by name), operator and segment.

    acceptance_rate = accepted / (accepted + declined + not now), in percent; offers only
    shown (no answer) are counted but left out of the rate. Segment: the customer's
    current value segment, else business segment, else "all" (as learning keys it).
    """
    offers, customers = Offer.__table__, Customer.__table__
    window = (offers.c.at >= since, offers.c.at < until)

    def by(key: Any) -> dict[str, dict[str, int]]:
        query = (
            select(key, offers.c.outcome, func.count())
            .select_from(offers.join(customers, customers.c.id == offers.c.customer_id))
            .where(*window)
            .group_by(key, offers.c.outcome)
        )
        return _grouped(connection.execute(query))

    reasons = by(offers.c.reason_code)
    operators = by(offers.c.by_user)
    segments = by(stats_segment_of(customers))
    totals: dict[str, int] = {}
    for counts in reasons.values():
        for outcome, n in counts.items():
            totals[outcome] = totals.get(outcome, 0) + n
    rule_names = _rule_names(connection, reasons)
    by_reason = []
    for code, counts in sorted(reasons.items()):
        entry: dict[str, Any] = {"reason_code": code, "rule_id": None, "rule_name": None}
        if code in rule_names:
            entry["rule_id"], entry["rule_name"] = rule_names[code]
        by_reason.append(entry | _row(counts))
    return {
        "since": since,
        "until": until,
        "total": _row(totals),
        "by_reason": by_reason,
        "by_operator": [{"operator": k} | _row(v) for k, v in sorted(operators.items())],
        "by_segment": [{"segment": k} | _row(v) for k, v in sorted(segments.items())],
    }


def _rule_names(
    connection: Connection, reasons: dict[str, dict[str, int]]
) -> dict[str, tuple[uuid.UUID, str]]:
    ids = {}
    for code in reasons:
        if code.startswith(RULE_PREFIX):
            try:
                ids[uuid.UUID(code[len(RULE_PREFIX) :])] = code
            except ValueError:
                continue
    if not ids:
        return {}
    rules = RuleRow.__table__
    rows = connection.execute(select(rules.c.id, rules.c.name).where(rules.c.id.in_(list(ids))))
    return {ids[rule_id]: (rule_id, name) for rule_id, name in rows}
