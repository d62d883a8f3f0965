"""The assist panel's offers for the card on screen, ranked offline from the cache.

The same engine as the server's (:func:`domain.upsell.suggest_offers`), fed from the
local cache: the synced catalogue, the admin's upsell rules, the refit's learned
acceptance rates (``upsell_stats``), the customer's last answered survey and recent
offers. Reasons are written in the operator's language; the phrase to say in the
customer's. Blocking SQLite reads: run :func:`advise` on the DB worker thread.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.engine import Engine

from operator_app.cache.upsell_reads import load_upsell_inputs
from operator_app.domain.entities import Conversation, CustomerCard
from operator_app.domain.upsell import (
    DEFAULT_POLICY,
    CustomerContext,
    ProactiveWarning,
    Suggestion,
    Suppression,
    UpsellPolicy,
    UpsellResult,
    suggest_offers,
)


@dataclass(frozen=True, slots=True)
class OfferAdvice:
    customer_id: uuid.UUID
    suggestions: tuple[Suggestion, ...]  # best first; ``phrase`` in the customer's language
    warnings: tuple[ProactiveWarning, ...]
    suppressed: tuple[Suppression, ...]  # why there are no (more) offers, if so

    @staticmethod
    def key(suggestion: Suggestion) -> tuple[uuid.UUID, str]:
        """What identifies one offer on the panel across refreshes."""
        return (suggestion.product_id, suggestion.reason_code)


def current_contact(card: CustomerCard) -> Conversation | None:
    """The contact being handled: the latest of the customer's open conversations."""
    return max(card.open_conversations, key=lambda c: (c.opened_at, c.id), default=None)


def advise(
    engine: Engine,
    card: CustomerCard,
    now: datetime,
    *,
    operator_lang: str = "en",
    policy: UpsellPolicy = DEFAULT_POLICY,
) -> OfferAdvice:
    customer = card.customer
    inputs = load_upsell_inputs(engine, customer.id, now)
    context = CustomerContext.from_card(
        card,
        now=now,
        contact=current_contact(card),
        last_survey=inputs.last_survey,
        recent_offers=inputs.recent_offers,
    )

    def run(lang: str) -> UpsellResult:
        return suggest_offers(
            context,
            inputs.catalogue,
            rules=inputs.rules,
            stats=inputs.stats,
            co_purchases=inputs.co_purchases,
            policy=policy,
            lang=lang,
        )

    result = run(operator_lang)
    suggestions = result.suggestions
    if suggestions and customer.language != operator_lang:
        said = {OfferAdvice.key(s): s.phrase for s in run(customer.language).suggestions}
        suggestions = tuple(
            replace(s, phrase=said.get(OfferAdvice.key(s), s.phrase)) for s in suggestions
        )
    return OfferAdvice(customer.id, suggestions, result.warnings, result.suppressed)
