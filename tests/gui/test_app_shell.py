"""The shell's routing: pops from other processes land in the window, at the right time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from operator_app.cache.db import open_cache
from operator_app.gui.app import THEME_SETTING, Shell, apply_language, empty_hint, saved_theme
from operator_app.gui.context import AppContext
from operator_app.gui.main_window import app_settings
from operator_app.gui.single_instance import InstanceServer, Request, server_name
from operator_app.services.datadir import cache_path
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.test_app_single_instance import send_from_another_process

pytestmark = OFFSCREEN_NOISE


class RecordingWindow(QMainWindow):
    """Stands in for the main window: the shell only calls these two methods."""

    def __init__(self) -> None:
        super().__init__()
        self.setCentralWidget(QLabel("window"))
        self.pops: list[str] = []
        self.opened: list[uuid.UUID] = []

    def pop_phone(self, raw: str) -> None:
        self.pops.append(raw)

    def open_customer(self, customer_id: uuid.UUID) -> None:
        self.opened.append(customer_id)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    engine = open_cache(cache_path(tmp_path))
    yield AppContext(data_dir=tmp_path, cache_path=cache_path(tmp_path), engine=engine)
    engine.dispose()


@pytest.fixture
def window(qtbot: QtBot) -> RecordingWindow:
    win = RecordingWindow()
    qtbot.addWidget(win)
    return win


def start_shell(request: Request | None = None) -> Shell:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return Shell(app, request=request, screenshot=None)


def test_the_number_from_the_starting_pop_is_shown_once_the_window_is_up(
    qtbot: QtBot, window: RecordingWindow, ctx: AppContext
) -> None:
    shell = start_shell(Request.pop("tel:+79123456789"))
    assert window.pops == []
    shell.attach(window, ctx)
    qtbot.waitUntil(lambda: window.pops == ["+79123456789"])
    shell.pop("+79990001122")
    assert window.pops == ["+79123456789", "+79990001122"]


def test_calls_arriving_during_start_up_show_only_the_latest(
    qtbot: QtBot, window: RecordingWindow, ctx: AppContext
) -> None:
    shell = start_shell()
    shell.pop("+79990000001")
    shell.pop("+79990000002")
    shell.attach(window, ctx)
    qtbot.waitUntil(lambda: window.pops == ["+79990000002"])


def test_pop_from_another_process_reaches_the_window(
    qtbot: QtBot, window: RecordingWindow, ctx: AppContext, tmp_path: Path
) -> None:
    shell = start_shell()
    server = InstanceServer(server_name(tmp_path))
    assert server.listen()
    server.pop_requested.connect(shell.pop)
    server.activate_requested.connect(shell.activate)
    try:
        shell.attach(window, ctx)
        qtbot.waitExposed(window)
        window.showMinimized()
        code, output = send_from_another_process(qtbot, server.name, "+79123456789")
        assert code == 0, output
        qtbot.waitUntil(lambda: window.pops == ["+79123456789"])
        assert window.isVisible() and not window.isMinimized()
    finally:
        server.close()


def test_empty_cache_shows_the_demo_hint(
    qtbot: QtBot, window: RecordingWindow, ctx: AppContext
) -> None:
    start_shell().attach(window, ctx)
    assert window.statusBar().currentMessage() == empty_hint()
    assert "--demo" in empty_hint()


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("dark", "dark"), ("light", "light"), ("neon", "system"), (None, "system")],
)
def test_the_theme_chosen_last_time_is_used(stored: str | None, expected: str) -> None:
    settings = app_settings()
    if stored is None:
        settings.remove(THEME_SETTING)
    else:
        settings.setValue(THEME_SETTING, stored)
    assert saved_theme() == expected


def test_language_sets_number_and_date_formats() -> None:
    before = QLocale()
    try:
        apply_language("ru")
        assert QLocale().toString(1234567) == "1\xa0234\xa0567"
        apply_language("en")
        assert QLocale().toString(1234567) == "1,234,567"
    finally:
        QLocale.setDefault(before)
