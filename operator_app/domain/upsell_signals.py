"""Signals: what in the customer's history suggests which product, and proactive warnings.

Each signal yields candidates (a product plus the reason in one line and a phrase);
ranking, suppression and the offer limit live in :mod:`operator_app.domain.upsell`.
Nothing here depends on the order of the input sequences.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from operator_app.domain import upsell_texts as texts
from operator_app.domain.enums import CoverageKind, InterestStage, OrderStatus
from operator_app.domain.upsell_inputs import (
    Catalogue,
    CatalogueItem,
    CoPurchaseStats,
    CustomerContext,
    UpsellRule,
)
from operator_app.domain.upsell_policy import ReasonCode, UpsellPolicy, WarningKind

# Orders that mean "the customer has this" (a pending order is on its way).
_HOLDING_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.PENDING})


@dataclass(frozen=True, slots=True)
class ProactiveWarning:
    kind: WarningKind
    text: str
    product_id: uuid.UUID | None
    days: int  # until the event (negative: days since it happened)


@dataclass(frozen=True, slots=True)
class Candidate:
    reason: ReasonCode
    item: CatalogueItem
    reason_text: str
    phrase: str
    rule: UpsellRule | None = None
    # Orders otherwise equal candidates for one product, so the text shown is stable.
    tiebreak: tuple[str, ...] = ()


@dataclass(slots=True)
class Holdings:
    """What the customer has: products bought (latest date), plans, live coverage."""

    bought: dict[uuid.UUID, date] = field(default_factory=dict)
    bought_names: dict[uuid.UUID, str] = field(default_factory=dict)
    subscribed: dict[uuid.UUID, date] = field(default_factory=dict)
    covered: set[uuid.UUID] = field(default_factory=set)  # coverage not yet ended
    coverage_ends: dict[uuid.UUID, date] = field(default_factory=dict)  # latest end per product

    @property
    def products(self) -> set[uuid.UUID]:
        return set(self.bought) | set(self.subscribed) | self.covered

    @classmethod
    def of(cls, context: CustomerContext, policy: UpsellPolicy) -> Holdings:
        held = cls()
        today = context.today
        for order in context.orders:
            if order.status not in _HOLDING_STATUSES:
                continue
            day = order.ordered_at.date()
            for line in order.lines:
                if held.bought.get(line.product_id, date.min) < day:
                    held.bought[line.product_id] = day
                # one name per product whatever the order of the rows (names rarely differ)
                held.bought_names[line.product_id] = min(
                    held.bought_names.get(line.product_id, line.product_name), line.product_name
                )
        for coverage in context.coverages:
            pid = coverage.product_id
            if held.coverage_ends.get(pid, date.min) < coverage.ends:
                held.coverage_ends[pid] = coverage.ends
            if coverage.ends >= today:
                held.covered.add(pid)
            recent_plan = (today - coverage.ends).days <= policy.coverage_grace_days
            is_plan = coverage.kind is CoverageKind.SUBSCRIPTION
            if is_plan and recent_plan and held.subscribed.get(pid, date.min) < coverage.starts:
                held.subscribed[pid] = coverage.starts
        return held


def successor_candidates(
    context: CustomerContext,
    catalogue: Catalogue,
    held: Holdings,
    owned: set[uuid.UUID],
    policy: UpsellPolicy,
    lang: str,
) -> Iterator[Candidate]:
    """A product or plan held for ``ageing_months`` whose newer generation is on sale."""
    today = context.today
    sources: list[tuple[uuid.UUID, date, bool]] = [
        (pid, day, False) for pid, day in held.bought.items()
    ]
    sources += [(pid, day, True) for pid, day in held.subscribed.items()]
    for pid, since, is_plan in sources:
        newest = catalogue.newest_successor(pid)
        if newest is None or owned.intersection(catalogue.later_generations(pid)):
            continue
        if texts.months_between(since, today) < policy.ageing_months:
            continue
        current = catalogue.get(pid)
        name = current.name if current else held.bought_names.get(pid, "")
        span = texts.age(since, today, lang)
        yield Candidate(
            ReasonCode.SUCCESSOR,
            newest,
            texts.successor_reason(name, newest.name, span, is_plan, lang),
            texts.successor_phrase(name, newest.name, span, is_plan, lang),
            tiebreak=(since.isoformat(), str(pid)),
        )


def coverage_signals(
    context: CustomerContext,
    catalogue: Catalogue,
    held: Holdings,
    policy: UpsellPolicy,
    lang: str,
) -> tuple[list[Candidate], list[ProactiveWarning]]:
    """Coverage without auto-renewal ending within ``coverage_warning_days`` or ended in
    the last ``coverage_grace_days``, and not renewed by a later coverage."""
    candidates: list[Candidate] = []
    warnings: dict[tuple[WarningKind, uuid.UUID], ProactiveWarning] = {}
    today = context.today
    for coverage in context.coverages:
        days_left = (coverage.ends - today).days
        if coverage.auto_renew or not -policy.coverage_grace_days <= days_left <= (
            policy.coverage_warning_days
        ):
            continue
        if held.coverage_ends[coverage.product_id] > coverage.ends:
            continue  # already renewed
        expired = days_left < 0
        kind = WarningKind.COVERAGE_EXPIRED if expired else WarningKind.COVERAGE_EXPIRING
        name = coverage.product_name
        line = texts.coverage_line(coverage.kind, name, days_left, lang)
        warning = ProactiveWarning(kind, texts.sentence(line), coverage.product_id, days_left)
        key = (kind, coverage.product_id)
        if key not in warnings or (warning.days, warning.text) < (
            warnings[key].days,
            warnings[key].text,
        ):
            warnings[key] = warning
        offer = _renewal(catalogue, coverage.product_id, coverage.kind)
        if offer is None:
            continue
        renewed_on = held.bought.get(offer.product_id)
        if renewed_on is not None and renewed_on >= coverage.starts:
            continue  # the extension or newer plan was bought during this coverage
        reason = ReasonCode.COVERAGE_EXPIRED if expired else ReasonCode.COVERAGE_EXPIRING
        candidates.append(
            Candidate(
                reason,
                offer,
                line,
                texts.coverage_phrase(coverage.kind, name, offer.name, days_left, lang),
                tiebreak=(f"{days_left:+06d}", str(coverage.id)),
            )
        )
    return candidates, list(warnings.values())


def _renewal(
    catalogue: Catalogue, product_id: uuid.UUID, kind: CoverageKind
) -> CatalogueItem | None:
    """What renews a coverage: the product's renewal item; for plans and support, the
    newest generation of the plan itself. A warranty without a renewal item has none."""
    current = catalogue.get(product_id)
    if current is not None and current.renewal_id is not None:
        return catalogue.on_sale(current.renewal_id)
    if kind is CoverageKind.WARRANTY:
        return None
    return catalogue.newest_successor(product_id) or catalogue.on_sale(product_id)


def interest_candidates(
    context: CustomerContext, catalogue: Catalogue, policy: UpsellPolicy, lang: str
) -> Iterator[Candidate]:
    """A cart left or purchase abandoned in the last ``interest_days``, not bought since."""
    for interest in context.interests:
        if interest.stage not in (InterestStage.CART, InterestStage.ABANDONED):
            continue
        days = max((context.now - interest.last_activity_at).days, 0)
        if days > policy.interest_days:
            continue
        item = catalogue.on_sale(interest.product_id)
        if item is None or _bought_since(context, interest.product_id, interest.last_activity_at):
            continue
        in_cart = interest.stage is InterestStage.CART
        yield Candidate(
            ReasonCode.ABANDONED_INTEREST,
            item,
            texts.interest_reason(item.name, in_cart, days, lang),
            texts.interest_phrase(item.name, lang),
            tiebreak=(f"{days:06d}", str(interest.id)),
        )


def _bought_since(context: CustomerContext, product_id: uuid.UUID, moment: datetime) -> bool:
    return any(
        order.status in _HOLDING_STATUSES
        and order.ordered_at >= moment
        and any(line.product_id == product_id for line in order.lines)
        for order in context.orders
    )


def together_candidates(
    context: CustomerContext,
    catalogue: Catalogue,
    co_purchases: CoPurchaseStats,
    held: Holdings,
    owned: set[uuid.UUID],
    policy: UpsellPolicy,
    lang: str,
) -> Iterator[Candidate]:
    """Products often bought with something bought in the last ``bought_together_days``."""
    today = context.today
    for anchor_id, day in held.bought.items():
        if (today - day).days > policy.bought_together_days:
            continue
        anchor = catalogue.get(anchor_id)
        anchor_name = anchor.name if anchor else held.bought_names.get(anchor_id, "")
        for pair in co_purchases.with_product(anchor_id):
            if pair.confidence < policy.bought_together_min_confidence:
                break  # sorted by confidence, highest first
            item = catalogue.on_sale(pair.product_id)
            if item is None or item.product_id in owned:
                continue
            yield Candidate(
                ReasonCode.BOUGHT_TOGETHER,
                item,
                texts.together_reason(anchor_name, lang),
                texts.together_phrase(anchor_name, item.name, lang),
                tiebreak=(f"{1 - pair.confidence:.12f}", str(anchor_id)),
            )


def days_to_yearly(event: date, today: date) -> int:
    """Signed days from today to the nearest yearly recurrence of ``event`` (29 Feb falls
    on 28 Feb in other years): 3 = in three days, -2 = two days ago."""
    best: int | None = None
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            day = event.replace(year=year)
        except ValueError:
            day = date(year, 2, 28)
        delta = (day - today).days
        if best is None or abs(delta) < abs(best) or (abs(delta) == abs(best) and delta > best):
            best = delta
    assert best is not None
    return best


def occasion_signals(
    context: CustomerContext,
    catalogue: Catalogue,
    owned: set[uuid.UUID],
    policy: UpsellPolicy,
    lang: str,
) -> tuple[list[Candidate], list[ProactiveWarning]]:
    """Birthday and years-as-customer within ``occasion_days``: a note for the operator,
    and the policy's occasion offer if it has one."""
    today = context.today
    gift = catalogue.on_sale(policy.occasion_product_id)
    if gift is not None and gift.product_id in owned:
        gift = None
    candidates: list[Candidate] = []
    warnings: list[ProactiveWarning] = []
    if context.birthday is not None:
        away = days_to_yearly(context.birthday, today)
        if abs(away) <= policy.occasion_days:
            line = texts.birthday_line(away, lang)
            warnings.append(
                ProactiveWarning(WarningKind.BIRTHDAY, texts.sentence(line), None, away)
            )
            if gift is not None:
                phrase = texts.birthday_phrase(gift.name, lang)
                candidates.append(Candidate(ReasonCode.BIRTHDAY, gift, line, phrase))
    if context.customer_since is not None:
        away = days_to_yearly(context.customer_since, today)
        years = (today + timedelta(days=away)).year - context.customer_since.year
        if abs(away) <= policy.occasion_days and years >= 1:
            line = texts.anniversary_line(years, away, lang)
            warnings.append(
                ProactiveWarning(WarningKind.ANNIVERSARY, texts.sentence(line), None, away)
            )
            if gift is not None:
                candidates.append(
                    Candidate(
                        ReasonCode.ANNIVERSARY,
                        gift,
                        line,
                        texts.anniversary_phrase(years, gift.name, lang),
                    )
                )
    return candidates, warnings


def rule_candidates(
    context: CustomerContext,
    catalogue: Catalogue,
    rules: Sequence[UpsellRule],
    owned: set[uuid.UUID],
    lang: str,
) -> Iterator[Candidate]:
    """Enabled admin rules whose every condition holds."""
    categories = {item.category for pid in owned if (item := catalogue.get(pid)) is not None}
    channel = context.contact.channel if context.contact is not None else None
    for rule in rules:
        if not rule.enabled:
            continue
        if rule.segments and not (
            context.segment in rule.segments or context.value_segment in rule.segments
        ):
            continue
        if rule.tiers and context.tier not in rule.tiers:
            continue
        if rule.channels and channel not in rule.channels:
            continue
        if rule.owns_products and not (rule.owns_products & owned):
            continue
        if rule.owns_categories and not (rule.owns_categories & categories):
            continue
        item = catalogue.on_sale(rule.offer_product_id)
        if item is None or item.product_id in owned:
            continue
        yield Candidate(
            ReasonCode.RULE,
            item,
            rule.reason.strip() or rule.name,
            rule.script.strip() or texts.rule_phrase(item.name, lang),
            rule=rule,
            tiebreak=(str(rule.id),),
        )
