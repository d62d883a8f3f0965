"""The low-score story against the real server, with two windows (operator and supervisor).

The operator resolves a chat and asks with one key; the customer answers "2" on the
survey page like a phone would; the supervisor hears of it, opens the case, assigns it,
compensates within the limit (and is refused over it), resolves it with a note; the
server's audit trail has every step.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from operator_app.cache.db import open_cache
from operator_app.gui.context import AppContext
from operator_app.gui.main_window import MainWindow
from operator_app.sync import Backoff
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import live_server, qloop, run_async, server_admin, sign_in
from tests.server.surveys_support import form_token

__all__ = ["live_server", "qloop"]
pytestmark = OFFSCREEN_NOISE


def _window(tmp_path: Path, name: str) -> MainWindow:
    folder = tmp_path / name
    folder.mkdir()
    engine = open_cache(folder / "cache.sqlite3")
    ctx = AppContext(
        data_dir=folder,
        cache_path=folder / "cache.sqlite3",
        engine=engine,
        demo=False,
        user_name="Not signed in",
    )
    window = MainWindow(ctx)
    window.sync.controller_options = {"backoff": Backoff(base=0.05, cap=0.3)}
    window.resize(1280, 800)
    return window


@pytest.fixture
def windows(
    qtbot: Any, qloop: qasync.QEventLoop, tmp_path: Path
) -> Iterator[tuple[MainWindow, MainWindow]]:
    """Two windows; the test shows each when its person starts (shortcuts go to the active
    window)."""
    pair = (_window(tmp_path, "operator"), _window(tmp_path, "supervisor"))
    yield pair
    for window in pair:
        run_async(qtbot, window.sync.aclose())
        window.close()
        window.deleteLater()
    qtbot.wait(10)
    for window in pair:
        window.ctx.engine.dispose()


class TelHandler(QObject):
    """Stands in for the softphone: records the tel: links the app opens."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def dial(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def _server_rows(server: ServerProcess, sql: str, *params: object) -> list[Any]:
    return list(server.query(sql, *params))


def _activate(qtbot: Any, window: MainWindow) -> None:
    """Shortcuts reach the active window only (after sign-in the dialog was active)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _open_chat(window: MainWindow) -> tuple[uuid.UUID, uuid.UUID]:
    with window.ctx.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT customer_id, id FROM conversations WHERE status = 'open' "
            "AND channel != 'phone' ORDER BY opened_at DESC LIMIT 1"
        ).one()
    return uuid.UUID(bytes=row[0]), uuid.UUID(bytes=row[1])


def test_a_low_score_reaches_the_supervisor_who_works_the_case(
    qtbot: Any, windows: tuple[MainWindow, MainWindow], live_server: ServerProcess
) -> None:
    operator, supervisor = windows
    with server_admin(live_server) as admin:
        # Every demo customer may be asked now, and nobody sleeps in this test.
        policy = admin.put(
            "/admin/policy", json={"min_days_between_surveys": 0, "quiet_hours": None}
        )
        assert policy.status_code == 200, policy.text

        # -- the operator resolves the chat and asks, with one key ----------------------
        operator.show()
        qtbot.waitExposed(operator)
        sign_in(qtbot, operator, live_server.url, "operator")
        customer_id, conversation_id = _open_chat(operator)
        operator.open_customer(customer_id)
        qtbot.waitUntil(lambda: operator.composer.isVisible())
        operator.composer.choose_conversation(conversation_id)
        assert operator.composer.target_id() == conversation_id
        assert not operator.composer.surveys.spoken.isVisible()  # a chat: nothing said aloud
        _activate(qtbot, operator)
        qtbot.keyClick(
            operator,
            Qt.Key.Key_A,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )

        def asked() -> list[Any]:
            return _server_rows(
                live_server,
                "SELECT id, kind FROM surveys WHERE conversation_id = ?",
                conversation_id.hex,
            )

        qtbot.waitUntil(lambda: bool(asked()), timeout=20000)
        [(survey_hex, kind)] = asked()
        assert kind == "csat"  # the policy's default for the channel
        [(status,)] = _server_rows(
            live_server, "SELECT status FROM conversations WHERE id = ?", conversation_id.hex
        )
        assert status == "resolved"
        survey_id = uuid.UUID(hex=survey_hex)
        # The timeline shows it, waiting for the answer.
        qtbot.waitUntil(
            lambda: any(
                (item := operator.timeline.item(row)) is not None
                and item.id == survey_id
                and item.score is None
                for row in range(operator.timeline.rowCount())
            ),
            timeout=20000,
        )

        # -- supervisor signs in; the customer taps "2" on their phone -------------------
        supervisor.show()
        qtbot.waitExposed(supervisor)
        sign_in(qtbot, supervisor, live_server.url, "supervisor")
        area = supervisor.supervisor
        assert area.tabs.tabBar().isVisible() and area.action.isVisible()
        _activate(qtbot, supervisor)
        qtbot.keyClick(supervisor, Qt.Key.Key_F8)
        assert area.tabs.currentWidget() is area.view
        link = admin.post(
            "/surveys", json={"conversation_id": str(conversation_id), "id": str(survey_id)}
        ).json()["url"]  # a fresh link to the same survey, as the customer's message has
        with qtbot.waitSignal(supervisor.sync.review_case_opened, timeout=20000) as opened:
            page = httpx.get(link, timeout=15)
            answer = httpx.post(
                link,
                data={"form_token": form_token(page.text), "lang": "ru", "score": "2"},
                timeout=15,
            )
            assert answer.status_code == 200, answer.text
        case_id = uuid.UUID(opened.args[0]["id"])

        # -- the tray notice opens the case --------------------------------------------------
        area.tabs.setCurrentIndex(0)
        note = supervisor.notifier.recent[-1]
        assert note.kind == "review" and "CSAT 2" in note.text
        supervisor.desktop.tray.icon.messageClicked.emit()  # the person clicks the bubble
        queue = area.view.queue
        panel = queue.panel
        qtbot.waitUntil(lambda: panel.case is not None and panel.case.id == case_id, timeout=20000)
        assert area.tabs.currentWidget() is area.view
        assert panel.case is not None and panel.case.score == 2
        row = queue.model.row_of(case_id)
        assert queue.model.index(row, 2).data() == "CSAT 2/5"

        # -- assign, compensate within the limit, be refused over it, resolve ------------------
        qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.case is not None and panel.case.assignee == "supervisor")
        assert "Assigned to supervisor" in panel.history.item(0).text()

        panel.amount_edit.clear()
        qtbot.keyClicks(panel.amount_edit, "500")
        qtbot.keyClicks(panel.compensation_note, "Sorry for the wait")
        qtbot.mouseClick(panel.grant_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Compensation" in panel.history.item(0).text())
        assert panel.compensation_note.text() == ""

        panel.amount_edit.clear()
        qtbot.keyClicks(panel.amount_edit, "5000")
        qtbot.keyClicks(panel.compensation_note, "A big gesture")
        qtbot.mouseClick(panel.grant_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.amount_error.isVisible())
        assert "over your approval limit" in panel.amount_error.text()
        assert panel.compensation_note.text() == "A big gesture"  # nothing typed is lost

        qtbot.keyClicks(panel.resolve_note, "Called back, refund agreed")
        live_server.stop()  # the network goes: the action waits, nothing typed is lost
        try:
            qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=20000)
            assert "cannot be reached" in panel.message.text()
            assert panel.resolve_note.toPlainText() == "Called back, refund agreed"
            assert panel.case is not None and panel.case.status.value == "compensated"
        finally:
            live_server.start()
        qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.case is not None and panel.case.status.value == "resolved")
        assert not panel.resolve_button.isEnabled()

        # -- call back: the card pops and the softphone gets the number --------------------
        tel = TelHandler()
        QDesktopServices.setUrlHandler("tel", tel, "dial")
        try:
            qtbot.mouseClick(panel.call_button, Qt.MouseButton.LeftButton)
        finally:
            QDesktopServices.unsetUrlHandler("tel")
        assert tel.urls and tel.urls[0].startswith("tel:+")
        assert area.tabs.currentIndex() == 0
        qtbot.waitUntil(lambda: supervisor.current_customer_id == customer_id)

    # -- every step is on the server's record -------------------------------------------------
    def audited() -> list[str]:
        rows = _server_rows(
            live_server,
            "SELECT action, actor FROM audit_events WHERE entity_id IN (?, ?) ORDER BY at",
            case_id.hex,
            survey_hex,
        )
        return [f"{action}:{actor}" for action, actor in rows]

    trail = audited()
    assert "survey_requested:operator" in trail
    assert "review_case.opened:system" in trail
    for step in ("assign", "compensate", "resolve"):
        assert f"review_case.{step}:supervisor" in trail
    assert sum(step == "review_case.compensate:supervisor" for step in trail) == 1
    [(note,)] = _server_rows(
        live_server,
        "SELECT details FROM audit_events WHERE entity_id = ? AND action = 'review_case.resolve'",
        case_id.hex,
    )
    assert "Called back, refund agreed" in str(note)
