"""A small Qt-free event bus: the sync engine publishes, the GUI re-emits as Qt signals.

Callbacks run synchronously on the thread that publishes (the asyncio loop thread);
a failing subscriber is logged and never breaks the engine or other subscribers.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class ConnectionState(StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"
    SYNCING = "syncing"
    AUTH_REQUIRED = "auth_required"


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: ConnectionState
    # Why we are offline / what to do, in words for the status bar; None when all is well.
    message: str | None = None
    # Seconds until the next attempt when waiting (backoff or Retry-After).
    retry_in: float | None = None


@dataclass(frozen=True, slots=True)
class PendingChanged:
    """Local changes not yet on the server, open conflicts, changes the server refused."""

    pending: int
    conflicts: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class SyncProgress:
    phase: str  # "pull" or "push"
    done: int  # changes applied / mutations settled so far in this round
    cursor: int | None = None
    more: bool = False


@dataclass(frozen=True, slots=True)
class DataChanged:
    """Rows changed in the cache (pulled or settled); views showing them should refresh."""

    entities: frozenset[str]
    customer_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class ConflictsFound:
    count: int


@dataclass(frozen=True, slots=True)
class ChangesRejected:
    count: int


@dataclass(frozen=True, slots=True)
class SyncCompleted:
    at: datetime
    pulled: int
    pushed: int


@dataclass(frozen=True, slots=True)
class ServerHint:
    """An event from the server's stream (incoming contact, new message, review case)."""

    kind: str
    data: Any
    id: str = ""


Event = (
    StateChanged
    | PendingChanged
    | SyncProgress
    | DataChanged
    | ConflictsFound
    | ChangesRejected
    | SyncCompleted
    | ServerHint
)
Subscriber = Callable[[Any], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(event)`` for every event; returns a function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber failed on %s", type(event).__name__)
