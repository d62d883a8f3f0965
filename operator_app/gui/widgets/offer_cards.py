"""The assist panel's offers: at most three cards, each with the product, why it fits in
one line, a phrase the operator can say, the expected value, and Accept / Not now /
Decline. Decline opens a small inline form (a reason and optional details) — never a
modal dialog — so a call is never blocked and nothing typed is lost on a refresh.

Keyboard: Alt+1…3 focus an offer (the panel installs those shortcuts); on a focused
offer A accepts, N is "not now", D declines; Tab walks the buttons.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from operator_app.domain.enums import OfferOutcome
from operator_app.domain.upsell import Suggestion
from operator_app.gui.i18n import translate
from operator_app.gui.widgets import formatting as fmt
from operator_app.gui.widgets.flow_layout import FlowLayout

# Stored as the start of the outcome reason, so reports can group by it whatever the
# operator's language; details typed by the operator follow after ": ".
DECLINE_REASON_CODES = ("too_expensive", "not_interested", "already_has", "bad_timing", "other")
MAX_DETAILS = 500


def decline_reason_names() -> dict[str, str]:
    return {
        "too_expensive": translate("OfferCard", "Too expensive"),
        "not_interested": translate("OfferCard", "Not interested"),
        "already_has": translate("OfferCard", "Already has it or a similar one"),
        "bad_timing": translate("OfferCard", "Not the right moment"),
        "other": translate("OfferCard", "Other (say why)"),
    }


def offer_key(suggestion: Suggestion) -> tuple[uuid.UUID, str]:
    return (suggestion.product_id, suggestion.reason_code)


class OfferCard(QFrame):
    """One suggestion. ``answered(suggestion, outcome, reason)`` when the operator chose."""

    answered = Signal(object, str, str)

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion: Suggestion | None = None
        self.setProperty("cssClass", "offerCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(4)

        top = QHBoxLayout()
        top.setSpacing(8)
        self.title = QLabel(self)
        self.title.setProperty("cssClass", "offerTitle")
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.value = QLabel(self)
        self.value.setProperty("cssClass", "offerValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.value, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.reason = QLabel(self)
        self.reason.setProperty("cssClass", "muted")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.phrase = QLabel(self)
        self.phrase.setProperty("cssClass", "offerPhrase")
        self.phrase.setWordWrap(True)
        self.phrase.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phrase.setToolTip(translate("OfferCard", "What you can say to the customer"))
        layout.addWidget(self.phrase)

        # Buttons wrap onto a second line when the panel is narrow (nothing is cut off).
        button_row = QWidget(self)
        buttons = FlowLayout(button_row, spacing=4)
        buttons.setContentsMargins(0, 4, 0, 0)
        self.accept_button = QPushButton(translate("OfferCard", "Accept"), button_row)
        self.accept_button.setProperty("cssClass", "primary")
        self.not_now_button = QPushButton(translate("OfferCard", "Not now"), button_row)
        self.decline_button = QPushButton(translate("OfferCard", "Decline…"), button_row)
        for button in (self.accept_button, self.not_now_button, self.decline_button):
            button.setProperty("cssClass", button.property("cssClass") or "compact")
            buttons.addWidget(button)
        layout.addWidget(button_row)
        self.accept_button.clicked.connect(lambda: self._answer(OfferOutcome.ACCEPTED, ""))
        self.not_now_button.clicked.connect(lambda: self._answer(OfferOutcome.NOT_NOW, ""))
        self.decline_button.clicked.connect(self.open_decline_form)

        self.decline_form = QWidget(self)
        form = QVBoxLayout(self.decline_form)
        form.setContentsMargins(0, 4, 0, 0)
        form.setSpacing(4)
        self.reason_choice = QComboBox(self.decline_form)
        self.reason_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason_choice.setMinimumContentsLength(8)
        self.reason_choice.addItem(translate("OfferCard", "Why did the customer decline?"), "")
        for code, name in decline_reason_names().items():
            self.reason_choice.addItem(name, code)
        self.reason_choice.setAccessibleName(translate("OfferCard", "Decline reason"))
        form.addWidget(self.reason_choice)
        self.details = QLineEdit(self.decline_form)
        self.details.setMaxLength(MAX_DETAILS)
        self.details.setPlaceholderText(translate("OfferCard", "Details (optional)"))
        self.details.setAccessibleName(translate("OfferCard", "Decline details"))
        self.details.returnPressed.connect(self.confirm_decline)
        form.addWidget(self.details)
        self.decline_error = QLabel(self.decline_form)
        self.decline_error.setProperty("cssClass", "error")
        self.decline_error.setWordWrap(True)
        self.decline_error.hide()
        form.addWidget(self.decline_error)
        confirm_row = QWidget(self.decline_form)
        row = FlowLayout(confirm_row, spacing=6)
        self.confirm_button = QPushButton(translate("OfferCard", "Decline offer"), confirm_row)
        self.confirm_button.setProperty("cssClass", "compact")
        self.confirm_button.setToolTip(translate("OfferCard", "Record the decline (Enter)"))
        self.confirm_button.setAccessibleName(translate("OfferCard", "Confirm decline"))
        self.cancel_button = QPushButton(translate("OfferCard", "Cancel"), confirm_row)
        self.cancel_button.setProperty("cssClass", "compact")
        self.cancel_button.setToolTip(translate("OfferCard", "Keep the offer (Esc)"))
        self.cancel_button.setAccessibleName(translate("OfferCard", "Cancel decline"))
        row.addWidget(self.confirm_button)
        row.addWidget(self.cancel_button)
        form.addWidget(confirm_row)
        self.confirm_button.clicked.connect(self.confirm_decline)
        self.cancel_button.clicked.connect(self.close_decline_form)
        self.reason_choice.currentIndexChanged.connect(lambda _i: self.decline_error.hide())
        self.decline_form.hide()
        layout.addWidget(self.decline_form)
        for widget in (self.reason_choice, self.details, self.confirm_button, self.cancel_button):
            widget.installEventFilter(self)
        self.set_number(number)

    # -- content -----------------------------------------------------------------------

    def set_number(self, number: int) -> None:
        self.number = number
        keys = translate("OfferCard", "Alt+{n} focuses this offer").format(n=number)
        self.accept_button.setToolTip(
            translate("OfferCard", "The customer accepts: a lead goes to sales (A)") + f"\n{keys}"
        )
        self.not_now_button.setToolTip(
            translate("OfferCard", "Ask again another time (N)") + f"\n{keys}"
        )
        self.decline_button.setToolTip(
            translate("OfferCard", "The customer declines; say why (D)") + f"\n{keys}"
        )
        self._name_controls()

    def show_suggestion(self, suggestion: Suggestion, currency: str) -> None:
        self.suggestion = suggestion
        self.title.setText(suggestion.title)
        self.reason.setText(suggestion.reason)
        self.phrase.setText(translate("OfferCard", "“{phrase}”").format(phrase=suggestion.phrase))
        amount = Decimal(round(suggestion.expected_value))
        chance = fmt.percent(suggestion.p_accept)
        self.value.setText(
            translate("OfferCard", "≈ {amount}").format(amount=fmt.money(amount, currency))
        )
        self.value.setToolTip(
            translate(
                "OfferCard",
                "Expected value: the margin of a sale times the chance the customer says yes "
                "({chance}, learned from how customers like this one answered such offers).",
            ).format(chance=chance)
        )
        self._name_controls()

    def _name_controls(self) -> None:
        title = self.suggestion.title if self.suggestion is not None else ""
        self.setAccessibleName(
            translate("OfferCard", "Offer {n}: {title}").format(n=self.number, title=title)
        )
        if self.suggestion is not None:
            self.setAccessibleDescription(f"{self.suggestion.reason} {self.phrase.text()}")
        for button, text in (
            (self.accept_button, translate("OfferCard", "Accept offer {n}")),
            (self.not_now_button, translate("OfferCard", "Not now, offer {n}")),
            (self.decline_button, translate("OfferCard", "Decline offer {n}")),
        ):
            button.setAccessibleName(text.format(n=self.number))
        self.setToolTip(
            translate(
                "OfferCard", "A: accept · N: not now · D: decline · Alt+{n}: this offer"
            ).format(n=self.number)
        )

    def reset(self) -> None:
        """Back to a fresh card (no answer given, decline form closed and empty)."""
        self.decline_form.hide()
        self.decline_error.hide()
        self.reason_choice.setCurrentIndex(0)
        self.details.clear()
        for button in (self.accept_button, self.not_now_button, self.decline_button):
            button.setEnabled(True)

    # -- answering ---------------------------------------------------------------------

    def _answer(self, outcome: OfferOutcome, reason: str) -> None:
        if self.suggestion is None:
            return
        for button in (self.accept_button, self.not_now_button, self.decline_button):
            button.setEnabled(False)  # one answer per offer; the list refreshes next
        self.answered.emit(self.suggestion, outcome.value, reason)

    def set_answerable(self, enabled: bool, why_not: str = "") -> None:
        for button in (self.accept_button, self.not_now_button, self.decline_button):
            button.setEnabled(enabled)
        self.setProperty("whyNot", why_not)
        if not enabled:
            self.close_decline_form()

    def open_decline_form(self) -> None:
        if not self.decline_button.isEnabled():
            return
        self.decline_form.show()
        self.reason_choice.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_decline_form(self) -> None:
        refocus = (
            self.decline_form.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        )
        self.decline_form.hide()
        self.decline_error.hide()
        if refocus:
            self.decline_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def decline_reason(self) -> str | None:
        """The reason to store, or None (and a message shown) when something is missing."""
        code = self.reason_choice.currentData()
        details = " ".join(self.details.text().split())
        if not code:
            self._decline_problem(translate("OfferCard", "Choose why the customer declined."))
            return None
        if code == "other" and not details:
            self._decline_problem(translate("OfferCard", "Say in a few words why."))
            self.details.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return f"{code}: {details}" if details else str(code)

    def _decline_problem(self, message: str) -> None:
        self.decline_error.setText(message)
        self.decline_error.show()

    def confirm_decline(self) -> None:
        reason = self.decline_reason()
        if reason is not None:
            self._answer(OfferOutcome.DECLINED, reason)

    # -- keys --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            key = event.key()
            if key == Qt.Key.Key_A and self.accept_button.isEnabled():
                self.accept_button.click()
                return
            if key == Qt.Key.Key_N and self.not_now_button.isEnabled():
                self.not_now_button.click()
                return
            if key == Qt.Key.Key_D and self.decline_button.isEnabled():
                self.open_decline_form()
                return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Esc in the decline form closes the form (instead of leaving the panel).
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.decline_form.isVisible()
        ):
            self.close_decline_form()
            return True
        return super().eventFilter(watched, event)


class OffersSection(QWidget):
    """The offers header, an explanation line when there are none, and the cards."""

    answered = Signal(object, str, str)  # Suggestion, outcome value, reason

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.header = QLabel(self)
        self.header.setProperty("cssClass", "sectionTitle")
        layout.addWidget(self.header)
        self.note = QLabel(self)
        self.note.setProperty("cssClass", "muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(8)
        layout.addLayout(self.cards_layout)
        self.cards: list[OfferCard] = []
        self.currency = "RUB"
        self.retranslate()
        self.note.hide()

    def clear(self) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        self.note.hide()

    def show_offers(
        self,
        suggestions: Sequence[Suggestion],
        currency: str,
        *,
        explanation: str = "",
        answerable: bool = True,
        why_not: str = "",
    ) -> None:
        """Show these offers; a card whose offer is still listed keeps its state (a half
        filled decline form survives a sync refresh)."""
        self.currency = currency
        kept = {offer_key(c.suggestion): c for c in self.cards if c.suggestion is not None}
        wanted = {offer_key(s) for s in suggestions}
        # Cards of offers no longer listed are filled anew (cheaper than new widgets on
        # every screen pop).
        spare = [key for key in kept if key not in wanted]
        cards: list[OfferCard] = []
        for number, suggestion in enumerate(suggestions, start=1):
            card = kept.pop(offer_key(suggestion), None)
            if card is None and spare:
                card = kept.pop(spare.pop())
                card.reset()
            if card is None:
                card = OfferCard(number, self)
                card.answered.connect(self.answered)
            else:
                card.set_number(number)
            card.show_suggestion(suggestion, currency)
            card.set_answerable(answerable, why_not)
            cards.append(card)
        for card in kept.values():
            card.deleteLater()
        for card in cards:
            self.cards_layout.removeWidget(card)
        for card in cards:
            self.cards_layout.addWidget(card)
            card.show()
        self.cards = cards
        self._order_tabs()
        self._show_header()
        self.note.setText(explanation)
        self.note.setVisible(bool(explanation))

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self.setAccessibleName(translate("AssistPanel", "Offers"))
        self.header.setToolTip(
            translate("AssistPanel", "At most three offers that fit this customer (Alt+1…3)")
        )
        self.note.setAccessibleName(translate("AssistPanel", "Why there are no offers"))
        self._show_header()

    def _show_header(self) -> None:
        self.header.setText(
            translate("AssistPanel", "Offers · {n}").format(n=len(self.cards))
            if self.cards
            else translate("AssistPanel", "Offers")
        )

    def _order_tabs(self) -> None:
        chain: list[QWidget] = []
        for card in self.cards:
            chain += [card, card.accept_button, card.not_now_button, card.decline_button]
            chain += [card.reason_choice, card.details, card.confirm_button, card.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def focus_offer(self, number: int) -> bool:
        if not 1 <= number <= len(self.cards):
            return False
        self.cards[number - 1].setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True
