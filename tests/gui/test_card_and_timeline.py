"""The card shows the customer the cache holds; the timeline scrolls through all of it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from operator_app.gui import theme
from operator_app.gui.main_window import MainWindow
from operator_app.gui.models.roles import ID_ROLE
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset


def tree_column(tree, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [tree.topLevelItem(row).text(column) for row in range(tree.topLevelItemCount())]


def test_the_card_shows_name_phone_orders_and_coverage(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    ui = window.card_view.ui

    assert ui.nameLabel.text() == "Иванова Анна Сергеевна"
    assert "+7 912 345-67-89" in ui.contactLabel.text()
    assert "anna.ivanova@example.ru" in ui.contactLabel.text()
    assert ui.tierBadge.text() == "Gold"
    assert "WhatsApp" in ui.detailsLabel.text() and "Local time" in ui.detailsLabel.text()
    assert "marketing allowed" in ui.consentLabel.text()

    assert tree_column(ui.purchasesTree, 0) == dataset.anna_order_numbers
    assert tree_column(ui.coverageTree, 0) == [
        "Ноутбук Aero 14",
        "Подписка «Кино+» Премиум",
        "Приоритетная поддержка",
    ]
    assert tree_column(ui.coverageTree, 1) == ["Warranty", "Subscription", "Support"]
    assert tree_column(ui.interestsTree, 0) == ["Робот-пылесос Clean X", "Смартфон Nova 13 Pro"]


def test_coverage_ending_within_30_days_is_highlighted(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    tree = window.card_view.ui.coverageTree
    warning = QColor(theme.tokens().warning)
    soon, later = tree.topLevelItem(0), tree.topLevelItem(1)
    assert soon.text(2) == "in 12 days"
    assert soon.foreground(0).color() == warning
    assert later.foreground(0).color() != warning  # 35 days away: not yet
    assert [window.assist.warnings_list.item(i).text() for i in range(1)] == [
        "Warranty ends in 12 days"
    ]
    assert window.assist.warnings_list.count() == 1


def test_value_strip_formats_money_and_explains_missing_predictions(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    ui = window.card_view.ui
    digits = "".join(ch for ch in ui.clvValue.text() if ch.isdigit())
    assert digits == "287450"
    assert "₽" in ui.clvValue.text()
    for value in (ui.predictedValue, ui.aliveValue):
        assert value.text() == "not estimated yet"
        assert "has not done so for this customer yet" in value.toolTip()
    assert ui.valueSegmentBadge.isHidden()  # no segment until the server estimated it
    assert ui.surveyValue.text() == "4 / 9"
    assert ui.complaintsValue.text() == "1"
    assert ui.complaintsValue.property("alert") is True


def test_milestones_and_open_conversations(qtbot, window: MainWindow, dataset: Dataset) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    today = date.today()
    milestones = window.card_view.milestone_texts()
    assert milestones[0].startswith("Birthday in 6 days")
    assert milestones[1] == f"Customer for 7 years (since {today.year - 7})"
    conversations = window.assist.conversations_list
    assert conversations.count() == 2
    assert {conversations.item(i).text() for i in range(2)} == {
        "Доставка заказа",
        "Не заряжается телефон",
    }


def test_scrolling_the_timeline_loads_every_item_once_in_order(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    model = window.timeline
    view = window.card_view.timeline_view
    assert model.rowCount() == 50  # one page to start with
    view.setFocus()
    for _ in range(30):
        if model.is_complete:
            break
        qtbot.keyClick(view, Qt.Key.Key_End)
        qtbot.waitUntil(lambda: not model.is_loading)
    assert model.is_complete
    ids = [model.index(row).data(ID_ROLE) for row in range(model.rowCount())]
    assert ids == [key[1] for key in dataset.anna_timeline]


def test_page_down_scrolls_the_timeline(qtbot, window: MainWindow, dataset: Dataset) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    view = window.card_view.timeline_view
    bar = view.verticalScrollBar()
    view.setFocus()
    assert bar.value() == 0
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    first = bar.value()
    assert first > 0
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert bar.value() > first


def test_open_conversations_are_highlighted_in_the_timeline(
    qtbot, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    model = window.timeline
    open_rows = [row for row in range(model.rowCount()) if model.item(row).is_open]
    assert len(open_rows) == 2
    index = model.index(open_rows[0])
    rect = window.card_view.timeline_view.visualRect(index)
    window.card_view.timeline_view.scrollTo(index)
    rect = window.card_view.timeline_view.visualRect(index)
    image = window.card_view.timeline_view.viewport().grab(rect).toImage()
    # The accent bar on the left edge of an open item.
    assert image.pixelColor(1, rect.height() // 2) == QColor(theme.tokens().accent)


def test_a_customer_missing_from_the_cache_leaves_a_clear_message(
    qtbot, window: MainWindow
) -> None:
    import uuid

    window.open_customer(uuid.uuid4())
    qtbot.waitUntil(lambda: not window.db.busy)
    assert window.ui.centreStack.currentWidget() is window.empty_view
    assert window.statusBar().currentMessage() == "That customer is not in the local cache"


def test_a_broken_cache_read_is_reported_in_the_status_bar_not_raised(
    qtbot, window: MainWindow, dataset: Dataset, engine
) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE coverages RENAME TO coverages_gone")
    window.open_customer(dataset.anna)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "")
    assert window.statusBar().currentMessage().startswith("Could not read the local cache:")
    assert "coverages" in window.statusBar().currentMessage()
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE coverages_gone RENAME TO coverages")
    window.open_customer(dataset.anna)  # the thread survived: the next read works
    wait_for_card(qtbot, window, dataset.anna)
