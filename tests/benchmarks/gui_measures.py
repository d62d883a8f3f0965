"""Screen pop through the real main window, painted offscreen: the number the
operator feels (phone → card and first timeline page on screen)."""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

from tests.benchmarks.build import BenchConfig, BuildStats
from tests.benchmarks.measures import (
    Result,
    paired,
    percentile,
    phone_forms,
    plain_screen_pop,
    random_customers,
    raw_connection,
)

QUIET_TIMEOUT_S = 10.0


def bench_screen_pop_painted(config: BenchConfig, stats: BuildStats) -> Result:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from operator_app.cache.db import open_cache
    from operator_app.gui.app import MainWindow
    from operator_app.gui.context import AppContext

    app = QApplication.instance() or QApplication([])
    rng = random.Random(config.seed + 4)
    raw = raw_connection(config.cache)
    phones = [
        phone_forms(json.loads(row[2])[0], rng)
        for row in random_customers(raw, max(20, config.samples // 3), config.seed + 4)
    ]
    engine = open_cache(config.cache)
    ctx = AppContext(data_dir=config.folder, cache_path=config.cache, engine=engine, demo=True)
    window: Any = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    app.processEvents()

    def busy() -> bool:
        check = getattr(window, "is_busy", None)
        return bool(check()) if callable(check) else False

    def ours(number: str) -> None:
        window.pop_phone(number)
        deadline = time.monotonic() + QUIET_TIMEOUT_S
        app.processEvents()
        while busy():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the window stayed busy after popping {number}")
            # Sleep until the DB thread's results arrive: spinning here would take the
            # GIL from the very thread being waited for.
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()  # deliver the last results to the widgets
        window.repaint()  # paint now, synchronously, as the screen would

    try:
        ours_ms, plain_ms = paired(phones, ours, lambda n: plain_screen_pop(raw, n))
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        engine.dispose()
        raw.close()
    return Result(
        "screen_pop_painted",
        config.describe(),
        len(phones),
        percentile(ours_ms, 50),
        percentile(ours_ms, 95),
        percentile(plain_ms, 95),
        "sqlite3: the same lookups as screen_pop, no GUI",
        target_p95_ms=50,
        extra={
            "path": "MainWindow.pop_phone until the window is idle, then a synchronous repaint "
            f"({os.environ.get('QT_QPA_PLATFORM', 'default')} platform)",
        },
    )
