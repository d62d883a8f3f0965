"""The sign-in form: mistakes named as you type, the server's refusal in plain words."""

from __future__ import annotations

from typing import Any

from operator_app.gui.main_window import MainWindow
from operator_app.gui.sign_in_dialog import SignInDialog
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import live_server, qloop, sync_window

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = OFFSCREEN_NOISE


def test_validation_as_you_type(qtbot: Any) -> None:
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert not dialog.ok_button.isEnabled()
    assert "server address" in ui.messageLabel.text()
    qtbot.keyClicks(ui.serverEdit, "crm.example.com")
    assert "http://" in ui.messageLabel.text()
    assert not dialog.ok_button.isEnabled()
    ui.serverEdit.setText("https://crm.example.com/")
    assert "user name" in ui.messageLabel.text()
    qtbot.keyClicks(ui.userEdit, "anna")
    assert "password" in ui.messageLabel.text()
    qtbot.keyClicks(ui.passwordEdit, "secret")
    assert dialog.ok_button.isEnabled()
    assert ui.messageLabel.text() == ""

    with qtbot.waitSignal(dialog.submitted) as signal:
        dialog.ok_button.click()
    assert signal.args == ["https://crm.example.com", "anna", "secret", True]
    assert not dialog.ok_button.isEnabled()  # no second submit while signing in


def test_wrong_password_is_said_plainly_and_nothing_typed_is_lost(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    dialog = window.sync.show_sign_in()
    dialog.ui.serverEdit.setText(live_server.url)
    dialog.ui.userEdit.setText("operator")
    dialog.ui.passwordEdit.setText("not-the-password")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.ui.messageLabel.text())
    assert dialog.isVisible()
    assert dialog.ui.serverEdit.text() == live_server.url
    assert dialog.ui.userEdit.text() == "operator"
    assert dialog.ok_button.isEnabled()
    assert window.connection_label.text() != "Online"

    dialog.ui.passwordEdit.setText("demo")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=30000)
    assert window.sync.dialog is None  # closed once signed in
