"""Sync between the local cache and the server: change-feed pull, outbox push, conflicts,
backoff, connectivity state (Qt-free; the GUI re-emits the event bus as signals)."""

from operator_app.sync.backoff import Backoff
from operator_app.sync.db_worker import DbWorker
from operator_app.sync.engine import SyncEngine, SyncReport
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

__all__ = [
    "Backoff",
    "ChangesRejected",
    "ConflictsFound",
    "ConnectionState",
    "DataChanged",
    "DbWorker",
    "EventBus",
    "PendingChanged",
    "ServerHint",
    "StateChanged",
    "SyncCompleted",
    "SyncEngine",
    "SyncProgress",
    "SyncReport",
]
