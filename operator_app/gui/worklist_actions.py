"""What the window does with the worklists: open an entry at its conversation, snooze it,
and refresh the sections when the cache changes — at most every so often.

Sync can report changes many times a second (a busy feed, simulated traffic); each report
would re-read three lists. :class:`WorklistActions` refreshes at once when it has been
quiet, and otherwise once more at the end of a short cool-down, so the lists stay current
without the DB thread running the same reads back to back.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from operator_app.domain.entities import WorklistItem
from operator_app.gui.i18n import translate
from operator_app.gui.models.roles import ID_ROLE
from operator_app.gui.widgets.search_panel import FOLLOW_UPS, WAITING
from operator_app.gui.widgets.snooze_menu import local_text

if TYPE_CHECKING:
    from operator_app.gui.main_window import MainWindow

REFRESH_COOLDOWN_MS = 1000
WORKLIST_REFRESH_MS = 60_000  # the window's own periodic refresh
# A customer passing the reply target shows up within this much of that moment.
LATE_SLACK_MS = 500


class WorklistActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._open_at: tuple[uuid.UUID, uuid.UUID] | None = None
        self._dirty = False
        self._cooldown = QTimer(self)
        self._cooldown.setSingleShot(True)
        self._cooldown.setInterval(REFRESH_COOLDOWN_MS)
        self._cooldown.timeout.connect(self._cooled_down)
        # Time alone moves a customer into "waiting for our reply" (30 s on the phone):
        # read again when the next one passes the target, not only every minute.
        self._late = QTimer(self)
        self._late.setSingleShot(True)
        self._late.timeout.connect(self.refresh_soon)
        panel = window.search_panel
        panel.conversation_chosen.connect(self.open_conversation)
        panel.snooze_requested.connect(self.snooze)

    # -- refresh, rate-limited -------------------------------------------------------

    def refresh_soon(self) -> None:
        """Re-read the worklists now if idle, else once when the cool-down ends."""
        if self._cooldown.isActive():
            self._dirty = True
            return
        self.window.refresh_worklists()
        self._cooldown.start()

    def refresh_at(self, moment: datetime | None) -> None:
        """Refresh once ``moment`` has come (sooner than the minute timer, never later)."""
        if moment is None:
            self._late.stop()
            return
        wait_ms = (moment - datetime.now(UTC)).total_seconds() * 1000 + LATE_SLACK_MS
        if wait_ms < WORKLIST_REFRESH_MS:
            self._late.start(max(int(wait_ms), REFRESH_COOLDOWN_MS))
        else:
            self._late.stop()

    def _cooled_down(self) -> None:
        if self._dirty:
            self._dirty = False
            self.window.refresh_worklists()
            self._cooldown.start()

    # -- open at the conversation ------------------------------------------------------

    def open_conversation(self, customer_id: uuid.UUID, conversation_id: uuid.UUID) -> None:
        self._open_at = (customer_id, conversation_id)
        self.window.open_customer(customer_id)

    def card_shown(self, customer_id: uuid.UUID) -> None:
        """The card is on screen: pick the worklist's conversation in the assist panel (it
        becomes the reply target), if that is where the card was opened from."""
        wanted, self._open_at = self._open_at, None
        if wanted is None or wanted[0] != customer_id:
            return
        conversations = self.window.assist.conversations_list
        for row in range(conversations.count()):
            if conversations.item(row).data(ID_ROLE) == wanted[1]:
                conversations.setCurrentRow(row)
                return

    # -- snooze ------------------------------------------------------------------------

    def snooze(self, section: str, item: WorklistItem, until: datetime) -> None:
        if section == FOLLOW_UPS:
            self._snooze_follow_up(item, until)
        elif section == WAITING:
            self._snooze_waiting(item, until)

    def _snooze_follow_up(self, item: WorklistItem, until: datetime) -> None:
        controller = self.window.sync.controller
        if controller is None:
            self._say(
                translate(
                    "WorklistActions",
                    "Sign in to a server to move follow-ups (File › Sign in…); "
                    "the new time must reach your team.",
                )
            )
            return
        controller.snooze_follow_up(item.customer_id, item.conversation_id, until)
        self._say(
            translate("WorklistActions", "Follow-up with {name} moved to {when}").format(
                name=item.customer_name, when=local_text(until)
            )
        )

    def _snooze_waiting(self, item: WorklistItem, until: datetime) -> None:
        engine = self.window.ctx.engine

        def job() -> str | None:
            # In the DB thread: the cache's write helpers load the ORM models.
            from operator_app.cache.customer_edits import LocalChangeError
            from operator_app.cache.worklist_snoozes import snooze_waiting

            try:
                snooze_waiting(engine, item.conversation_id, until)
            except LocalChangeError as exc:  # e.g. the conversation left the cache
                return str(exc)
            return None

        def done(problem: str | None) -> None:
            if problem is not None:
                self._say(problem)
                return
            self._say(
                translate("WorklistActions", "{name} snoozed until {when}").format(
                    name=item.customer_name, when=local_text(until)
                )
            )
            self.window.refresh_worklists()

        self.window.db.submit(job, done, on_error=self._say)

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10000)
