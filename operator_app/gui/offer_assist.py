"""Offers on the assist panel: ranked on the DB thread whenever the card is (re)loaded,
answered through the outbox, so it all works offline and reaches the server once.

Accept / Not now / Decline each record one offer row (``entity offer``, append-only on
the server; an accepted product offer becomes a lead there). The cache has the row at
once, so the refreshed list already leaves the answered product out (the domain's
cooldowns), and the pending count grows until the server has it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt

from operator_app.domain.entities import CustomerCard
from operator_app.domain.upsell import Suggestion
from operator_app.gui.i18n import translate
from operator_app.gui.widgets.formatting import display_locale
from operator_app.services.offer_advice import OfferAdvice, advise

if TYPE_CHECKING:
    from collections.abc import Callable

    from operator_app.gui.main_window import MainWindow


def operator_language() -> str:
    return "ru" if display_locale().language() == QLocale.Language.Russian else "en"


class OfferAssist(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.card: CustomerCard | None = None
        self.advice: OfferAdvice | None = None
        window.assist.offers.answered.connect(self.answer)

    def ranker(self) -> Callable[[CustomerCard], OfferAdvice]:
        """Ranks a card's offers in the DB thread (time and language fixed now)."""
        engine = self.window.ctx.engine
        now = datetime.now(UTC)
        lang = operator_language()
        return lambda card: advise(engine, card, now, operator_lang=lang)

    def refresh(self, card: CustomerCard, advice: object = None) -> None:
        """Rank offers for ``card`` off the GUI thread; the panel shows them when ready.
        ``advice`` already ranked (a screen pop reads it with the card) is shown at once."""
        self.card = card
        if isinstance(advice, OfferAdvice):
            self.window.db.cancel("offers")
            self._show(card, advice)
            return
        rank = self.ranker()
        self.window.db.submit(
            lambda: rank(card),
            lambda advice: self._show(card, advice),
            channel="offers",
        )

    def _show(self, card: CustomerCard, advice: object) -> None:
        if (
            not isinstance(advice, OfferAdvice)
            or self.window.current_customer_id != card.customer.id
        ):
            return
        self.advice = advice
        self.window.assist.show_advice(advice, card.customer.value.currency, self.why_not())

    def why_not(self) -> str:
        if self.window.sync.controller is None:
            return translate(
                "AssistPanel",
                "Sign in to a server (File › Sign in…) to record the customer's answers.",
            )
        return ""

    def answerable_changed(self) -> None:
        if self.card is not None and self.advice is not None:
            self._show(self.card, self.advice)

    def _retry(self, card: CustomerCard) -> None:
        if self.card is not None and self.card.customer.id == card.customer.id:
            self.refresh(self.card)

    def answer(self, suggestion: Suggestion, outcome: str, reason: str) -> None:
        card = self.card
        controller = self.window.sync.controller
        if card is None or controller is None:
            return
        # If the answer cannot be saved (the status bar says why), the offers come back
        # with their buttons on, so the operator can try again.
        controller.action_failed.connect(
            lambda _message: self._retry(card), Qt.ConnectionType.SingleShotConnection
        )
        controller.record_offer(
            card.customer.id,
            {
                "product_id": suggestion.product_id,
                "reason_code": suggestion.reason_code,
                "explanation": suggestion.reason,
                "score": round(suggestion.expected_value, 2),
                "outcome": outcome,
                "outcome_reason": reason,
            },
        )
