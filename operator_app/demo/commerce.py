"""What a demo customer buys: orders and lines, coverages, interests, offers.

Purchases follow the "buy till you die" story the CLV models assume (BG/NBD with
Gamma-Gamma spend), so the analytics have something true to recover:

* each customer buys at their own rate λ ~ Gamma(shape 0.9, scale 1.3) per year, the
  first purchase on the day they became a customer, then at exponential intervals;
* after every repeat purchase they leave for good with their own probability
  p ~ Beta(1.2, 3.0);
* their typical order value is 1/ν-scaled: ν ~ Gamma(4, 1/15 000), each order's target
  value ~ Gamma(3, 1/ν) (mean 15 000 RUB, a long tail of big spenders); the order is
  then filled from what the shop sold that month.
"""

from __future__ import annotations

import bisect
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from operator_app.demo.catalog import ProductKind
from operator_app.demo.texts import OFFER_DECLINE_REASONS, OFFER_REASONS
from operator_app.demo.world import DAY, MONTH, YEAR, Product, Row, World, to_date, to_datetime
from operator_app.domain.enums import (
    Channel,
    CoverageKind,
    InterestStage,
    OfferOutcome,
    OrderStatus,
)

BUYER_SHARE = 0.88
RATE_SHAPE, RATE_SCALE = 0.9, 1.3
DROPOUT_A, DROPOUT_B = 1.2, 3.0
SPEND_P, SPEND_Q, SPEND_GAMMA = 3.0, 4.0, 15_000.0
MAX_ORDERS = 60
WARRANTY_MIN_PRICE = Decimal(3000)

T = TypeVar("T")

_COVERAGE_KIND = {
    ProductKind.DEVICE: CoverageKind.WARRANTY,
    ProductKind.PLAN: CoverageKind.SUBSCRIPTION,
    ProductKind.SUPPORT: CoverageKind.SUPPORT,
}
_PHYSICAL = (ProductKind.DEVICE, ProductKind.ACCESSORY)
_INTEREST_STAGES = (
    (InterestStage.VIEWED, 35),
    (InterestStage.CART, 10),
    (InterestStage.ABANDONED, 22),
    (InterestStage.WON, 13),
    (InterestStage.LOST, 20),
)
_OFFER_OUTCOMES = (
    (OfferOutcome.SHOWN, 15),
    (OfferOutcome.ACCEPTED, 20),
    (OfferOutcome.NOT_NOW, 35),
    (OfferOutcome.DECLINED, 30),
)


class Weighted(Generic[T]):
    """Values with weights, drawn by one uniform number in O(log n)."""

    __slots__ = ("_edges", "_last", "_values")

    def __init__(self, pairs: Sequence[tuple[T, int]]) -> None:
        total = sum(weight for _, weight in pairs)
        self._values = tuple(value for value, _ in pairs)
        self._edges = list(itertools.accumulate(weight / total for _, weight in pairs))
        self._last = len(self._values) - 1

    def pick(self, u: float) -> T:
        return self._values[min(bisect.bisect_right(self._edges, u), self._last)]


def cumulative(pairs: Sequence[tuple[T, int]]) -> Weighted[T]:
    return Weighted(pairs)


def pick(table: Weighted[T], u: float) -> T:
    """The value of ``table`` that the uniform number ``u`` (0 ≤ u < 1) falls on."""
    return table.pick(u)


INTEREST_STAGES = cumulative(_INTEREST_STAGES)
OFFER_OUTCOMES = cumulative(_OFFER_OUTCOMES)


@dataclass(slots=True)
class OrderFact:
    id: uuid.UUID
    number: str
    ts: int
    main: Product  # the first line: what the order is "about"
    physical: bool  # something was shipped (a device or an accessory)


@dataclass(slots=True)
class CoverageFact:
    contract_number: str
    product: Product
    kind: CoverageKind
    ends_ts: int


@dataclass(slots=True)
class CustomerFacts:
    """What the later steps need to know about the customer being generated."""

    id: uuid.UUID
    language: str
    since_ts: int
    origin: Channel = Channel.PHONE
    dropout_ts: int | None = None
    orders: list[OrderFact] = field(default_factory=list)
    owned: list[tuple[Product, int]] = field(default_factory=list)
    coverages: list[CoverageFact] = field(default_factory=list)
    abandoned: list[Product] = field(default_factory=list)
    paid: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    last_activity_ts: int = 0


def add_orders(world: World, facts: CustomerFacts, rows: dict[str, list[Row]]) -> None:
    rng, rnd = world.rng, world.rnd
    facts.last_activity_ts = facts.since_ts
    if rnd() >= BUYER_SHARE:
        return
    rate = max(rng.gammavariate(RATE_SHAPE, RATE_SCALE), 0.02)
    dropout = rng.betavariate(DROPOUT_A, DROPOUT_B)
    nu = rng.gammavariate(SPEND_Q, 1 / SPEND_GAMMA)
    now = world.now_ts
    t = facts.since_ts
    times = [t]
    while len(times) < MAX_ORDERS:
        t += int(rng.expovariate(rate) * YEAR) + 3600
        if t >= now:
            break
        times.append(t)
        if rnd() < dropout:
            facts.dropout_ts = t
            break
    for ts in times:
        _order(world, facts, ts, rng.gammavariate(SPEND_P, 1 / nu), rows)
    facts.last_activity_ts = times[-1]


def _order(
    world: World, facts: CustomerFacts, ts: int, budget: float, rows: dict[str, list[Row]]
) -> None:
    rnd = world.rnd
    main = world.pick_for_budget(ts, budget)
    lines: list[tuple[Product, int]] = [(main, 1)]
    remaining = budget - float(main.item.price)
    while len(lines) < 4 and remaining > 500 and rnd() < 0.45:
        extra = world.pick_for_budget(ts, remaining)
        lines.append((extra, 2 if extra.kind is ProductKind.ACCESSORY and rnd() < 0.2 else 1))
        remaining -= float(extra.item.price)
    extension_months = 0
    if main.kind is ProductKind.DEVICE and main.item.price >= 15_000 and rnd() < 0.15:
        extension = world.extensions[0 if rnd() < 0.6 else 1]
        lines.append((extension, 1))
        extension_months = extension.item.extension_months
    amount = sum((p.item.price * q for p, q in lines), Decimal(0))

    age = world.now_ts - ts
    u = rnd()
    if age < 5 * DAY and u < 0.35:
        status = OrderStatus.PENDING
    elif u < 0.04:
        status = OrderStatus.CANCELLED
    elif u < 0.08 and facts.paid - facts.refunded >= amount:
        # Only a customer who has paid at least this much can be refunded it: the
        # historical value (paid − refunded) never goes below zero.
        status = OrderStatus.REFUNDED
    else:
        status = OrderStatus.PAID
    if status is OrderStatus.PAID:
        facts.paid += amount
    elif status is OrderStatus.REFUNDED:
        facts.refunded += amount

    order_id = world.new_id()
    number = world.next_order_number()
    ordered_at = to_datetime(ts)
    rows["order"].append(
        {
            "id": order_id,
            "customer_id": facts.id,
            "number": number,
            "ordered_at": ordered_at,
            "amount": amount,
            "currency": "RUB",
            "status": str(status),
            "version": 1,
            "updated_at": ordered_at,
        }
    )
    line_rows = rows["order_line"]
    new_id = world.new_id
    for product, quantity in lines:
        line_rows.append(
            {
                "id": new_id(),
                "order_id": order_id,
                "product_id": product.id,
                "quantity": quantity,
                "amount": product.item.price * quantity,
            }
        )
    physical = next((p for p, _ in lines if p.kind in _PHYSICAL), None)
    facts.orders.append(OrderFact(order_id, number, ts, physical or main, physical is not None))
    if status in (OrderStatus.PAID, OrderStatus.PENDING):
        for product, _ in lines:
            if product.kind is not ProductKind.WARRANTY_EXTENSION:
                facts.owned.append((product, ts))
            _coverage(world, facts, product, ts, extension_months, rows)


def _coverage(
    world: World,
    facts: CustomerFacts,
    product: Product,
    ts: int,
    extension_months: int,
    rows: dict[str, list[Row]],
) -> None:
    kind = _COVERAGE_KIND.get(product.kind)
    if kind is None or (kind is CoverageKind.WARRANTY and product.item.price < WARRANTY_MIN_PRICE):
        return
    if kind is CoverageKind.WARRANTY:
        ends = ts + (12 + extension_months) * MONTH
        auto_renew = False
    else:
        ends = ts + YEAR
        auto_renew = world.rnd() < 0.65
        if auto_renew:
            # Renewed every year while the customer stays; someone who left lets it lapse.
            stop = world.now_ts if facts.dropout_ts is None else facts.dropout_ts + YEAR
            while ends < stop:
                ends += YEAR
            if ends < world.now_ts:
                auto_renew = False
    number = world.next_contract_number()
    rows["coverage"].append(
        {
            "id": world.new_id(),
            "customer_id": facts.id,
            "product_id": product.id,
            "kind": str(kind),
            "contract_number": number,
            "starts": to_date(ts),
            "ends": to_date(ends),
            "auto_renew": auto_renew,
            "version": 1,
            "updated_at": to_datetime(min(ts, world.now_ts)),
        }
    )
    facts.coverages.append(CoverageFact(number, product, kind, ends))


def add_interests(world: World, facts: CustomerFacts, rows: dict[str, list[Row]]) -> None:
    rnd = world.rnd
    if rnd() < 0.55:
        return
    now = world.now_ts
    latest = now if facts.dropout_ts is None else min(now, facts.dropout_ts + 90 * DAY)
    _, on_sale = world.shelf(latest)
    for _ in range(1 + int(rnd() * 3)):
        product = None
        if facts.owned and rnd() < 0.5:
            owned = facts.owned[int(rnd() * len(facts.owned))][0]
            product = owned.successor
        if product is None:
            product = on_sale[int(rnd() * len(on_sale))]
        stage = pick(INTEREST_STAGES, rnd())
        if stage is InterestStage.VIEWED:
            ago = rnd() * 60 * DAY
        elif stage is InterestStage.CART:
            ago = rnd() * 7 * DAY
        elif stage is InterestStage.ABANDONED:
            ago = 3600 + rnd() * 30 * DAY
        else:
            ago = 7 * DAY + rnd() * 700 * DAY
        ts = max(int(latest - ago), facts.since_ts)
        if stage is InterestStage.ABANDONED:
            facts.abandoned.append(product)
        rows["interest"].append(
            {
                "id": world.new_id(),
                "customer_id": facts.id,
                "product_id": product.id,
                "stage": str(stage),
                "last_activity_at": to_datetime(ts),
                "version": 1,
                "updated_at": to_datetime(ts),
            }
        )


def add_offers(
    world: World, facts: CustomerFacts, operators: tuple[str, ...], rows: dict[str, list[Row]]
) -> None:
    rnd = world.rnd
    if not facts.owned or rnd() >= 0.4:
        return
    lang = facts.language
    now = world.now_ts
    for _ in range(1 + (rnd() < 0.3)):
        choice = _offer_choice(world, facts)
        if choice is None:
            return
        reason, offered, owned, earliest = choice
        earliest = max(earliest, now - 2 * YEAR, facts.since_ts)
        if earliest > now:
            continue
        at = int(earliest + rnd() * max(now - earliest, 0))
        outcome = pick(OFFER_OUTCOMES, rnd())
        months = max(1, (at - owned[1]) // MONTH) if owned else 0
        explanation = OFFER_REASONS[reason][lang].format(
            product=offered.name, owned=owned[0].name if owned else "", months=months
        )
        outcome_reason = ""
        if outcome is OfferOutcome.DECLINED or (outcome is OfferOutcome.NOT_NOW and rnd() < 0.5):
            choices = OFFER_DECLINE_REASONS[lang]
            outcome_reason = choices[int(rnd() * len(choices))]
        rows["offer"].append(
            {
                "id": world.new_id(),
                "customer_id": facts.id,
                "product_id": offered.id,
                "reason_code": reason,
                "explanation": explanation,
                "score": round(0.35 + rnd() * 0.6, 2),
                "outcome": str(outcome),
                "outcome_reason": outcome_reason,
                "by_user": operators[int(rnd() * len(operators))],
                "at": to_datetime(at),
                "version": 1,
                "updated_at": to_datetime(at),
            }
        )


def _offer_choice(
    world: World, facts: CustomerFacts
) -> tuple[str, Product, tuple[Product, int] | None, int] | None:
    """(reason code, offered product, (owned product, bought at), earliest time) or None."""
    rnd = world.rnd
    owned = facts.owned[int(rnd() * len(facts.owned))]
    product, bought = owned
    u = rnd()
    if product.successor is not None and u < 0.5:
        return (
            "successor_available",
            product.successor,
            owned,
            max(bought, product.successor.released_ts),
        )
    if facts.abandoned and u < 0.65:
        return "abandoned_cart", facts.abandoned[0], None, world.now_ts - 20 * DAY
    if product.kind is ProductKind.DEVICE:
        if product.item.price >= 15_000 and u < 0.8:
            # Offered while the standard warranty is about to run out.
            extension = world.extensions[int(rnd() * len(world.extensions))]
            return "coverage_expiring", extension, owned, bought + 11 * MONTH
        accessory = world.accessories[int(rnd() * len(world.accessories))]
        return "accessory_for_device", accessory, owned, bought
    if product.successor is not None:
        return (
            "successor_available",
            product.successor,
            owned,
            max(bought, product.successor.released_ts),
        )
    return None
