"""The event hub of a server run as several worker processes (``serve --workers N``).

A published event is written to ``server_events``; every worker reads the events new
since its last read (one query per worker, not per stream) and fans them out to the
streams it holds, in id order, its own events included. A worker reads right after it
publishes; the others notice through the shared counter file within ~15 ms (or, without
one, at their next poll, ``event_poll_seconds``). Replays come from the table, so a
client may resume on any worker, and after a restart.

``change`` hints for everyone only say how far the change feed has got, so when several
threads of a worker publish one at the same moment (a burst of writes), the thread
already writing one writes a single hint with the highest ``seq`` for all of them: one
insert instead of many, and no hint is later than it would have been.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from operator_app.server.db import Database
from operator_app.server.events import EventHub, HubEvent, Replay
from operator_app.server.events_store import (
    event_epoch,
    events_after,
    insert_event,
    latest_event_id,
    replay_range,
)
from operator_app.server.shared_counter import EVENTS, SharedCounters

log = logging.getLogger(__name__)

READ_BATCH = 500
COUNTER_TICK_S = 0.015


class SharedEventHub(EventHub):
    def __init__(
        self,
        db: Database,
        *,
        ring_size: int,
        poll_seconds: float,
        clock: Callable[[], datetime],
        counters: SharedCounters | None = None,
    ) -> None:
        super().__init__(ring_size)
        self.db = db
        self.keep = ring_size
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.counters = counters
        self._epoch: str | None = None
        self._epoch_lock = threading.Lock()
        self._last = 0  # the newest event id this worker has fanned out
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._hint_lock = threading.Lock()
        self._pending_seq: int | None = None  # a change hint waiting for the writing thread
        self._writing_hints = False
        self._last_hint: HubEvent | None = None

    @property
    def epoch(self) -> str:
        with self._epoch_lock:
            if self._epoch is None:
                self._epoch = event_epoch(self.db)
            return self._epoch

    async def start(self) -> None:
        await asyncio.to_thread(lambda: self.epoch)
        self._last = await asyncio.to_thread(latest_event_id, self.db)
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = self._loop.create_task(self._follow(), name="event-reader")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def publish(
        self, kind: str, data: dict[str, Any], *, audience: frozenset[str] | None = None
    ) -> HubEvent:
        seq = data.get("seq")
        if kind == "change" and audience is None and set(data) == {"seq"} and isinstance(seq, int):
            return self._publish_change(seq)
        return self._insert(kind, data, audience)

    def _publish_change(self, seq: int) -> HubEvent:
        with self._hint_lock:
            self._pending_seq = max(seq, self._pending_seq or 0)
            if self._writing_hints and self._last_hint is not None:
                # The writing thread takes this seq with its next insert.
                return self._last_hint
            self._writing_hints = True
        try:
            while True:
                with self._hint_lock:
                    pending, self._pending_seq = self._pending_seq, None
                    if pending is None:
                        self._writing_hints = False
                        assert self._last_hint is not None
                        return self._last_hint
                event = self._insert("change", {"seq": pending}, None)
                with self._hint_lock:
                    self._last_hint = event
        except BaseException:
            with self._hint_lock:
                self._writing_hints = False
            raise

    def _insert(self, kind: str, data: dict[str, Any], audience: frozenset[str] | None) -> HubEvent:
        number = insert_event(self.db, kind, data, audience, at=self.clock(), keep=self.keep)
        if self.counters is not None:
            self.counters.bump(EVENTS)
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop is shutting down
                loop.call_soon_threadsafe(wake.set)
        return HubEvent(number, f"{self.epoch}-{number}", kind, data, audience)

    async def _follow(self) -> None:
        assert self._wake is not None
        counters = self.counters
        seen = counters.value(EVENTS) if counters is not None else 0
        tick = COUNTER_TICK_S if counters is not None else self.poll_seconds
        next_read = 0.0
        more = False
        while not self.closed:
            if not more:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=tick)
            woken = self._wake.is_set() or more
            self._wake.clear()
            if counters is not None:
                value = counters.value(EVENTS)
                if value == seen and not woken and time.monotonic() < next_read:
                    continue
                seen = value
            next_read = time.monotonic() + self.poll_seconds
            try:
                events = await asyncio.to_thread(self._read_new)
            except Exception:
                log.exception("reading new events failed; trying again")
                more = False
                await asyncio.sleep(self.poll_seconds)
                continue
            more = len(events) == READ_BATCH
            for event in events:
                self._fan_out(event)

    def _read_new(self) -> list[HubEvent]:
        events = events_after(self.db, self._last, self.epoch, limit=READ_BATCH)
        if events:
            self._last = events[-1].number
        return events

    async def replay_for(self, last_event_id: str | None, username: str) -> Replay:
        if not last_event_id:
            return Replay([], stale=False)
        return await asyncio.to_thread(self.replay, last_event_id, username)

    def replay(self, last_event_id: str | None, username: str) -> Replay:
        if not last_event_id:
            return Replay([], stale=False)
        epoch, _, number_text = last_event_id.strip().partition("-")
        if epoch != self.epoch or not number_text.isdigit():
            return Replay([], stale=True)
        number = int(number_text)
        stored = replay_range(self.db, number, self.epoch, limit=self.keep)
        newest = stored.newest or 0
        if number > newest:
            return Replay([], stale=True)
        # As if exactly the newest ``keep`` were kept (rows are deleted in batches).
        oldest = max(stored.oldest or newest + 1, newest - self.keep + 1)
        events = [e for e in stored.events if e.number >= oldest and e.visible_to(username)]
        return Replay(events, stale=number < oldest - 1)
