"""The daily refit inside ``serve``: an asyncio task that runs the job in a worker thread.

The API stays responsive: the refit runs in a thread and writes in short chunk
transactions, so requests interleave with it. Never two at once: the task awaits each
run before scheduling the next, and :func:`refit.claim_run` refuses a second run
started elsewhere (``analytics refit`` from a shell, another server process) — that day's
run is then skipped. When several workers serve one database each keeps the schedule,
and at the appointed time exactly one of them claims that day's run (``leases``).
When the server stops, a running refit is asked to stop after its current chunk.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta

from operator_app.server.changelog import latest_seq
from operator_app.server.context import ServerContext
from operator_app.server.db import Database
from operator_app.server.events import EventHub
from operator_app.server.leases import claim_slot
from operator_app.server.refit import RefitBusy, RefitCancelled, RefitOptions, run_refit

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[object]]
REFIT_SLOT = "daily-refit"


def next_run_after(now: datetime, at: time) -> datetime:
    """The first moment strictly after ``now`` whose UTC wall time is ``at``."""
    candidate = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    if candidate <= now:
        candidate += timedelta(days=1)
    return candidate


class DailyRefit:
    """Runs ``job`` every day at ``at`` (UTC) until cancelled."""

    def __init__(
        self,
        job: Callable[[threading.Event], object],
        *,
        at: time,
        clock: Callable[[], datetime],
        sleep: Sleep = asyncio.sleep,
        claim: Callable[[datetime], bool] | None = None,
    ) -> None:
        self.job = job
        self.claim = claim  # True when this process should run the occurrence due then
        self.at = at
        self.clock = clock
        self.sleep = sleep
        self.stop = threading.Event()  # set on shutdown: the running job stops between chunks
        self.runs = 0

    async def run_forever(self) -> None:
        try:
            while True:
                due = next_run_after(self.clock(), self.at)
                # Sleep in steps: a suspended machine or a moved clock is noticed.
                while (remaining := (due - self.clock()).total_seconds()) > 0:
                    await self.sleep(min(remaining, 600.0))
                if await self._claimed(due):
                    await self._run_once()
        finally:
            self.stop.set()

    async def _claimed(self, due: datetime) -> bool:
        if self.claim is None:
            return True
        try:
            if await asyncio.to_thread(self.claim, due):
                return True
            log.info("the refit due at %s runs in another worker", due.isoformat())
        except Exception:
            log.exception("could not claim the scheduled refit; the next one runs tomorrow")
        return False

    async def _run_once(self) -> None:
        self.runs += 1
        try:
            await asyncio.to_thread(self.job, self.stop)
        except RefitBusy as busy:
            log.info("scheduled refit skipped: %s", busy)
        except RefitCancelled:
            log.info("scheduled refit stopped: the server is shutting down")
        except Exception:
            log.exception("scheduled refit failed; the next one runs tomorrow")


def refit_job(
    db: Database, hub: EventHub, options: RefitOptions, clock: Callable[[], datetime]
) -> Callable[[threading.Event], object]:
    """The job ``serve`` schedules: a refit, then a change hint for connected clients."""

    def job(stop: threading.Event) -> object:
        report = run_refit(
            db, options=options, trigger="schedule", clock=clock, should_stop=stop.is_set
        )
        log.info(
            "refit: %d customers, %d updated, %.1f s%s",
            report.customers,
            report.changed,
            report.timings.get("total", 0.0),
            f" ({report.model_error})" if report.model_error else "",
        )
        if report.last_seq is not None:
            with db.reading() as session:
                hub.publish("change", {"seq": latest_seq(session)})
        return report

    return job


def start_refit_schedule(context: ServerContext) -> asyncio.Task[None] | None:
    """The daily refit task for ``serve``, if ``settings.refit_at`` asks for one."""
    settings = context.settings
    if settings.refit_at is None:
        return None
    options = RefitOptions(
        horizon_months=settings.refit_horizon_months, discount_rate=settings.refit_discount_rate
    )
    db, holder = context.db, context.worker_id
    schedule = DailyRefit(
        refit_job(db, context.hub, options, settings.clock),
        at=settings.refit_at,
        clock=settings.clock,
        claim=lambda due: claim_slot(db, REFIT_SLOT, holder, slot=due),
    )
    log.info("customer-value refit scheduled daily at %s UTC", settings.refit_at.strftime("%H:%M"))
    return asyncio.get_running_loop().create_task(schedule.run_forever(), name="daily-refit")
