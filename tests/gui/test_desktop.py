"""Desktop integration in the window: tray status and menu, notifications, settings
applied the moment they are saved, Help › Show logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFileOpenEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from operator_app.gui import theme
from operator_app.gui.app import Shell
from operator_app.gui.context import AppContext
from operator_app.gui.log_viewer import LogViewer
from operator_app.gui.main_window import MainWindow
from operator_app.gui.settings_dialog import SettingsDialog, apply_font_scale
from operator_app.gui.tray import status_pixmap
from operator_app.gui.url_events import call_link
from operator_app.services.logs import setup_logging, shutdown_logging
from operator_app.services.settings_schema import defaults
from operator_app.sync.events import PendingChanged, ServerHint
from tests.gui.app_support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


@pytest.fixture(autouse=True)
def default_look(qapp: QApplication) -> Iterator[None]:
    yield
    apply_font_scale(qapp, 1.0)
    theme.set_density(qapp, "comfortable")


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config


def open_settings_dialog(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> SettingsDialog:
    window.app_menus.settings_path = tmp_path / "settings.ini"
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.app_menus.dialog, SettingsDialog))
    dialog = window.app_menus.dialog
    assert isinstance(dialog, SettingsDialog)
    return dialog


def save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    button = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    assert button.isEnabled(), dialog.validate()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


# -- tray -------------------------------------------------------------------------------


def test_tray_shows_connection_state_and_pending_changes(window: MainWindow) -> None:
    tray = window.desktop.tray
    window.sync._set_connection("Online", "online")
    assert tray.state == "online" and tray.tooltip().startswith("Operator — Online")
    window.sync._on_pending(PendingChanged(3))
    assert "3 changes waiting to be sent" in tray.icon.toolTip()
    window.sync._set_connection("Syncing…", "syncing")
    assert "Syncing" in tray.icon.toolTip()
    window.sync._set_connection("Offline", "offline")
    window.sync._on_pending(PendingChanged(0))
    assert tray.icon.toolTip() == "Operator — Offline"


def test_tray_icon_dot_colour_follows_state() -> None:
    size = 32
    online, offline = status_pixmap("online", size), status_pixmap("offline", size)
    spot = (size - 8, size - 8)
    assert online.toImage().pixelColor(*spot).name() == theme.tokens().success
    assert offline.toImage().pixelColor(*spot).name() == theme.tokens().muted


def test_incoming_call_notifies_and_pause_holds_it_back(window: MainWindow) -> None:
    tray = window.desktop.tray
    window.sync._on_hint(ServerHint("incoming_contact", {"phone": "+79123456789"}))
    assert [n.title for n in window.notifier.recent] == ["Incoming call"]
    # No tray on this platform: the status bar carries the notification.
    assert window.statusBar().currentMessage() == "Incoming call: +79123456789"
    window.statusBar().clearMessage()
    tray.pause_action.trigger()
    assert window.notifier.paused and "Notifications paused" in tray.icon.toolTip()
    window.notifier.notify("Review case", "Score 1 from Anna", kind="review")
    assert window.statusBar().currentMessage() == "" and len(window.notifier.recent) == 1
    tray.pause_action.trigger()
    assert not window.notifier.paused


def test_show_window_and_notification_click_bring_the_window_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    tray = window.desktop.tray
    clicked: list[str] = []
    window.notifier.notify("Review case", "Open it", on_click=lambda: clicked.append("open"))
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    tray.show_action.trigger()
    qtbot.waitUntil(lambda: not window.isMinimized())
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    tray.icon.messageClicked.emit()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert clicked == ["open"]


def test_quit_from_the_tray_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.desktop.tray.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


# -- live settings ----------------------------------------------------------------------


def test_saved_appearance_applies_at_once(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, qapp: QApplication, xdg: Path
) -> None:
    base = qapp.font().pointSizeF()
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    dialog.ui.themeCombo.setCurrentIndex(dialog.ui.themeCombo.findData("dark"))
    dialog.ui.fontScaleSpin.setValue(1.5)
    dialog.ui.densityCombo.setCurrentIndex(dialog.ui.densityCombo.findData("compact"))
    save(qtbot, dialog)
    assert theme.current_theme() == "dark"
    assert window.ui.actionThemeDark.isChecked() and not window.ui.actionThemeLight.isChecked()
    assert qapp.font().pointSizeF() == pytest.approx(base * 1.5, rel=0.01)
    assert theme.current_density() == "compact" and "compact" in qapp.styleSheet()
    # The View menu and the settings agree afterwards too.
    window.ui.actionThemeLight.trigger()
    assert theme.current_theme() == "light" and window.ui.actionThemeLight.isChecked()


def test_saved_shortcut_works_at_once(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, xdg: Path
) -> None:
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    edit = dialog.shortcut_edits["shortcuts.focus_search"]
    edit.setKeySequence(QKeySequence("Ctrl+K"))
    save(qtbot, dialog)
    keys = [k.toString() for k in window.ui.actionFocusSearch.shortcuts()]
    assert keys == ["Ctrl+K", "F3"]
    assert "Ctrl+K" in window.ui.actionFocusSearch.toolTip()
    window.card_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_panel.search_edit


def test_colliding_shortcuts_cannot_be_saved(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    dialog.shortcut_edits["shortcuts.refresh"].setKeySequence(QKeySequence("Ctrl+F"))
    assert "Also used by" in dialog.shortcut_errors["shortcuts.refresh"].text()
    save_button = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    assert not save_button.isEnabled()
    dialog.reject()


def test_a_key_another_command_uses_cannot_be_saved(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    dialog.shortcut_edits["shortcuts.refresh"].setKeySequence(QKeySequence("Ctrl+Shift+L"))
    error = dialog.shortcut_errors["shortcuts.refresh"]
    assert error.text() == "Also used by “Sign in”." and not error.isHidden()
    assert not dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.reject()


def test_a_stored_key_another_command_uses_is_refused_with_a_message(
    window: MainWindow,
) -> None:
    # A settings file edited by hand skips the dialog's checks.
    values = {**defaults(), "shortcuts.refresh": "Ctrl+Shift+L"}
    window.desktop.live.apply(values, startup=True)
    assert [k.toString() for k in window.ui.actionRefresh.shortcuts()] == ["F5"]
    assert "Ctrl+Shift+L is already used by “Sign in”" in window.statusBar().currentMessage()


def test_notifications_off_in_settings(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, xdg: Path
) -> None:
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    qtbot.mouseClick(dialog.ui.notificationsCheck, Qt.MouseButton.LeftButton)
    save(qtbot, dialog)
    assert not window.notifier.enabled
    assert window.notifier.notify("Incoming call", "+79123456789") is None
    assert "Notifications off" in window.desktop.tray.tooltip()


def test_autostart_entry_follows_the_setting(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, xdg: Path
) -> None:
    entry = xdg / "autostart" / "operator-app.desktop"
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    dialog.ui.autostartCheck.setChecked(True)
    save(qtbot, dialog)
    assert entry.is_file() and "Exec=" in entry.read_text(encoding="utf-8")
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    assert dialog.ui.autostartCheck.isChecked()
    dialog.ui.autostartCheck.setChecked(False)
    save(qtbot, dialog)
    assert not entry.exists()


def test_autostart_that_cannot_be_written_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    dialog.ui.autostartCheck.setChecked(True)
    save(qtbot, dialog)
    assert "Start automatically could not be changed" in window.statusBar().currentMessage()


# -- log viewer -------------------------------------------------------------------------


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    setup_logging(folder)
    log = logging.getLogger("operator_app.test")
    log.info("sync started")
    log.warning("server slow, token=abc123secret")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("push failed")
    yield folder
    shutdown_logging()


def open_log_viewer(qtbot: QtBot, window: MainWindow) -> LogViewer:
    window.desktop.show_logs_action.trigger()
    viewer = window.desktop.log_viewer
    assert viewer is not None
    qtbot.waitUntil(viewer.isActiveWindow)
    return viewer


def test_log_viewer_shows_filters_and_copies(
    qtbot: QtBot, window: MainWindow, log_folder: Path
) -> None:
    viewer = open_log_viewer(qtbot, window)
    text = viewer.text_view.toPlainText()
    assert "sync started" in text and "ValueError: boom" in text
    assert "abc123secret" not in text and "[redacted]" in text
    assert not viewer.isModal() and window.isEnabled()
    viewer.level_combo.setCurrentIndex(viewer.level_combo.findData("ERROR"))
    assert [r.level for r in viewer.shown] == ["ERROR"]
    viewer.level_combo.setCurrentIndex(viewer.level_combo.findData("DEBUG"))
    qtbot.keyClicks(viewer.filter_edit, "slow")
    qtbot.waitUntil(lambda: len(viewer.shown) == 1)
    assert "server slow" in viewer.text_view.toPlainText()
    qtbot.mouseClick(viewer.copy_button, Qt.MouseButton.LeftButton)
    assert "server slow" in QApplication.clipboard().text()
    viewer.filter_edit.clear()
    qtbot.keyClicks(viewer.filter_edit, "nothing like this")
    qtbot.waitUntil(lambda: not viewer.shown)
    assert viewer.text_view.placeholderText() == "No messages match."


def test_log_viewer_reload_and_open_folder(
    qtbot: QtBot, window: MainWindow, log_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = open_log_viewer(qtbot, window)
    logging.getLogger("operator_app.test").error("written after opening")
    assert "written after opening" not in viewer.text_view.toPlainText()
    viewer.filter_edit.setFocus()
    qtbot.keyClick(viewer.filter_edit, Qt.Key.Key_F5)
    assert "written after opening" in viewer.text_view.toPlainText()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(viewer.folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [log_folder]
    qtbot.keyClick(viewer.filter_edit, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_log_viewer_without_a_log_file(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    viewer = LogViewer(tmp_path / "empty", window)
    qtbot.addWidget(viewer)
    viewer.present()
    assert viewer.records == [] and "No log yet" in viewer.info_label.text()
    controls = [viewer.level_combo, viewer.filter_edit, viewer.text_view]
    controls += [viewer.reload_button, viewer.folder_button, viewer.copy_button]
    assert all(w.accessibleName() for w in [*controls, viewer.close_button])
    assert isinstance(QApplication.focusWidget(), QLineEdit)


# -- links handed over by the OS ----------------------------------------------------------


def test_call_links_from_file_open_events() -> None:
    assert call_link(QFileOpenEvent(QUrl("tel:+79123456789"))) == "tel:+79123456789"
    assert call_link(QFileOpenEvent(QUrl("sip:1001@pbx.example"))) == "sip:1001@pbx.example"
    assert call_link(QFileOpenEvent(QUrl("https://example.com"))) is None
    assert call_link(QFileOpenEvent(QUrl.fromLocalFile("/tmp/a.txt"))) is None


def test_a_link_event_pops_the_caller_in_the_window(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, qapp: QApplication
) -> None:
    shell = Shell(qapp, request=None, screenshot=None)
    shell.attach(window, ctx)
    window.update()
    qtbot.waitUntil(lambda: shell._shown)
    shell.pop_link("callto:+7 900 000-00-01")
    qtbot.waitUntil(window.unknown_view.isVisible)
    shell.pop_link("mailto:someone@example.com")  # not a number: nothing happens
    assert window.unknown_view.isVisible()
    window.removeEventFilter(shell)


def test_saving_other_settings_keeps_an_installer_made_autostart(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, xdg: Path
) -> None:
    entry = xdg / "autostart" / "operator-app.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nExec=operator-app\n")
    dialog = open_settings_dialog(qtbot, window, tmp_path)
    dialog.ui.fontScaleSpin.setValue(1.1)
    save(qtbot, dialog)
    assert entry.is_file()
