"""The main window's side of sync: status bar, sign-in, composer actions, screen pops.

:class:`WindowSync` is created by the window and stays for its life; a
:class:`SyncController` (one server and user) is attached to it after sign-in or on
resuming a kept session, and replaced when the operator signs in elsewhere.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, QLocale, QObject, QTimeZone, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QProgressBar

from operator_app.gui.i18n import translate
from operator_app.gui.user_messages import user_message
from operator_app.gui.widgets.formatting import display_locale, role_name
from operator_app.gui.widgets.styling import set_style_property
from operator_app.gui.widgets.survey_actions import RESOLVE_AND_ASK_KEYS

# The sign-in dialog, the controller and the sync package (httpx, the API client, the
# keyring) are imported where they are first used: a start shows the window first.
if TYPE_CHECKING:
    from operator_app.api import LoginResult
    from operator_app.gui.main_window import MainWindow
    from operator_app.gui.sign_in_dialog import SignInDialog
    from operator_app.gui.sync_controller import SyncController
    from operator_app.sync.events import (
        ConnectionState,
        DataChanged,
        PendingChanged,
        ServerHint,
        StateChanged,
        SyncCompleted,
        SyncProgress,
    )


def state_words() -> dict[ConnectionState, tuple[str, str]]:
    """Status-bar text and style state for each connection state."""
    from operator_app.sync import ConnectionState

    return {
        ConnectionState.ONLINE: (translate("WindowSync", "Online"), "online"),
        ConnectionState.OFFLINE: (translate("WindowSync", "Offline"), "offline"),
        ConnectionState.SYNCING: (translate("WindowSync", "Syncing…"), "syncing"),
        ConnectionState.AUTH_REQUIRED: (translate("WindowSync", "Sign-in needed"), "offline"),
    }


SETTINGS_SERVER = "sync/serverUrl"
SETTINGS_USER = "sync/user"
SETTINGS_NAME = "sync/userName"
SETTINGS_ROLE = "sync/userRole"


def format_moment(moment: datetime) -> str:
    """A sync time in the user's locale and time zone."""
    utc = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    stamp = QDateTime.fromSecsSinceEpoch(int(utc.timestamp()), QTimeZone.systemTimeZone())
    return display_locale().toString(stamp, QLocale.FormatType.ShortFormat)


class WindowSync(QObject):
    user_shown = Signal(str, str)  # name, role
    review_case_opened = Signal(object)  # the event's data (staff only get it)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller: SyncController | None = None
        # Passed to every SyncController made here (tests shorten the retry delays).
        self.controller_options: dict[str, Any] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._deferred: list[DataChanged] = []
        self.dialog: SignInDialog | None = None
        self._pending: PendingChanged | None = None  # the last count a controller sent
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("syncProgress")
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        window.statusBar().insertPermanentWidget(0, self.progress_bar)
        self.sign_in_action = QAction(window)
        self.sign_in_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_in_action.triggered.connect(lambda: self.show_sign_in())
        window.ui.menuFile.insertAction(window.ui.actionQuit, self.sign_in_action)
        window.addAction(self.sign_in_action)
        composer = window.composer
        self.composer_actions: list[QAction] = []
        for keys, handler in (
            ("Ctrl+Shift+N", composer.focus_editor),
            ("Ctrl+Shift+R", composer.resolve),
            ("Ctrl+Shift+P", composer.set_pending),
            ("Ctrl+Shift+O", composer.reopen),
            (RESOLVE_AND_ASK_KEYS, composer.resolve_and_ask),
        ):
            action = QAction(window)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(handler)
            window.ui.menuGo.addAction(action)
            window.addAction(action)
            self.composer_actions.append(action)
            if handler == composer.resolve_and_ask:
                self.resolve_and_ask_action = action  # its keys are a setting
        self.traffic_action: QAction | None = None
        self.demo_menu: QMenu | None = None
        self._connection: tuple[str, str] | None = None  # last (source text, tip) shown
        self._user_shown: tuple[str, str] | None = None  # last (name, role) shown
        self._last_sync_at: datetime | None = None
        self.retranslate()

    @property
    def pending(self) -> PendingChanged:
        if self._pending is None:
            from operator_app.sync.events import PendingChanged

            self._pending = PendingChanged(0)
        return self._pending

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self._show_last_sync()
        self._show_user_label()
        self.progress_bar.setAccessibleName(translate("WindowSync", "Sync progress"))
        self.sign_in_action.setText(translate("WindowSync", "&Sign in…"))
        self.sign_in_action.setToolTip(
            translate("WindowSync", "Sign in to a server (Ctrl+Shift+L)")
        )
        texts = (
            translate("WindowSync", "Write a note or reply"),
            translate("WindowSync", "Resolve conversation"),
            translate("WindowSync", "Set conversation pending"),
            translate("WindowSync", "Reopen conversation"),
            translate("SurveyActions", "Resolve and ask"),
        )
        for action, text in zip(self.composer_actions, texts, strict=True):
            action.setText(text)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})")
        if self.traffic_action is not None and self.demo_menu is not None:
            self.traffic_action.setText(translate("WindowSync", "Simulate &traffic"))
            self.traffic_action.setToolTip(
                translate("WindowSync", "Customers call and write every few seconds")
            )
            self.demo_menu.setTitle(translate("WindowSync", "&Demo"))
        controller = self.controller
        if controller is not None:
            text, style = state_words()[controller.state]
            raw = self._connection[1] if self._connection else ""
            self._set_connection(text, style, user_message(raw) if raw else "")
            self._on_pending(self.pending)
        elif self._connection is not None:
            self._set_connection(*self._connection_source())

    def _connection_source(self) -> tuple[str, str, str]:
        text, _raw = self._connection or ("", "")
        tip = ""
        if text == "not signed in":
            return translate("WindowSync", "Not signed in — File › Sign in…"), "offline", tip
        return translate("WindowSync", "Connecting…"), "syncing", tip

    # -- attaching a server ------------------------------------------------------------

    def attach(self, controller: SyncController, *, user_name: str = "", role: str = "") -> None:
        """Show this controller's state from now on and send the operator's changes to it."""
        self.controller = controller
        if controller.settings_problem:
            self._say(controller.settings_problem)
        bridge = controller.bridge
        bridge.state_changed.connect(self._on_state)
        bridge.pending_changed.connect(self._on_pending)
        bridge.progress.connect(self._on_progress)
        bridge.sync_completed.connect(self._on_completed)
        bridge.data_changed.connect(self._on_data_changed)
        bridge.server_hint.connect(self._on_hint)
        bridge.conflicts_found.connect(lambda _n: self._show_issues())
        bridge.changes_rejected.connect(lambda _n: self._show_issues())
        controller.changed_locally.connect(self._on_changed_locally)
        controller.action_failed.connect(self._say)
        controller.text_not_saved.connect(self.window.composer.restore_text)
        controller.signed_in.connect(self._on_signed_in)
        controller.demo_traffic_known.connect(self._show_demo_traffic)
        if hasattr(self, "traffic_action"):
            controller.read_demo_traffic()
        if user_name:
            self._show_user(user_name, role)
        self.window.enable_local_changes(True)

    def resume_or_ask(self, engine_factory: Any = None) -> None:
        """Non-demo start: resume the kept session, or offer "Sign in…"."""
        settings = self.window.settings()
        url = settings.value(SETTINGS_SERVER)
        user = settings.value(SETTINGS_USER)
        if isinstance(url, str) and url and isinstance(user, str) and user:
            from operator_app.gui.sync_controller import SyncController

            controller = SyncController(
                self.window.ctx.engine, url, user, parent=self, **self._options()
            )
            if controller.resume():
                name = settings.value(SETTINGS_NAME)
                role = settings.value(SETTINGS_ROLE)
                self.attach(
                    controller,
                    user_name=name if isinstance(name, str) else user,
                    role=role if isinstance(role, str) else "",
                )
                controller.start()
                return
            self._forget(controller)
        self._connection = ("not signed in", "")
        self._set_connection(*self._connection_source())

    def start_demo(self, server_url: str, user: str, password: str) -> None:
        """The demo: sign in to its own server at once (nothing kept in the keyring)."""
        self._connection = ("connecting", "")
        self._set_connection(*self._connection_source())
        self._sign_in(server_url, user, password, False)
        # The demo server makes calls and messages on request (any demo user may ask).
        self.traffic_action = QAction(self.window)
        self.traffic_action.setCheckable(True)
        # ``triggered``, not ``toggled``: only the operator's click asks the server; the
        # check mark itself always shows what the server answered.
        self.traffic_action.triggered.connect(self._set_demo_traffic)
        self.demo_menu = self.window.menuBar().addMenu("")
        self.demo_menu.setObjectName("menuDemo")
        self.demo_menu.addAction(self.traffic_action)
        self.retranslate()

    def _set_demo_traffic(self, enabled: bool) -> None:
        if self.controller is not None:
            self.controller.set_demo_traffic(enabled)

    def _show_demo_traffic(self, enabled: bool) -> None:
        action = getattr(self, "traffic_action", None)
        if isinstance(action, QAction):
            action.setChecked(enabled)

    def show_sign_in(self, reason: str = "") -> SignInDialog:
        """Open the sign-in form (non-modal to the loop: ``open()``, answered by signals)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        settings = self.window.settings()
        current = self.controller
        url = current.server_url if current else settings.value(SETTINGS_SERVER, "")
        user = current.username if current else settings.value(SETTINGS_USER, "")
        from operator_app.gui.sign_in_dialog import SignInDialog

        dialog = SignInDialog(
            self.window,
            server_url=url if isinstance(url, str) else "",
            user=user if isinstance(user, str) else "",
            reason=reason,
        )
        dialog.submitted.connect(self._sign_in)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: SignInDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _sign_in(self, url: str, user: str, password: str, remember: bool) -> None:
        current = self.controller
        if current is not None and current.server_url == url and current.username == user:
            current.sign_in_later(password)
            return
        from operator_app.gui.sync_controller import SyncController

        controller = SyncController(
            self.window.ctx.engine,
            url,
            user,
            remember=remember,
            parent=self,
            **self._options(),
        )
        controller.sign_in_failed.connect(self._on_sign_in_failed)

        async def first_sign_in() -> None:
            result = await controller.sign_in(password)
            if result is None:
                await controller.aclose()
                controller.deleteLater()
                return
            previous, self.controller = self.controller, None
            if previous is not None:
                await previous.aclose()
                previous.deleteLater()
            self.attach(controller)
            self._on_signed_in(result)
            controller.start()

        self._spawn(first_sign_in())

    def _options(self) -> dict[str, Any]:
        """Proxy, CA bundle and timeout as saved now: each new connection uses them."""
        from operator_app.gui.live_settings import connection_options  # imports us

        return {"api_options": connection_options(), **self.controller_options}

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _on_sign_in_failed(self, message: str) -> None:
        message = user_message(message)
        if self.dialog is not None:
            self.dialog.show_error(message)
        else:
            self._say(message)

    def _on_signed_in(self, result: LoginResult) -> None:
        settings = self.window.settings()
        controller = self.controller
        if controller is not None:
            settings.setValue(SETTINGS_SERVER, controller.server_url)
            settings.setValue(SETTINGS_USER, controller.username)
        settings.setValue(SETTINGS_NAME, result.user.name)
        settings.setValue(SETTINGS_ROLE, result.user.role.value)
        self._show_user(result.user.name, result.user.role.value)
        if self.dialog is not None:
            self.dialog.succeeded()

    async def aclose(self) -> None:
        controller, self.controller = self.controller, None
        if controller is not None:
            await controller.aclose()

    def _forget(self, controller: SyncController) -> None:
        task = self._spawn(controller.aclose())
        task.add_done_callback(lambda _t: controller.deleteLater())

    # -- status bar --------------------------------------------------------------------

    def _set_connection(self, text: str, state: str, tip: str = "") -> None:
        label = self.window.connection_label
        label.setText(text)
        set_style_property(label, "state", state)
        label.setToolTip(tip or translate("WindowSync", "Connection to the server"))
        desktop = getattr(self.window, "desktop", None)
        if desktop is not None:
            desktop.tray.set_connection(text, state)

    def _on_state(self, event: StateChanged) -> None:
        from operator_app.sync import ConnectionState

        text, style = state_words()[event.state]
        tip = user_message(event.message) if event.message else ""
        self._connection = ("state", event.message or "")
        self._set_connection(text, style, tip)
        if event.state != ConnectionState.SYNCING:
            self.progress_bar.hide()
        if event.state == ConnectionState.AUTH_REQUIRED and self.dialog is None:
            # Only the password is asked; the composer and forms keep what was typed.
            self.show_sign_in(
                tip or translate("ServerMessages", "Your session has ended; sign in again.")
            )

    def _on_pending(self, event: PendingChanged) -> None:
        self._pending = event
        desktop = getattr(self.window, "desktop", None)
        if desktop is not None:
            desktop.tray.set_pending(event.pending)
        parts = [translate("MainWindow", "Pending changes: {count}").format(count=event.pending)]
        if event.conflicts:
            parts.append(
                translate("WindowSync", "conflicts: {count}").format(count=event.conflicts)
            )
        if event.rejected:
            parts.append(translate("WindowSync", "refused: {count}").format(count=event.rejected))
        self.window.pending_label.setText(" · ".join(parts))

    def _on_progress(self, event: SyncProgress) -> None:
        bar = self.progress_bar
        if event.more:
            bar.setRange(0, 0)  # a busy bar: the feed does not say how much is left
            bar.show()
            # %Ln: the count with the locale's digit grouping.
            done = event.done  # a plain name: lupdate skips dotted counts
            bar.setToolTip(translate("WindowSync", "Downloaded %Ln change(s)…", None, done))
        else:
            bar.hide()

    def _on_completed(self, event: SyncCompleted) -> None:
        self.progress_bar.hide()
        self._apply_deferred()
        self._last_sync_at = event.at
        self._show_last_sync()

    def _show_user_label(self) -> None:
        if self._user_shown is not None:
            name, role = self._user_shown
            self.window.user_label.setText(f"{name} · {role_name(role)}" if role else name)

    def _show_last_sync(self) -> None:
        if self._last_sync_at is None:
            return
        text = translate("MainWindow", "Last sync: {time}").format(
            time=format_moment(self._last_sync_at)
        )
        self.window.sync_label.setText(text)

    def _show_user(self, name: str, role: str) -> None:
        self._user_shown = (name, role)
        self._show_user_label()
        self.user_shown.emit(name, role)

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(user_message(message), 10000)

    # -- data and pops -----------------------------------------------------------------

    def _on_data_changed(self, event: DataChanged) -> None:
        from operator_app.sync import ConnectionState

        controller = self.controller
        if controller is not None and controller.state == ConnectionState.SYNCING:
            # A bulk pull drops indexes until it ends; read once the round is over.
            self._deferred.append(event)
            return
        self.window.on_data_changed(event.entities, event.customer_ids)

    def _apply_deferred(self) -> None:
        deferred, self._deferred = self._deferred, []
        if not deferred:
            return
        entities = frozenset().union(*(e.entities for e in deferred))
        wholesale = any(not e.customer_ids for e in deferred)
        ids = frozenset() if wholesale else frozenset().union(*(e.customer_ids for e in deferred))
        self.window.on_data_changed(entities, ids)

    def _on_changed_locally(self, kind: str, customer_id: object) -> None:
        if kind == "customer" and isinstance(customer_id, uuid.UUID):
            self.window.open_customer(customer_id)
        elif isinstance(customer_id, uuid.UUID):
            self.window.on_data_changed(frozenset({kind}), frozenset({customer_id}))

    def _on_hint(self, hint: ServerHint) -> None:
        if hint.kind == "review_case_opened":
            self.review_case_opened.emit(hint.data)
            return
        if hint.kind != "incoming_contact" or not isinstance(hint.data, dict):
            return
        phone = hint.data.get("phone")
        if not isinstance(phone, str):
            return
        self.window.pop_phone(phone)
        self.notify(translate("WindowSync", "Incoming call"), phone, kind="call")

    def notify(
        self,
        title: str,
        text: str,
        *,
        kind: str = "info",
        on_click: Callable[[], None] | None = None,
    ) -> None:
        """A desktop notification (tray bubble, else the status bar); ``on_click`` runs
        when the person clicks it."""
        notifier = getattr(self.window, "notifier", None)
        if notifier is not None:
            notifier.notify(title, text, kind=kind, on_click=on_click)

    def _show_issues(self) -> None:
        if self.controller is None:
            return
        from operator_app.gui.sync_issues import SyncIssuesDialog

        SyncIssuesDialog.show_for(self.window, self.controller)

    # -- the operator's changes --------------------------------------------------------

    def add_note(self, customer_id: uuid.UUID, body: str) -> None:
        if self.controller is not None:
            self.controller.add_note(customer_id, body)

    def add_reply(self, customer_id: uuid.UUID, conversation_id: uuid.UUID, body: str) -> None:
        if self.controller is not None:
            self.controller.add_reply(customer_id, conversation_id, body)

    def set_status(
        self, customer_id: uuid.UUID, conversation_id: uuid.UUID, status: str, follow: object
    ) -> None:
        if self.controller is not None:
            self.controller.set_conversation_status(
                customer_id,
                conversation_id,
                status,
                follow if isinstance(follow, datetime) else None,
            )

    def create_customer(self, fields: dict[str, Any]) -> None:
        if self.controller is not None:
            self.controller.create_customer(fields)

    def request_survey(
        self,
        customer_id: uuid.UUID,
        conversation_id: uuid.UUID,
        kind: str | None,
        *,
        score: int | None = None,
        resolve: bool = False,
    ) -> None:
        if self.controller is not None:
            self.controller.request_survey(
                customer_id, conversation_id, kind, score=score, resolve=resolve
            )
            self._say(
                translate(
                    "SurveyActions",
                    "Score {score} recorded; it reaches the server with the next sync.",
                ).format(score=score)
                if score is not None
                else translate(
                    "SurveyActions",
                    "Survey queued; it goes out with the next sync, offline or not.",
                )
            )
