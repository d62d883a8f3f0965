"""The sync engine's Qt-free :class:`EventBus`, re-emitted as Qt signals on the GUI thread.

Bus callbacks run on whichever thread publishes (the asyncio loop, or a DB worker
thread); one queued signal carries every event over to the thread this object lives
in, so widgets only ever hear about sync on the GUI thread. ``DataChanged`` bursts
(a bulk pull publishes one per page) are merged so views refresh a few times a
second at most, not once per page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from operator_app.sync.events import (
    ChangesRejected,
    ConflictsFound,
    DataChanged,
    EventBus,
    PendingChanged,
    ServerHint,
    StateChanged,
    SyncCompleted,
    SyncProgress,
)

DATA_REFRESH_MS = 300


class SyncBridge(QObject):
    state_changed = Signal(object)  # StateChanged
    pending_changed = Signal(object)  # PendingChanged
    progress = Signal(object)  # SyncProgress
    data_changed = Signal(object)  # DataChanged, merged; empty customer_ids: all of them
    conflicts_found = Signal(int)
    changes_rejected = Signal(int)
    sync_completed = Signal(object)  # SyncCompleted
    server_hint = Signal(object)  # ServerHint

    _arrived = Signal(object)

    def __init__(
        self, bus: EventBus, parent: QObject | None = None, refresh_ms: int = DATA_REFRESH_MS
    ) -> None:
        super().__init__(parent)
        # Queued even when published on this thread: a bus callback must never re-enter
        # widgets in the middle of the engine's own work.
        self._arrived.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._entities: set[str] = set()
        self._customer_ids: set[uuid.UUID] = set()
        self._wholesale = False
        self._held = False
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(refresh_ms)
        self._throttle.timeout.connect(self._flush)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe(self._on_event)

    def detach(self) -> None:
        """Stop listening (the engine is being replaced or closed)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._throttle.stop()

    def _on_event(self, event: Any) -> None:  # any thread
        self._arrived.emit(event)

    def _dispatch(self, event: Any) -> None:
        if isinstance(event, DataChanged):
            self._merge(event)
        elif isinstance(event, StateChanged):
            self.state_changed.emit(event)
        elif isinstance(event, PendingChanged):
            self.pending_changed.emit(event)
        elif isinstance(event, SyncProgress):
            self.progress.emit(event)
        elif isinstance(event, SyncCompleted):
            self.sync_completed.emit(event)
        elif isinstance(event, ConflictsFound):
            self.conflicts_found.emit(event.count)
        elif isinstance(event, ChangesRejected):
            self.changes_rejected.emit(event.count)
        elif isinstance(event, ServerHint):
            self.server_hint.emit(event)

    def _merge(self, event: DataChanged) -> None:
        self._entities |= event.entities
        if event.customer_ids:
            self._customer_ids |= event.customer_ids
        else:
            self._wholesale = True
        self._held = True
        if not self._throttle.isActive():
            self._flush()  # the first change shows at once; the rest of a burst waits

    def _flush(self) -> None:
        if not self._held:
            return
        merged = DataChanged(
            entities=frozenset(self._entities),
            customer_ids=frozenset() if self._wholesale else frozenset(self._customer_ids),
        )
        self._entities.clear()
        self._customer_ids.clear()
        self._wholesale = False
        self._held = False
        self._throttle.start()
        self.data_changed.emit(merged)
