"""Client memory over a long session: DESIGN's "client RSS, 100k-customer cache, 1 h use:
≤ 200 MB, no growth".

An hour of an operator's use is compressed into a scripted session on the real main
window (offscreen), one action per second of the hour by default: calls popping a card,
searches typed key by key, scrolling deep into a timeline, opening a search result.
The session runs in its own process so the resident set is the window's own. Resident
memory (not the peak: what the process holds now) is sampled every ``--every`` actions.

"No growth" is judged on the second half of the session, after the caches have filled:
the slope of a least-squares line through those samples, in MB per 1000 actions.

Baseline, in the same process before the window exists: Python with PySide6 imported,
a ``QApplication`` and an empty shown ``QMainWindow`` — what any Qt program holds.

    python -m tests.benchmarks.rss_bench CACHE_FILE [--actions 3600] [--every 100]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    """What the process holds in RAM now (Linux /proc; elsewhere the peak, as close as
    the standard library gets)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE / 2**20
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def resident_parts_mb() -> dict[str, float]:
    """The resident set split as Linux reports it: ``anon`` is the process's own heap
    (what "growth" means); ``file`` is pages of mapped files (libraries, and the cache
    file SQLite reads through mmap), which the OS can drop and re-read at will."""
    parts: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("RssAnon", "RssFile", "RssShmem"):
                    parts[key[3:].lower()] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return parts


def slope_per_1000(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of (action, MB) points, in MB per 1000 actions."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return 0.0
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return cov / var * 1000


def _sample_material(cache: Path, rng: random.Random) -> tuple[list[str], list[str]]:
    """Phones to pop and name prefixes to type, from the cache itself."""
    raw = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    try:
        (count,) = raw.execute("SELECT max(rowid) FROM customers").fetchone()
        phones: list[str] = []
        names: list[str] = []
        while len(phones) < 300:
            row = raw.execute(
                "SELECT phones, last_name FROM customers WHERE rowid >= ? LIMIT 1",
                (rng.randrange(1, count + 1),),
            ).fetchone()
            if row is None:
                continue
            numbers = json.loads(row[0])
            if numbers:
                phones.append(numbers[0])
            if row[1]:
                names.append(row[1])
        return phones, names
    finally:
        raw.close()


def run_session(cache: Path, actions: int, every: int, seed: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication([])
    bare = QMainWindow()
    bare.resize(1280, 800)
    bare.show()
    app.processEvents()
    baseline_mb = resident_mb()
    baseline_parts = resident_parts_mb()
    bare.close()
    bare.deleteLater()
    app.processEvents()

    from operator_app.cache.db import open_cache
    from operator_app.gui.context import AppContext
    from operator_app.gui.main_window import MainWindow

    rng = random.Random(seed)
    phones, names = _sample_material(cache, rng)
    engine = open_cache(cache)
    ctx = AppContext(data_dir=cache.parent, cache_path=cache, engine=engine, demo=True)
    window: Any = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()

    def settle() -> None:
        app.processEvents()
        deadline = time.monotonic() + 30
        while window.is_busy():
            if time.monotonic() > deadline:
                raise RuntimeError("the window stayed busy for 30 s")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        app.processEvents()

    settle()
    search = window.search_panel.search_edit
    timeline_view = window.card_view.timeline_view

    def pop() -> None:
        window.pop_phone(rng.choice(phones))

    def type_search() -> None:
        search.clear()
        search.setFocus()
        # Key by key, as a person types: each keystroke starts a search. (QTest's
        # keyClicks aborts on non-Latin-1 letters, so the events are made here.)
        for char in rng.choice(names)[: rng.randint(1, 6)]:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, ord(char.upper()), Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(search, event)

    def scroll_timeline() -> None:
        bar = timeline_view.verticalScrollBar()
        for _ in range(rng.randint(1, 5)):
            bar.setValue(bar.maximum())
            settle()

    def open_result() -> None:
        model = window.search_panel.results_view.model()
        if model is not None and model.rowCount() > 0:
            QTest.keyClick(search, Qt.Key.Key_Down)  # into the results
            QTest.keyClick(window.focusWidget(), Qt.Key.Key_Return)  # open the card

    script = (pop, type_search, scroll_timeline, type_search, open_result, pop)
    samples: list[tuple[int, float]] = [(0, resident_mb())]
    parts = [resident_parts_mb()]
    started = time.perf_counter()
    for number in range(1, actions + 1):
        script[number % len(script)]()
        settle()
        if number % every == 0:
            samples.append((number, resident_mb()))
            parts.append(resident_parts_mb())
    wall_s = time.perf_counter() - started
    final_parts = resident_parts_mb()
    window.close()
    app.processEvents()
    engine.dispose()
    second_half = [p for p in samples if p[0] >= actions // 2]
    return {
        "actions": actions,
        "wall_s": round(wall_s, 1),
        "baseline_mb": round(baseline_mb, 1),
        "start_mb": round(samples[0][1], 1),
        "warm_mb": round(next(mb for n, mb in samples if n >= actions // 10), 1),
        "final_mb": round(samples[-1][1], 1),
        "max_mb": round(max(mb for _, mb in samples), 1),
        "second_half_slope_mb_per_1000": round(slope_per_1000(second_half), 2),
        "baseline_parts_mb": baseline_parts,
        "final_parts_mb": final_parts,
        "samples": [[n, round(mb, 1)] for n, mb in samples],
        "anon_mb": [p.get("anon") for p in parts],
        "file_mb": [p.get("file") for p in parts],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--actions", type=int, default=3600)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    report = run_session(args.cache, args.actions, args.every, args.seed)
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
