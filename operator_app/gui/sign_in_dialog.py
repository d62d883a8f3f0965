"""Sign-in: server address, user, password, "remember me".

Shown with ``open()`` (never ``exec()``: the network runs on the same loop). OK emits
``submitted``; whoever signs in calls :meth:`show_error` (the dialog stays, with
everything typed) or :meth:`succeeded` (it closes). Mistakes are named as you type.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget

from operator_app.api import ApiError, normalize_server_url
from operator_app.gui.forms.ui_sign_in_dialog import Ui_SignInDialog
from operator_app.gui.i18n import translate
from operator_app.gui.user_messages import user_message
from operator_app.gui.widgets.styling import set_style_property


class SignInDialog(QDialog):
    submitted = Signal(str, str, str, bool)  # server URL (normalised), user, password, remember

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        server_url: str = "",
        user: str = "",
        reason: str = "",
        lock_identity: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SignInDialog()
        self.ui.setupUi(self)
        self.setObjectName("signInDialog")
        self.setMinimumWidth(440)
        self.ui.serverEdit.setText(server_url)
        self.ui.userEdit.setText(user)
        if reason:
            self.ui.introLabel.setText(reason)
        # Signing in again after the session expired: same server and user, only the password.
        self.ui.serverEdit.setReadOnly(lock_identity)
        self.ui.userEdit.setReadOnly(lock_identity)
        self._busy = False
        self.ok_button.setText(translate("SignInDialog", "Sign in"))
        self.ok_button.setAccessibleName(translate("SignInDialog", "Sign in"))
        cancel = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(translate("SignInDialog", "Cancel signing in"))
        for edit in (self.ui.serverEdit, self.ui.userEdit, self.ui.passwordEdit):
            edit.textChanged.connect(self._validate)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._validate()
        first_empty = next(
            (
                e
                for e in (self.ui.serverEdit, self.ui.userEdit, self.ui.passwordEdit)
                if not e.text()
            ),
            self.ui.passwordEdit,
        )
        first_empty.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def problem(self) -> str | None:
        """What stops signing in, in words; ``None`` when the form is complete."""
        server = self.ui.serverEdit.text().strip()
        if not server:
            return translate("SignInDialog", "Enter the server address.")
        try:
            normalize_server_url(server)
        except ApiError as exc:
            return user_message(exc)
        if not self.ui.userEdit.text().strip():
            return translate("SignInDialog", "Enter your user name.")
        if not self.ui.passwordEdit.text():
            return translate("SignInDialog", "Enter your password.")
        return None

    def _validate(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(problem is None and not self._busy)
        self._say(problem or "", "hint")

    def _say(self, text: str, kind: str) -> None:
        self.ui.messageLabel.setText(text)
        set_style_property(self.ui.messageLabel, "state", kind)

    def _submit(self) -> None:
        if self.problem() is not None or self._busy:
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self._say(translate("SignInDialog", "Signing in…"), "hint")
        self.submitted.emit(
            normalize_server_url(self.ui.serverEdit.text().strip()),
            self.ui.userEdit.text().strip(),
            self.ui.passwordEdit.text(),
            self.ui.rememberCheck.isChecked(),
        )

    def show_error(self, message: str) -> None:
        """The server said no (or could not be reached): say why, keep what was typed."""
        self._busy = False
        self._validate()
        self._say(user_message(message), "error")
        self.ui.passwordEdit.setFocus()
        self.ui.passwordEdit.selectAll()

    def succeeded(self) -> None:
        self._busy = False
        self.ui.passwordEdit.clear()
        self.accept()
