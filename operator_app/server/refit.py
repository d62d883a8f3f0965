"""The customer-value refit: orders → BG/NBD + Gamma-Gamma → every customer's value strip.

One run:

1. claims the run (an ``analytics_runs`` row; at most one runs at a time, across
   processes: a second start gets :class:`RefitBusy`);
2. reads the order history in one pass (:mod:`refit_history`): historical CLV = paid
   orders − refunded orders (never below 0), and the RFM summary of the paid ones;
3. fits the models (:func:`analytics.scoring.fit_clv_model`) and scores everybody
   (:mod:`refit_scores`); if the history is too thin to fit, historical CLV is still
   brought up to date and the predictions are left as they were;
4. walks all customers in id order, a chunk per transaction, and rewrites only the rows
   whose figures moved materially — as ordinary versioned updates with one change-log
   row each, so clients receive them through ``/changes``;
5. recomputes the upsell learning (:mod:`upsell_stats`) with the new segments;
6. records the fitted parameters, counts and timings on the run.

Customers without a purchase get value segment ``new`` and no prediction.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from operator_app.analytics.clv import ModelFitError
from operator_app.analytics.scoring import ClvModel, fit_clv_model
from operator_app.server import changelog, upsell_stats
from operator_app.server.db import Database
from operator_app.server.models import AnalyticsRun
from operator_app.server.refit_history import read_order_history
from operator_app.server.refit_scores import score_arrays
from operator_app.server.refit_writer import ACTOR, CustomerValueWriter
from operator_app.server.settings import utc_now

log = logging.getLogger(__name__)

# A run that has not reported for this long is taken to have died with its process.
STALE_AFTER = timedelta(minutes=30)
HEARTBEAT_SECONDS = 60.0
# Arbitrary, fixed: the advisory lock that makes claiming a run atomic on PostgreSQL.
RUN_LOCK_KEY = 0x6F61_7266_0001


class RefitBusy(RuntimeError):
    """Another refit is running; the message says since when."""


class RefitCancelled(RuntimeError):
    """The run was asked to stop (server shutting down) between two chunks."""


@dataclass(frozen=True, slots=True)
class RefitOptions:
    horizon_months: int = 12
    discount_rate: float = 0.01  # per month
    unit: str = "weeks"
    chunk_size: int = 2000
    pause_seconds: float = 0.12  # after each written chunk, on SQLite

    def __post_init__(self) -> None:
        if not 1 <= self.horizon_months <= 120:
            raise ValueError(f"horizon_months must be 1 to 120, got {self.horizon_months}")
        if not 0 <= self.discount_rate < 1:
            raise ValueError(f"discount_rate must be ≥ 0 and < 1, got {self.discount_rate}")
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")


@dataclass
class RefitReport:
    run_id: uuid.UUID
    started_at: datetime
    customers: int = 0  # customer rows looked at
    buyers: int = 0  # customers with a purchase (the models' data)
    scored: int = 0  # customer rows given a prediction
    changed: int = 0  # customer rows rewritten (= their change-log rows)
    orders: int = 0  # paid and refunded order rows read
    model: ClvModel | None = None
    model_error: str | None = None  # why there is no model this time
    upsell_stats_changed: bool = False
    last_seq: int | None = None  # newest change-log position written, if any
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase


# --- claiming and recording the run ------------------------------------------------------------


def _lock_runs(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_LOCK_KEY})


def claim_run(db: Database, *, trigger: str, now: datetime) -> uuid.UUID:
    """Start a run, or raise :class:`RefitBusy` while another one is alive."""
    with db.writing() as session:
        _lock_runs(session)
        running = session.scalars(
            select(AnalyticsRun).where(AnalyticsRun.status == "running").with_for_update()
        ).all()
        for run in running:
            if run.heartbeat_at > now - STALE_AFTER:
                raise RefitBusy(
                    f"a refit started at {run.started_at:%Y-%m-%d %H:%M} UTC is still running"
                )
            run.status = "abandoned"
            run.finished_at = now
            run.message = "stopped without finishing (the process ended)"
        run_id = uuid.uuid4()
        session.add(
            AnalyticsRun(
                id=run_id,
                trigger=trigger,
                status="running",
                started_at=now,
                heartbeat_at=now,
                customers=0,
                scored=0,
                changed=0,
                model=None,
                details={},
                message="",
            )
        )
    return run_id


def _heartbeat(session: Session, run_id: uuid.UUID, now: datetime) -> None:
    session.execute(update(AnalyticsRun).where(AnalyticsRun.id == run_id).values(heartbeat_at=now))


def _finish(db: Database, report: RefitReport, status: str, message: str, now: datetime) -> None:
    with db.writing() as session:
        session.execute(
            update(AnalyticsRun)
            .where(AnalyticsRun.id == report.run_id)
            .values(
                status=status,
                finished_at=now,
                heartbeat_at=now,
                customers=report.customers,
                scored=report.scored,
                changed=report.changed,
                model=report.model.to_dict() if report.model else None,
                details={
                    "buyers": report.buyers,
                    "orders": report.orders,
                    "upsell_stats_changed": report.upsell_stats_changed,
                    "seconds": {k: round(v, 3) for k, v in report.timings.items()},
                },
                message=message[:2000],
            )
        )


# --- the run ------------------------------------------------------------------------------------


def run_refit(
    db: Database,
    *,
    options: RefitOptions | None = None,
    trigger: str = "command",
    clock: Callable[[], datetime] = utc_now,
    should_stop: Callable[[], bool] = lambda: False,
) -> RefitReport:
    """One whole refit (see the module docstring). Raises :class:`RefitBusy` if another
    run is alive, :class:`RefitCancelled` if ``should_stop`` said so between chunks."""
    options = options or RefitOptions()
    now = clock()
    report = RefitReport(claim_run(db, trigger=trigger, now=now), now)
    try:
        _run(db, report, options, now, clock, should_stop)
    except RefitCancelled:
        _finish(db, report, "cancelled", "stopped before the end (server shutting down)", clock())
        raise
    except Exception as error:
        _finish(db, report, "failed", f"{type(error).__name__}: {error}", clock())
        raise
    _finish(db, report, "succeeded", report.model_error or "", clock())
    return report


def _run(
    db: Database,
    report: RefitReport,
    options: RefitOptions,
    now: datetime,
    clock: Callable[[], datetime],
    should_stop: Callable[[], bool],
) -> None:
    started = time.perf_counter()
    with db.reading() as session:
        history = read_order_history(session.connection(), now, options.unit)
    report.orders = history.orders
    report.buyers = len(history.rfm) if history.rfm is not None else 0
    loaded = time.perf_counter()
    report.timings["read"] = loaded - started

    scores = None
    if history.rfm is None:
        report.model_error = "no paid orders yet: nothing to predict from"
    else:
        try:
            report.model = fit_clv_model(
                history.rfm,
                horizon_months=options.horizon_months,
                discount_rate=options.discount_rate,
            )
            scores = score_arrays(report.model, history.rfm)
        except ModelFitError as error:
            report.model_error = f"predictions not updated: {error}"
    fitted = time.perf_counter()
    report.timings["fit"] = fitted - loaded

    writer = CustomerValueWriter(history, scores, now, report)
    pause = options.pause_seconds if db.dialect == "sqlite" else 0.0
    after = None
    last_beat = time.monotonic()
    while True:
        if should_stop():
            raise RefitCancelled("asked to stop")
        # Comparing needs no lock; only chunks with changes take the write lock.
        with db.reading() as session:
            plan = writer.plan(session, after, options.chunk_size)
        if plan.changed:
            with db.writing() as session:
                writer.rewrite(session, plan.changed)
                _heartbeat(session, report.run_id, clock())
            last_beat = time.monotonic()
            # SQLite has one writer: a pause lets the requests queued meanwhile write
            # (their busy handler retries at most 100 ms apart) before the next chunk.
            time.sleep(pause)
        elif time.monotonic() - last_beat > HEARTBEAT_SECONDS:
            with db.writing() as session:
                _heartbeat(session, report.run_id, clock())
            last_beat = time.monotonic()
        if plan.last_id is None:
            break
        after = plan.last_id
    written = time.perf_counter()
    report.timings["write"] = written - fitted

    with db.reading() as session:
        learning = upsell_stats.learn(session.connection())
    with db.writing() as session:
        change = upsell_stats.store(session, learning, now)
        if change is not None:
            report.upsell_stats_changed = True
            report.last_seq = changelog.append(session, [change], actor=ACTOR, at=now)
    report.timings["upsell_stats"] = time.perf_counter() - written
    report.timings["total"] = time.perf_counter() - started
