"""The Snooze menu of a worklist entry: 1 hour, tomorrow 9:00, or a time of one's choosing.

"Tomorrow 9:00" is in the operator's own time zone (see ``domain.snooze``): a snooze
puts the entry back on the operator's list at the start of their next day. Nothing here
blocks: the menu pops up, the picker is opened with ``open()``, and the choice comes
back through the ``chosen`` signal as an aware UTC ``datetime``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QLocale, QPoint, QTimeZone, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from operator_app.domain.snooze import (
    SNOOZE_IN_PAST,
    SNOOZE_TOO_LONG,
    check_snooze_until,
    in_one_hour,
    tomorrow_morning,
)
from operator_app.gui.i18n import translate

SNOOZE_SHORTCUT = "Ctrl+Shift+S"
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def local_text(moment: datetime) -> str:
    """``Tue 24 Nov 09:00``-like, in the operator's locale and time zone."""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


class SnoozeMenu(QMenu):
    chosen = Signal(object)
    """The moment (aware, UTC) the entry should come back."""

    def __init__(self, parent: QWidget, *, clock: Clock = _utc_now) -> None:
        super().__init__(translate("SnoozeMenu", "Snooze"), parent)
        self.setObjectName("snoozeMenu")
        self.setAccessibleName(translate("SnoozeMenu", "Snooze"))
        self._clock = clock
        self.hour_action = self.addAction(translate("SnoozeMenu", "For 1 &hour"))
        self.hour_action.triggered.connect(lambda: self.chosen.emit(in_one_hour(self._clock())))
        self.morning_action = self.addAction(translate("SnoozeMenu", "Until &tomorrow 9:00"))
        self.morning_action.setToolTip(translate("SnoozeMenu", "9:00 tomorrow, your local time"))
        self.morning_action.triggered.connect(
            lambda: self.chosen.emit(tomorrow_morning(self._clock()))
        )
        self.pick_action = self.addAction(translate("SnoozeMenu", "&Pick a date and time…"))
        self.pick_action.triggered.connect(self.pick)
        self.setToolTipsVisible(True)
        self.dialog: SnoozeUntilDialog | None = None

    def pick(self) -> SnoozeUntilDialog:
        """Open the date-and-time picker (window-modal, not a nested loop)."""
        parent = self.parentWidget()
        dialog = SnoozeUntilDialog(parent.window() if parent else None, clock=self._clock)
        dialog.chosen.connect(self.chosen)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: SnoozeUntilDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def show_at(self, position: QPoint) -> None:
        self.popup(position)


class SnoozeUntilDialog(QDialog):
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None, *, clock: Clock = _utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self.setWindowTitle(translate("SnoozeUntilDialog", "Snooze until"))
        self.setAccessibleName(translate("SnoozeUntilDialog", "Snooze until"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.when_edit = QDateTimeEdit(self)
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setTimeZone(QTimeZone.systemTimeZone())
        self.when_edit.setDisplayFormat(QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat))
        self.when_edit.setAccessibleName(translate("SnoozeUntilDialog", "Date and time"))
        self.when_edit.setToolTip(translate("SnoozeUntilDialog", "Your local date and time"))
        now = clock()
        self.when_edit.setMinimumDateTime(_qt(now + timedelta(minutes=1)))
        self.when_edit.setDateTime(_qt(tomorrow_morning(now)))
        form.addRow(translate("SnoozeUntilDialog", "&Bring it back at"), self.when_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setProperty("cssClass", "formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(translate("SnoozeUntilDialog", "Snooze"))
        ok.setAccessibleName(translate("SnoozeUntilDialog", "Snooze"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(translate("SnoozeUntilDialog", "Cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.when_edit.setFocus()

    def until(self) -> datetime:
        return datetime.fromtimestamp(self.when_edit.dateTime().toSecsSinceEpoch(), UTC)

    def _accept(self) -> None:
        until = self.until()
        problem = check_snooze_until(until, self._clock())
        if problem is not None:
            words = {
                SNOOZE_IN_PAST: translate(
                    "SnoozeUntilDialog", "Pick a time in the future to snooze until."
                ),
                SNOOZE_TOO_LONG: translate(
                    "SnoozeUntilDialog", "A snooze can last at most a year."
                ),
            }
            self.error_label.setText(words.get(problem, problem))
            self.error_label.show()
            self.when_edit.setFocus()
            return
        self.chosen.emit(until)
        self.accept()


def _qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
