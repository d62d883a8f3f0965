"""Fixtures for the window against the real reference server (a process on loopback)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QApplication

from operator_app.cache.db import open_cache
from operator_app.gui.context import AppContext
from operator_app.gui.event_loop import close_event_loop
from operator_app.gui.main_window import MainWindow
from operator_app.sync import Backoff
from tests.e2e.server_process import ServerProcess

DEMO_PASSWORD = "demo"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path_factory.mktemp("server")).init(demo_customers=80).start()
    yield server
    server.stop()


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The qasync loop app.py runs, here inside pytest-qt's already running Qt."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    qapp.aboutToQuit.disconnect(loop._after_run_forever)  # type: ignore[attr-defined]
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    close_event_loop(loop)


def run_async(qtbot: Any, coro: Any, timeout: int = 20000) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def sync_window(qtbot: Any, qloop: qasync.QEventLoop, tmp_path: Path) -> Iterator[MainWindow]:
    engine = open_cache(tmp_path / "cache.sqlite3")
    ctx = AppContext(
        data_dir=tmp_path,
        cache_path=tmp_path / "cache.sqlite3",
        engine=engine,
        demo=False,
        user_name="Not signed in",
    )
    window = MainWindow(ctx)
    window.sync.controller_options = {
        "backoff": Backoff(base=0.05, cap=0.3),
        "poll_interval": 30.0,
    }
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    run_async(qtbot, window.sync.aclose())
    window.close()
    window.deleteLater()
    qtbot.wait(10)
    engine.dispose()


def sign_in(qtbot: Any, window: MainWindow, url: str, user: str = "operator") -> None:
    dialog = window.sync.show_sign_in()
    dialog.ui.serverEdit.setText(url)
    dialog.ui.userEdit.setText(user)
    dialog.ui.passwordEdit.setText(DEMO_PASSWORD)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=30000)


def server_admin(server: ServerProcess) -> httpx.Client:
    response = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": DEMO_PASSWORD}
    )
    response.raise_for_status()
    token = response.json()["access_token"]
    return httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    )
