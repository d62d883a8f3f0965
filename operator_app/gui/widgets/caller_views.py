"""Centre pages without a card: nothing open yet, an unknown caller, a new customer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from operator_app.domain.phones import format_phone, normalize_phone
from operator_app.gui.forms.ui_empty_state import Ui_EmptyState
from operator_app.gui.forms.ui_new_customer_form import Ui_NewCustomerForm
from operator_app.gui.forms.ui_unknown_caller import Ui_UnknownCaller
from operator_app.gui.i18n import translate
from operator_app.gui.widgets.icons import icon


def save_needs_server() -> str:
    return translate("NewCustomerForm", "Available when connected to a server")


def shortcuts() -> list[tuple[str, str]]:
    return [
        ("Ctrl+F, F3", translate("EmptyState", "Find a customer")),
        ("↓ ↑", translate("EmptyState", "Walk the results")),
        ("Enter", translate("EmptyState", "Open the card")),
        ("Esc, Alt+←", translate("EmptyState", "Back to search")),
        ("Ctrl+1 / 2 / 3", translate("EmptyState", "Left, centre, right panel")),
        ("Ctrl+L, F6", translate("EmptyState", "Next panel")),
        ("Ctrl+T", translate("EmptyState", "Timeline")),
    ]


class EmptyStateView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_EmptyState()
        self.ui.setupUi(self)
        self.setObjectName("emptyState")
        self.ui.iconLabel.setPixmap(icon("find-customer").pixmap(64, 64))
        self.retranslate()

    def retranslate(self) -> None:
        """After ``retranslateUi``: the texts set here, in the language now installed."""
        rows = "".join(
            f'<tr><td align="right" style="padding:3px 14px 3px 0;"><b>{keys}</b></td>'
            f'<td style="padding:3px 0;">{what}</td></tr>'
            for keys, what in shortcuts()
        )
        self.ui.shortcutsLabel.setText(f'<table cellspacing="0">{rows}</table>')
        self.ui.shortcutsLabel.setAccessibleName(translate("EmptyState", "Keyboard shortcuts"))
        self._title = self.ui.titleLabel.text()
        self._hint = self.ui.hintLabel.text()

    def show_welcome(self) -> None:
        self.ui.titleLabel.setText(self._title)
        self.ui.hintLabel.setText(self._hint)

    def show_choice(self, number: str, count: int) -> None:
        """Several customers share the caller's number: ask which one is calling."""
        self.ui.titleLabel.setText(translate("EmptyState", "Who is calling?"))
        hint = translate(
            "EmptyState",
            "%n customer(s) share {number}. Pick one on the left: ↑ ↓ and Enter.",
            None,
            count,
        )
        self.ui.hintLabel.setText(hint.format(number=number))


class UnknownCallerView(QWidget):
    create_requested = Signal(str)
    """E.164 (or the raw text when it does not parse) to prefill the new-customer form."""
    search_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_UnknownCaller()
        self.ui.setupUi(self)
        self.setObjectName("unknownCaller")
        self.number = ""
        self.ui.iconLabel.setPixmap(icon("unknown-caller").pixmap(64, 64))
        self.ui.createButton.clicked.connect(lambda: self.create_requested.emit(self.number))
        self.ui.searchButton.clicked.connect(self.search_requested.emit)

    def retranslate(self) -> None:
        if self.number:
            self.show_number(self.number)

    def show_number(self, raw: str) -> None:
        phone = normalize_phone(raw)
        self.number = phone.e164 if phone else raw.strip()
        shown = format_phone(phone.e164) if phone else raw.strip()
        if phone and phone.extension:
            shown += " " + translate("UnknownCaller", "ext. {number}").format(
                number=phone.extension
            )
        self.ui.numberLabel.setText(shown)
        described = translate("UnknownCaller", "Unknown caller {number}").format(number=shown)
        self.ui.numberLabel.setAccessibleDescription(described)


class NewCustomerFormView(QWidget):
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_NewCustomerForm()
        self.ui.setupUi(self)
        self.setObjectName("newCustomerForm")
        # Creating customers goes through the server (sync issue); until then the
        # form collects what the caller says and says plainly why it cannot save.
        self.ui.saveButton.setEnabled(False)
        self.ui.saveButton.setToolTip(save_needs_server())
        self.ui.cancelButton.clicked.connect(self.cancelled.emit)
        self.installEventFilter(self)
        for edit in self._edits():
            edit.installEventFilter(self)

    def retranslate(self) -> None:
        if not self.ui.saveButton.isEnabled():
            self.ui.saveButton.setToolTip(save_needs_server())

    def _edits(self) -> list[QLineEdit]:
        ui = self.ui
        return [ui.lastNameEdit, ui.firstNameEdit, ui.middleNameEdit, ui.phoneEdit, ui.emailEdit]

    def fields(self) -> dict[str, object] | None:
        """The new customer's fields, or ``None`` (and the reason in the status tip) when
        the form cannot be saved yet: a name and a valid phone number are needed."""
        ui = self.ui
        last, first = ui.lastNameEdit.text().strip(), ui.firstNameEdit.text().strip()
        phone = normalize_phone(ui.phoneEdit.text())
        if not (last or first):
            ui.lastNameEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            ui.saveButton.setToolTip(
                translate("NewCustomerForm", "Enter the caller's last or first name.")
            )
            return None
        if phone is None:
            ui.phoneEdit.setFocus(Qt.FocusReason.OtherFocusReason)
            ui.saveButton.setToolTip(translate("NewCustomerForm", "Enter a valid phone number."))
            return None
        email = ui.emailEdit.text().strip()
        return {
            "last_name": last,
            "first_name": first,
            "middle_name": ui.middleNameEdit.text().strip(),
            "phones": [phone.e164],
            "emails": [email] if email else [],
        }

    def start(self, phone: str) -> None:
        for edit in self._edits():
            edit.clear()
        parsed = normalize_phone(phone)
        self.ui.phoneEdit.setText(format_phone(parsed.e164) if parsed else phone)
        self.ui.lastNameEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self.cancelled.emit()
            return True
        return super().eventFilter(watched, event)
