"""Nothing is cut off at the two screen sizes operators use most, in either theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel

from operator_app.gui import theme
from operator_app.gui.main_window import MainWindow
from operator_app.gui.widgets.elided_label import ElidedLabel
from tests.gui.conftest import search_for, wait_for_card
from tests.gui.dataset import Dataset


def clipped_labels(window: MainWindow) -> list[str]:
    found = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text() or isinstance(label, ElidedLabel):
            continue
        name = repr(label.objectName() or label.text())
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if label.height() + 1 < needed:
                found.append(f"{name}: height {label.height()} < {needed}")
        elif label.width() + 1 < label.sizeHint().width():
            found.append(f"{name}: width {label.width()} < {label.sizeHint().width()}")
    return found


@pytest.mark.parametrize(
    "size", [QSize(1280, 800), QSize(1920, 1080)], ids=["1280x800", "1920x1080"]
)
@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_no_label_is_cut_off_on_a_full_card(
    qtbot, qapp: QApplication, window: MainWindow, dataset: Dataset, size: QSize, theme_name: str
) -> None:
    theme.apply_theme(qapp, theme_name)
    window.resize(size)
    search_for(qtbot, window, "Иванова")
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    qtbot.wait(20)  # one more layout pass after the card filled in
    assert clipped_labels(window) == []
    name = window.card_view.ui.nameLabel
    assert name.elided_text() == name.text()  # the name itself fits at these sizes
    # The details above the timeline fit without their own scroll bar.
    assert not window.card_view.ui.detailsScroll.verticalScrollBar().isVisible()


def test_the_unknown_caller_page_fits(qtbot, window: MainWindow) -> None:
    window.pop_phone("+7 495 123-45-67")
    qtbot.waitUntil(lambda: window.unknown_view.isVisible())
    assert clipped_labels(window) == []
