"""Right panel: what needs attention for the open customer — coverage about to end, the
offers that fit (:mod:`offer_cards`), and conversations still open."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from operator_app.domain.entities import CustomerCard
from operator_app.domain.enums import ConversationStatus
from operator_app.domain.upsell import Suppression
from operator_app.gui.forms.ui_assist_panel import Ui_AssistPanel
from operator_app.gui.i18n import translate
from operator_app.gui.models import card_facts
from operator_app.gui.models.roles import ACCENT_ROLE, AUX_ROLE, DETAIL_ROLE, ICON_ROLE, ID_ROLE
from operator_app.gui.widgets.formatting import age, channel_name
from operator_app.gui.widgets.icons import channel_icon_name
from operator_app.gui.widgets.list_delegate import TwoLineDelegate
from operator_app.gui.widgets.offer_cards import OffersSection
from operator_app.gui.widgets.styling import fit_rows
from operator_app.services.offer_advice import OfferAdvice


def status_names() -> dict[ConversationStatus, str]:
    return {
        ConversationStatus.OPEN: translate("AssistPanel", "open"),
        ConversationStatus.PENDING: translate("AssistPanel", "pending"),
    }


def suppression_words() -> dict[Suppression, str]:
    return {
        Suppression.NO_MARKETING_CONSENT: translate("AssistPanel", "no marketing consent"),
        Suppression.OPEN_COMPLAINT: translate("AssistPanel", "open complaint"),
        Suppression.RECENT_LOW_SCORE: translate("AssistPanel", "recent low score"),
        Suppression.COMPLAINT_CONTACT: translate("AssistPanel", "this contact is a complaint"),
        Suppression.OFFER_LIMIT_REACHED: translate(
            "AssistPanel", "enough offers made in this contact"
        ),
    }


def offer_explanation(advice: OfferAdvice) -> str:
    """One line under the offers header when there are none: why."""
    if advice.suggestions:
        return ""
    if not advice.suppressed:
        return translate("AssistPanel", "No offer fits this customer right now.")
    words = suppression_words()
    reasons = ", ".join(words.get(code, str(code)) for code in advice.suppressed)
    return translate("AssistPanel", "No offers: {reasons}").format(reasons=reasons)


class AssistPanel(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_AssistPanel()
        self.ui.setupUi(self)
        self.setObjectName("rightPanel")
        for view, icons in ((self.ui.warningsList, False), (self.ui.conversationsList, True)):
            view.setItemDelegate(TwoLineDelegate(view, with_icons=icons))
            view.installEventFilter(self)
        self._offers_for: uuid.UUID | None = None
        self.offers = OffersSection(self.ui.offersHost)
        self.ui.offersHostLayout.addWidget(self.offers)
        self.offer_shortcuts = []
        for number in (1, 2, 3):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.offers.focus_offer(n))
            self.offer_shortcuts.append(shortcut)
        self.clear()

    @property
    def warnings_list(self) -> QListWidget:
        return self.ui.warningsList

    @property
    def conversations_list(self) -> QListWidget:
        return self.ui.conversationsList

    def clear(self) -> None:
        self.ui.customerLabel.setText(
            translate("AssistPanel", "Open a customer to see what needs attention.")
        )
        self.ui.customerLabel.show()
        for widget in (
            self.ui.warningsHeader,
            self.ui.warningsList,
            self.ui.warningsEmpty,
            self.ui.conversationsHeader,
            self.ui.conversationsList,
            self.ui.conversationsEmpty,
        ):
            widget.hide()
        self.ui.warningsList.clear()
        self.ui.conversationsList.clear()
        self.offers.clear()
        self._offers_for = None
        self.ui.offersHost.hide()

    def show_card(self, card: CustomerCard, today: date | None = None) -> None:
        today = today or date.today()
        self.ui.customerLabel.hide()
        if self._offers_for != card.customer.id:
            self.offers.clear()  # another customer's offers must never linger
            self.ui.offersHost.hide()
        warnings = card_facts.proactive_warnings(card, today)
        self.ui.warningsList.clear()
        for warning in warnings:
            item = QListWidgetItem(warning.text)
            item.setData(DETAIL_ROLE, warning.detail)
            item.setData(ACCENT_ROLE, "warning")
            item.setToolTip(f"{warning.text}\n{warning.detail}")
            self.ui.warningsList.addItem(item)
        self._show_section(
            self.ui.warningsHeader, self.ui.warningsList, self.ui.warningsEmpty, len(warnings)
        )

        self.ui.conversationsList.clear()
        conversations = sorted(card.open_conversations, key=lambda c: c.opened_at, reverse=True)
        no_topic = translate("AssistPanel", "No topic")
        for conv in conversations:
            item = QListWidgetItem(conv.topic or no_topic)
            status = status_names().get(conv.status, conv.status.value)
            item.setData(DETAIL_ROLE, f"{channel_name(conv.channel)} · {status}")
            item.setData(AUX_ROLE, age(conv.opened_at))
            item.setData(ICON_ROLE, channel_icon_name(conv.channel))
            item.setData(ACCENT_ROLE, "open")
            item.setData(ID_ROLE, conv.id)
            who = (
                translate("AssistPanel", "assigned to {name}").format(name=conv.assignee)
                if conv.assignee
                else translate("AssistPanel", "unassigned")
            )
            item.setToolTip(f"{conv.topic or no_topic} — {channel_name(conv.channel)}, {who}")
            self.ui.conversationsList.addItem(item)
        self._show_section(
            self.ui.conversationsHeader,
            self.ui.conversationsList,
            self.ui.conversationsEmpty,
            len(conversations),
        )

    def show_advice(self, advice: OfferAdvice, currency: str, why_not: str = "") -> None:
        """The ranked offers for the customer on screen; ``why_not``: answers cannot be
        recorded now (no server signed in), said on the buttons."""
        self._offers_for = advice.customer_id
        self.offers.show_offers(
            advice.suggestions,
            currency,
            explanation=why_not if advice.suggestions and why_not else offer_explanation(advice),
            answerable=not why_not,
            why_not=why_not,
        )
        self.ui.offersHost.show()

    def conversation_ids(self) -> list[uuid.UUID]:
        view = self.ui.conversationsList
        return [view.item(row).data(ID_ROLE) for row in range(view.count())]

    def focus_first(self) -> None:
        if self.offers.cards and self.offers.isVisible():
            self.offers.focus_offer(1)
            return
        for view in (self.ui.warningsList, self.ui.conversationsList):
            if view.isVisible() and view.count():
                if view.currentRow() < 0:
                    view.setCurrentRow(0)
                view.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @staticmethod
    def _show_section(header: QLabel, view: QListWidget, empty: QWidget, rows: int) -> None:
        title = header.text().split(" · ")[0]
        header.setText(f"{title} · {rows}" if rows else title)
        header.show()
        view.setVisible(rows > 0)
        empty.setVisible(rows == 0)
        fit_rows(view, rows)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace)
        ):
            self.back_requested.emit()
            return True
        return super().eventFilter(watched, event)
