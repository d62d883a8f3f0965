"""The daily refit inside ``serve``: when it runs, that it runs the real job in a thread,
that a busy or failing run does not stop tomorrow's, and that shutdown stops it."""

from __future__ import annotations

import asyncio
import itertools
import threading
import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from operator_app.server.db import Database
from operator_app.server.events import EventHub
from operator_app.server.models import AnalyticsRun
from operator_app.server.refit import RefitBusy, RefitOptions
from operator_app.server.refit_schedule import DailyRefit, next_run_after, refit_job
from operator_app.server.schema import upgrade_to_head
from operator_app.server.seed import load_batches
from tests.server.conftest import base_rows


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "when", "expected"),
    [
        ("2026-03-01 02:59:59", time(3, 0), "2026-03-01 03:00:00"),
        ("2026-03-01 03:00:00", time(3, 0), "2026-03-02 03:00:00"),
        ("2026-03-01 23:30:00", time(3, 0), "2026-03-02 03:00:00"),
        ("2026-12-31 23:59:00", time(0, 0), "2027-01-01 00:00:00"),
    ],
)
def test_next_run_is_the_next_occurrence_of_the_time(now: str, when: time, expected: str) -> None:
    assert next_run_after(at(now), when) == at(expected)


class FakeTime:
    """A clock that moves only when the schedule sleeps."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.slept: list[float] = []

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)


def test_runs_daily_at_the_time_and_survives_busy_and_failed_runs() -> None:
    seen: list[datetime] = []
    outcomes: list[Exception] = [RefitBusy("another one"), RuntimeError("boom")]
    fake_holder: dict[str, FakeTime] = {}

    def job(stop: threading.Event) -> None:
        seen.append(fake_holder["fake"].now)
        assert threading.current_thread() is not threading.main_thread()
        if outcomes:
            raise outcomes.pop(0)

    fake = FakeTime(at("2026-03-01 12:00:00"))
    fake_holder["fake"] = fake

    async def main() -> DailyRefit:
        schedule = DailyRefit(job, at=time(3, 0), clock=fake.clock, sleep=fake.sleep)
        task = asyncio.create_task(schedule.run_forever())
        while schedule.runs < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return schedule

    schedule = asyncio.run(main())
    # One run a day at 03:00, the busy and the failed day included (the loop may have
    # started a few more days before it was cancelled).
    assert seen[:3] == [at("2026-03-02 03:00"), at("2026-03-03 03:00"), at("2026-03-04 03:00")]
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(seen))
    assert max(fake.slept) <= 600  # sleeps in steps, noticing a moved clock
    assert schedule.stop.is_set()  # cancelled: a running refit would stop after its chunk


def test_the_scheduled_job_refits_and_hints_clients(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        upgrade_to_head(db)
        now = datetime.now(UTC)
        data = base_rows(now)
        order = {
            "id": uuid.uuid4(),
            "customer_id": data["customer_id"],
            "number": "S-1",
            "ordered_at": now - timedelta(days=3),
            "amount": Decimal("10.00"),
            "status": "paid",
        }
        with db.writing() as session:
            load_batches(session.connection(), [*data["batches"], ("order", [order])], now)
        hub = EventHub()
        job = refit_job(db, hub, RefitOptions(), lambda: datetime.now(UTC))
        job(threading.Event())
        with db.reading() as session:
            run = session.scalars(select(AnalyticsRun)).one()
        assert run.trigger == "schedule" and run.status == "succeeded"
        assert run.changed == 2  # both customers' historical CLV came from their orders
        assert hub.replay(f"{hub.boot}-0", "anyone").events[0].kind == "change"
        stop = threading.Event()
        stop.set()
        with pytest.raises(Exception, match="asked to stop"):
            job(stop)
        with db.reading() as session:
            statuses = sorted(session.scalars(select(AnalyticsRun.status)))
        assert statuses == ["cancelled", "succeeded"]
    finally:
        db.dispose()


def test_serve_schedules_the_refit_only_when_asked(tmp_path: Path) -> None:
    from operator_app.server.app import create_app
    from operator_app.server.settings import ServerSettings
    from tests.server.support import LiveServer

    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        upgrade_to_head(db)
        for refit_at in (time(3, 0), None):
            live = LiveServer(create_app(db, ServerSettings(refit_at=refit_at)))
            live.start()
            task = live.app.state.refit_task
            try:
                if refit_at is None:
                    assert task is None
                else:
                    assert task.get_name() == "daily-refit" and not task.done()
            finally:
                live.stop()
            if task is not None:
                assert task.cancelled()
    finally:
        db.dispose()
