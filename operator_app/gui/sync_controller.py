"""One server connection for the window: API client, session, sync engine, event bridge.

Everything here runs on the qasync loop (the GUI thread); the operator's actions are
scheduled as tasks and report back through signals, so no widget ever waits on the
network and no dialog runs a nested loop inside a coroutine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlalchemy.engine import Engine

from operator_app.api import ApiClient, ApiError, LoginResult, Session, TokenStore
from operator_app.cache.outbox import LocalChangeError
from operator_app.gui.sync_bridge import SyncBridge
from operator_app.sync import Backoff, ConnectionState, EventBus, SyncEngine
from operator_app.sync.events import StateChanged

log = logging.getLogger(__name__)


class SyncController(QObject):
    """Owns the engine for one (server, user); replaced as a whole when either changes."""

    signed_in = Signal(object)  # LoginResult
    sign_in_failed = Signal(str)
    changed_locally = Signal(str, object)  # what ("note", "reply", "status", ...), customer id
    action_failed = Signal(str)

    def __init__(
        self,
        engine: Engine,
        server_url: str,
        username: str,
        *,
        remember: bool = True,
        poll_interval: float = 30.0,
        backoff: Backoff | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = ApiClient(server_url)
        self.server_url = self.api.server_url
        self.username = username
        tokens = TokenStore(self.server_url, username)
        if not remember:
            tokens.persistent = False  # this run only: nothing goes to the keyring
        self.session = Session(self.api, username, tokens)
        self.bus = EventBus()
        self.bridge = SyncBridge(self.bus, self)
        self.sync = SyncEngine(
            engine, self.session, bus=self.bus, poll_interval=poll_interval, backoff=backoff
        )
        self.state = ConnectionState.OFFLINE
        self.bridge.state_changed.connect(self._remember_state)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def _remember_state(self, event: StateChanged) -> None:
        self.state = event.state

    # -- lifecycle ---------------------------------------------------------------------

    def resume(self) -> bool:
        """Use the token kept from an earlier run (checked on the first request)."""
        return self.session.resume()

    def start(self) -> None:
        self.sync.start()

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.sync.aclose()
        await self.api.aclose()
        self.bridge.detach()

    async def sign_in(self, password: str) -> LoginResult | None:
        """Sign in (first time, or again after *auth_required*); the loop resumes at once.
        Failures are emitted as ``sign_in_failed`` in words and return ``None``."""
        try:
            result = await self.sync.sign_in(password)
        except ApiError as exc:
            self.sign_in_failed.emit(str(exc))
            return None
        self.signed_in.emit(result)
        return result

    def sign_in_later(self, password: str) -> None:
        self._spawn(self.sign_in(password))

    # -- the operator's changes (to the outbox, then pushed) ---------------------------

    def add_note(self, customer_id: uuid.UUID, body: str) -> None:
        self._change("note", customer_id, lambda: self.sync.add_note(customer_id, body))

    def add_reply(self, customer_id: uuid.UUID, conversation_id: uuid.UUID, body: str) -> None:
        self._change("reply", customer_id, lambda: self.sync.add_reply(conversation_id, body))

    def set_conversation_status(
        self,
        customer_id: uuid.UUID,
        conversation_id: uuid.UUID,
        status: str,
        next_follow_up_at: datetime | None = None,
    ) -> None:
        self._change(
            "status",
            customer_id,
            lambda: self.sync.set_conversation_status(conversation_id, status, next_follow_up_at),
        )

    def create_customer(self, fields: dict[str, Any]) -> None:
        async def create() -> None:
            customer_id = await self.sync.create_customer(**fields)
            self.changed_locally.emit("customer", customer_id)

        self._spawn(self._guarded(create))

    def resolve_conflict(self, conflict_id: int, keep: str) -> None:
        self._change("conflict", None, lambda: self.sync.resolve_conflict(conflict_id, keep))

    def retry_rejected(self, seq: int) -> None:
        self._change("retry", None, lambda: self.sync.retry_rejected(seq))

    def discard_rejected(self, seq: int) -> None:
        self._change("discard", None, lambda: self.sync.discard_rejected(seq))

    def set_demo_traffic(self, enabled: bool) -> None:
        """The demo's "Simulate traffic" switch; failures are said through ``action_failed``."""

        async def switch() -> None:
            try:
                await self.api.set_demo_traffic(enabled)
            except ApiError as exc:
                self.action_failed.emit(f"Simulated traffic could not be switched: {exc}")

        self._spawn(switch())

    def sync_now(self) -> None:
        self.sync.wake()

    def _change(
        self, kind: str, customer_id: uuid.UUID | None, make: Callable[[], Awaitable[Any]]
    ) -> None:
        async def run() -> None:
            await make()
            self.changed_locally.emit(kind, customer_id)

        self._spawn(self._guarded(run))

    async def _guarded(self, run: Callable[[], Awaitable[None]]) -> None:
        try:
            await run()
        except LocalChangeError as exc:  # the operator's input: say what is wrong
            self.action_failed.emit(str(exc))
        except Exception:  # a bug must not pass silently, nor crash the window
            log.exception("local change failed")
            self.action_failed.emit("The change could not be saved; see the log for details.")

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
