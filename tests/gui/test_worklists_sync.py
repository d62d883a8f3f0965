"""Worklists against the real server: a follow-up snoozed offline reaches the server once it
is back; the admin's reply targets, once synced, decide who is "waiting for our reply"."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from operator_app.domain.snooze import tomorrow_morning
from operator_app.gui.main_window import MainWindow
from tests.e2e.server_process import ServerProcess
from tests.gui.sync_support import live_server, qloop, server_admin, sign_in, sync_window

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|requestActivate|grabbing the "
    r"keyboard)\(?\)?"
)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _open_conversation(window: MainWindow) -> tuple[uuid.UUID, uuid.UUID]:
    with window.ctx.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT customer_id, id FROM conversations WHERE status = 'open' "
            "AND next_follow_up_at IS NULL ORDER BY random() LIMIT 1"
        ).one()
    return uuid.UUID(bytes=row[0]), uuid.UUID(bytes=row[1])


def _follow_up_ids(window: MainWindow) -> list[uuid.UUID]:
    model = window.search_panel.follow_ups
    return [model.item(r).conversation_id for r in range(model.rowCount())]  # type: ignore[union-attr]


def _server_follow_up(server: ServerProcess, conversation_id: uuid.UUID) -> datetime | None:
    rows = server.query(
        "SELECT next_follow_up_at FROM conversations WHERE id = ?", conversation_id.hex
    )
    if not rows or rows[0][0] is None:
        return None
    return datetime.fromisoformat(str(rows[0][0])).replace(tzinfo=UTC)


def test_a_follow_up_snoozed_offline_reaches_the_server(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    controller = window.sync.controller
    assert controller is not None
    customer_id, conversation_id = _open_conversation(window)
    # A call-back promised for an hour ago (as the composer's "pending, follow up" does).
    promised = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    controller.set_conversation_status(customer_id, conversation_id, "pending", promised)
    qtbot.waitUntil(
        lambda: _server_follow_up(live_server, conversation_id) == promised, timeout=20000
    )
    qtbot.waitUntil(lambda: conversation_id in _follow_up_ids(window), timeout=20000)

    live_server.stop()
    try:
        controller.sync_now()
        qtbot.waitUntil(lambda: window.connection_label.text() == "Offline", timeout=30000)
        panel = window.search_panel
        window.activateWindow()  # the sign-in dialog had it
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL_SHIFT)
        view = panel.worklist_view(1)
        assert view.hasFocus()
        while panel.follow_ups.item(view.currentIndex().row()).conversation_id != conversation_id:  # type: ignore[union-attr]
            qtbot.keyClick(view, Qt.Key.Key_Down)
        qtbot.keyClick(view, Qt.Key.Key_S, CTRL_SHIFT)
        menu = panel.snooze_menu
        assert menu is not None
        qtbot.waitUntil(menu.isVisible)
        expected = tomorrow_morning(datetime.now(UTC))
        qtbot.keyClick(menu, Qt.Key.Key_T)  # "Until &tomorrow 9:00"
        qtbot.waitUntil(lambda: window.sync.pending.pending == 1)
        # Tomorrow is past today's list: it leaves at once, though nothing was sent yet.
        qtbot.waitUntil(lambda: conversation_id not in _follow_up_ids(window))
        assert "moved to" in window.statusBar().currentMessage()
        assert _server_follow_up(live_server, conversation_id) == promised
    finally:
        live_server.start()

    qtbot.waitUntil(lambda: window.sync.pending.pending == 0, timeout=30000)
    assert _server_follow_up(live_server, conversation_id) == expected
    assert conversation_id not in _follow_up_ids(window)


def _waiting_on_server(server: ServerProcess) -> int:
    return int(
        server.query(
            "SELECT count(*) FROM conversations WHERE status IN ('open', 'pending') AND "
            "(last_outbound_at IS NULL OR last_inbound_at > last_outbound_at)"
        )[0][0]
    )


def _newest_inbound(server: ServerProcess) -> datetime:
    value = server.query("SELECT max(last_inbound_at) FROM conversations")[0][0]
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _newest_inbound_cached(window: MainWindow) -> datetime | None:
    with window.ctx.engine.connect() as conn:
        micros = conn.exec_driver_sql("SELECT max(last_inbound_at) FROM conversations").scalar()
    return None if micros is None else datetime.fromtimestamp(micros / 1e6, UTC)


def test_the_admins_reply_targets_decide_who_is_waiting(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    controller = window.sync.controller
    assert controller is not None
    waiting = window.search_panel.waiting
    count = window.search_panel.worklist_count_label(2)
    with server_admin(live_server) as admin:
        document = admin.get("/admin/policy").json()["policy"]
        original = dict(document["first_response_sla_seconds"])

        def reply_targets(seconds: int) -> None:
            document["first_response_sla_seconds"] = {c: seconds for c in original}
            saved = admin.put("/admin/policy", json=document)
            assert saved.status_code == 200, saved.text

        try:
            # One second to answer, then customers write in (the demo's simulated traffic).
            reply_targets(1)
            before = _waiting_on_server(live_server)
            on = admin.put("/admin/demo/traffic", json={"enabled": True, "interval_s": 0.05})
            assert on.status_code == 200, on.text
            qtbot.waitUntil(lambda: _waiting_on_server(live_server) >= before + 3, timeout=20000)
            admin.put("/admin/demo/traffic", json={"enabled": False})
            newest = _newest_inbound(live_server)
            controller.sync_now()
            qtbot.waitUntil(lambda: _newest_inbound_cached(window) == newest, timeout=20000)
            # Nothing new arrives: the list fills as each customer passes the one-second
            # target (a timer set for that moment, not the minute-long periodic refresh).
            qtbot.waitUntil(lambda: waiting.rowCount() >= 3, timeout=20000)
            assert count.text() == f"{waiting.rowCount()} waiting"

            # Thirty days for every channel: nobody has waited that long.
            reply_targets(30 * 86400)
            controller.sync_now()
            qtbot.waitUntil(lambda: waiting.rowCount() == 0, timeout=20000)
            assert count.text() == "none"
        finally:
            admin.put("/admin/demo/traffic", json={"enabled": False})
            document["first_response_sla_seconds"] = original
            assert admin.put("/admin/policy", json=document).status_code == 200
