"""The sync engine: pull the change feed, push the outbox, survive every failure.

Qt-free and asyncio-based; the GUI runs it on the qasync loop and re-emits its
:mod:`operator_app.sync.events` as signals. All SQLite work goes through one
:class:`DbWorker` thread (one writer), never on the event loop.

* Pull: pages of ``/changes`` until ``has_more`` is false; each page and its cursor
  are committed together (``cache.apply``). The next page is fetched while the
  current one is written.
* Push: the outbox in order, in batches; a row leaves only when the server answered
  applied/duplicate. Conflicts are recorded for the operator; refused rows are set
  aside with the reason. A batch the server refuses as a whole is re-sent one
  mutation at a time, so one bad row cannot block the rest.
* Failures: network, 5xx, garbage answers → *offline*, retry with backoff and jitter;
  429/503 honour ``Retry-After``; 401 → *auth_required* until :meth:`sign_in`.
* The event stream only hints (wake up and pull now); correctness comes from the feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from operator_app.api import (
    ApiError,
    AuthError,
    ChangesPage,
    ConfigurationError,
    ConflictError,
    ForbiddenError,
    IncompatibleServerError,
    LoginResult,
    Mutation,
    MutationResult,
    NotFoundError,
    RateLimitedError,
    ServerError,
    Session,
    ValidationError,
)
from operator_app.cache import outbox, survey_requests, sync_outcomes
from operator_app.cache.apply import (
    apply_changes,
    prepare_bulk_pull,
    read_cursor,
    rebuild_deferred_search,
    search_rebuild_pending,
)
from operator_app.cache.db import CacheFullError
from operator_app.cache.outbox import OutboxEntry
from operator_app.cache.sync_outcomes import MutationOutcome
from operator_app.sync.backoff import Backoff
from operator_app.sync.db_worker import DbWorker
from operator_app.sync.events import (
    ChangesRejected,
    ConflictsFound,
    ConnectionState,
    DataChanged,
    EventBus,
    PendingChanged,
    ServerHint,
    StateChanged,
    SyncCompleted,
    SyncProgress,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# Refused as a whole → try the batch's mutations one by one; refused alone → set aside.
_REFUSALS = (ValidationError, NotFoundError, ConflictError, ForbiddenError)
_CHILD_ENTITIES = frozenset(
    {
        "order",
        "coverage",
        "interest",
        "conversation",
        "message",
        "note",
        "survey",
        "review_case",
        "offer",
    }
)
_MAX_IDS_PER_EVENT = 200


@contextlib.contextmanager
def _relaxed_gc(first_generation: int = 10_000) -> Iterator[None]:
    """Fewer young-generation collections while the block runs (the thresholds are
    process-wide, so they are put back as they were afterwards)."""
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], first_generation), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@dataclass
class SyncReport:
    pulled: int = 0
    pushed: int = 0
    conflicts: int = 0
    rejected: int = 0
    cursor: int = 0
    pending: int = 0


def _to_mutation(entry: OutboxEntry) -> Mutation:
    return Mutation(
        mutation_id=entry.mutation_id,
        entity=entry.entity,
        id=entry.entity_id,
        op=entry.op,
        base_version=entry.base_version,
        data=entry.data,
    )


def _to_outcome(result: MutationResult) -> MutationOutcome:
    return MutationOutcome(
        mutation_id=result.mutation_id,
        status=result.status.value,
        version=result.version,
        error=result.error,
        current=result.current,
        conflicts=result.conflicts,
    )


def _touched(page: ChangesPage, *, bulk: bool = False) -> DataChanged:
    entities = frozenset(map(attrgetter("entity"), page.changes))
    if bulk:  # thousands of customers a page: views refresh these entities wholesale
        return DataChanged(entities=entities)
    raw: set[str] = set()
    for change in page.changes:
        if change.entity == "customer":
            raw.add(change.id)
        elif change.entity in _CHILD_ENTITIES and change.data:
            owner = change.data.get("customer_id")
            if isinstance(owner, str):
                raw.add(owner)
        if len(raw) > _MAX_IDS_PER_EVENT:
            return DataChanged(entities=entities)  # many: views refresh these entities wholesale
    ids = set()
    for text in raw:
        with contextlib.suppress(ValueError):
            ids.add(uuid.UUID(text))
    return DataChanged(entities=entities, customer_ids=frozenset(ids))


class SyncEngine:
    def __init__(
        self,
        engine: Engine,
        session: Session,
        *,
        bus: EventBus | None = None,
        db: DbWorker | None = None,
        author: str | None = None,
        page_size: int = 1000,
        push_batch: int = 100,
        poll_interval: float = 30.0,
        backoff: Backoff | None = None,
        listen_events: bool = True,
    ) -> None:
        self.engine = engine
        self.session = session
        self.api = session.api
        self.bus = bus or EventBus()
        self.db = db or DbWorker()
        self._owns_db = db is None
        self.author = author or session.username
        self.page_size = page_size
        self.push_batch = push_batch
        self.poll_interval = poll_interval
        self.backoff = backoff or Backoff()
        self.listen_events = listen_events
        self.state = ConnectionState.OFFLINE
        self.last_sync_at: datetime | None = None
        self.last_event_id: str | None = None
        self._wake = asyncio.Event()
        self._credentials = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # -- state -------------------------------------------------------------------

    def _set_state(
        self, state: ConnectionState, message: str | None = None, retry_in: float | None = None
    ) -> None:
        changed = state != self.state or message is not None
        self.state = state
        if changed:
            self.bus.publish(StateChanged(state, message, retry_in))

    async def _publish_pending(self) -> None:
        pending = await self.db.run(outbox.pending_count, self.engine)
        conflicts, rejected = await self.db.run(sync_outcomes.issue_counts, self.engine)
        self.bus.publish(PendingChanged(pending, conflicts, rejected))

    # -- pull --------------------------------------------------------------------

    async def pull(self) -> int:
        """Apply change pages until the feed is exhausted; returns the number of changes."""
        cursor = await self.db.run(read_cursor, self.engine)
        # An empty cache (or an unfinished bulk pull) indexes search once at the end.
        stale = await self.db.run(search_rebuild_pending, self.engine)
        bulk = cursor == 0 or stale
        if cursor == 0:
            await self.db.run(prepare_bulk_pull, self.engine)
            stale = True  # the indexes it dropped come back at the end, whatever was pulled
        # A bulk pull allocates millions of short-lived objects: collecting garbage that
        # often costs more CPU than it frees, so the collector runs less often meanwhile.
        with _relaxed_gc() if bulk else contextlib.nullcontext():
            total = await self._pull_pages(cursor, bulk)
        if bulk and (total or stale):
            await self.db.run(rebuild_deferred_search, self.engine)
            self.bus.publish(DataChanged(entities=frozenset({"customer"})))
        return total

    async def _pull_pages(self, cursor: int, bulk: bool) -> int:
        total = 0
        fetch: asyncio.Task[ChangesPage] | None = asyncio.ensure_future(
            self.api.changes(cursor, self.page_size)
        )
        try:
            while fetch is not None:
                current, fetch = fetch, None
                page = await current
                if page.has_more:  # fetch the next page while this one is written
                    fetch = asyncio.ensure_future(self.api.changes(page.next, self.page_size))
                if page.changes and self.state != ConnectionState.SYNCING:
                    self._set_state(ConnectionState.SYNCING)
                await self.db.run(
                    apply_changes, self.engine, page.changes, page.next, defer_search=bulk
                )
                total += len(page.changes)
                self.bus.publish(SyncProgress("pull", total, cursor=page.next, more=page.has_more))
                if page.changes:
                    self.bus.publish(_touched(page, bulk=bulk))
        finally:
            if fetch is not None:
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, ApiError):
                    await fetch
        return total

    # -- push --------------------------------------------------------------------

    async def push(self) -> SyncReport:
        """Send the outbox until it is empty (conflicts and refusals are set aside)."""
        report = SyncReport()
        while True:
            batch = await self.db.run(outbox.claim_batch, self.engine, self.push_batch)
            if not batch:
                break
            if self.state != ConnectionState.SYNCING:
                self._set_state(ConnectionState.SYNCING)
            try:
                outcomes = await self._send(batch)
            except ApiError as exc:
                await self.db.run(outbox.note_failure, self.engine, batch, str(exc))
                raise
            summary = await self.db.run(sync_outcomes.record_results, self.engine, batch, outcomes)
            report.pushed += summary.done
            report.conflicts += summary.conflicts
            report.rejected += summary.rejected
            self.bus.publish(SyncProgress("push", report.pushed))
            self.bus.publish(
                DataChanged(
                    entities=frozenset(e.entity for e in batch),
                    customer_ids=frozenset(e.entity_id for e in batch if e.entity == "customer"),
                )
            )
            if summary.conflicts:
                self.bus.publish(ConflictsFound(summary.conflicts))
            if summary.rejected:
                self.bus.publish(ChangesRejected(summary.rejected))
            await self._publish_pending()
        return report

    async def _send(self, batch: list[OutboxEntry]) -> list[MutationOutcome]:
        try:
            results = await self.api.push([_to_mutation(e) for e in batch])
        except _REFUSALS as exc:
            if len(batch) == 1:
                log.warning("server refused mutation %s: %s", batch[0].mutation_id, exc.status)
                return [MutationOutcome(batch[0].mutation_id, "rejected", error=str(exc))]
            outcomes: list[MutationOutcome] = []
            for entry in batch:
                outcomes += await self._send([entry])
            return outcomes
        return [_to_outcome(r) for r in results]

    # -- rounds ------------------------------------------------------------------

    async def sync_once(self) -> SyncReport:
        """Pull, push, and pull again if anything was pushed (to see the server's versions)."""
        report = SyncReport()
        report.pulled = await self.pull()
        pushed = await self.push()
        report.pushed, report.conflicts, report.rejected = (
            pushed.pushed,
            pushed.conflicts,
            pushed.rejected,
        )
        if pushed.pushed or pushed.conflicts or pushed.rejected:
            report.pulled += await self.pull()
        report.cursor = await self.db.run(read_cursor, self.engine)
        report.pending = await self.db.run(outbox.pending_count, self.engine)
        self.last_sync_at = datetime.now(UTC)
        self._set_state(ConnectionState.ONLINE)
        self.bus.publish(SyncCompleted(self.last_sync_at, report.pulled, report.pushed))
        return report

    async def sync_until_idle(
        self,
        *,
        max_failures: int = 3,
        max_wait: float = 600.0,
        on_wait: Callable[[float, ApiError], None] | None = None,
    ) -> SyncReport:
        """One complete round for the headless command: retries transient failures
        (``max_failures`` in a row), waits out ``Retry-After``, and raises the last error
        when giving up. Auth, permission and version errors are raised at once."""
        failures = 0
        waited = 0.0
        while True:
            try:
                report = await self.sync_once()
                self.backoff.reset()
                return report
            except (AuthError, ForbiddenError, IncompatibleServerError, ConfigurationError):
                raise
            except ApiError as exc:
                # Anything else may be a passing fault (a proxy, a restart): try again a few times.
                delay = self._delay_for(exc)
                if not isinstance(exc, RateLimitedError):
                    failures += 1
                    if failures >= max_failures:
                        self._set_state(ConnectionState.OFFLINE, str(exc))
                        raise
                if waited + delay > max_wait:
                    raise
                self._set_state(ConnectionState.OFFLINE, str(exc), retry_in=delay)
                if on_wait:
                    on_wait(delay, exc)
                waited += delay
                await asyncio.sleep(delay)

    def _delay_for(self, exc: ApiError) -> float:
        hinted = getattr(exc, "retry_after", None)
        if isinstance(exc, RateLimitedError | ServerError) and hinted is not None:
            self.backoff.failures += 1
            return float(hinted)
        return self.backoff.next_delay()

    # -- the long-running loop ----------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        """Run :meth:`run` in the background (idempotent)."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.ensure_future(self.run())
        return self._task

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._credentials.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def aclose(self) -> None:
        await self.stop()
        if self._owns_db:
            self.db.close()

    def wake(self) -> None:
        """Sync now (local change, server hint, or the operator pressed *Sync*)."""
        self._wake.set()

    async def run(self) -> None:
        listener = asyncio.ensure_future(self._listen()) if self.listen_events else None
        try:
            await self._publish_pending()
            while not self._stopping:
                self._wake.clear()
                delay = self.poll_interval
                if not self.api.signed_in:
                    await self._wait_for_credentials("Please sign in to sync with the server.")
                    continue
                try:
                    await self.sync_once()
                    self.backoff.reset()
                except AuthError as exc:
                    await self._wait_for_credentials(str(exc))
                    continue
                except IncompatibleServerError as exc:
                    self._set_state(ConnectionState.OFFLINE, str(exc))
                    delay = max(self.poll_interval, 300.0)
                except ApiError as exc:
                    delay = self._delay_for(exc)
                    self._set_state(ConnectionState.OFFLINE, str(exc), retry_in=delay)
                except CacheFullError as exc:  # rolled back whole; try again once there is room
                    delay = self.backoff.next_delay()
                    self._set_state(ConnectionState.OFFLINE, str(exc), retry_in=delay)
                except Exception:  # a bug must not kill sync for the rest of the session
                    log.exception("sync round failed")
                    delay = self.backoff.next_delay()
                    self._set_state(
                        ConnectionState.OFFLINE, "Sync hit an internal error; retrying.", delay
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=delay)
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    async def _wait_for_credentials(self, message: str) -> None:
        self.session.forget_token()
        self._credentials.clear()
        self._set_state(ConnectionState.AUTH_REQUIRED, message)
        await self._credentials.wait()

    async def sign_in(self, password: str) -> LoginResult:
        """Sign in again (after *auth_required*); the loop resumes at once."""
        result = await self.session.sign_in(password)
        self._credentials.set()
        self._wake.set()
        return result

    async def _listen(self) -> None:
        backoff = Backoff(base=1.0, cap=30.0)
        while not self._stopping:
            if self.state == ConnectionState.AUTH_REQUIRED or not self.api.signed_in:
                await asyncio.sleep(1.0)
                continue
            try:
                async for event in self.api.events(self.last_event_id):
                    backoff.reset()
                    if event.id:
                        self.last_event_id = event.id
                    if event.kind in ("ping", "keepalive"):
                        continue
                    self.bus.publish(ServerHint(event.kind, event.data, event.id))
                    self.wake()
            except ApiError as exc:
                log.debug("event stream closed: %s", type(exc).__name__)
            await asyncio.sleep(backoff.next_delay())

    # -- local changes (through the one DB thread) ----------------------------------

    async def change(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a local-change function of ``cache.outbox`` / ``cache.sync_outcomes`` on the DB
        thread, then tell subscribers and the pusher."""
        result = await self.db.run(fn, self.engine, *args, **kwargs)
        await self._publish_pending()
        self.wake()
        return result

    async def add_note(self, customer_id: uuid.UUID, body: str) -> Any:
        return await self.change(outbox.add_note, customer_id, body, self.author)

    async def add_reply(self, conversation_id: uuid.UUID, body: str) -> Any:
        return await self.change(outbox.add_reply, conversation_id, body, self.author)

    async def set_conversation_status(
        self, conversation_id: uuid.UUID, status: str, next_follow_up_at: datetime | None = None
    ) -> dict[str, Any]:
        return await self.change(
            outbox.set_conversation_status, conversation_id, status, next_follow_up_at
        )

    async def record_offer(self, **offer: Any) -> Any:
        """What the customer said to an offer (``cache.outbox.record_offer`` fields)."""
        return await self.change(outbox.record_offer, by_user=self.author, **offer)

    async def request_survey(
        self,
        conversation_id: uuid.UUID,
        kind: str | None = None,
        *,
        score: int | None = None,
        resolve: bool = False,
    ) -> uuid.UUID:
        """Ask for a survey (``resolve``: resolving the conversation with it), or record
        a score said on a call; see :mod:`operator_app.cache.survey_requests`."""
        return await self.change(
            survey_requests.request_survey, conversation_id, kind, score=score, resolve=resolve
        )

    async def update_customer(self, customer_id: uuid.UUID, changes: dict[str, Any]) -> Any:
        return await self.change(outbox.update_customer, customer_id, changes)

    async def create_customer(self, **fields: Any) -> uuid.UUID:
        return await self.change(outbox.create_customer, **fields)

    async def list_conflicts(self) -> list[sync_outcomes.Conflict]:
        return await self.db.run(sync_outcomes.list_conflicts, self.engine)

    async def resolve_conflict(self, conflict_id: int, keep: str) -> None:
        await self.change(sync_outcomes.resolve_conflict, conflict_id, keep)

    async def list_rejected(self) -> list[sync_outcomes.RejectedChange]:
        return await self.db.run(sync_outcomes.list_rejected, self.engine)

    async def retry_rejected(self, seq: int) -> None:
        await self.change(sync_outcomes.retry_rejected, seq)

    async def discard_rejected(self, seq: int) -> None:
        await self.change(sync_outcomes.discard_rejected, seq)
