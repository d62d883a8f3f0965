"""The window against the real server: sign in, sync, write offline, sync once, screen pop."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt

from operator_app.gui.main_window import MainWindow
from operator_app.gui.models.roles import ID_ROLE
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import live_server, qloop, server_admin, sign_in, sync_window

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = OFFSCREEN_NOISE


def _customer_with_open_conversation(window: MainWindow) -> tuple[uuid.UUID, uuid.UUID]:
    with window.ctx.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT customer_id, id FROM conversations WHERE status IN ('open', 'pending') "
            "ORDER BY random() LIMIT 1"
        ).one()
    return uuid.UUID(bytes=row[0]), uuid.UUID(bytes=row[1])


def _open_card(qtbot: Any, window: MainWindow, customer_id: uuid.UUID) -> None:
    window.open_customer(customer_id)
    qtbot.waitUntil(
        lambda: window._current_page() is window.card_view and window.composer.isVisible()
    )
    qtbot.waitUntil(lambda: window.timeline.rowCount() > 0)


def _pending(window: MainWindow) -> int:
    return window.sync.pending.pending


def _server_count(server: ServerProcess, sql: str, *params: object) -> int:
    return int(server.query(sql, *params)[0][0])


def test_sign_in_syncs_and_a_note_reaches_the_server_once(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    assert window.connection_label.text() != "Online"
    sign_in(qtbot, window, live_server.url)
    assert "operator" in window.user_label.text()
    assert window.sync_label.text() != "Last sync: never"
    customer_id, _conversation = _customer_with_open_conversation(window)
    _open_card(qtbot, window, customer_id)

    body = f"Called back about the delivery {uuid.uuid4().hex[:8]}"
    window.composer.editor.setFocus()
    qtbot.keyClicks(window.composer.editor, body)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.composer.editor.toPlainText() == ""

    def top_is_note() -> bool:
        item = window.timeline.item(0)
        return item is not None and body in item.body

    qtbot.waitUntil(top_is_note)
    qtbot.waitUntil(
        lambda: _server_count(live_server, "SELECT count(*) FROM notes WHERE body = ?", body) == 1,
        timeout=20000,
    )
    qtbot.waitUntil(lambda: _pending(window) == 0)
    assert _server_count(live_server, "SELECT count(*) FROM notes WHERE body = ?", body) == 1


def test_offline_work_is_kept_and_synced_once_when_the_server_returns(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    customer_id, conversation_id = _customer_with_open_conversation(window)
    _open_card(qtbot, window, customer_id)

    live_server.stop()
    try:
        window.sync.controller.sync_now()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: window.connection_label.text() == "Offline", timeout=30000)

        body = f"Left a voicemail {uuid.uuid4().hex[:8]}"
        qtbot.keyClicks(window.composer.editor, body)
        window.composer.send()
        qtbot.waitUntil(lambda: _pending(window) == 1)
        window.composer.choose_conversation(conversation_id)
        assert window.composer.target_id() == conversation_id
        window.composer.resolve()
        qtbot.waitUntil(lambda: _pending(window) == 2)
        assert "Pending changes: 2" in window.pending_label.text()
        assert window.connection_label.text() == "Offline"
    finally:
        live_server.start()

    qtbot.waitUntil(lambda: _pending(window) == 0, timeout=30000)
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=30000)
    assert _server_count(live_server, "SELECT count(*) FROM notes WHERE body = ?", body) == 1
    status = live_server.query(
        "SELECT status FROM conversations WHERE id = ?", conversation_id.hex
    ) or live_server.query("SELECT status FROM conversations WHERE id = ?", conversation_id.bytes)
    assert status and status[0][0] == "resolved"

    # Reopen (the button remembers what was resolved here); the server follows.
    window.composer.reopen()
    qtbot.waitUntil(lambda: _server_status(live_server, conversation_id) == "open", timeout=20000)


def _server_status(server: ServerProcess, conversation_id: uuid.UUID) -> str | None:
    rows = server.query("SELECT status FROM conversations WHERE id = ?", conversation_id.hex)
    return str(rows[0][0]) if rows else None


def test_an_incoming_call_pops_the_callers_card(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    with window.ctx.engine.connect() as conn:
        customer_bytes, phone = conn.exec_driver_sql(
            "SELECT customer_id, e164 FROM customer_phones LIMIT 1"
        ).one()
    customer_id = uuid.UUID(bytes=customer_bytes)
    assert window.current_customer_id != customer_id
    with server_admin(live_server) as admin:

        def call() -> bool:
            response = admin.post(
                "/telephony/incoming", json={"phone": phone, "operator": "operator"}
            )
            assert response.status_code == 202, response.text
            return window.current_customer_id == customer_id

        # The event stream connects a moment after sign-in; call until the pop lands.
        qtbot.waitUntil(lambda: call() or _wait(qtbot), timeout=20000)
    qtbot.waitUntil(lambda: window._current_page() is window.card_view)


def _wait(qtbot: Any) -> bool:
    qtbot.wait(300)
    return False


def test_conversation_in_assist_panel_is_the_reply_target(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    customer_id, conversation_id = _customer_with_open_conversation(window)
    _open_card(qtbot, window, customer_id)
    view = window.assist.conversations_list
    rows = [view.item(r).data(ID_ROLE) for r in range(view.count())]
    view.setCurrentRow(rows.index(conversation_id))
    assert window.composer.target_id() == conversation_id


def test_a_note_the_full_disk_refuses_goes_back_into_the_composer(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    from tests.e2e.test_disk_full_e2e import FULL, big_body, disk_full

    window = sync_window
    sign_in(qtbot, window, live_server.url)
    customer_id, _conversation = _customer_with_open_conversation(window)
    _open_card(qtbot, window, customer_id)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)

    body = big_body(window.ctx.engine, f"Refund agreed {uuid.uuid4().hex[:8]}")
    with disk_full(window.ctx.engine):
        window.composer.editor.setPlainText(body)
        window.composer.editor.setFocus()
        qtbot.keyClick(
            window.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
        qtbot.waitUntil(lambda: FULL in messages)
        qtbot.waitUntil(lambda: window.composer.editor.toPlainText() == body)

    # room again: the same words are sent as they stand, once
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: _server_count(live_server, "SELECT count(*) FROM notes WHERE body = ?", body) == 1,
        timeout=20000,
    )
    assert window.composer.editor.toPlainText() == ""
