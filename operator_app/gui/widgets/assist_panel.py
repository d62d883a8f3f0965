"""Right panel: what needs attention for the open customer — coverage about to end and
conversations still open. Offers and the reply composer join later, with the server."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from operator_app.domain.entities import CustomerCard
from operator_app.domain.enums import ConversationStatus
from operator_app.gui.forms.ui_assist_panel import Ui_AssistPanel
from operator_app.gui.models import card_facts
from operator_app.gui.models.roles import ACCENT_ROLE, AUX_ROLE, DETAIL_ROLE, ICON_ROLE, ID_ROLE
from operator_app.gui.widgets.formatting import age, channel_name
from operator_app.gui.widgets.icons import channel_icon_name
from operator_app.gui.widgets.list_delegate import TwoLineDelegate
from operator_app.gui.widgets.styling import fit_rows

STATUS_NAMES = {ConversationStatus.OPEN: "open", ConversationStatus.PENDING: "pending"}


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
        self.clear()

    @property
    def warnings_list(self) -> QListWidget:
        return self.ui.warningsList

    @property
    def conversations_list(self) -> QListWidget:
        return self.ui.conversationsList

    def clear(self) -> None:
        self.ui.customerLabel.setText("Open a customer to see what needs attention.")
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

    def show_card(self, card: CustomerCard, today: date | None = None) -> None:
        today = today or date.today()
        self.ui.customerLabel.hide()
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
        for conv in conversations:
            item = QListWidgetItem(conv.topic or "No topic")
            status = STATUS_NAMES.get(conv.status, conv.status.value)
            item.setData(DETAIL_ROLE, f"{channel_name(conv.channel)} · {status}")
            item.setData(AUX_ROLE, age(conv.opened_at))
            item.setData(ICON_ROLE, channel_icon_name(conv.channel))
            item.setData(ACCENT_ROLE, "open")
            item.setData(ID_ROLE, conv.id)
            who = f", assigned to {conv.assignee}" if conv.assignee else ", unassigned"
            item.setToolTip(f"{conv.topic or 'No topic'} — {channel_name(conv.channel)}{who}")
            self.ui.conversationsList.addItem(item)
        self._show_section(
            self.ui.conversationsHeader,
            self.ui.conversationsList,
            self.ui.conversationsEmpty,
            len(conversations),
        )

    def conversation_ids(self) -> list[uuid.UUID]:
        view = self.ui.conversationsList
        return [view.item(row).data(ID_ROLE) for row in range(view.count())]

    def focus_first(self) -> None:
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
