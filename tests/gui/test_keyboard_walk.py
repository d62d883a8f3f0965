"""The whole window without a mouse: Tab and Shift+Tab reach every control, each has a
name a screen reader can say and shows that it has the focus; every command has a
shortcut or sits in a menu that Alt+letter opens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction, QImage
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from operator_app.gui.main_window import MainWindow
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset

pytestmark = OFFSCREEN_NOISE
LIMIT = 400


def tab_stops(window: MainWindow) -> list[QWidget]:
    """Every control a keyboard user should be able to land on, as Qt sees it."""
    stops = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if not widget.isEnabled() or widget.focusProxy() is not None:
            continue
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            stops.append(widget)
    return stops


def name_of(widget: QWidget) -> str:
    """The name assistive technology reads (accessible name, or a button's text)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "None"
    return f"{type(widget).__name__}#{widget.objectName()}"


def walk(
    qtbot: QtBot, window: MainWindow, backwards: bool = False
) -> tuple[list[QWidget], list[QWidget]]:
    """Press Tab (or Shift+Tab) from the search box until the focus comes back.

    Returns the widgets visited and those that looked the same with and without the
    focus (grabbed just before and just after each key press, as a user sees them)."""
    first = window.search_panel.search_edit
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    mods = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    visited: list[QWidget] = [first]
    unmarked: list[QWidget] = []
    for _ in range(LIMIT):
        current = QApplication.focusWidget()
        assert current is not None, f"focus lost after {describe(visited[-1])}"
        focused = image(current)
        qtbot.keyClick(current, key, mods)
        widget = QApplication.focusWidget()
        assert widget is not current, f"Tab is stuck in {describe(current)}"
        if image(current) == focused:
            unmarked.append(current)
        if widget is first:
            return visited, unmarked
        assert widget is not None
        visited.append(widget)
    raise AssertionError(f"Tab never came back to the search box: {[describe(w) for w in visited]}")


def image(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def check_every_stop(qtbot: QtBot, window: MainWindow) -> None:
    forward, unmarked = walk(qtbot, window)
    expected = tab_stops(window)
    missed = [describe(w) for w in expected if w not in forward]
    assert missed == [], "not reachable by Tab"
    unnamed = [describe(w) for w in forward if not name_of(w)]
    assert unnamed == [], "no accessible name"
    assert [describe(w) for w in unmarked] == [], "no visible focus"
    backward, _ = walk(qtbot, window, backwards=True)
    assert backward[1:] == list(reversed(forward[1:])), "Shift+Tab is not Tab in reverse"


def test_tab_walks_the_start_page(qtbot: QtBot, window: MainWindow) -> None:
    check_every_stop(qtbot, window)


def test_tab_walks_a_customer_card(qtbot: QtBot, window: MainWindow, dataset: Dataset) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    check_every_stop(qtbot, window)


def menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found += menu_actions(action.menu())  # type: ignore[arg-type]
        elif not action.isSeparator():
            found.append(action)
    return found


@pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|requestActivate|grabbing the keyboard)"
)
def test_every_command_has_a_shortcut_or_a_menu_reached_by_alt(
    qtbot: QtBot, window: MainWindow
) -> None:
    in_menus: set[QAction] = set()
    for bar_action in window.menuBar().actions():
        menu = bar_action.menu()
        assert isinstance(menu, QMenu)
        title = bar_action.text()
        assert "&" in title, f"menu {title!r} has no Alt+letter"
        letter = title[title.index("&") + 1]
        qtbot.keyClick(window, letter.lower(), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(menu.isVisible)
        qtbot.keyClick(menu, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda m=menu: not m.isVisible())  # type: ignore[misc]
        in_menus.update(menu_actions(menu))
    stranded = [
        a.text()
        for a in window.findChildren(QAction)
        if a.text()
        and not a.isSeparator()
        and a.menu() is None
        and a not in in_menus
        and not a.shortcuts()
        and a.parent() is window
    ]
    assert stranded == []


def test_tab_walks_a_card_with_the_composer(
    qtbot: QtBot, window: MainWindow, dataset: Dataset
) -> None:
    window.enable_local_changes(True)
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    assert window.composer.isVisible()
    check_every_stop(qtbot, window)


def test_tab_walks_the_unknown_caller_and_new_customer_pages(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.enable_local_changes(True)
    window.pop_phone("+7 900 000-00-01")
    qtbot.waitUntil(window.unknown_view.isVisible)
    check_every_stop(qtbot, window)
    qtbot.mouseClick(window.unknown_view.ui.createButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.new_customer_view.isVisible)
    check_every_stop(qtbot, window)
