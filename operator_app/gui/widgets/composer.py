"""Under the assist panel: write a note or a reply, and move a conversation along.

The target is a note on the customer or a reply in one of their open conversations;
Ctrl+Enter sends. Resolve / Pending / Reopen act on the chosen conversation. The
widget only collects input and emits signals; the window turns them into local
changes (outbox) through the sync controller.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from operator_app.domain.entities import Conversation
from operator_app.gui.i18n import translate
from operator_app.gui.widgets.formatting import display_locale
from operator_app.gui.widgets.survey_actions import SurveyActions

SEND_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ComposerPanel(QWidget):
    note_requested = Signal(str)  # body
    reply_requested = Signal(object, str)  # conversation id, body
    status_requested = Signal(object, str, object)  # conversation id, status, follow-up|None
    survey_requested = Signal(object, object, bool)  # conversation id, kind|None, resolve

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerPanel")
        # Only as tall as its content: the assist lists above take the spare height.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._resolved: list[tuple[uuid.UUID, str]] = []  # resolved here: may be reopened
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 12, 12)  # as the assist panel above
        self.header = QLabel()
        self.header.setProperty("cssClass", "sectionTitle")
        layout.addWidget(self.header)
        self.target_combo = QComboBox()
        layout.addWidget(self.target_combo)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("composerEdit")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(72)
        self.editor.setMaximumHeight(110)
        self.editor.installEventFilter(self)
        layout.addWidget(self.editor)
        self.send_button = QPushButton()
        self.send_button.setDefault(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.send_button)
        layout.addLayout(row)

        self.follow_up_check = QCheckBox()
        self.follow_up_date = QDateEdit()
        self.follow_up_date.setCalendarPopup(True)
        self.follow_up_date.setEnabled(False)
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up_check)
        follow.addWidget(self.follow_up_date, 1)
        layout.addLayout(follow)
        self.resolve_button = QPushButton()
        self.pending_button = QPushButton()
        self.reopen_button = QPushButton()
        buttons = QHBoxLayout()
        for button in (self.resolve_button, self.pending_button, self.reopen_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.surveys = SurveyActions(self)
        self._channels: dict[str, str] = {}
        layout.addWidget(self.surveys)

        self.send_button.clicked.connect(self.send)
        self.editor.textChanged.connect(self._update_buttons)
        self.target_combo.currentIndexChanged.connect(self._on_target)
        self.follow_up_check.toggled.connect(self.follow_up_date.setEnabled)
        self.resolve_button.clicked.connect(lambda: self._status("resolved"))
        self.pending_button.clicked.connect(lambda: self._status("pending"))
        self.reopen_button.clicked.connect(self.reopen)
        self.surveys.ask_requested.connect(self._on_ask)
        self.retranslate()
        self.set_conversations([])

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self.header.setText(translate("Composer", "Write"))
        self.target_combo.setAccessibleName(translate("Composer", "Note or reply to"))
        self.target_combo.setToolTip(
            translate("Composer", "A note for colleagues, or a reply in a conversation")
        )
        self.editor.setAccessibleName(translate("Composer", "Note or reply text"))
        self.send_button.setText(translate("Composer", "Send"))
        self.send_button.setAccessibleName(translate("Composer", "Send"))
        self.send_button.setToolTip(translate("Composer", "Save the note or reply (Ctrl+Enter)"))
        self.follow_up_check.setText(translate("Composer", "Follow up on"))
        self.follow_up_check.setAccessibleName(translate("Composer", "Follow up on a date"))
        self.follow_up_date.setAccessibleName(translate("Composer", "Next follow-up date"))
        for button, text, tip in (
            (
                self.resolve_button,
                translate("Composer", "Resolve"),
                translate("Composer", "Mark the conversation resolved (Ctrl+Shift+R)"),
            ),
            (
                self.pending_button,
                translate("Composer", "Pending"),
                translate("Composer", "Waiting for the customer (Ctrl+Shift+P)"),
            ),
            (
                self.reopen_button,
                translate("Composer", "Reopen"),
                translate("Composer", "Reopen the conversation resolved last (Ctrl+Shift+O)"),
            ),
        ):
            button.setText(text)
            button.setAccessibleName(text)
            button.setToolTip(tip)
        if self.target_combo.count():
            self.target_combo.setItemText(0, translate("Composer", "Internal note"))
        # A date edit keeps the format it was made with; the locale's own is set here.
        locale = display_locale()
        self.follow_up_date.setLocale(locale)
        self.follow_up_date.setDisplayFormat(locale.dateFormat(QLocale.FormatType.ShortFormat))
        self.surveys.retranslate()
        self._on_target()

    # -- what the window calls --------------------------------------------------------

    def set_conversations(self, conversations: list[Conversation]) -> None:
        """The open conversations of the customer now shown (newest first)."""
        current = self.target_id()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItem(translate("Composer", "Internal note"), None)
        reply = translate("Composer", "Reply: {topic}")
        no_topic = translate("Composer", "No topic")
        self._channels = {str(conv.id): str(conv.channel) for conv in conversations}
        for conv in conversations:
            # Kept as text: Qt compares wrapped Python objects by identity, not value.
            self.target_combo.addItem(reply.format(topic=conv.topic or no_topic), str(conv.id))
        index = self.target_combo.findData(str(current)) if current else -1
        self.target_combo.setCurrentIndex(max(index, 0))
        self.target_combo.blockSignals(False)
        self.follow_up_date.setDate(QDate.currentDate().addDays(1))
        self._on_target()

    def choose_conversation(self, conversation_id: uuid.UUID | None) -> None:
        index = self.target_combo.findData(str(conversation_id)) if conversation_id else 0
        if index >= 0:
            self.target_combo.setCurrentIndex(index)

    def target_id(self) -> uuid.UUID | None:
        value = self.target_combo.currentData()
        return uuid.UUID(value) if isinstance(value, str) else None

    def focus_editor(self) -> None:
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def clear_text(self) -> None:
        self.editor.clear()

    def restore_text(self, body: str) -> None:
        """Puts back words the cache refused, ahead of anything typed since."""
        typed = self.editor.toPlainText()
        self.editor.setPlainText(body if not typed.strip() else f"{body}\n\n{typed}")
        self.focus_editor()

    # -- actions ---------------------------------------------------------------------

    def send(self) -> None:
        body = self.editor.toPlainText().strip()
        if not body:
            return
        target = self.target_id()
        if target is None:
            self.note_requested.emit(body)
        else:
            self.reply_requested.emit(target, body)
        # Cleared at once; if the local write is refused the words come back (restore_text).
        self.editor.clear()

    def resolve(self) -> None:
        self._status("resolved")

    def resolve_and_ask(self) -> None:
        """Resolve the chosen conversation and queue the policy's survey (one key)."""
        self.surveys.ask(None)

    def _on_ask(self, conversation_id: uuid.UUID, kind: object, resolve: bool) -> None:
        if resolve:
            self._resolved.append((conversation_id, self.target_combo.currentText()))
        self.survey_requested.emit(conversation_id, kind, resolve)
        self._update_buttons()

    def set_pending(self) -> None:
        self._status("pending")

    def reopen(self) -> None:
        if self._resolved:
            conversation_id, _topic = self._resolved.pop()
            self.status_requested.emit(conversation_id, "open", self._follow_up())
        self._update_buttons()

    def _status(self, status: str) -> None:
        target = self.target_id()
        if target is None:
            return
        if status == "resolved":
            self._resolved.append((target, self.target_combo.currentText()))
        self.status_requested.emit(target, status, self._follow_up())

    def _follow_up(self) -> datetime | None:
        if not self.follow_up_check.isChecked():
            return None
        day: date = self.follow_up_date.date().toPython()  # type: ignore[assignment]
        # Nine in the morning, local time: the start of the working day.
        return datetime.combine(day, time(9)).astimezone(UTC)

    def _on_target(self) -> None:
        reply = self.target_id() is not None
        self.editor.setPlaceholderText(
            translate("Composer", "Type a reply to the customer… (Ctrl+Enter sends)")
            if reply
            else translate("Composer", "Type a note for colleagues… (Ctrl+Enter sends)")
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_text = bool(self.editor.toPlainText().strip())
        target = self.target_id()
        conversation = target is not None
        self.surveys.set_conversation(target, self._channels.get(str(target)))
        self.send_button.setEnabled(has_text and self.isEnabled())
        self.resolve_button.setEnabled(conversation)
        self.pending_button.setEnabled(conversation)
        self.follow_up_check.setEnabled(conversation)
        self.reopen_button.setEnabled(bool(self._resolved))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in SEND_KEYS
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.send()
            return True
        return super().eventFilter(watched, event)
