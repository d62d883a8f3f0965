"""A closed qasync loop leaves no Qt timers for another thread to stop."""

from __future__ import annotations

import asyncio
import gc
import threading

import qasync
from PySide6.QtWidgets import QApplication

from operator_app.gui.event_loop import close_event_loop


def collect_garbage_on_another_thread() -> None:
    # The cache's worker thread or a server thread may be the one that happens to run
    # the collector; Qt warns (and the test fails) if that frees a GUI-thread timer.
    worker = threading.Thread(target=gc.collect, name="collector")
    worker.start()
    worker.join()


def test_a_closed_loop_with_cancelled_timeouts_is_freed_quietly(qapp: QApplication) -> None:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:

        async def with_a_timeout() -> None:
            # Like every HTTP request: a long timeout armed, then cancelled early.
            asyncio.get_running_loop().call_later(600, lambda: None).cancel()
            await asyncio.sleep(0)

        loop.run_until_complete(with_a_timeout())
    finally:
        asyncio.set_event_loop(None)
        close_event_loop(loop)
    assert loop.is_closed()
    del loop
    collect_garbage_on_another_thread()
