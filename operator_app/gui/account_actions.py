"""Settings › Account, against the window's live connection: sign out, wipe the cache.

Sign out ends the session on the server, removes the token from the keyring and puts
the window back to "Not signed in"; the outbox stays, so changes not yet sent go out
after the next sign-in as the same user. Wiping empties the cache (outbox included)
on the DB worker thread and starts a full sync again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from operator_app.api import ApiClient, ApiError
from operator_app.cache.wipe import wipe_cache
from operator_app.gui.db_worker import SyncStatus, read_sync_status
from operator_app.gui.i18n import translate

if TYPE_CHECKING:
    from operator_app.gui.main_window import MainWindow

log = logging.getLogger(__name__)
SETTINGS_NAME = "sync/userName"
SETTINGS_ROLE = "sync/userRole"


class AccountActions(QObject):
    """What the settings dialog's Account page asks the window to do."""

    signed_out = Signal(str)  # a sentence for the dialog
    wiped = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- facts ---------------------------------------------------------------------------

    def signed_in_role(self) -> str | None:
        """The role of the live session's user (None when no server is attached)."""
        controller = self.window.sync.controller
        if controller is None:
            return None
        login = controller.session.login
        if login is not None:
            return login.user.role.value
        role = self.window.settings().value(SETTINGS_ROLE)
        return role if isinstance(role, str) and role else None

    def api(self) -> ApiClient | None:
        controller = self.window.sync.controller
        return controller.api if controller is not None else None

    def count_pending(self, on_done: Callable[[int], object]) -> None:
        """How many changes wait in the outbox (read on the DB worker, answered later)."""

        def done(status: object) -> None:
            if isinstance(status, SyncStatus):
                on_done(status.pending_changes)

        engine = self.window.ctx.engine
        # No channel: the status bar's own refreshes must not supersede this question.
        self.window.db.submit(lambda: read_sync_status(engine), done)

    def forget_saved_token(self) -> str | None:
        """Remove the live session's token from the keyring (the session goes on in memory;
        the next start asks for the password). The user name, or None with no session."""
        controller = self.window.sync.controller
        if controller is None:
            return None
        controller.session.tokens.clear()
        return controller.username

    # -- sign out --------------------------------------------------------------------------

    def sign_out(self) -> None:
        self._spawn(self._sign_out())

    async def _sign_out(self) -> None:
        sync = self.window.sync
        controller, sync.controller = sync.controller, None
        note = translate("AccountActions", "You are signed out.")
        if controller is not None:
            try:
                await controller.session.sign_out()
            except ApiError as exc:
                # Offline: the token is gone from this computer all the same; the server
                # lets it expire.
                log.info("logout did not reach the server: %s", type(exc).__name__)
                note = translate(
                    "AccountActions",
                    "You are signed out on this computer; the server could not be told "
                    "(it ends the session when it expires).",
                )
            with contextlib.suppress(Exception):
                await controller.aclose()
            controller.deleteLater()
        settings = self.window.settings()
        settings.remove(SETTINGS_NAME)
        settings.remove(SETTINGS_ROLE)
        self.window.enable_local_changes(False)
        self.window.user_label.setText(translate("AccountActions", "Not signed in"))
        sync._set_connection(
            translate("AccountActions", "Not signed in — File › Sign in…"), "offline"
        )
        self.signed_out.emit(note)

    # -- wipe ------------------------------------------------------------------------------

    def wipe(self) -> None:
        self._spawn(self._wipe())

    async def _wipe(self) -> None:
        controller = self.window.sync.controller
        engine = self.window.ctx.engine
        try:
            if controller is not None:
                await controller.sync.stop()  # no new pull or push round
                # The sync engine's own single DB thread: a page it was still writing when
                # stopped lands first, then the wipe — never a page on top of the wipe.
                await controller.sync.db.run(wipe_cache, engine)
            else:
                await self._wipe_on_window_worker(engine)
        except Exception as exc:  # SQLite refused (disk, lock): say so, keep going
            log.warning("cache wipe failed: %s", type(exc).__name__)
            self.wiped.emit(
                translate("AccountActions", "The cache was not wiped: {reason}").format(
                    reason=str(exc) or type(exc).__name__
                )
            )
            if controller is not None:
                controller.start()
            return
        self.window.on_data_changed(frozenset(), frozenset())
        if controller is not None:
            controller.start()  # cursor 0: a full sync from the server
            message = translate(
                "AccountActions", "The local cache was wiped; downloading everything again."
            )
        else:
            message = translate(
                "AccountActions", "The local cache was wiped; sign in to download it again."
            )
        self.wiped.emit(message)

    async def _wipe_on_window_worker(self, engine: Any) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def finished(_result: object) -> None:
            if not done.done():
                done.set_result(None)

        def failed(message: str) -> None:
            if not done.done():
                done.set_exception(RuntimeError(message))

        self.window.db.submit(lambda: wipe_cache(engine), finished, on_error=failed)
        await done

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
