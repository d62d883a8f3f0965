"""What the assist panel needs, besides the card, to rank offers offline: the catalogue,
the admin's rules, the learned acceptance rates and bought-together pairs (the synced
``upsell_stats`` row), the customer's last answered survey and recent offers.

Blocking SQLite reads: call on the DB worker thread.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from operator_app.cache import mapping
from operator_app.cache.types import to_micros
from operator_app.domain.entities import Offer, Survey
from operator_app.domain.enums import Channel, OfferOutcome, SurveyKind
from operator_app.domain.upsell import (
    NO_CO_PURCHASES,
    NO_STATS,
    AcceptanceStats,
    Catalogue,
    CatalogueItem,
    CoPurchaseStats,
    UpsellRule,
)

log = logging.getLogger(__name__)

# Offers older than this cannot block a product any more (longest cooldown is 90 days
# by default); a generous window keeps admins' longer cooldowns working too.
RECENT_OFFER_DAYS = 400
RECENT_OFFER_LIMIT = 200


@dataclass(frozen=True)
class UpsellInputs:
    catalogue: Catalogue
    rules: tuple[UpsellRule, ...] = ()
    stats: AcceptanceStats = NO_STATS
    co_purchases: CoPurchaseStats = NO_CO_PURCHASES
    last_survey: Survey | None = None
    recent_offers: tuple[Offer, ...] = field(default=())


def _json(value: Any) -> Any:
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _catalogue(conn: Any) -> Catalogue:
    items = [
        CatalogueItem(
            product_id=mapping.as_uuid(pid),
            name=name or "",
            category=category or "",
            price=mapping.as_money(price),
            successor_id=mapping.as_optional_uuid(successor),
        )
        for pid, name, category, price, successor in conn.exec_driver_sql(
            "SELECT id, name, category, price, successor_id FROM products"
        )
    ]
    return Catalogue(items)


def _rules(conn: Any) -> Iterator[UpsellRule]:
    for rid, name, definition in conn.exec_driver_sql(
        "SELECT id, name, definition FROM upsell_rules WHERE enabled"
    ):
        try:
            yield UpsellRule.from_definition(
                mapping.as_uuid(rid), name, True, _json(definition) or {}
            )
        except (ValueError, TypeError, KeyError) as exc:
            # A rule this version cannot read must not take the whole panel down.
            log.warning("skipping upsell rule %r: %s", str(name)[:80], exc)


def _learning(conn: Any) -> tuple[AcceptanceStats, CoPurchaseStats]:
    row = conn.exec_driver_sql(
        "SELECT acceptance, co_purchases FROM upsell_stats ORDER BY updated_at DESC LIMIT 1"
    ).first()
    if row is None:
        return NO_STATS, NO_CO_PURCHASES
    try:
        stats = AcceptanceStats.from_list(_json(row[0]) or [])
        pairs = CoPurchaseStats(
            (uuid.UUID(r["product_id"]), uuid.UUID(r["with_product_id"]), float(r["confidence"]))
            for r in _json(row[1]) or []
        )
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("ignoring unreadable upsell learning: %s", exc)
        return NO_STATS, NO_CO_PURCHASES
    return stats, pairs


def _last_survey(conn: Any, key: bytes) -> Survey | None:
    row = conn.exec_driver_sql(
        "SELECT id, customer_id, conversation_id, kind, channel, sent_at, score, comment, "
        "answered_at FROM surveys WHERE customer_id = ? AND score IS NOT NULL "
        "ORDER BY coalesce(answered_at, sent_at) DESC, id DESC LIMIT 1",
        (key,),
    ).first()
    if row is None:
        return None
    try:
        kind = SurveyKind(row[3])
    except ValueError:
        return None  # a survey kind this version does not know cannot be judged
    return Survey(
        id=mapping.as_uuid(row[0]),
        customer_id=mapping.as_uuid(row[1]),
        conversation_id=mapping.as_optional_uuid(row[2]),
        kind=kind,
        channel=mapping.as_enum(Channel, row[4], Channel.OTHER),
        sent_at=mapping.as_datetime(row[5]),
        score=row[6],
        comment=row[7] or "",
        answered_at=mapping.as_optional_datetime(row[8]),
    )


def _recent_offers(conn: Any, key: bytes, now: datetime) -> tuple[Offer, ...]:
    since = to_micros(now - timedelta(days=RECENT_OFFER_DAYS))
    offers = []
    for row in conn.exec_driver_sql(
        "SELECT id, customer_id, product_id, reason_code, explanation, score, outcome, "
        "outcome_reason, by_user, at FROM offers WHERE customer_id = ? AND at >= ? "
        "ORDER BY at DESC, id DESC LIMIT ?",
        (key, since, RECENT_OFFER_LIMIT),
    ):
        offers.append(
            Offer(
                id=mapping.as_uuid(row[0]),
                customer_id=mapping.as_uuid(row[1]),
                product_id=mapping.as_optional_uuid(row[2]),
                reason_code=row[3],
                explanation=row[4] or "",
                score=float(row[5] or 0.0),
                outcome=mapping.as_enum(OfferOutcome, row[6], OfferOutcome.SHOWN),
                outcome_reason=row[7] or "",
                by_user=row[8] or "",
                at=mapping.as_datetime(row[9]),
            )
        )
    return tuple(offers)


def load_upsell_inputs(engine: Engine, customer_id: uuid.UUID, now: datetime) -> UpsellInputs:
    key = customer_id.bytes
    with engine.connect() as conn:
        catalogue = _catalogue(conn)
        rules = tuple(_rules(conn))
        stats, pairs = _learning(conn)
        survey = _last_survey(conn, key)
        offers = _recent_offers(conn, key, now)
    return UpsellInputs(catalogue, rules, stats, pairs, survey, offers)
