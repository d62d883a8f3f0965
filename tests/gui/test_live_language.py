"""A language switch while the window is open: every text follows, nothing typed is lost."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QTabWidget, QWidget

from operator_app.cache.apply import apply_changes
from operator_app.gui.language import apply_language
from operator_app.gui.main_window import MainWindow
from tests.e2e.builders import Feed, conversation_row, customer_row
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.conftest import type_into, wait_for_card
from tests.gui.dataset import Dataset

pytestmark = OFFSCREEN_NOISE
TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"


def _one_low_score(window: MainWindow) -> None:
    feed = Feed()
    customer_id, conversation_id, survey_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    at = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    changes: list[Any] = [
        feed.upsert("customer", customer_row(customer_id)),
        feed.upsert("conversation", conversation_row(conversation_id, customer_id)),
        feed.upsert(
            "survey",
            {
                "id": str(survey_id),
                "customer_id": str(customer_id),
                "conversation_id": str(conversation_id),
                "kind": "csat",
                "channel": "telegram",
                "token": None,
                "sent_at": at,
                "score": 2,
                "comment": "slow",
                "answered_at": at,
                "version": 2,
                "updated_at": at,
            },
        ),
        feed.upsert(
            "review_case",
            {
                "id": str(uuid.uuid4()),
                "survey_id": str(survey_id),
                "customer_id": str(customer_id),
                "status": "new",
                "assignee": None,
                "opened_at": at,
                "actions": [{"action": "opened", "actor": "system", "at": at}],
                "version": 1,
                "updated_at": at,
            },
        ),
    ]
    apply_changes(window.ctx.engine, changes, len(changes))


def test_switching_to_russian_retranslates_the_open_supervisor_area(
    qtbot: Any, window: MainWindow
) -> None:
    _one_low_score(window)
    area = window.supervisor
    area.set_role("supervisor")
    area.show_supervisor(True)
    queue = area.view.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    queue.table.selectRow(0)
    panel = queue.panel
    qtbot.waitUntil(lambda: panel.case is not None)
    panel.outcome_combo.setCurrentIndex(2)
    panel.resolve_note.setFocus()
    type_into(qtbot, panel.resolve_note, "called, apologised")
    queue.channel_filter.setCurrentIndex(0)
    assert area.tabs.tabText(1) == "Supervisor"
    old_dashboards = area.dashboards

    apply_language("ru")

    qtbot.waitUntil(lambda: area.tabs.tabText(0) == "Клиенты")
    assert area.tabs.tabText(1) == "Супервайзер"
    pages = area.view.pages
    assert pages.tabText(pages.indexOf(queue)) == "Очередь разборов"
    assert area.dashboards is not old_dashboards and area.dashboards is not None
    assert pages.tabText(pages.indexOf(area.dashboards)) == "Показатели"
    assert queue.refresh_button.text() != "Refresh"
    assert panel.resolve_button.text() == "Закрыть разбор"
    assert queue.model.headerData(6, Qt.Orientation.Horizontal) == "Ведёт"
    # What the supervisor typed and chose is still there.
    assert panel.resolve_note.toPlainText() == "called, apologised"
    assert panel.outcome_combo.currentIndex() == 2
    assert panel.case is not None
    assert not window.user_label.text().endswith("operator")
    assert window.sync_label.text().startswith("Синхронизация")
    assert window.composer.surveys.ask_button.text() == "Решить и спросить оценку"
    assert window.desktop.tray.quit_action.text() != "&Quit"

    apply_language("en")
    qtbot.waitUntil(lambda: area.tabs.tabText(0) == "Customers")
    assert panel.resolve_button.text() == "Resolve case"
    assert panel.resolve_note.toPlainText() == "called, apologised"


def _english_sources() -> set[str]:
    """English texts whose Russian differs: seen in a Russian window, they were missed."""
    tree = ElementTree.parse(TRANSLATIONS / "operator_app_ru.ts")
    sources = set()
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        russian = "".join(translation.itertext()) if translation is not None else ""
        if "{" in source or "%n" in source or not russian or russian == source:
            continue
        sources.add(source)
    return sources


def _texts(window: MainWindow) -> list[tuple[str, str]]:
    """Every text a person (or a screen reader) meets in the window: (where, text)."""
    found: list[tuple[str, str]] = []
    for widget in [window, *window.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}"
        for getter in ("text", "placeholderText", "toolTip", "accessibleName", "title"):
            method = getattr(widget, getter, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:
                    continue
                if isinstance(value, str) and value:
                    found.append((f"{where}.{getter}", value))
        if isinstance(widget, QComboBox):
            found += [(f"{where} item", widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            found += [(f"{where} tab", widget.tabText(i)) for i in range(widget.count())]
        for action in widget.actions():
            found += [(f"{where} action", action.text()), (f"{where} tip", action.toolTip())]
    return found


def test_nothing_stays_english_after_switching_to_russian(
    qtbot: Any, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    _one_low_score(window)
    window.supervisor.set_role("supervisor")
    window.supervisor.show_supervisor(True)
    qtbot.waitUntil(lambda: window.supervisor.view.queue.model.rowCount() == 1)
    english = _english_sources()
    apply_language("ru")
    qtbot.waitUntil(lambda: window.supervisor.tabs.tabText(0) == "Клиенты")
    # Pages made anew in the new language: the old ones are gone once deletes run.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: not window.db.busy)  # the status line's reads
    left = sorted({(where, text) for where, text in _texts(window) if text in english})
    assert left == [], "\n".join(f"{w}: {t}" for w, t in left)
