"""Every control a person can reach has an accessible name, in the interface language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QKeySequenceEdit,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QProgressBar,
    QScrollBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from operator_app.gui.context import AppContext
from operator_app.gui.language import apply_language
from operator_app.gui.main_window import MainWindow
from operator_app.gui.settings_dialog import SettingsDialog
from operator_app.gui.settings_registry import open_settings
from operator_app.gui.sign_in_dialog import SignInDialog
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset

pytestmark = OFFSCREEN_NOISE

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QKeySequenceEdit,
    QProgressBar,
)
# Parts Qt builds inside a control (a spin box's editor, a combo box's popup list, a
# line edit's clear button): the control they belong to carries the name.
COMPOSITES = (QComboBox, QAbstractSpinBox, QKeySequenceEdit, QLineEdit, QMenuBar)


def _qt_internal(widget: QWidget, top: QWidget) -> bool:
    if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView | QScrollBar):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, COMPOSITES):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(top: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName() or '(no object name)'}"
        for w in top.findChildren(QWidget)
        if isinstance(w, CONTROLS) and not _qt_internal(w, top) and not w.accessibleName()
    ]


def _all_names(top: QWidget) -> dict[str, str]:
    return {
        w.objectName(): w.accessibleName()
        for w in top.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.objectName() and w.accessibleName()
    }


@pytest.fixture(params=["en", "ru"])
def language(request: pytest.FixtureRequest) -> str:
    apply_language(request.param)
    return str(request.param)


def test_every_control_of_the_window_is_named(
    qtbot: QtBot, language: str, ctx: AppContext, dataset: Dataset
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.enable_local_changes(True)  # the composer, as when a server is set
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    assert unnamed_controls(window) == []
    names = _all_names(window)
    if language == "ru":
        assert names["searchEdit"] == "Поиск клиента"
        assert names["timelineView"] == "История"


def test_every_control_of_the_dialogs_is_named(qtbot: QtBot, language: str, tmp_path: Path) -> None:
    settings = SettingsDialog(open_settings(tmp_path / "settings.ini"))
    sign_in = SignInDialog(None, server_url="https://crm.example.com", user="anna")
    for dialog in (settings, sign_in):
        qtbot.addWidget(dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__
    if language == "ru":
        assert _all_names(sign_in)["passwordEdit"] == "Пароль"
        assert _all_names(settings)["serverUrlEdit"] == "Адрес сервера"
