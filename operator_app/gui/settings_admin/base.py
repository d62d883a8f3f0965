"""What every admin page of the settings dialog shares.

A page loads from the server the first time it is shown, as a task on the qasync loop
(the dialog never waits). Save sends one request; the server's 422/409 field errors
land in the label under the field they name, and what was typed stays in the form.
Offline, the page says so and keeps the edits for the next try.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from operator_app.api import ApiError, AuthError, ForbiddenError, NetworkError
from operator_app.api.admin import AdminApi
from operator_app.gui.i18n import translate
from operator_app.gui.widgets.styling import set_style_property

log = logging.getLogger(__name__)


def error_label(parent: QWidget, object_name: str, accessible: str) -> QLabel:
    """An initially hidden label under a field for its problem, in the danger colour."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setAccessibleName(accessible)
    label.setProperty("cssClass", "fieldError")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def problem_text(exc: ApiError) -> str:
    """One sentence for the page's status line."""
    if isinstance(exc, NetworkError):
        return translate(
            "AdminPage",
            "The server cannot be reached. Nothing was changed; your edits are kept — "
            "try again when the connection is back.",
        )
    if isinstance(exc, AuthError):
        return translate("AdminPage", "Your session has ended; sign in again, then retry.")
    if isinstance(exc, ForbiddenError):
        return translate("AdminPage", "Only admins may change this.")
    return exc.detail or exc.message


class AdminPage(QWidget):
    """A settings page backed by the server's admin API."""

    def __init__(self, admin: AdminApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = admin
        self.loaded = False
        self.task: asyncio.Task[Any] | None = None
        self.field_errors: dict[str, QLabel] = {}
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 0, 4, 0)
        self.layout_.setSpacing(8)
        title = QLabel(self.page_title(), self)
        title.setProperty("cssClass", "panelTitle")
        self.reload_button = QPushButton(translate("AdminPage", "Reload"), self)
        self.reload_button.setObjectName("adminReloadButton")
        self.reload_button.setAccessibleName(
            translate("AdminPage", "Reload this page from the server")
        )
        self.reload_button.setToolTip(
            translate("AdminPage", "Show what is on the server now (edits not saved are dropped)")
        )
        self.reload_button.clicked.connect(self.reload)
        heading = QHBoxLayout()
        heading.addWidget(title, 1)
        heading.addWidget(self.reload_button)
        intro = QLabel(self.page_intro(), self)
        intro.setWordWrap(True)
        intro.setProperty("cssClass", "muted")
        self.layout_.addLayout(heading)
        self.layout_.addWidget(intro)
        self.status = QLabel(self)
        self.status.setObjectName("adminStatus")
        self.status.setAccessibleName(translate("AdminPage", "Page status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setProperty("cssClass", "adminStatus")

    def page_title(self) -> str:
        return ""

    def page_intro(self) -> str:
        return ""

    # -- status and field errors ---------------------------------------------------------

    def say(self, text: str, state: str = "info") -> None:
        """``state``: info, busy, ok or error (the colour follows the theme)."""
        self.status.setText(text)
        set_style_property(self.status, "state", state)
        self.status.setVisible(bool(text))

    def clear_field_errors(self) -> None:
        for label in self.field_errors.values():
            label.clear()
            label.setVisible(False)

    def show_field_errors(self, errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Put each message under its field; returns those no field on this page names."""
        self.clear_field_errors()
        unplaced: list[tuple[str, str]] = []
        shown: dict[str, list[str]] = {}
        for field, message in errors:
            key = self.field_key(field)
            if key in self.field_errors:
                shown.setdefault(key, []).append(message)
            else:
                unplaced.append((field, message))
        for key, messages in shown.items():
            label = self.field_errors[key]
            label.setText("; ".join(dict.fromkeys(messages)))
            label.setVisible(True)
        return unplaced

    def field_key(self, field: str) -> str:
        """The key of ``field`` (as the server names it) in :attr:`field_errors`."""
        return field

    # -- running server calls ------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if not self.loaded and (self.task is None or self.task.done()):
            self.reload()

    def reload(self) -> None:
        self.say(translate("AdminPage", "Loading from the server…"), "busy")
        self.run(self._load_and_mark)

    async def _load_and_mark(self) -> None:
        await self.load()
        self.loaded = True
        self.say("")

    async def load(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def run(
        self,
        work: Callable[[], Awaitable[None]],
        *,
        on_error: Callable[[ApiError], None] | None = None,
    ) -> asyncio.Task[None] | None:
        """Start ``work`` on the running loop; API failures end up on the page."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.say(translate("AdminPage", "The server cannot be asked right now."), "error")
            return None

        async def guarded() -> None:
            self.set_busy(True)
            self.reload_button.setEnabled(False)
            try:
                await work()
            except ApiError as exc:
                if on_error is not None:
                    on_error(exc)
                else:
                    self.say(problem_text(exc), "error")
            except Exception:  # a bug must show, not vanish in a task
                log.exception("admin page request failed")
                self.say(translate("AdminPage", "Something went wrong; see the log."), "error")
            finally:
                with contextlib.suppress(RuntimeError):  # the dialog may be gone
                    self.set_busy(False)
                    self.reload_button.setEnabled(True)

        self.task = loop.create_task(guarded())
        return self.task

    def set_busy(self, busy: bool) -> None:
        """Pages disable their action buttons while a request runs."""

    def save_failed(self, exc: ApiError) -> None:
        """The usual reaction to a refused save: messages next to fields, the rest on top."""
        unplaced = self.show_field_errors(exc.field_errors)
        if exc.field_errors and not unplaced:
            self.say(
                translate(
                    "AdminPage",
                    "Nothing was saved: the server refused the fields marked below.",
                ),
                "error",
            )
            return
        extra = "; ".join(f"{field}: {message}" for field, message in unplaced)
        text = problem_text(exc)
        self.say(f"{text} {extra}".strip() if extra and extra not in text else text, "error")
