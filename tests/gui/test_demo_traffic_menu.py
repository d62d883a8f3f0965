"""Demo › Simulate traffic shows what the demo server really does, not what was last clicked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from operator_app.gui.main_window import MainWindow
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import DEMO_PASSWORD, live_server, qloop, server_admin, sync_window

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def admin(live_server: ServerProcess) -> Iterator[httpx.Client]:
    with server_admin(live_server) as client:
        yield client
        client.put("/admin/demo/traffic", json={"enabled": False})


def server_traffic(admin: httpx.Client) -> bool:
    response = admin.get("/admin/demo/traffic")
    assert response.status_code == 200, response.text
    return bool(response.json()["enabled"])


def test_the_check_mark_follows_the_servers_traffic_state(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess, admin: httpx.Client
) -> None:
    # Already on when the window starts (serve --simulate-traffic, or an earlier run);
    # an hour between contacts keeps calls from popping up during the test.
    on = admin.put("/admin/demo/traffic", json={"enabled": True, "interval_s": 3600})
    assert on.status_code == 200, on.text
    window = sync_window
    window.sync.start_demo(live_server.url, "operator", DEMO_PASSWORD)
    action = window.sync.traffic_action
    assert not action.isChecked()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=30000)
    qtbot.waitUntil(action.isChecked)

    # The operator switches it off from the menu: the server follows, the mark too.
    controller = window.sync.controller
    assert controller is not None
    with qtbot.waitSignal(controller.demo_traffic_known, timeout=10000) as answer:
        action.trigger()
    assert answer.args == [False] and not action.isChecked() and not server_traffic(admin)

    # Someone else turns it on; the operator's next click gets the server's answer.
    admin.put("/admin/demo/traffic", json={"enabled": True, "interval_s": 3600})
    with qtbot.waitSignal(controller.demo_traffic_known, timeout=10000) as answer:
        action.trigger()  # the mark was off, so this asks for "on"
    assert answer.args == [True] and action.isChecked() and server_traffic(admin)


def test_a_failed_switch_puts_the_mark_back(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess, admin: httpx.Client
) -> None:
    assert admin.put("/admin/demo/traffic", json={"enabled": False}).status_code == 200
    window = sync_window
    window.sync.start_demo(live_server.url, "operator", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=30000)
    action = window.sync.traffic_action
    controller = window.sync.controller
    assert controller is not None
    qtbot.waitUntil(lambda: controller.demo_traffic is False)  # the start-up read is in
    live_server.stop()
    try:
        with (
            qtbot.waitSignal(controller.action_failed, timeout=30000) as failed,
            qtbot.waitSignal(controller.demo_traffic_known, timeout=30000) as known,
        ):
            action.trigger()
            assert action.isChecked()  # the click shows at once...
        assert "could not be switched" in failed.args[0]
        assert known.args == [False]
        assert not action.isChecked()  # ...and goes back when the server cannot be told
    finally:
        live_server.start()
    with qtbot.waitSignal(controller.demo_traffic_known, timeout=30000) as known:
        controller.read_demo_traffic()
    assert known.args == [False] and not action.isChecked() and not server_traffic(admin)
