"""The worklist sections of the left panel, driven from the keyboard and the mouse."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox

from operator_app.gui.context import AppContext
from operator_app.gui.main_window import MainWindow
from operator_app.gui.models.roles import ID_ROLE
from operator_app.gui.widgets.snooze_menu import SnoozeUntilDialog
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset, local_day_end

# Offscreen has no real windows: popups cannot grab the keyboard, windows cannot be raised.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|requestActivate|grabbing the "
    r"keyboard)\(?\)?"
)

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
MINE, FOLLOW_UPS, WAITING = 0, 1, 2


def waiting_ids(window: MainWindow) -> list[Any]:
    model = window.search_panel.waiting
    return [model.item(row).conversation_id for row in range(model.rowCount())]  # type: ignore[union-attr]


def test_counts_say_how_many_and_how_many_are_late(window: MainWindow, dataset: Dataset) -> None:
    panel = window.search_panel
    mine, follow_ups, waiting = (panel.worklist_count_label(i) for i in range(3))
    assert mine.text() == f"{panel.mine.rowCount()} open"
    rows = panel.follow_ups.rowCount()
    late = sum(panel.follow_ups.item(r).overdue for r in range(rows))  # type: ignore[union-attr]
    assert late > 0
    # The data puts some follow-ups later in the day it was built; in that day's last
    # minutes (or after midnight) they have all come due, and "not all late" cannot hold.
    if local_day_end(dataset.now) - datetime.now(UTC) > timedelta(hours=1):
        assert late < rows
    assert follow_ups.text() == f"{rows} due, {late} overdue"
    assert follow_ups.property("state") == "overdue"
    # "(s)" until the English plural forms are compiled in; "follow-ups" after.
    plural = rf"{rows} follow-up(s|\(s\)) due today, {late} overdue"
    assert re.fullmatch(plural, follow_ups.accessibleName())
    assert waiting.text() == f"{panel.waiting.rowCount()} waiting"
    # The waiting entries say how long the customer has waited.
    tip = panel.waiting.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert re.search(r"waiting for our reply for \d+ (min|h|days?)$", tip)


def test_keyboard_walks_the_sections_and_enter_opens_the_conversation(
    qtbot: Any, window: MainWindow
) -> None:
    panel = window.search_panel
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL_SHIFT)
    view = panel.worklist_view(WAITING)
    assert view.hasFocus() and view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 2
    chosen = panel.waiting.item(2)
    assert chosen is not None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    wait_for_card(qtbot, window, chosen.customer_id)
    # The card opens at that conversation: it is picked in the assist panel (reply target).
    qtbot.waitUntil(lambda: window.assist.conversations_list.currentItem() is not None)
    current = window.assist.conversations_list.currentItem()
    assert current.data(ID_ROLE) == chosen.conversation_id
    assert view.hasFocus()

    # Up at the top leaves the list for the search box; Ctrl+Shift+2 jumps to follow-ups.
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Up)
    assert panel.search_edit.hasFocus()
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_2, CTRL_SHIFT)
    assert panel.worklist_view(FOLLOW_UPS).hasFocus()


def test_a_click_opens_the_customer_of_a_follow_up(qtbot: Any, window: MainWindow) -> None:
    panel = window.search_panel
    view = panel.worklist_view(FOLLOW_UPS)
    item = panel.follow_ups.item(1)
    assert item is not None
    rect = view.visualRect(panel.follow_ups.index(1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_for_card(qtbot, window, item.customer_id)


def test_snoozing_a_waiting_dialog_hides_it_and_it_stays_hidden_after_a_restart(
    qtbot: Any, window: MainWindow, ctx: AppContext
) -> None:
    panel = window.search_panel
    view = panel.worklist_view(WAITING)
    assert "Ctrl+Shift+S" in view.toolTip()
    before = waiting_ids(window)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL_SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    snoozed = panel.waiting.item(1)
    assert snoozed is not None
    qtbot.keyClick(view, Qt.Key.Key_S, CTRL_SHIFT)
    menu = panel.snooze_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_H)  # "For 1 &hour"
    qtbot.waitUntil(lambda: snoozed.conversation_id not in waiting_ids(window))
    assert waiting_ids(window) == [c for c in before if c != snoozed.conversation_id]
    assert panel.worklist_count_label(WAITING).text() == f"{len(before) - 1} waiting"
    assert "snoozed until" in window.statusBar().currentMessage()
    # The keyboard stays in the list, on the entry that took the snoozed one's place
    # (the window's focus child: offscreen never hands activation back from a popup).
    assert window.focusWidget() is view and view.currentIndex().row() == 1

    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.search_panel.waiting.rowCount() > 0)
    assert snoozed.conversation_id not in waiting_ids(again)
    again.close()


def test_the_context_menu_snoozes_too_and_follow_ups_need_a_server(
    qtbot: Any, window: MainWindow
) -> None:
    panel = window.search_panel
    view = panel.worklist_view(FOLLOW_UPS)
    rows = panel.follow_ups.rowCount()
    rect = view.visualRect(panel.follow_ups.index(0))
    view.customContextMenuRequested.emit(rect.center())  # what a right click or Menu key sends
    menu = panel.snooze_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assert [a.text() for a in menu.actions()] == [
        "For 1 &hour",
        "Until &tomorrow 9:00",
        "&Pick a date and time…",
    ]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    # The Menu key opens it at the current entry too.
    view.setCurrentIndex(panel.follow_ups.index(2))
    qtbot.keyClick(view, Qt.Key.Key_Menu)
    menu = panel.snooze_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    row = view.visualRect(panel.follow_ups.index(2))
    assert view.viewport().mapToGlobal(row.bottomLeft()).y() <= menu.pos().y()
    qtbot.keyClick(menu, Qt.Key.Key_T)
    # No server: a follow-up's time belongs to the team, so it is not moved here alone.
    qtbot.waitUntil(lambda: "Sign in to a server" in window.statusBar().currentMessage())
    assert panel.follow_ups.rowCount() == rows


def test_a_picked_date_and_time_snoozes_until_then(qtbot: Any, window: MainWindow) -> None:
    panel = window.search_panel
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL_SHIFT)
    snoozed = panel.waiting.item(0)
    assert snoozed is not None
    menu = panel.show_snooze_menu("waiting")
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_P)
    dialog = menu.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.focusWidget() is dialog.when_edit
    until = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2)
    dialog.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(until.timestamp())))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.when_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: snoozed.conversation_id not in waiting_ids(window))
    with window.ctx.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT until FROM worklist_snoozes WHERE conversation_id = ?",
            (snoozed.conversation_id.bytes,),
        ).scalar_one()
    assert stored == int(until.timestamp()) * 1_000_000


def test_a_moment_that_passed_while_picking_is_refused(qtbot: Any) -> None:
    opened = datetime.now(UTC)
    moments = iter([opened, opened + timedelta(days=3)])
    dialog = SnoozeUntilDialog(None, clock=lambda: next(moments))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.assertNotEmitted(dialog.chosen):
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Pick a time in the future to snooze until."
    assert dialog.error_label.isVisible()
