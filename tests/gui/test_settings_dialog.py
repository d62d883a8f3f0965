"""The settings dialog: validation as you type, all-or-nothing save, live theme,
shortcut collisions, and "Test connection" on the qasync loop against real servers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from operator_app.api import TokenStore
from operator_app.gui import theme
from operator_app.gui.event_loop import close_event_loop
from operator_app.gui.settings_dialog import SettingsDialog
from operator_app.gui.settings_registry import AppSettings, open_settings
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.unit.test_settings_connection import our_server, stranger  # noqa: F401

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return open_settings(tmp_path / "settings.ini")


@pytest.fixture
def dialog(qtbot: QtBot, settings: AppSettings) -> SettingsDialog:
    dialog = SettingsDialog(settings, signed_in_user="anna")
    qtbot.addWidget(dialog)
    return dialog


def save_button(dialog: SettingsDialog):  # type: ignore[no-untyped-def]
    return dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)


def test_every_control_has_an_accessible_name(dialog: SettingsDialog) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit

    controls = dialog.findChildren(QWidget)
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit)
    missing = [
        w.objectName()
        for w in controls
        if isinstance(w, kinds)
        and w.objectName()
        and not w.accessibleName()
        and not w.objectName().startswith("qt_")
    ]
    assert missing == []


def test_a_bad_url_shows_its_message_and_disables_save(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.show()
    assert save_button(dialog).isEnabled()
    dialog.ui.serverUrlEdit.clear()
    qtbot.keyClicks(dialog.ui.serverUrlEdit, "crm.example.com")
    assert "must start with http:// or https://" in dialog.ui.serverUrlError.text()
    assert dialog.ui.serverUrlError.isVisible()
    assert not save_button(dialog).isEnabled()
    dialog.ui.serverUrlEdit.setText("https://crm.example.com")
    assert not dialog.ui.serverUrlError.isVisible()
    assert save_button(dialog).isEnabled()


def test_save_writes_everything(dialog: SettingsDialog, settings: AppSettings) -> None:
    dialog.ui.serverUrlEdit.setText("https://crm.example.com")
    dialog.ui.intervalSpin.setValue(300)
    save_button(dialog).click()
    again = open_settings(settings.path)
    assert again.value("connection.server_url") == "https://crm.example.com"
    assert again.value("sync.interval_s") == 300


def test_nothing_is_saved_while_a_field_is_wrong(
    dialog: SettingsDialog, settings: AppSettings
) -> None:
    dialog.ui.intervalSpin.setValue(300)
    dialog.ui.caBundleEdit.setText("/no/such/ca.pem")
    dialog.save()
    assert dialog.isVisible() or dialog.result() == 0
    assert open_settings(settings.path).value("sync.interval_s") == 60


def test_shortcut_collision_is_shown_next_to_the_field(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.show()
    dialog.ui.pageList.setCurrentRow(5)
    dialog.shortcut_edits["shortcuts.refresh"].setKeySequence(QKeySequence("Ctrl+F"))
    error = dialog.shortcut_errors["shortcuts.refresh"]
    assert error.isVisible() and error.text() == "Also used by Find a customer."
    assert dialog.shortcut_errors["shortcuts.focus_search"].text() == "Also used by Refresh."
    assert not save_button(dialog).isEnabled()
    dialog.shortcut_edits["shortcuts.refresh"].setKeySequence(QKeySequence("F9"))
    assert not error.isVisible() and save_button(dialog).isEnabled()


def test_theme_applies_live_and_cancel_puts_it_back(
    qapp: QApplication, dialog: SettingsDialog
) -> None:
    assert theme.current_theme() == "light"
    dialog.ui.themeCombo.setCurrentIndex(dialog.ui.themeCombo.findData("dark"))
    assert theme.current_theme() == "dark"
    assert qapp.palette().window().color().name() == theme.DARK.window
    dialog.reject()
    assert theme.current_mode() == "system" or theme.current_theme() == "light"


def test_font_scale_applies_live(qapp: QApplication, dialog: SettingsDialog) -> None:
    before = qapp.font().pointSizeF()
    dialog.ui.fontScaleSpin.setValue(1.5)
    assert qapp.font().pointSizeF() == pytest.approx(before * 1.5, rel=0.05)
    dialog.reject()
    assert qapp.font().pointSizeF() == pytest.approx(before, rel=0.05)


def test_forget_token_clears_the_keyring(settings: AppSettings, dialog: SettingsDialog) -> None:
    settings.save({"connection.server_url": "https://crm.example.com", "account.user": "anna"})
    TokenStore("https://crm.example.com", "anna").save("tok")
    dialog.ui.forgetTokenButton.click()
    assert TokenStore("https://crm.example.com", "anna").load() is None
    assert "removed" in dialog.ui.accountStatusLabel.text()


def test_wipe_asks_first(qtbot: QtBot, settings: AppSettings) -> None:
    wiped: list[bool] = []
    dialog = SettingsDialog(settings, wipe_cache=lambda: wiped.append(True))
    qtbot.addWidget(dialog)
    box = dialog.confirm_wipe()
    box.button(box.StandardButton.Cancel).click()
    assert wiped == []
    box = dialog.confirm_wipe()
    next(b for b in box.buttons() if b.text() == "Wipe").click()
    assert wiped == [True]


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    close_event_loop(loop)


def run_test(loop: asyncio.AbstractEventLoop, dialog: SettingsDialog, url: str) -> str:
    dialog.ui.serverUrlEdit.setText(url)

    async def scenario() -> None:
        dialog.ui.testButton.click()  # returns at once; the test runs as a task
        assert dialog.test_task is not None
        await dialog.test_task

    loop.run_until_complete(scenario())
    return dialog.ui.testResultLabel.text()


def test_connection_to_our_server(loop, dialog: SettingsDialog, our_server: str) -> None:  # noqa: F811
    assert run_test(loop, dialog, our_server).startswith("Connected: operator-app server")


def test_connection_to_a_stranger(loop, dialog: SettingsDialog, stranger: str) -> None:  # noqa: F811
    assert "not an operator-app server" in run_test(loop, dialog, stranger)


def test_connection_refused(loop, dialog: SettingsDialog) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run_test(loop, dialog, f"http://127.0.0.1:{port}").startswith("Connection refused")


def test_connection_uses_the_proxy_typed_in_the_dialog(
    loop: asyncio.AbstractEventLoop,
    dialog: SettingsDialog,
    our_server: str,  # noqa: F811
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog.ui.proxyEdit.setText(f"http://127.0.0.1:{port}")
    text = run_test(loop, dialog, our_server)
    assert text.startswith(
        f"The proxy refused the connection: nothing listens on 127.0.0.1 port {port}."
    )
    dialog.ui.proxyEdit.clear()
    assert run_test(loop, dialog, our_server).startswith("Connected: operator-app server")
