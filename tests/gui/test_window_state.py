"""Status bar, saved layout, accessible names and a clean shutdown."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from operator_app.cache.models import OutboxRow
from operator_app.gui.context import AppContext
from operator_app.gui.main_window import MainWindow, app_settings


def status_texts(window: MainWindow) -> list[str]:
    return [
        label.text()
        for label in (
            window._connection_label,
            window._pending_label,
            window._sync_label,
            window._user_label,
        )
    ]


def test_status_bar_shows_connection_pending_changes_sync_and_user(
    qtbot, window: MainWindow
) -> None:
    assert status_texts(window) == [
        "Offline (local cache)",
        "Pending changes: 0",
        "Last sync: never",
        "Demo Operator · operator",
    ]


def test_pending_changes_count_the_outbox(qtbot, window: MainWindow, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(OutboxRow),
            [
                {
                    "mutation_id": uuid.uuid4(),
                    "entity": "note",
                    "entity_id": uuid.uuid4(),
                    "op": "create",
                    "base_version": None,
                    "data": {},
                    "created_at": datetime.now(UTC),
                }
                for _ in range(3)
            ],
        )
    window.refresh_status()
    qtbot.waitUntil(lambda: window._pending_label.text() == "Pending changes: 3")


def test_pane_sizes_are_remembered_by_the_next_window(qtbot, ctx: AppContext) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.resize(1280, 800)
    first.show()
    qtbot.waitExposed(first)
    first.ui.mainSplitter.setSizes([400, 580, 300])
    chosen = first.ui.mainSplitter.sizes()
    first.close()

    second = MainWindow(ctx)
    qtbot.addWidget(second)
    # The test screen is smaller than the window; a real one gives back the saved size.
    second.resize(first.size())
    second.show()
    qtbot.waitExposed(second)
    assert second.ui.mainSplitter.sizes() == chosen
    second.close()


def test_closing_the_window_stops_the_db_thread(qtbot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.db.is_running
    window.close()
    assert not window.db.is_running


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    controls = [
        w
        for w in window.findChildren(QAbstractItemView)
        + window.findChildren(QLineEdit)
        + window.findChildren(QAbstractButton)
        if w.objectName()
        and not w.objectName().startswith("qt_")
        and w.parent() is not None
        and type(w).__name__ not in {"QToolButton"}  # line-edit clear buttons, splitter bits
    ]
    assert len(controls) > 10
    unnamed = [w.objectName() for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_the_card_split_is_remembered_only_when_the_user_chose_it(
    qtbot, ctx: AppContext, dataset
) -> None:
    from tests.gui.conftest import wait_for_card

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    fitted_top = window.card_view.ui.cardSplitter.sizes()[0]
    window.close()
    assert not app_settings().contains("mainWindow/cardSplitter")  # fitted, not chosen
    assert abs(fitted_top - 120) > 20  # so coming back at 120 is the choice, not the fit

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    splitter = window.card_view.ui.cardSplitter
    splitter.setSizes([120, sum(splitter.sizes()) - 120])
    splitter.splitterMoved.emit(120, 1)  # what a drag of the handle reports
    chosen = splitter.sizes()
    window.close()
    assert app_settings().contains("mainWindow/cardSplitter")

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    # The chosen split comes back; the card's total height may differ by a few pixels
    # between windows (status texts, tabs), and the splitter shares that out pro rata.
    top, rest = window.card_view.ui.cardSplitter.sizes()
    assert abs(top - chosen[0]) <= 3
    assert abs(top / (top + rest) - chosen[0] / sum(chosen)) < 0.01
    window.close()
