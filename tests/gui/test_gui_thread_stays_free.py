"""Every cache read of a whole working session happens off the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import event

from operator_app.gui.context import AppContext
from operator_app.gui.main_window import MainWindow
from tests.gui.conftest import search_for, wait_for_card
from tests.gui.dataset import Dataset


def test_the_gui_thread_never_touches_the_database(
    qtbot, ctx: AppContext, dataset: Dataset
) -> None:
    checkouts: list[int] = []

    def on_checkout(*_: Any) -> None:
        checkouts.append(threading.get_ident())

    # Every repository call takes a pooled connection first, whatever it runs on it.
    event.listen(ctx.engine, "checkout", on_checkout)
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitUntil(lambda: not window.is_busy())
        search_for(qtbot, window, "Смирнов")
        window.pop_phone("+7 912 345 67 89")
        wait_for_card(qtbot, window, dataset.anna)
        view = window.card_view.timeline_view
        view.setFocus()
        for _ in range(3):
            qtbot.keyClick(view, Qt.Key.Key_End)
            qtbot.waitUntil(lambda: not window.is_busy())
        window.refresh()
        qtbot.waitUntil(lambda: not window.is_busy())
        window.close()
    finally:
        event.remove(ctx.engine, "checkout", on_checkout)
    assert len(checkouts) > 8
    assert threading.get_ident() not in checkouts
    assert len(set(checkouts)) == 1  # one DB thread, not a pool of them
