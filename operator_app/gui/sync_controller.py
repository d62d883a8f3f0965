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
from operator_app.api.errors import ConfigurationError
from operator_app.cache import worklist_snoozes
from operator_app.cache.db import CacheFullError
from operator_app.cache.outbox import LocalChangeError
from operator_app.gui.i18n import translate
from operator_app.gui.sync_bridge import SyncBridge
from operator_app.gui.user_messages import user_message
from operator_app.sync import Backoff, ConnectionState, EventBus, SyncEngine
from operator_app.sync.events import StateChanged

log = logging.getLogger(__name__)


class SyncController(QObject):
    """Owns the engine for one (server, user); replaced as a whole when either changes."""

    signed_in = Signal(object)  # LoginResult
    sign_in_failed = Signal(str)
    changed_locally = Signal(str, object)  # what ("note", "reply", "status", ...), customer id
    action_failed = Signal(str)
    # A note or reply the cache refused: the words go back to the composer, never lost.
    text_not_saved = Signal(str)
    demo_traffic_known = Signal(bool)  # the demo server's simulated traffic, as it answered

    def __init__(
        self,
        engine: Engine,
        server_url: str,
        username: str,
        *,
        remember: bool = True,
        poll_interval: float = 30.0,
        backoff: Backoff | None = None,
        api_options: dict[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # Proxy, CA bundle and timeouts from the settings (gui.live_settings).
        self.settings_problem = ""
        try:
            self.api = ApiClient(server_url, **(api_options or {}))
        except ConfigurationError as exc:
            if not api_options:
                raise
            log.warning("connection settings not used: %s", exc)
            self.settings_problem = str(exc)
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
        self._demo_traffic: bool | None = None

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
            self.sign_in_failed.emit(user_message(exc))
            return None
        self.signed_in.emit(result)
        return result

    def sign_in_later(self, password: str) -> None:
        self._spawn(self.sign_in(password))

    # -- the operator's changes (to the outbox, then pushed) ---------------------------

    def add_note(self, customer_id: uuid.UUID, body: str) -> None:
        self._change("note", customer_id, lambda: self.sync.add_note(customer_id, body), typed=body)

    def add_reply(self, customer_id: uuid.UUID, conversation_id: uuid.UUID, body: str) -> None:
        self._change(
            "reply", customer_id, lambda: self.sync.add_reply(conversation_id, body), typed=body
        )

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

    def record_offer(self, customer_id: uuid.UUID, offer: dict[str, Any]) -> None:
        """An offer's outcome (accepted / not now / declined + reason) to the outbox."""
        self._change(
            "offer", customer_id, lambda: self.sync.record_offer(customer_id=customer_id, **offer)
        )

    def request_survey(
        self,
        customer_id: uuid.UUID,
        conversation_id: uuid.UUID,
        kind: str | None,
        *,
        score: int | None = None,
        resolve: bool = False,
    ) -> None:
        self._change(
            "survey",
            customer_id,
            lambda: self.sync.request_survey(conversation_id, kind, score=score, resolve=resolve),
        )

    def snooze_follow_up(
        self, customer_id: uuid.UUID, conversation_id: uuid.UUID, until: datetime
    ) -> None:
        """Move a conversation's follow-up to ``until`` (outbox; works offline)."""
        self._change(
            "follow_up",
            customer_id,
            lambda: self.sync.change(worklist_snoozes.snooze_follow_up, conversation_id, until),
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
        """The demo's "Simulate traffic" switch. The server's answer comes back as
        ``demo_traffic_known``; on failure that is the last state the server told (the
        switch goes back), and ``action_failed`` says why."""

        async def switch() -> None:
            try:
                self._traffic_answer(await self.api.set_demo_traffic(enabled))
            except ApiError as exc:
                message = translate(
                    "SyncController", "Simulated traffic could not be switched: {reason}"
                )
                self.action_failed.emit(message.format(reason=user_message(exc)))
                if not await self._read_demo_traffic():
                    self.demo_traffic_known.emit(
                        self._demo_traffic if self._demo_traffic is not None else not enabled
                    )

        self._spawn(switch())

    @property
    def demo_traffic(self) -> bool | None:
        """The demo server's traffic switch as it last answered (``None``: not yet)."""
        return self._demo_traffic

    def read_demo_traffic(self) -> None:
        """Ask the demo server whether simulated traffic is on (``demo_traffic_known``);
        unanswered (offline, not a demo database): nothing is emitted."""
        self._spawn(self._read_demo_traffic())

    async def _read_demo_traffic(self) -> bool:
        try:
            self._traffic_answer(await self.api.demo_traffic())
        except ApiError:
            return False
        return True

    def _traffic_answer(self, enabled: bool) -> None:
        self._demo_traffic = enabled
        self.demo_traffic_known.emit(enabled)

    def sync_now(self) -> None:
        self.sync.wake()

    def _change(
        self,
        kind: str,
        customer_id: uuid.UUID | None,
        make: Callable[[], Awaitable[Any]],
        *,
        typed: str = "",
    ) -> None:
        async def run() -> None:
            await make()
            self.changed_locally.emit(kind, customer_id)

        self._spawn(self._guarded(run, typed))

    async def _guarded(self, run: Callable[[], Awaitable[None]], typed: str = "") -> None:
        """Runs one local write; when it is refused, says why and gives back the words."""
        try:
            await run()
            return
        except LocalChangeError as exc:  # the operator's input: say what is wrong
            self.action_failed.emit(str(exc))
        except CacheFullError:  # rolled back whole: the outbox is as it was
            self.action_failed.emit(
                translate(
                    "SyncController",
                    "The disk is full — free some space; your unsynced changes are kept.",
                )
            )
        except Exception:  # a bug must not pass silently, nor crash the window
            log.exception("local change failed")
            self.action_failed.emit(
                translate(
                    "ServerMessages", "The change could not be saved; see the log for details."
                )
            )
        if typed:
            self.text_not_saved.emit(typed)

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
