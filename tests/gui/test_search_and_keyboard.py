"""Search as you type, and the whole trip to a card without touching the mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from operator_app.gui.main_window import MainWindow
from tests.gui.conftest import search_for, wait_for_card
from tests.gui.dataset import Dataset


def test_typing_a_name_lists_the_customers_who_match(qtbot, window: MainWindow) -> None:
    names = search_for(qtbot, window, "Иванова Ан")
    assert names[0] == "Иванова Анна Сергеевна"
    assert window.search_panel.results_view.isVisible()
    assert window.search_panel.ui.resultsHeader.text().endswith(("customer", "customers"))


def test_any_phone_format_finds_the_same_customer(qtbot, window: MainWindow) -> None:
    for typed in ("89123456789", "+7 912 345-67-89", "9123456789"):
        assert search_for(qtbot, window, typed) == ["Иванова Анна Сергеевна"], typed


def test_a_query_nobody_matches_says_so(qtbot, window: MainWindow) -> None:
    assert search_for(qtbot, window, "Зюзюкин") == []
    assert window.search_panel.ui.resultsHeader.text() == "No customer matches “Зюзюкин”"


def test_clearing_the_box_hides_the_results(qtbot, window: MainWindow) -> None:
    search_for(qtbot, window, "Смирнов")
    qtbot.keyClick(window.search_panel.search_edit, Qt.Key.Key_Escape)
    assert window.search_panel.search_edit.text() == ""
    assert not window.search_panel.results_view.isVisible()
    assert window.search_panel.results.rowCount() == 0


def test_arrows_walk_the_results_and_enter_opens_the_card(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    names = search_for(qtbot, window, "Смирнов")
    assert sorted(names) == ["Смирнов Пётр Ильич", "Смирнова Ольга Петровна"]
    edit = window.search_panel.search_edit
    view = window.search_panel.results_view

    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert view.hasFocus() and view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Up)  # past the top: back in the search box
    assert edit.hasFocus()

    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    chosen = window.search_panel.results.summary(1)
    assert chosen is not None
    wait_for_card(qtbot, window, chosen.id)
    assert window.card_view.ui.nameLabel.text() == names[1]
    assert window.windowTitle().startswith(names[1])


def test_enter_in_the_search_box_opens_the_first_match(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    search_for(qtbot, window, "89123456789")
    qtbot.keyClick(window.search_panel.search_edit, Qt.Key.Key_Return)
    wait_for_card(qtbot, window, dataset.anna)


def test_escape_backspace_and_alt_left_return_to_the_search_box(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    search_for(qtbot, window, "Смирнов")
    edit = window.search_panel.search_edit
    view = window.search_panel.results_view
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace):
        qtbot.keyClick(edit, Qt.Key.Key_Down)
        assert view.hasFocus()
        qtbot.keyClick(view, key)
        assert edit.hasFocus()
        assert edit.text() == "Смирнов"  # going back keeps the query

    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    timeline = window.card_view.timeline_view
    timeline.setFocus()
    qtbot.keyClick(timeline, Qt.Key.Key_Escape)
    assert edit.hasFocus()
    timeline.setFocus()
    qtbot.keyClick(timeline, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert edit.hasFocus()


def focused_panel_after(
    qtbot, window: MainWindow, key: Qt.Key, mods=Qt.KeyboardModifier.ControlModifier
):  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, mods)
    return window.focused_panel()


def test_ctrl_digits_and_ctrl_l_move_between_the_three_panels(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    assert focused_panel_after(qtbot, window, Qt.Key.Key_2) == 1
    assert window.card_view.timeline_view.hasFocus()
    assert focused_panel_after(qtbot, window, Qt.Key.Key_3) == 2
    assert window.assist.warnings_list.hasFocus()
    assert focused_panel_after(qtbot, window, Qt.Key.Key_1) == 0
    assert window.search_panel.search_edit.hasFocus()
    assert focused_panel_after(qtbot, window, Qt.Key.Key_L) == 1
    assert focused_panel_after(qtbot, window, Qt.Key.Key_L) == 2
    assert focused_panel_after(qtbot, window, Qt.Key.Key_F6, Qt.KeyboardModifier.NoModifier) == 0


def test_ctrl_f_and_f3_focus_the_search_box_with_its_text_selected(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    search_for(qtbot, window, "Смирнов")
    edit = window.search_panel.search_edit
    for key, mods in (
        (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier),
    ):
        window.card_view.timeline_view.setFocus()
        assert not edit.hasFocus()
        qtbot.keyClick(window.card_view.timeline_view, key, mods)
        assert edit.hasFocus()
        assert edit.selectedText() == "Смирнов"


def test_worklist_shortcuts_and_enter_open_the_customer_of_a_conversation(
    qtbot, window: MainWindow
) -> None:
    mine = window.search_panel.mine
    assert mine.rowCount() > 0
    qtbot.keyClick(
        window,
        Qt.Key.Key_1,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    view = window.search_panel.worklist_view(0)
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    first = mine.item(0)
    assert first is not None
    wait_for_card(qtbot, window, first.customer_id)


def test_shortcuts_are_shown_in_the_view_and_go_menus(window: MainWindow) -> None:
    ui = window.ui
    menus = {action.text().replace("&", "") for action in ui.menuBar.actions()}
    assert {"View", "Go"} <= menus
    shown = {
        a.text().replace("&", ""): [s.toString() for s in a.shortcuts()]
        for a in ui.menuView.actions() + ui.menuGo.actions()
        if not a.isSeparator() and a.menu() is None
    }
    assert shown["Find customer"] == ["Ctrl+F", "F3"]
    assert shown["Worklist and search"] == ["Ctrl+1"]
    assert shown["Customer card"] == ["Ctrl+2"]
    assert shown["Assist panel"] == ["Ctrl+3"]
    assert shown["Next panel"] == ["Ctrl+L", "F6"]
    assert shown["Back to search"] == ["Alt+Left"]
    assert "Ctrl+F" in window.ui.actionFocusSearch.toolTip()
