"""Settings (Ctrl+,), About and diagnostics from the main window's menus."""

from __future__ import annotations

import json
import platform
import sqlite3
import zipfile
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from operator_app import __version__
from operator_app.gui.main_window import MainWindow
from operator_app.gui.settings_dialog import SettingsDialog
from operator_app.gui.settings_registry import open_settings
from tests.gui.app_support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


def test_ctrl_comma_opens_settings(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.app_menus.settings_path = tmp_path / "settings.ini"
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.app_menus.dialog, SettingsDialog))
    dialog = window.app_menus.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    file_menu = window.findChild(QMenu, "menuFile")
    assert window.app_menus.settings_action in file_menu.actions()


def test_help_menu_and_about_shows_versions(window: MainWindow) -> None:
    help_menu = window.findChild(QMenu, "menuHelp")
    texts = [a.text() for a in help_menu.actions() if a.text()]
    assert texts == ["Show &logs", "Open log folder", "Save diagnostics…", "About Operator"]
    box = window.app_menus.show_about()
    shown = box.text() + box.informativeText()
    for version in (
        __version__,
        platform.python_version(),
        qVersion(),
        PySide6.__version__,
        sqlite3.sqlite_version,
    ):
        assert version in shown
    box.close()


def test_save_diagnostics(window: MainWindow, tmp_path: Path) -> None:
    window.app_menus.settings_path = tmp_path / "settings.ini"
    open_settings(window.app_menus.settings_path).save({"account.user": "anna"})
    written = window.app_menus.save_diagnostics(tmp_path / "diag.zip")
    assert written is not None and "Diagnostics saved" in window.statusBar().currentMessage()
    with zipfile.ZipFile(written) as bundle:
        versions = json.loads(bundle.read("versions.json"))
        assert versions["operator-app"] == __version__
        assert json.loads(bundle.read("settings.json"))["account.user"] == "anna"
        cache = json.loads(bundle.read("cache.json"))
        assert cache["present"] and cache["bytes_on_disk"] > 0 and cache["entities"]


def test_diagnostics_to_an_unwritable_place_is_a_message(
    window: MainWindow, tmp_path: Path
) -> None:
    assert window.app_menus.save_diagnostics(tmp_path / "missing" / "d.zip") is None
    assert "Diagnostics not saved" in window.statusBar().currentMessage()
