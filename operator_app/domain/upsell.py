"""Next-best offer at the point of contact: which products to suggest, why, and what to say.

Pure and stdlib-only, so the client ranks offline from its cache and the server ranks
the same way. One call per card::

    result = suggest_offers(context, catalogue, rules=rules, stats=stats, lang="ru")
    result.suggestions  # at most policy.max_offers_per_contact, best first
    result.warnings     # warranty/support/subscription expiring, birthday, anniversary
    result.suppressed   # why offers are withheld, if they are

How it decides
--------------
1. **Hard rules first** (nothing can outrank them). No offers at all when the
   customer has no marketing consent, has an open complaint, gave a low CSAT/NPS/CES
   score (per :func:`metrics.is_low_score` and the policy's thresholds) in the last
   ``low_score_quiet_days``, or when this contact is an unresolved complaint. At most
   ``max_offers_per_contact`` offers per contact, counting offers already answered in
   it. A product is not offered again within ``decline_cooldown_days`` of being
   declined (or accepted), nor within ``not_now_cooldown_days`` of "not now", nor
   twice in one contact; nor is a product the customer already has.
2. **Signals** (:mod:`upsell_signals`) propose products: an ageing product or plan
   with a newer generation, coverage expiring or just expired, an abandoned cart,
   products often bought together with a recent purchase, birthday/anniversary, and
   the admin's rules.
3. **Rank** by expected value = P(accept) × margin, with P(accept) learned per
   (reason, segment) (:mod:`upsell_learning`). One suggestion per product (its best
   reason); ties broken by a stable key, so the same situation always gives the same
   list whatever the order of the inputs.

Warnings are service information and are returned even when offers are suppressed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from operator_app.domain import upsell_signals as signals
from operator_app.domain import upsell_texts as texts
from operator_app.domain.enums import ConversationStatus, OfferOutcome
from operator_app.domain.metrics import is_low_score
from operator_app.domain.text import fold
from operator_app.domain.upsell_inputs import (
    Catalogue,
    CatalogueItem,
    CoPurchaseStats,
    CustomerContext,
    UpsellRule,
)
from operator_app.domain.upsell_learning import NO_STATS, AcceptanceStats, OutcomeCounts
from operator_app.domain.upsell_policy import (
    DEFAULT_POLICY,
    ReasonCode,
    Suppression,
    UpsellPolicy,
    WarningKind,
    rule_reason_code,
)
from operator_app.domain.upsell_signals import Candidate, ProactiveWarning
from operator_app.domain.upsell_texts import suppression_text

__all__ = [
    "DEFAULT_POLICY",
    "NO_CO_PURCHASES",
    "NO_STATS",
    "AcceptanceStats",
    "Catalogue",
    "CatalogueItem",
    "CoPurchaseStats",
    "CustomerContext",
    "OutcomeCounts",
    "ProactiveWarning",
    "ReasonCode",
    "Suggestion",
    "Suppression",
    "UpsellPolicy",
    "UpsellResult",
    "UpsellRule",
    "WarningKind",
    "rule_reason_code",
    "suggest_offers",
    "suppression_text",
]

NO_CO_PURCHASES = CoPurchaseStats()

# Among equal expected values, the more time-critical reason goes first.
_REASON_ORDER = {
    reason: rank
    for rank, reason in enumerate(
        [
            ReasonCode.COVERAGE_EXPIRING,
            ReasonCode.COVERAGE_EXPIRED,
            ReasonCode.ABANDONED_INTEREST,
            ReasonCode.RULE,
            ReasonCode.SUCCESSOR,
            ReasonCode.BOUGHT_TOGETHER,
            ReasonCode.BIRTHDAY,
            ReasonCode.ANNIVERSARY,
        ]
    )
}


# Coverage first (the customer may lose service), then occasions.
_WARNING_ORDER = {
    WarningKind.COVERAGE_EXPIRED: 0,
    WarningKind.COVERAGE_EXPIRING: 1,
    WarningKind.BIRTHDAY: 2,
    WarningKind.ANNIVERSARY: 3,
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    reason_code: str  # a ReasonCode value, or "rule:<id>" for an admin rule
    product_id: uuid.UUID
    title: str  # the product's name
    reason: str  # one line: why this, why now
    phrase: str  # what the operator can say
    expected_value: float  # p_accept × margin, in the catalogue's money
    p_accept: float
    rule_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class UpsellResult:
    suggestions: tuple[Suggestion, ...]
    warnings: tuple[ProactiveWarning, ...]
    suppressed: tuple[Suppression, ...] = ()  # empty unless offers were withheld


def suggest_offers(
    context: CustomerContext,
    catalogue: Catalogue,
    *,
    rules: Sequence[UpsellRule] = (),
    stats: AcceptanceStats = NO_STATS,
    co_purchases: CoPurchaseStats = NO_CO_PURCHASES,
    policy: UpsellPolicy = DEFAULT_POLICY,
    lang: str = "en",
) -> UpsellResult:
    """Rank offers for the customer on screen (see the module docstring for the rules)."""
    lang = texts.language(lang)
    held = signals.Holdings.of(context, policy)
    owned = held.products

    coverage_candidates, coverage_warnings = signals.coverage_signals(
        context, catalogue, held, policy, lang
    )
    occasion_candidates, occasion_warnings = signals.occasion_signals(
        context, catalogue, owned, policy, lang
    )
    warnings = tuple(
        sorted(
            coverage_warnings + occasion_warnings,
            key=lambda w: (_WARNING_ORDER[w.kind], w.days, w.text, str(w.product_id)),
        )
    )

    made_here = _offers_made_in_this_contact(context)
    suppressed = _suppressions(context, policy)
    budget = policy.max_offers_per_contact - len(made_here)
    if budget <= 0:
        suppressed.append(Suppression.OFFER_LIMIT_REACHED)
    if suppressed:
        return UpsellResult((), warnings, tuple(suppressed))

    candidates: list[Candidate] = [*coverage_candidates, *occasion_candidates]
    candidates += signals.successor_candidates(context, catalogue, held, owned, policy, lang)
    candidates += signals.interest_candidates(context, catalogue, policy, lang)
    candidates += signals.together_candidates(
        context, catalogue, co_purchases, held, owned, policy, lang
    )
    candidates += signals.rule_candidates(
        context, catalogue, sorted(rules, key=lambda r: r.id), owned, lang
    )

    blocked = _recently_answered(context, policy) | {o for o in made_here if o is not None}
    segment = context.stats_segment
    best: dict[uuid.UUID, tuple[tuple[object, ...], Suggestion]] = {}
    for candidate in candidates:
        product_id = candidate.item.product_id
        if product_id in blocked:
            continue
        suggestion = _score(candidate, segment, stats, policy)
        key = (
            -suggestion.expected_value,
            -suggestion.p_accept,
            _REASON_ORDER[candidate.reason],
            suggestion.reason_code,
            candidate.tiebreak,
            suggestion.reason,
        )
        if product_id not in best or key < best[product_id][0]:
            best[product_id] = (key, suggestion)
    ranked = sorted(best.values(), key=lambda pair: (pair[0], str(pair[1].product_id)))
    return UpsellResult(tuple(s for _, s in ranked[:budget]), warnings)


def _score(
    candidate: Candidate, segment: str, stats: AcceptanceStats, policy: UpsellPolicy
) -> Suggestion:
    rule = candidate.rule
    code = rule_reason_code(rule.id) if rule is not None else candidate.reason.value
    prior = policy.prior_mean(candidate.reason, rule.prior_accept_rate if rule else None)
    p_accept = stats.p_accept(code, segment, prior, policy.prior_strength)
    item = candidate.item
    if item.margin is not None:
        margin = float(item.margin)
    else:
        margin = float(item.price) * policy.default_margin_rate
    return Suggestion(
        reason_code=code,
        product_id=item.product_id,
        title=item.name,
        reason=candidate.reason_text,
        phrase=candidate.phrase,
        expected_value=p_accept * max(margin, 0.0),
        p_accept=p_accept,
        rule_id=rule.id if rule is not None else None,
    )


def _suppressions(context: CustomerContext, policy: UpsellPolicy) -> list[Suppression]:
    found: list[Suppression] = []
    if not context.marketing_consent:
        found.append(Suppression.NO_MARKETING_CONSENT)
    if context.open_complaints > 0:
        found.append(Suppression.OPEN_COMPLAINT)
    survey = context.last_survey
    if survey is not None and survey.score is not None:
        answered = survey.answered_at or survey.sent_at
        recent = context.now - answered <= timedelta(days=policy.low_score_quiet_days)
        if recent and is_low_score(survey.kind, survey.score, policy.low_score):
            found.append(Suppression.RECENT_LOW_SCORE)
    contact = context.contact
    if contact is not None and contact.status is not ConversationStatus.RESOLVED:
        topic = fold(contact.topic)
        if any(word in topic for word in policy.complaint_topics):
            found.append(Suppression.COMPLAINT_CONTACT)
    return found


def _offers_made_in_this_contact(context: CustomerContext) -> list[uuid.UUID | None]:
    """Products of offers answered during the current contact ("shown" ones are still on
    the panel and are re-ranked, so they do not use up the limit)."""
    contact = context.contact
    if contact is None:
        return []
    return [
        offer.product_id
        for offer in context.recent_offers
        if offer.at >= contact.opened_at and offer.outcome is not OfferOutcome.SHOWN
    ]


def _recently_answered(context: CustomerContext, policy: UpsellPolicy) -> set[uuid.UUID]:
    """Products declined/accepted within decline_cooldown_days or deferred ("not now")
    within not_now_cooldown_days: not offered again yet."""
    blocked: set[uuid.UUID] = set()
    for offer in context.recent_offers:
        if offer.product_id is None:
            continue
        if offer.outcome is OfferOutcome.NOT_NOW:
            cooldown = policy.not_now_cooldown_days
        elif offer.outcome in (OfferOutcome.DECLINED, OfferOutcome.ACCEPTED):
            cooldown = policy.decline_cooldown_days
        else:
            continue
        if context.now - offer.at <= timedelta(days=cooldown):
            blocked.add(offer.product_id)
    return blocked
