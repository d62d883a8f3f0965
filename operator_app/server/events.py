"""In-memory event hub behind ``GET /events``: fan-out to streams, replay on reconnect.

Events are hints (the change feed carries the truth), so the hub keeps only a bounded
ring of recent events. Ids are ``<boot>-<n>``: ``boot`` is random per server start,
so a client resuming with an id from before a restart is recognised as stale (it is
told to re-sync) instead of being matched against unrelated numbers.

``publish`` may be called from any thread (endpoints run in a thread pool); each
stream's queue lives on its event loop and is fed through ``call_soon_threadsafe``.

This hub serves one process. When several worker processes serve one database
(``serve --workers N``), :class:`~operator_app.server.shared_events.SharedEventHub`
takes its place: same streams, events passed on through the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any

QUEUE_SIZE = 256


@dataclass(frozen=True, slots=True)
class HubEvent:
    number: int
    id: str
    kind: str
    data: dict[str, Any]
    audience: frozenset[str] | None  # usernames; None = every stream

    def visible_to(self, username: str) -> bool:
        return self.audience is None or username in self.audience


class Subscription:
    """One open stream: a queue of events for one user. ``None`` in the queue = closed."""

    def __init__(self, username: str, loop: asyncio.AbstractEventLoop) -> None:
        self.username = username
        self.loop = loop
        self.queue: asyncio.Queue[HubEvent | None] = asyncio.Queue(QUEUE_SIZE)
        self.overflowed = False

    def _offer(self, event: HubEvent | None) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # A stream that cannot keep up loses hints and is told to re-sync instead.
            self.overflowed = True

    def deliver(self, event: HubEvent | None) -> None:
        # RuntimeError: the stream's loop is already closed; nobody is listening.
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self._offer, event)


@dataclass(frozen=True, slots=True)
class Replay:
    events: list[HubEvent]
    stale: bool  # the client missed events the ring no longer holds (or sent a foreign id)


class EventHub:
    def __init__(self, ring_size: int = 1000) -> None:
        self.boot = secrets.token_hex(4)
        self._ring: deque[HubEvent] = deque(maxlen=ring_size)
        self._counter = 0
        # Weak: a stream whose response never started (client gone at once) leaves nothing.
        self._subscribers: weakref.WeakSet[Subscription] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The server's loop, so a signal handler can ask for :meth:`close` safely."""
        self._loop = loop

    def close_soon(self) -> None:
        """:meth:`close` from a signal handler: runs on the loop, never re-entering the lock."""
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self.close)

    @property
    def closed(self) -> bool:
        return self._closed

    async def start(self) -> None:
        """Called once the server's loop runs (a shared hub starts reading the database)."""

    async def stop(self) -> None:
        """Called at shutdown, after :meth:`close`."""

    def publish(
        self, kind: str, data: dict[str, Any], *, audience: frozenset[str] | None = None
    ) -> HubEvent:
        with self._lock:
            self._counter += 1
            event = HubEvent(self._counter, f"{self.boot}-{self._counter}", kind, data, audience)
            self._ring.append(event)
            targets = self._targets(event)
        for subscription in targets:
            subscription.deliver(event)
        return event

    def _targets(self, event: HubEvent) -> list[Subscription]:
        return [s for s in self._subscribers if event.visible_to(s.username)]

    def _fan_out(self, event: HubEvent) -> None:
        """Deliver ``event`` to this process's streams (the shared hub's reader)."""
        with self._lock:
            targets = self._targets(event)
        for subscription in targets:
            subscription.deliver(event)

    def subscribe(self, username: str) -> Subscription:
        subscription = Subscription(username, asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                subscription.deliver(None)
            else:
                self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(subscription)

    async def replay_for(self, last_event_id: str | None, username: str) -> Replay:
        """:meth:`replay` from the event loop (a shared hub reads the database off it)."""
        return self.replay(last_event_id, username)

    def replay(self, last_event_id: str | None, username: str) -> Replay:
        """Events after ``last_event_id`` that ``username`` may see."""
        if not last_event_id:
            return Replay([], stale=False)
        boot, _, number_text = last_event_id.strip().partition("-")
        with self._lock:
            ring = list(self._ring)
            counter = self._counter
        if boot != self.boot or not number_text.isdigit() or int(number_text) > counter:
            return Replay([], stale=True)
        number = int(number_text)
        oldest = ring[0].number if ring else counter + 1
        stale = number < oldest - 1
        return Replay([e for e in ring if e.number > number and e.visible_to(username)], stale)

    def close(self) -> None:
        """End every open stream (server shutdown); new streams end at once."""
        with self._lock:
            self._closed = True
            subscribers = list(self._subscribers)
            self._subscribers.clear()
        for subscription in subscribers:
            subscription.deliver(None)
