"""Screen pop: the caller's number decides what the operator sees."""

from __future__ import annotations

from PySide6.QtCore import Qt

from operator_app.gui.main_window import MainWindow
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset


def test_a_known_number_in_any_format_opens_its_card(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.pop_phone("tel:8 (912) 345-67-89")
    wait_for_card(qtbot, window, dataset.anna)
    assert window.current_customer_id == dataset.anna
    assert window.card_view.ui.nameLabel.text() == "Иванова Анна Сергеевна"


def test_a_shared_number_lists_everyone_behind_it(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.pop_phone("+7 903 555 00 11")
    panel = window.search_panel
    qtbot.waitUntil(lambda: panel.results.rowCount() == 2)
    listed = {panel.results.summary(row).id for row in range(2)}
    assert listed == set(dataset.shared)
    assert panel.ui.resultsHeader.text() == "2 customers share +7 903 555-00-11"
    assert panel.results_view.hasFocus()
    assert window.ui.centreStack.currentWidget() is window.empty_view
    assert window.empty_view.ui.titleLabel.text() == "Who is calling?"
    qtbot.keyClick(panel.results_view, Qt.Key.Key_Return)
    first = panel.results.summary(0)
    assert first is not None
    wait_for_card(qtbot, window, first.id)


def test_an_unknown_number_offers_to_create_a_customer_with_it(qtbot, window: MainWindow) -> None:
    window.pop_phone("+74951234567")
    qtbot.waitUntil(lambda: window.ui.centreStack.currentWidget() is window.unknown_view)
    assert window.unknown_view.ui.numberLabel.text() == "+7 495 123-45-67"
    assert window.assist.warnings_list.count() == 0

    qtbot.mouseClick(window.unknown_view.ui.createButton, Qt.MouseButton.LeftButton)
    form = window.new_customer_view
    assert window.ui.centreStack.currentWidget() is form
    assert form.ui.phoneEdit.text() == "+7 495 123-45-67"
    assert form.ui.lastNameEdit.hasFocus()
    assert not form.ui.saveButton.isEnabled()
    assert form.ui.saveButton.toolTip() == "Available when connected to a server"

    qtbot.keyClick(form.ui.lastNameEdit, Qt.Key.Key_Escape)
    assert window.ui.centreStack.currentWidget() is window.unknown_view


def test_a_pop_replaces_the_card_that_was_open(qtbot, window: MainWindow, dataset: Dataset) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    window.pop_phone("+7 495 123-45-67")
    qtbot.waitUntil(lambda: window.ui.centreStack.currentWidget() is window.unknown_view)
    assert window.current_customer_id is None
    assert window.timeline.rowCount() == 0


def test_text_that_is_not_a_number_is_shown_as_given_and_explained(
    qtbot, window: MainWindow
) -> None:
    window.pop_phone("not a number")
    assert window.ui.centreStack.currentWidget() is window.unknown_view
    assert window.unknown_view.ui.numberLabel.text() == "not a number"
    assert window.statusBar().currentMessage() == "“not a number” is not a phone number"


def test_a_single_match_is_read_in_one_job_with_its_first_page_and_offers(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    """Phone → card, first timeline page and offers come back together: one trip to the
    DB thread, so the window updates (and paints) once per call."""
    jobs: list[object] = []
    submit = window.db.submit

    def counting(job, on_done, **kwargs):  # type: ignore[no-untyped-def]
        jobs.append(job)
        return submit(job, on_done, **kwargs)

    window.db.submit = counting  # type: ignore[method-assign]
    window.pop_phone("+7 912 345-67-89")
    wait_for_card(qtbot, window, dataset.anna)
    qtbot.waitUntil(lambda: not window.is_busy())
    assert len(jobs) == 1
    assert window.timeline.rowCount() > 0
    assert window.offer_assist.card is not None
    assert window.offer_assist.card.customer.id == dataset.anna
    assert window.offer_assist.advice is not None
