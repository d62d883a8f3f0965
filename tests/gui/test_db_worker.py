"""The DB thread: jobs run off the GUI thread, stale answers are dropped, close is clean."""

from __future__ import annotations

import threading
import time

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from operator_app.cache.models import OutboxRow
from operator_app.gui.db_worker import DbWorker, SyncStatus


def test_jobs_run_in_one_thread_that_is_not_the_gui_thread(qtbot, engine: Engine) -> None:
    worker = DbWorker(engine)
    seen: list[int] = []
    try:
        for _ in range(3):
            worker.submit(threading.get_ident, seen.append)
        qtbot.waitUntil(lambda: len(seen) == 3)
    finally:
        worker.close()
    assert len(set(seen)) == 1
    assert seen[0] != threading.get_ident()


def test_an_older_request_on_the_same_channel_never_reaches_the_caller(
    qtbot, engine: Engine
) -> None:
    worker = DbWorker(engine)
    delivered: list[str] = []
    gate = threading.Event()
    try:
        # The first job blocks the thread until the second has been submitted, so the
        # first answer is guaranteed to arrive after it became stale.
        worker.submit(lambda: (gate.wait(5), "old")[1], delivered.append, channel="search")
        worker.submit(lambda: "new", delivered.append, channel="search")
        gate.set()
        qtbot.waitUntil(lambda: not worker.busy)
    finally:
        worker.close()
    assert delivered == ["new"]


def test_channels_do_not_supersede_each_other(qtbot, engine: Engine) -> None:
    worker = DbWorker(engine)
    delivered: list[str] = []
    try:
        worker.submit(lambda: "card", delivered.append, channel="card")
        worker.submit(lambda: "search", delivered.append, channel="search")
        worker.submit(lambda: "plain", delivered.append)
        qtbot.waitUntil(lambda: len(delivered) == 3)
    finally:
        worker.close()
    assert delivered == ["card", "search", "plain"]


def test_a_failing_read_is_reported_in_words_and_the_thread_keeps_working(
    qtbot, engine: Engine
) -> None:
    worker = DbWorker(engine)
    errors: list[str] = []
    results: list[int] = []

    def broken() -> int:
        raise RuntimeError("disk I/O error")

    try:
        worker.submit(broken, results.append, on_error=errors.append)
        worker.submit(lambda: 7, results.append)
        qtbot.waitUntil(lambda: len(results) == 1)
        with qtbot.waitSignal(worker.failed) as blocker:
            worker.submit(broken, results.append)
    finally:
        worker.close()
    assert errors == ["Could not read the local cache: disk I/O error"]
    assert blocker.args == ["Could not read the local cache: disk I/O error"]
    assert results == [7]


def test_close_stops_the_thread_and_later_submits_are_ignored(qtbot, engine: Engine) -> None:
    worker = DbWorker(engine)
    started = threading.Event()
    worker.submit(lambda: (started.set(), time.sleep(0.05)), lambda _: None)
    started.wait(5)
    worker.close()
    assert not worker.is_running
    assert worker.submit(lambda: 1, lambda _: None) == 0
    worker.close()  # twice is harmless


def test_sync_status_reads_the_outbox_length(qtbot, engine: Engine) -> None:
    import uuid
    from datetime import UTC, datetime

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
                for _ in range(2)
            ],
        )
    worker = DbWorker(engine)
    got: list[SyncStatus] = []
    try:
        worker.sync_status(got.append)
        qtbot.waitUntil(lambda: bool(got))
    finally:
        worker.close()
    assert got[0].pending_changes == 2
    assert got[0].last_sync_at is None


def test_held_jobs_wait_for_release_then_run_in_order(qtbot, engine: Engine) -> None:
    """The window holds its first reads until it is painted; they are in flight, not lost."""
    worker = DbWorker(engine)
    ran: list[str] = []
    delivered: list[str] = []
    try:
        worker.hold()
        worker.submit(lambda: ran.append("worklists") or "worklists", delivered.append)
        worker.submit(lambda: ran.append("status") or "status", delivered.append)
        qtbot.wait(100)  # a thread that was not held would have run both by now
        assert ran == [] and worker.busy
        worker.release()
        qtbot.waitUntil(lambda: not worker.busy)
    finally:
        worker.close()
    assert ran == ["worklists", "status"]
    assert delivered == ["worklists", "status"]
