"""The one thread that reads the local cache, so the GUI thread never runs SQL.

``DbWorker`` lives in the GUI thread and hands jobs to a worker object that lives in a
dedicated ``QThread``. Every job gets a request id; its result comes back to the GUI
thread through a queued signal and is passed to the caller's callback.

Jobs may belong to a *channel* ("search", "card", …). Within a channel only the newest
job counts: an older job that has not started yet is skipped, and an older result that
arrives late (the user typed another letter meanwhile) is dropped, so the screen never
flips back to stale data.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from operator_app.domain.entities import CustomerCard, CustomerSummary, TimelineItem, WorklistItem
from operator_app.gui.i18n import translate

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from operator_app.cache.repositories import (
        CustomerRepository,
        TimelineCursor,
        WorklistRepository,
    )

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[], Any]
OnDone = Callable[[Any], None]
OnError = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Worklists:
    """The three worklist sections of the left panel, read in one job."""

    open_contacts: list[WorklistItem]
    follow_ups_due: list[WorklistItem]
    hanging: list[WorklistItem]
    next_late_at: datetime | None = None  # when "waiting for our reply" changes by itself


@dataclass(frozen=True, slots=True)
class ScreenPop:
    """A phone's matches and, when exactly one customer has it, that customer's card
    and first timeline page, read in one job so the window fills (and paints) once."""

    matches: list[CustomerSummary]
    card: CustomerCard | None = None
    first_page: list[TimelineItem] | None = None
    advice: object = None  # services.offer_advice.OfferAdvice, or None if ranking failed


@dataclass(frozen=True, slots=True)
class SyncStatus:
    pending_changes: int
    last_sync_at: datetime | None


class _ChannelBook:
    """Newest request id per channel, shared by both threads (reads and writes of one
    dict key are atomic under the GIL; the lock keeps check-and-set honest anyway)."""

    def __init__(self) -> None:
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()

    def claim(self, channel: str, request_id: int) -> None:
        with self._lock:
            self._latest[channel] = request_id

    def is_current(self, channel: str | None, request_id: int) -> bool:
        if channel is None:
            return True
        with self._lock:
            return self._latest.get(channel, request_id) == request_id


class _Worker(QObject):
    """Lives in the DB thread; runs one job at a time, in the order submitted."""

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, book: _ChannelBook) -> None:
        super().__init__()
        self._book = book

    @Slot(int, str, object)
    def run(self, request_id: int, channel: str, job: Job) -> None:
        if not self._book.is_current(channel or None, request_id):
            return  # superseded before it started: save the work
        try:
            result = job()
        except Exception as exc:  # a failed read must reach the user, not kill the thread
            # Where it failed and why, but not the statement's parameters: those can hold
            # what the operator typed about a customer.
            log.error(
                "cache read failed (request %d): %s: %s\n%s",
                request_id,
                type(exc).__name__,
                _first_line(exc),
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            self.failed.emit(request_id, _user_message(exc))
        else:
            self.done.emit(request_id, result)


def _log_pop_failure(what: str, exc: Exception) -> None:
    # As the worker logs a failed job: no statement parameters (customer data).
    log.warning("screen pop: %s failed: %s: %s", what, type(exc).__name__, _first_line(exc))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _user_message(exc: Exception) -> str:
    text = translate("DbWorker", "Could not read the local cache: {reason}")
    return text.format(reason=_first_line(exc))


class DbWorker(QObject):
    """GUI-side handle of the DB thread. Create in the GUI thread; call ``close()`` once."""

    failed = Signal(str)
    """A read failed and nobody else handled it; the text is fit for the status bar."""

    _submit = Signal(int, str, object)

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._repositories: tuple[CustomerRepository, WorklistRepository] | None = None
        self._repositories_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._book = _ChannelBook()
        self._pending: dict[int, tuple[str | None, OnDone, OnError | None]] = {}
        self._closed = False
        self._held: list[tuple[int, str, Job]] | None = None

        self._thread = QThread()
        self._thread.setObjectName("operator-app-db")
        self._worker = _Worker(self._book)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        # Deferred deletes of the thread's objects run as the thread finishes.
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()
        # Safety net: if this handle is deleted without close(), stop the thread anyway,
        # since destroying a running QThread aborts the process.
        thread = self._thread
        self.destroyed.connect(lambda *_: _stop_thread(thread))

    # -- repositories ----------------------------------------------------------------

    def _repos(self) -> tuple[CustomerRepository, WorklistRepository]:
        # Made on first use, which is a job in the DB thread: SQLAlchemy's ORM and the
        # cache models load there while the GUI thread paints the window.
        with self._repositories_lock:
            if self._repositories is None:
                from operator_app.cache.repositories import (
                    CustomerRepository,
                    WorklistRepository,
                )

                self._repositories = (
                    CustomerRepository(self.engine),
                    WorklistRepository(self.engine),
                )
            return self._repositories

    @property
    def customers(self) -> CustomerRepository:
        return self._repos()[0]

    @property
    def worklists(self) -> WorklistRepository:
        return self._repos()[1]

    # -- generic ---------------------------------------------------------------------

    def submit(
        self,
        job: Job,
        on_done: OnDone,
        *,
        channel: str | None = None,
        on_error: OnError | None = None,
    ) -> int:
        """Run ``job()`` in the DB thread; ``on_done(result)`` runs later in the GUI thread.

        With a ``channel``, this request supersedes every earlier one of that channel.
        """
        if self._closed:
            return 0
        request_id = next(self._ids)
        if channel is not None:
            self._book.claim(channel, request_id)
            self._forget_channel(channel)
        self._pending[request_id] = (channel, on_done, on_error)
        if self._held is not None:
            self._held.append((request_id, channel or "", job))
        else:
            self._submit.emit(request_id, channel or "", job)
        return request_id

    def hold(self) -> None:
        """Keep jobs from the thread until :meth:`release` (they count as in flight)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Hand the held jobs to the thread, in the order submitted, and stop holding."""
        held, self._held = self._held, None
        for request_id, channel, job in held or ():
            if not self._closed:
                self._submit.emit(request_id, channel, job)

    def cancel(self, channel: str) -> None:
        """Forget whatever is in flight on ``channel`` (its results will be dropped)."""
        self._book.claim(channel, next(self._ids))
        self._forget_channel(channel)

    def _forget_channel(self, channel: str) -> None:
        # Superseded requests may be skipped by the worker and never answer; their
        # callbacks must not linger (``busy`` would stay true forever).
        stale = [rid for rid, entry in self._pending.items() if entry[0] == channel]
        for rid in stale:
            del self._pending[rid]

    @property
    def busy(self) -> bool:
        """True while some submitted job has not reported back yet."""
        return bool(self._pending)

    def close(self) -> None:
        """Stop the thread and wait for it; queued jobs that have not started are dropped."""
        if self._closed:
            return
        self._closed = True
        self._pending.clear()
        _stop_thread(self._thread)

    @property
    def is_running(self) -> bool:
        return self._thread.isRunning()

    @Slot(int, object)
    def _on_done(self, request_id: int, result: object) -> None:
        entry = self._pending.pop(request_id, None)
        if entry is None:
            return
        channel, on_done, _ = entry
        if self._book.is_current(channel, request_id):
            on_done(result)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        entry = self._pending.pop(request_id, None)
        if entry is None:
            return
        channel, _, on_error = entry
        if not self._book.is_current(channel, request_id):
            return
        if on_error is not None:
            on_error(message)
        else:
            self.failed.emit(message)

    # -- the reads the window needs ---------------------------------------------------

    def search(
        self, query: str, on_done: Callable[[list[CustomerSummary]], None], limit: int = 50
    ) -> int:
        return self.submit(lambda: self.customers.search(query, limit), on_done, channel="search")

    def find_by_phone(self, raw: str, on_done: Callable[[list[CustomerSummary]], None]) -> int:
        return self.submit(lambda: self.customers.find_by_phone(raw), on_done, channel="search")

    def screen_pop(
        self,
        raw: str,
        page_size: int,
        on_done: Callable[[ScreenPop], None],
        *,
        advise: Callable[[CustomerCard], object] | None = None,
    ) -> int:
        """Phone → matches, and for a single match its card, first timeline page and
        (with ``advise``, run here too) ranked offers."""

        def job() -> ScreenPop:
            matches = self.customers.find_by_phone(raw)
            if len(matches) != 1:
                return ScreenPop(matches)
            customer_id = matches[0].id
            card = self.customers.get_card(customer_id)
            if card is None:  # gone between the two reads (a sync removed it)
                return ScreenPop(matches)
            try:
                page = self.customers.timeline_page(customer_id, None, page_size)
            except Exception as exc:  # the window reads the card again and says what failed
                _log_pop_failure("the first timeline page", exc)
                return ScreenPop(matches)
            advice = None
            if advise is not None:
                try:
                    advice = advise(card)
                except Exception as exc:  # the card matters more; the panel asks again
                    _log_pop_failure("ranking offers", exc)
            return ScreenPop(matches, card, page, advice)

        return self.submit(job, on_done, channel="search")

    def card(self, customer_id: uuid.UUID, on_done: Callable[[CustomerCard | None], None]) -> int:
        return self.submit(lambda: self.customers.get_card(customer_id), on_done, channel="card")

    def timeline_page(
        self,
        customer_id: uuid.UUID,
        before: TimelineCursor | None,
        limit: int,
        on_done: Callable[[list[TimelineItem]], None],
        *,
        channel: str | None = None,
        on_error: OnError | None = None,
    ) -> int:
        return self.submit(
            lambda: self.customers.timeline_page(customer_id, before, limit),
            on_done,
            channel=channel,
            on_error=on_error,
        )

    def load_worklists(
        self,
        assignee: str | None,
        now: datetime,
        day_end: datetime,
        on_done: Callable[[Worklists], None],
    ) -> int:
        def job() -> Worklists:
            return Worklists(
                open_contacts=self.worklists.open_contacts(assignee),
                follow_ups_due=self.worklists.follow_ups_due(now, until=day_end),
                hanging=self.worklists.hanging(now),
                next_late_at=self.worklists.next_late_at(now),
            )

        return self.submit(job, on_done, channel="worklists")

    def sync_status(self, on_done: Callable[[SyncStatus], None]) -> int:
        return self.submit(lambda: read_sync_status(self.engine), on_done, channel="sync-status")


def _stop_thread(thread: QThread) -> None:
    try:
        running = thread.isRunning()
    except RuntimeError:  # the QThread went away with its owner: nothing left to stop
        return
    if running:
        thread.quit()
        thread.wait()


def read_sync_status(engine: Engine) -> SyncStatus:
    """Outbox length and last successful sync, for the status bar.

    Two one-row reads; they belong in the cache layer's sync-state repository once it
    exists, and are here only so the status bar can show real figures today.
    """
    from sqlalchemy import func, select

    from operator_app.cache.models import OutboxRow, SyncStateRow

    with engine.connect() as conn:
        pending = conn.execute(select(func.count()).select_from(OutboxRow)).scalar_one()
        last = conn.execute(
            select(SyncStateRow.last_sync_at).where(SyncStateRow.id == 1)
        ).scalar_one_or_none()
    return SyncStatus(pending_changes=int(pending), last_sync_at=last)
