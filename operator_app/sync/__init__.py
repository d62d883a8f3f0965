"""Sync between the local cache and the server: change-feed pull, outbox push, conflicts,
backoff, connectivity state (Qt-free; the GUI re-emits the event bus as signals).

How the GUI wires it (all on the qasync loop)::

    api = ApiClient(server_url, ca_bundle=settings_ca_bundle)   # one per server
    session = Session(api, username)
    if not session.resume():                 # token from the OS keyring
        await session.sign_in(password)      # sign-in dialog; session.tokens.notice → banner
    bus = EventBus()
    bus.subscribe(signals.emit_event)        # StateChanged, PendingChanged, DataChanged,
                                             # ConflictsFound, ChangesRejected, ServerHint…
    sync = SyncEngine(cache_engine, session, bus=bus, db=db_worker, author=user.name)
    sync.start()                             # background loop; wakes on local changes/hints
    await sync.add_note(customer_id, text)   # composer; also add_reply, update_customer…
    await sync.list_conflicts(); await sync.resolve_conflict(conflict.id, "mine")
    await sync.sign_in(password)             # after StateChanged(AUTH_REQUIRED)
    await sync.aclose()

``ServerHint(kind="incoming_contact", data={"phone", "customer_ids", ...})`` is the screen
pop; ``kind="change"`` only means "pull now" and the engine already does.
"""

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
