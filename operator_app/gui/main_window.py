"""The single main window: worklist and search | customer card and timeline | assist.

Created by ``gui.app`` as ``MainWindow(ctx)``; screen pops arrive as ``pop_phone(raw)``
and ``open_customer(customer_id)``. All cache reads go through one ``DbWorker`` thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QAbstractSlider, QApplication, QLabel, QMainWindow, QWidget

from operator_app.domain.entities import CustomerCard, CustomerSummary
from operator_app.domain.phones import format_phone, normalize_phone
from operator_app.gui import theme
from operator_app.gui.context import AppContext
from operator_app.gui.db_worker import DbWorker, ScreenPop, SyncStatus, Worklists
from operator_app.gui.forms.ui_main_window import Ui_MainWindow
from operator_app.gui.i18n import translate
from operator_app.gui.models.roles import ID_ROLE
from operator_app.gui.models.timeline import TimelineModel
from operator_app.gui.offer_assist import OfferAssist
from operator_app.gui.user_messages import user_message
from operator_app.gui.widgets import formatting as fmt
from operator_app.gui.widgets.assist_panel import AssistPanel
from operator_app.gui.widgets.caller_views import (
    EmptyStateView,
    NewCustomerFormView,
    UnknownCallerView,
)
from operator_app.gui.widgets.composer import ComposerPanel
from operator_app.gui.widgets.customer_card import CustomerCardView
from operator_app.gui.widgets.search_panel import SearchPanel
from operator_app.gui.widgets.styling import set_style_property
from operator_app.gui.window_sync import WindowSync
from operator_app.gui.worklist_actions import WorklistActions

_PAGE_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)
WORKLIST_REFRESH_MS = 60_000
STATUS_REFRESH_MS = 10_000
SETTINGS_GROUP = "mainWindow"
FIRST_PAINT_PATIENCE_MS = 2000


class _FirstPaint(QObject):
    """Calls ``then`` once, after ``window``'s first paint, and goes away.

    A window that is never painted (hidden, minimized) releases its reads after
    ``FIRST_PAINT_PATIENCE_MS`` anyway."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_PATIENCE_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._fire()
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._window.removeEventFilter(self)
            then()


def app_settings() -> QSettings:
    """The app's QSettings; a fixed name when the app shell has not named the app yet."""
    if QCoreApplication.organizationName() or QCoreApplication.applicationName():
        return QSettings()
    return QSettings("operator-app", "operator-app")


def worklist_assignee(ctx: AppContext) -> str:
    """Whose conversations "My open contacts" lists: conversations are assigned by login.

    The demo signs in as its ``operator`` account; a real session passes its login in
    ``ctx.user_login`` once sign-in exists, until then the display name stands in.
    """
    login = getattr(ctx, "user_login", None)
    if isinstance(login, str) and login:
        return login
    if ctx.demo:
        # Imported here: operator_app.demo loads the generator and Faker, which cost
        # every start a third of a second.
        from operator_app.demo.users import DEMO_USERS

        return DEMO_USERS[0].username
    return ctx.user_name


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowTitle(self._base_title())
        self._customer_id: uuid.UUID | None = None
        self._card: CustomerCard | None = None

        self.db = DbWorker(ctx.engine, self)
        # Reads wait for the first paint (they still count as in flight): the DB thread
        # loads SQLAlchemy's ORM and the cache models for the first of them, which
        # would otherwise hold the interpreter while the window is laid out and drawn.
        self.db.hold()
        self._first_paint = _FirstPaint(self, self._after_first_paint)
        self.db.failed.connect(self._show_error)
        self.timeline = TimelineModel(self.db, parent=self)

        self.search_panel = SearchPanel(self.ui.leftHost)
        self.ui.leftHostLayout.addWidget(self.search_panel)
        self.card_view = CustomerCardView(self.timeline, self.ui.centreStack)
        self.empty_view = EmptyStateView(self.ui.centreStack)
        self.unknown_view = UnknownCallerView(self.ui.centreStack)
        self.new_customer_view = NewCustomerFormView(self.ui.centreStack)
        for page in (self.empty_view, self.card_view, self.unknown_view, self.new_customer_view):
            self.ui.centreStack.addWidget(page)
        self.ui.centreStack.setCurrentWidget(self.empty_view)
        self.assist = AssistPanel(self.ui.rightHost)
        self.ui.rightHostLayout.addWidget(self.assist)
        self.composer = ComposerPanel(self.ui.rightHost)
        self.ui.rightHostLayout.addWidget(self.composer)
        self.composer.hide()
        self._local_changes = False

        self._build_status_bar()
        self._wire_actions()
        self._wire_panels()
        self._restore_layout()
        self.sync = WindowSync(self)
        self.offer_assist = OfferAssist(self)
        self.worklist_actions = WorklistActions(self)

        self._worklist_timer = QTimer(self)
        self._worklist_timer.setInterval(WORKLIST_REFRESH_MS)
        self._worklist_timer.timeout.connect(self.refresh_worklists)
        self._worklist_timer.start()
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.db.close)
        self.refresh_worklists()
        self.refresh_status()
        from operator_app.gui.app_menus import install_app_menus  # imports this module

        self.app_menus = install_app_menus(self)
        from operator_app.gui.supervisor.area import install_supervisor_area

        self.supervisor = install_supervisor_area(self)  # before desktop: its keys are settings
        from operator_app.gui.desktop import install_desktop  # imports this module too

        self.desktop = install_desktop(self)
        self.notifier = self.desktop.notifier  # notify the operator: notifier.notify(…)

    def _after_first_paint(self) -> None:
        QTimer.singleShot(0, self.db.release)

    # -- what the app shell calls ----------------------------------------------------

    @property
    def current_customer_id(self) -> uuid.UUID | None:
        return self._customer_id

    def is_busy(self) -> bool:
        """True while a read is in flight (the app shell waits for quiet before a
        ``--screenshot``)."""
        return self.db.busy or self.timeline.is_loading

    def open_customer(self, customer_id: uuid.UUID) -> None:
        """Show ``customer_id``'s card and the first page of the timeline."""
        self._customer_id = customer_id
        self.timeline.set_customer(customer_id)
        self.db.card(customer_id, lambda card: self._on_card(customer_id, card))

    def pop_phone(self, raw: str) -> None:
        """Screen pop: one match opens its card, several are listed, none is an unknown
        caller with a "Create customer" action."""
        phone = normalize_phone(raw)
        if phone is None:
            self._show_unknown(raw)
            message = translate("MainWindow", "“{text}” is not a phone number")
            self.statusBar().showMessage(message.format(text=raw), 8000)
            return
        self.db.screen_pop(
            raw,
            self.timeline.page_size,
            lambda pop: self._on_screen_pop(raw, pop),
            advise=self.offer_assist.ranker(),
        )

    # -- refreshes -------------------------------------------------------------------

    def refresh_worklists(self) -> None:
        now = datetime.now(UTC)
        tomorrow = datetime.combine(date.today() + timedelta(days=1), time.min)
        day_end = tomorrow.astimezone(UTC)  # local midnight, in UTC
        self.db.load_worklists(worklist_assignee(self.ctx), now, day_end, self._on_worklists)

    def refresh_status(self) -> None:
        self.db.sync_status(self._on_sync_status)

    def refresh(self) -> None:
        self.refresh_worklists()
        self.refresh_status()
        if self._customer_id is not None and self._current_page() is self.card_view:
            self.open_customer(self._customer_id)

    # -- results from the DB thread --------------------------------------------------

    def _on_card(
        self, customer_id: uuid.UUID, card: CustomerCard | None, advice: object = None
    ) -> None:
        if customer_id != self._customer_id:
            return
        if card is None:
            self._customer_id = None
            self.timeline.set_customer(None)
            self.empty_view.show_welcome()
            self._show_page(self.empty_view)
            self.assist.clear()
            self.statusBar().showMessage(
                translate("MainWindow", "That customer is not in the local cache"), 8000
            )
            return
        self._card = card
        today = date.today()
        self.card_view.show_card(card, today)
        self.assist.show_card(card, today)
        self.offer_assist.refresh(card, advice)
        self._show_composer(card)
        self._show_page(self.card_view)
        self.worklist_actions.card_shown(customer_id)
        self.setWindowTitle(f"{card.customer.display_name} — {self._base_title()}")

    def _on_screen_pop(self, raw: str, pop: ScreenPop) -> None:
        if pop.card is None or pop.first_page is None:
            self._on_phone_matches(raw, pop.matches)
            return
        customer_id = pop.card.customer.id
        self._customer_id = customer_id
        self.db.cancel("card")  # a card asked for earlier must not replace this one
        self.timeline.set_customer(customer_id, first_page=pop.first_page)
        self._on_card(customer_id, pop.card, pop.advice)

    def _on_phone_matches(self, raw: str, rows: list[CustomerSummary]) -> None:
        if len(rows) == 1:
            self.open_customer(rows[0].id)
            return
        if not rows:
            self._show_unknown(raw)
            return
        phone = normalize_phone(raw)
        shown = format_phone(phone.e164) if phone else raw
        self._customer_id = None
        self._card = None
        self.timeline.set_customer(None)
        self.assist.clear()
        self.empty_view.show_choice(shown, len(rows))
        self._show_page(self.empty_view)
        self.search_panel.show_phone_matches(shown, rows)

    def _on_worklists(self, lists: Worklists) -> None:
        self.search_panel.set_worklists(lists)
        self.worklist_actions.refresh_at(lists.next_late_at)

    def _on_sync_status(self, status: SyncStatus) -> None:
        if hasattr(self, "desktop"):
            self.desktop.tray.set_pending(status.pending_changes)
        pending = translate("MainWindow", "Pending changes: {count}")
        self._pending_label.setText(pending.format(count=status.pending_changes))
        self._pending_label.setToolTip(
            translate("MainWindow", "Local changes waiting to be sent to the server")
            if status.pending_changes
            else translate("MainWindow", "Everything you changed has reached the server")
        )
        when = (
            fmt.MomentFormatter().format(status.last_sync_at)
            if status.last_sync_at
            else translate("MainWindow", "never")
        )
        self._sync_label.setText(translate("MainWindow", "Last sync: {time}").format(time=when))

    # -- sync: what WindowSync calls ---------------------------------------------------

    @property
    def connection_label(self) -> QLabel:
        return self._connection_label

    @property
    def pending_label(self) -> QLabel:
        return self._pending_label

    @property
    def sync_label(self) -> QLabel:
        return self._sync_label

    @property
    def user_label(self) -> QLabel:
        return self._user_label

    def settings(self) -> QSettings:
        return app_settings()

    def enable_local_changes(self, enabled: bool) -> None:
        """Notes, replies, statuses and new customers go to the outbox (a server is set)."""
        self._local_changes = enabled
        self.new_customer_view.ui.saveButton.setEnabled(enabled)
        self.new_customer_view.ui.saveButton.setToolTip(
            translate("MainWindow", "Save the customer (sent to the server when online)")
            if enabled
            else ""
        )
        if self._card is not None:
            self._show_composer(self._card)
        self.offer_assist.answerable_changed()

    def on_data_changed(self, entities: frozenset[str], customer_ids: frozenset[uuid.UUID]) -> None:
        """The cache changed (pulled, pushed or written here): refresh what shows it."""
        shown = self._customer_id
        on_card = self._current_page() is self.card_view
        if shown is not None and on_card and (not customer_ids or shown in customer_ids):
            self.timeline.set_customer(shown)
            self.db.card(shown, lambda card: self._on_card(shown, card))
        self.worklist_actions.refresh_soon()
        self.refresh_status()
        self.supervisor.on_data_changed(entities)

    def _show_composer(self, card: CustomerCard) -> None:
        conversations = sorted(card.open_conversations, key=lambda c: c.opened_at, reverse=True)
        self.composer.set_conversations(conversations)
        self.composer.setVisible(self._local_changes)

    def _send_note(self, body: str) -> None:
        if self._customer_id is not None:
            self.sync.add_note(self._customer_id, body)

    def _send_reply(self, conversation_id: uuid.UUID, body: str) -> None:
        if self._customer_id is not None:
            self.sync.add_reply(self._customer_id, conversation_id, body)

    def _send_status(self, conversation_id: uuid.UUID, status: str, follow: object) -> None:
        if self._customer_id is not None:
            self.sync.set_status(self._customer_id, conversation_id, status, follow)

    def _request_survey(self, conversation_id: uuid.UUID, kind: object, resolve: bool) -> None:
        if self._customer_id is not None:
            self.sync.request_survey(
                self._customer_id,
                conversation_id,
                kind if isinstance(kind, str) else None,
                resolve=resolve,
            )

    def _record_spoken_score(self, conversation_id: uuid.UUID, kind: str, score: int) -> None:
        if self._customer_id is not None:
            self.sync.request_survey(self._customer_id, conversation_id, kind, score=score)

    def _save_new_customer(self) -> None:
        fields = self.new_customer_view.fields()
        if fields is not None:
            self.sync.create_customer(fields)

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(user_message(message), 15000)

    # -- pages -----------------------------------------------------------------------

    def _current_page(self) -> QWidget | None:
        return self.ui.centreStack.currentWidget()

    def _show_page(self, page: QWidget) -> None:
        if page is not self.empty_view:
            self.empty_view.show_welcome()
        self.ui.centreStack.setCurrentWidget(page)
        if page is not self.card_view:
            self.setWindowTitle(self._base_title())

    def _show_unknown(self, raw: str) -> None:
        self._customer_id = None
        self._card = None
        self.timeline.set_customer(None)
        self.assist.clear()
        self.unknown_view.show_number(raw)
        self._show_page(self.unknown_view)
        self.unknown_view.ui.createButton.setFocus(Qt.FocusReason.OtherFocusReason)

    def _start_new_customer(self, phone: str) -> None:
        self.new_customer_view.start(phone)
        self._show_page(self.new_customer_view)

    def _base_title(self) -> str:
        if self.ctx.demo:
            return translate("MainWindow", "Operator (demo)")
        return translate("MainWindow", "Operator")

    # -- keyboard and panels ---------------------------------------------------------

    def focus_search(self) -> None:
        self.search_panel.focus_search()

    def focus_left(self) -> None:
        self.search_panel.focus_search()

    def focus_centre(self) -> None:
        page = self._current_page()
        if page is self.card_view:
            view = self.card_view.timeline_view
            if not view.currentIndex().isValid() and self.timeline.rowCount():
                view.setCurrentIndex(self.timeline.index(0))
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif page is self.unknown_view:
            self.unknown_view.ui.createButton.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif page is self.new_customer_view:
            self.new_customer_view.ui.lastNameEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.ui.centreStack.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_right(self) -> None:
        self.assist.focus_first()

    def focused_panel(self) -> int | None:
        """0 left, 1 centre, 2 right, or None when focus is elsewhere (menus, nothing)."""
        widget = QApplication.focusWidget()
        hosts = (self.ui.leftHost, self.ui.centreStack, self.ui.rightHost)
        while widget is not None:
            if widget in hosts:
                return hosts.index(widget)
            widget = widget.parentWidget()
        return None

    def next_panel(self) -> None:
        current = self.focused_panel()
        target = 0 if current is None else (current + 1) % 3
        (self.focus_left, self.focus_centre, self.focus_right)[target]()

    def back_to_search(self) -> None:
        if self._current_page() is self.new_customer_view:
            self._show_page(self.unknown_view)
        self.search_panel.focus_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace) and watched in (
            self.card_view.timeline_view,
            self.unknown_view,
        ):
            self.back_to_search()
            return True
        if watched is self.card_view.timeline_view and not event.modifiers():
            if key in _PAGE_KEYS:
                self._page_timeline(key == Qt.Key.Key_PageDown)
                return True
            if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
                # A one-column table would move sideways; the timeline reads top to bottom.
                rows = self.timeline.rowCount()
                if rows:
                    row = 0 if key == Qt.Key.Key_Home else rows - 1
                    self.card_view.timeline_view.setCurrentIndex(self.timeline.index(row))
                return True
        return super().eventFilter(watched, event)

    def _page_timeline(self, down: bool) -> None:
        """PageDown/PageUp scroll the history like a document; the current item follows
        the top of the view so arrows continue from what is on screen."""
        view = self.card_view.timeline_view
        action = (
            QAbstractSlider.SliderAction.SliderPageStepAdd
            if down
            else QAbstractSlider.SliderAction.SliderPageStepSub
        )
        view.verticalScrollBar().triggerAction(action)
        top = view.indexAt(view.viewport().rect().topLeft() + QPoint(1, 1))
        if top.isValid() and view.visualRect(top).top() < 0:
            # A half-hidden row would make the view scroll back to show it whole.
            top = top.siblingAtRow(top.row() + 1)
        if top.isValid():
            view.setCurrentIndex(top)

    # -- wiring ----------------------------------------------------------------------

    def _wire_actions(self) -> None:
        ui = self.ui
        ui.actionFocusSearch.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("F3")])
        ui.actionNextPanel.setShortcuts([QKeySequence("Ctrl+L"), QKeySequence("F6")])
        ui.actionQuit.setShortcuts(QKeySequence.StandardKey.Quit)
        handlers = {
            ui.actionRefresh: self.refresh,
            ui.actionQuit: self.close,
            ui.actionFocusSearch: self.focus_search,
            ui.actionFocusLeft: self.focus_left,
            ui.actionFocusCentre: self.focus_centre,
            ui.actionFocusRight: self.focus_right,
            ui.actionNextPanel: self.next_panel,
            ui.actionBack: self.back_to_search,
            ui.actionTimeline: self.focus_centre,
            ui.actionMyContacts: lambda: self.search_panel.focus_worklist(0),
            ui.actionFollowUps: lambda: self.search_panel.focus_worklist(1),
            ui.actionWaiting: lambda: self.search_panel.focus_worklist(2),
        }
        for action, handler in handlers.items():
            action.triggered.connect(handler)
        self._shortcut_actions = list(handlers)
        self.show_shortcuts_in_tooltips()
        # Shortcuts keep working even when the menu bar is hidden (full screen, macOS).
        self.addActions(list(handlers))

        self._theme_group = QActionGroup(self)
        self._theme_actions: dict[str, QAction] = {
            "light": ui.actionThemeLight,
            "dark": ui.actionThemeDark,
            "system": ui.actionThemeSystem,
        }
        for mode, action in self._theme_actions.items():
            self._theme_group.addAction(action)
            action.triggered.connect(lambda _checked=False, m=mode: self.set_theme(m))
        self._theme_actions[theme.current_mode()].setChecked(True)

    def show_shortcuts_in_tooltips(self) -> None:
        for action in self._shortcut_actions:
            if not action.toolTip() or action.toolTip() == action.text().replace("&", ""):
                keys = ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                )
                action.setToolTip(f"{action.text().replace('&', '')} ({keys})")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            from operator_app.gui.language import retranslate_window

            retranslate_window(self)
        super().changeEvent(event)

    def _wire_panels(self) -> None:
        self.search_panel.search_requested.connect(self._on_search_requested)
        self.search_panel.customer_chosen.connect(self.open_customer)
        self.assist.back_requested.connect(self.back_to_search)
        self.assist.conversations_list.currentItemChanged.connect(
            lambda item, _prev: self.composer.choose_conversation(
                item.data(ID_ROLE) if item is not None else None
            )
        )
        self.composer.note_requested.connect(self._send_note)
        self.composer.reply_requested.connect(self._send_reply)
        self.composer.status_requested.connect(self._send_status)
        self.composer.survey_requested.connect(self._request_survey)
        self.composer.surveys.score_said.connect(self._record_spoken_score)
        self.new_customer_view.ui.saveButton.clicked.connect(self._save_new_customer)
        self.unknown_view.create_requested.connect(self._start_new_customer)
        self.unknown_view.search_requested.connect(self.focus_search)
        self.new_customer_view.cancelled.connect(self.back_to_search)
        self.card_view.timeline_view.installEventFilter(self)
        self.unknown_view.installEventFilter(self)

    def _on_search_requested(self, query: str) -> None:
        if query:
            self.db.search(query, lambda rows: self.search_panel.show_results(query, rows))
        else:
            self.db.cancel("search")

    def set_theme(self, mode: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, mode)
        self._theme_actions[mode].setChecked(True)
        app_settings().setValue("appearance/theme", mode)

    # -- status bar ------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        # Their start-up texts come from name_status_items (again on a language change).
        self._connection_label = QLabel()
        self._connection_label.setObjectName("connectionLabel")
        label = self.ctx.connection_label.lower()
        state = "offline" if "offline" in label else "syncing" if "sync" in label else "online"
        set_style_property(self._connection_label, "state", state)
        self._pending_label = QLabel(
            translate("MainWindow", "Pending changes: {count}").format(count=0)
        )
        self._sync_label = QLabel()
        self._user_label = QLabel()
        for widget in self.status_items():
            widget.setProperty("cssClass", "statusItem")
            bar.addPermanentWidget(widget)
        self.name_status_items()

    def status_items(self) -> tuple[QLabel, QLabel, QLabel, QLabel]:
        return (self._connection_label, self._pending_label, self._sync_label, self._user_label)

    def name_status_items(self) -> None:
        self._connection_label.setToolTip(translate("MainWindow", "Connection to the server"))
        self._user_label.setToolTip(translate("MainWindow", "Signed-in user and role"))
        # The start-up texts; once signed in and synced, the sync's retranslate says more.
        self._connection_label.setText(user_message(self.ctx.connection_label))
        self._sync_label.setText(
            translate("MainWindow", "Last sync: {time}").format(
                time=translate("MainWindow", "never")
            )
        )
        self._user_label.setText(
            f"{user_message(self.ctx.user_name)} · {fmt.role_name(self.ctx.user_role)}"
        )
        names = (
            translate("MainWindow", "Connection state"),
            translate("MainWindow", "Pending local changes"),
            translate("MainWindow", "Last sync time"),
            translate("MainWindow", "Signed-in user and role"),
        )
        for widget, name in zip(self.status_items(), names, strict=True):
            widget.setAccessibleName(name)

    # -- layout persistence ----------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = app_settings()
        settings.beginGroup(SETTINGS_GROUP)
        geometry = settings.value("geometry")
        main_state = settings.value("mainSplitter")
        card_state = settings.value("cardSplitter")
        settings.endGroup()
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        # Pane sizes are applied at the first show, once the window has its real size.
        self._saved_splits = (
            main_state if isinstance(main_state, QByteArray) else None,
            card_state if isinstance(card_state, QByteArray) else None,
        )
        self._layout_applied = False

    def showEvent(self, event: QShowEvent) -> None:
        if not self._layout_applied:
            self._layout_applied = True
            main_state, card_state = self._saved_splits
            if main_state is None or not self.ui.mainSplitter.restoreState(main_state):
                self._default_splitter_sizes()
            if card_state is not None and self.card_view.ui.cardSplitter.restoreState(card_state):
                self.card_view.keep_splitter_sizes()
        super().showEvent(event)

    def _default_splitter_sizes(self) -> None:
        width = max(self.width(), 960)
        left = min(380, max(290, int(width * 0.24)))
        right = min(380, max(270, int(width * 0.22)))
        self.ui.mainSplitter.setSizes([left, width - left - right, right])

    def save_layout(self) -> None:
        settings = app_settings()
        settings.beginGroup(SETTINGS_GROUP)
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("mainSplitter", self.ui.mainSplitter.saveState())
        if self.card_view.user_split:
            settings.setValue("cardSplitter", self.card_view.ui.cardSplitter.saveState())
        elif not self.card_view.restored_split:
            # Fitted to the content, not chosen: fit again next time.
            settings.remove("cardSplitter")
        settings.endGroup()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self._worklist_timer.stop()
        self._status_timer.stop()
        self.db.close()
        super().closeEvent(event)
