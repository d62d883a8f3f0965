"""What the upsell engine reads: the customer at this moment, the catalogue, admin rules.

The same inputs are built by the client (from its cache, offline) and by the server,
so they are plain immutable values made of the domain entities.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from operator_app.domain.entities import (
    Conversation,
    Coverage,
    CustomerCard,
    Interest,
    Offer,
    Order,
    Product,
    Survey,
)
from operator_app.domain.enums import Channel, Tier
from operator_app.domain.upsell_policy import _uuid

# --- catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    product_id: uuid.UUID
    name: str
    category: str
    price: Decimal
    margin: Decimal | None = None  # per sale; None: price × policy.default_margin_rate
    successor_id: uuid.UUID | None = None  # the next generation of this product
    renewal_id: uuid.UUID | None = None  # what renews/extends a coverage on this product
    on_sale: bool = True

    @classmethod
    def from_product(
        cls,
        product: Product,
        *,
        margin: Decimal | None = None,
        renewal_id: uuid.UUID | None = None,
        on_sale: bool = True,
    ) -> CatalogueItem:
        return cls(
            product.id,
            product.name,
            product.category,
            product.price,
            margin,
            product.successor_id,
            renewal_id,
            on_sale,
        )


class Catalogue:
    """Products by id, with each product's newest on-sale successor worked out once."""

    __slots__ = ("_items", "_newest")

    def __init__(self, items: Iterable[CatalogueItem]) -> None:
        self._items: dict[uuid.UUID, CatalogueItem] = {}
        for item in items:
            if item.product_id in self._items:
                raise ValueError(f"Product {item.product_id} appears twice in the catalogue")
            self._items[item.product_id] = item
        self._newest: dict[uuid.UUID, tuple[uuid.UUID, ...]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[CatalogueItem]:
        return iter(sorted(self._items.values(), key=lambda i: i.product_id))

    def get(self, product_id: uuid.UUID | None) -> CatalogueItem | None:
        return self._items.get(product_id) if product_id is not None else None

    def on_sale(self, product_id: uuid.UUID | None) -> CatalogueItem | None:
        item = self.get(product_id)
        return item if item is not None and item.on_sale else None

    def later_generations(self, product_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
        """Successor, its successor, … (stops at unknown products and at cycles)."""
        chain = self._newest.get(product_id)
        if chain is None:
            found: list[uuid.UUID] = []
            seen = {product_id}
            item = self._items.get(product_id)
            while item is not None and item.successor_id is not None:
                if item.successor_id in seen:
                    break  # a data error (A → B → A) must not hang the panel
                seen.add(item.successor_id)
                found.append(item.successor_id)
                item = self._items.get(item.successor_id)
            chain = self._newest[product_id] = tuple(found)
        return chain

    def newest_successor(self, product_id: uuid.UUID) -> CatalogueItem | None:
        """The newest later generation that is on sale, if any."""
        for successor_id in reversed(self.later_generations(product_id)):
            item = self.on_sale(successor_id)
            if item is not None:
                return item
        return None


@dataclass(frozen=True, slots=True)
class BoughtTogether:
    product_id: uuid.UUID
    confidence: float  # P(this product in a basket | the anchor product in it)


class CoPurchaseStats:
    """For each product, the products most often bought with it (computed on the server)."""

    __slots__ = ("_by_product",)

    def __init__(self, pairs: Iterable[tuple[uuid.UUID, uuid.UUID, float]] = ()) -> None:
        by_product: dict[uuid.UUID, list[BoughtTogether]] = {}
        for anchor, other, confidence in pairs:
            if not 0 <= confidence <= 1:
                raise ValueError(f"Co-purchase confidence must be in [0, 1], got {confidence!r}")
            if anchor != other:
                by_product.setdefault(anchor, []).append(BoughtTogether(other, confidence))
        self._by_product = {
            anchor: tuple(sorted(items, key=lambda b: (-b.confidence, b.product_id)))
            for anchor, items in by_product.items()
        }

    def with_product(self, product_id: uuid.UUID) -> tuple[BoughtTogether, ...]:
        return self._by_product.get(product_id, ())

    @classmethod
    def from_baskets(
        cls, baskets: Iterable[Iterable[uuid.UUID]], *, min_baskets: int = 5, top: int = 5
    ) -> CoPurchaseStats:
        """Confidence P(B | A) from baskets (one basket = the products of one order),
        keeping pairs seen in at least ``min_baskets`` baskets and the ``top`` per product."""
        single: Counter[uuid.UUID] = Counter()
        pair: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()
        for basket in baskets:
            products = sorted(set(basket))
            single.update(products)
            for i, a in enumerate(products):
                for b in products[i + 1 :]:
                    pair[a, b] += 1
        scored: dict[uuid.UUID, list[tuple[uuid.UUID, uuid.UUID, float]]] = {}
        for (a, b), count in pair.items():
            if count >= min_baskets:
                scored.setdefault(a, []).append((a, b, count / single[a]))
                scored.setdefault(b, []).append((b, a, count / single[b]))
        kept = []
        for rows in scored.values():
            kept.extend(sorted(rows, key=lambda row: (-row[2], row[1]))[:top])
        return cls(kept)


# --- admin rules -----------------------------------------------------------------------------


def _text_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v).strip() for v in value if str(v).strip())


_LIST_KEYS = ("segments", "tiers", "channels", "owns_products", "owns_categories")
_DEFINITION_KEYS = {"offer_product_id", "reason", "script", "prior_accept_rate", *_LIST_KEYS}


@dataclass(frozen=True, slots=True)
class UpsellRule:
    """An admin's rule: when every non-empty condition holds, offer ``offer_product_id``.

    Conditions (each a set; empty = any): ``segments`` (the customer's segment or value
    segment), ``tiers``, ``channels`` (of the current contact), ``owns_products`` and
    ``owns_categories`` (the customer bought or holds coverage on any of them).
    """

    id: uuid.UUID
    name: str
    offer_product_id: uuid.UUID
    reason: str = ""  # one line for the operator; the rule's name if empty
    script: str = ""  # what the operator can say; a generic line if empty
    enabled: bool = True
    segments: frozenset[str] = frozenset()
    tiers: frozenset[Tier] = frozenset()
    channels: frozenset[Channel] = frozenset()
    owns_products: frozenset[uuid.UUID] = frozenset()
    owns_categories: frozenset[str] = frozenset()
    prior_accept_rate: float | None = None  # the admin's guess until outcomes come in

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("An upsell rule needs a name")
        rate = self.prior_accept_rate
        if rate is not None and not (isinstance(rate, int | float) and 0 < rate < 1):
            raise ValueError(
                f"Rule {self.name!r}: prior acceptance rate must be between 0 and 1, got {rate!r}"
            )

    def to_definition(self) -> dict[str, Any]:
        """The JSON ``definition`` column of the rule (everything but id, name, enabled)."""
        return {
            "offer_product_id": str(self.offer_product_id),
            "reason": self.reason,
            "script": self.script,
            "segments": sorted(self.segments),
            "tiers": sorted(t.value for t in self.tiers),
            "channels": sorted(c.value for c in self.channels),
            "owns_products": sorted(str(p) for p in self.owns_products),
            "owns_categories": sorted(self.owns_categories),
            "prior_accept_rate": self.prior_accept_rate,
        }

    @classmethod
    def from_definition(
        cls, rule_id: uuid.UUID, name: str, enabled: bool, definition: dict[str, Any]
    ) -> UpsellRule:
        """Inverse of :meth:`to_definition`, with messages fit for the rules editor."""
        unknown = set(definition) - _DEFINITION_KEYS
        if unknown:
            raise ValueError(f"Rule {name!r}: unknown field(s) {', '.join(sorted(unknown))}")
        if not definition.get("offer_product_id"):
            raise ValueError(f"Rule {name!r}: choose the product to offer")
        for key in _LIST_KEYS:
            if not isinstance(definition.get(key, []), list | tuple):
                raise ValueError(f"Rule {name!r}: {key} must be a list")

        def enum_set(key: str, enum: type[Tier] | type[Channel]) -> frozenset[Any]:
            values = set()
            for raw in definition.get(key, ()):
                try:
                    values.add(enum(raw))
                except ValueError:
                    allowed = ", ".join(e.value for e in enum)
                    raise ValueError(
                        f"Rule {name!r}: unknown {key[:-1]} {raw!r} (one of: {allowed})"
                    ) from None
            return frozenset(values)

        return cls(
            id=rule_id,
            name=name,
            enabled=enabled,
            offer_product_id=_uuid("offer_product_id", definition["offer_product_id"]),
            reason=str(definition.get("reason", "")),
            script=str(definition.get("script", "")),
            segments=_text_set(definition.get("segments", ())),
            tiers=enum_set("tiers", Tier),
            channels=enum_set("channels", Channel),
            owns_products=frozenset(
                _uuid("owns_products", p) for p in definition.get("owns_products", ())
            ),
            owns_categories=_text_set(definition.get("owns_categories", ())),
            prior_accept_rate=definition.get("prior_accept_rate"),
        )


# --- the customer at the point of contact ----------------------------------------------------


def _aware(name: str, value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value.isoformat()}")


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """Everything the engine knows about the customer now. Sequences may come in any
    order (the result does not depend on it); datetimes must be timezone-aware."""

    customer_id: uuid.UUID
    now: datetime
    tier: Tier = Tier.STANDARD
    segment: str = ""  # business segment (consumer, small business, …)
    value_segment: str | None = None  # from the CLV refit: new/loyal/high_value/at_risk/lost
    marketing_consent: bool = False
    birthday: date | None = None
    customer_since: date | None = None
    orders: Sequence[Order] = ()
    coverages: Sequence[Coverage] = ()
    interests: Sequence[Interest] = ()
    last_survey: Survey | None = None
    open_complaints: int = 0
    contact: Conversation | None = None  # the contact being handled, if any
    recent_offers: Sequence[Offer] = ()

    def __post_init__(self) -> None:
        _aware("now", self.now)
        for order in self.orders:
            _aware(f"Order {order.number} ordered_at", order.ordered_at)
        for interest in self.interests:
            _aware("Interest last_activity_at", interest.last_activity_at)
        for offer in self.recent_offers:
            _aware("Offer at", offer.at)
        if self.last_survey is not None:
            _aware("Survey answered_at", self.last_survey.answered_at)
            _aware("Survey sent_at", self.last_survey.sent_at)
        if self.contact is not None:
            _aware("Contact opened_at", self.contact.opened_at)
        if self.open_complaints < 0:
            raise ValueError("open_complaints must be ≥ 0")

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def stats_segment(self) -> str:
        """The segment acceptance is learned per: the value segment, else the business one."""
        return self.value_segment or self.segment or "all"

    @classmethod
    def from_card(
        cls,
        card: CustomerCard,
        *,
        now: datetime,
        contact: Conversation | None = None,
        last_survey: Survey | None = None,
        recent_offers: Sequence[Offer] = (),
    ) -> CustomerContext:
        """The context of the card on screen (the assist panel's usual call)."""
        customer = card.customer
        return cls(
            customer_id=customer.id,
            now=now,
            tier=customer.tier,
            segment=customer.segment,
            value_segment=customer.value.segment,
            marketing_consent=customer.consent.marketing,
            birthday=customer.birthday,
            customer_since=customer.customer_since,
            orders=card.orders,
            coverages=card.coverages,
            interests=card.interests,
            last_survey=last_survey,
            open_complaints=customer.value.open_complaints,
            contact=contact,
            recent_offers=recent_offers,
        )
