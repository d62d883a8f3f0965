"""Left panel: search-as-you-type with keyboard navigation, and the worklists below.

Worklist sections: my open contacts, follow-ups due today (overdue ones marked) and
customers waiting for our reply past the channel's reply target. Enter or a click opens
the customer at that conversation; follow-ups and waiting entries can be snoozed from
the context menu or with Ctrl+Shift+S.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QWidget

from operator_app.domain.entities import CustomerSummary, WorklistItem
from operator_app.gui.db_worker import Worklists
from operator_app.gui.forms.ui_search_panel import Ui_SearchPanel
from operator_app.gui.i18n import translate
from operator_app.gui.models.roles import CUSTOMER_ID_ROLE, ITEM_ROLE
from operator_app.gui.models.search_results import SearchResultsModel
from operator_app.gui.models.worklist import WorklistModel
from operator_app.gui.widgets.icons import icon
from operator_app.gui.widgets.list_delegate import TwoLineDelegate
from operator_app.gui.widgets.snooze_menu import SNOOZE_SHORTCUT, SnoozeMenu
from operator_app.gui.widgets.styling import fit_rows, set_style_property

SEARCH_DEBOUNCE_MS = 120
RESULT_LIMIT = 50
WORKLIST_LIMIT = 100  # the repositories' default page; a full page means "at least"
WORKLIST_ROWS_WITH_RESULTS = 3
WORKLIST_ROWS_ALONE = 12

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MINE, FOLLOW_UPS, WAITING = "mine", "follow_ups", "waiting"
SNOOZABLE = (FOLLOW_UPS, WAITING)


@dataclass(frozen=True, slots=True)
class WorklistSection:
    key: str
    header: QLabel
    count: QLabel
    view: QListView
    model: WorklistModel


class SearchPanel(QWidget):
    search_requested = Signal(str)
    """The query after the user paused typing (blank when the box was cleared)."""
    customer_chosen = Signal(object)
    """``uuid.UUID`` of the customer to open."""
    conversation_chosen = Signal(object, object)
    """A worklist entry was opened: customer id, conversation id."""
    snooze_requested = Signal(str, object, object)
    """Section key (``follow_ups``/``waiting``), the ``WorklistItem``, until (UTC)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SearchPanel()
        self.ui.setupUi(self)
        self.setObjectName("leftPanel")
        self.results = SearchResultsModel(self)
        self.mine = WorklistModel(self, MINE)
        self.follow_ups = WorklistModel(self, FOLLOW_UPS)
        self.waiting = WorklistModel(self, WAITING)
        ui = self.ui
        self._snooze_actions: list[QAction] = []
        self._sections = [
            WorklistSection(MINE, ui.mineHeader, ui.mineCount, ui.mineView, self.mine),
            WorklistSection(
                FOLLOW_UPS, ui.followUpsHeader, ui.followUpsCount, ui.followUpsView, self.follow_ups
            ),
            WorklistSection(
                WAITING, ui.waitingHeader, ui.waitingCount, ui.waitingView, self.waiting
            ),
        ]
        self.snooze_menu: SnoozeMenu | None = None
        self.ui.searchEdit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        self.ui.resultsView.setModel(self.results)
        self.ui.resultsView.setItemDelegate(TwoLineDelegate(self.ui.resultsView))
        for section in self._sections:
            view = section.view
            view.setModel(section.model)
            view.setItemDelegate(TwoLineDelegate(view, with_icons=True))
            if section.key in SNOOZABLE:
                self._make_snoozable(section)
        for view in self._views():
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setMouseTracking(True)
            view.installEventFilter(self)
            view.clicked.connect(self._open_index)
        self.ui.searchEdit.installEventFilter(self)
        # Sections pack to the top; what is left over stays empty below them.
        self.ui.panelLayout.setStretchFactor(self.ui.resultsView, 100)
        self.ui.panelLayout.addStretch(1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit_search)
        self.ui.searchEdit.textEdited.connect(self._on_text_edited)
        self.ui.searchEdit.textChanged.connect(self._on_text_changed)
        self._header_text: Callable[[], str] | None = None
        self._show_results_area(False)
        self._refresh_sections()

    def retranslate(self) -> None:
        """After ``retranslateUi``: counts and the results header in the new language."""
        if self._header_text is not None:
            self._set_results_header(self._header_text)
        self._refresh_sections()
        for action in self._snooze_actions:
            self._name_snooze(action)

    # -- public ----------------------------------------------------------------------

    @property
    def search_edit(self) -> QLineEdit:
        return self.ui.searchEdit

    @property
    def results_view(self) -> QListView:
        return self.ui.resultsView

    def worklist_view(self, which: int) -> QListView:
        return self._sections[which].view

    def worklist_count_label(self, which: int) -> QLabel:
        return self._sections[which].count

    def show_results(self, query: str, rows: list[CustomerSummary]) -> None:
        self.results.set_results(query, rows)
        count = len(rows)

        def text() -> str:
            if not count:
                return translate("SearchPanel", "No customer matches “{query}”").format(query=query)
            if count >= RESULT_LIMIT:
                return translate("SearchPanel", "%n+ match(es) · type more", None, count)
            return translate("SearchPanel", "%n customer(s)", None, count)

        self._set_results_header(text)
        self._refresh_sections()
        if rows:
            self.ui.resultsView.setCurrentIndex(self.results.index(0))

    def show_phone_matches(self, formatted: str, rows: list[CustomerSummary]) -> None:
        """Several customers share a caller's number: list them, typed box left alone."""
        self._debounce.stop()
        self.ui.searchEdit.blockSignals(True)
        self.ui.searchEdit.setText(formatted)
        self.ui.searchEdit.blockSignals(False)
        self.results.set_results(formatted, rows)
        count = len(rows)
        self._set_results_header(
            lambda: translate("SearchPanel", "%n customer(s) share {number}", None, count).format(
                number=formatted
            )
        )
        self._show_results_area(True)
        self.focus_results()

    def set_worklists(self, lists: Worklists) -> None:
        fresh = (lists.open_contacts, lists.follow_ups_due, lists.hanging)
        for section, items in zip(self._sections, fresh, strict=True):
            self._replace_items(section, items)
        self._refresh_sections()

    @staticmethod
    def _replace_items(section: WorklistSection, items: list[WorklistItem]) -> None:
        """New rows, with the keyboard's place kept on the same conversation (or the row
        where it was, when that conversation left the list)."""
        view, model = section.view, section.model
        current = view.currentIndex()
        kept = model.item(current.row()) if current.isValid() else None
        had_focus = view.hasFocus()
        model.set_items(items)
        if kept is None or not items:
            return
        ids = [item.conversation_id for item in items]
        row = ids.index(kept.conversation_id) if kept.conversation_id in ids else current.row()
        view.setCurrentIndex(model.index(min(row, len(items) - 1)))
        if had_focus:
            view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.searchEdit.selectAll()

    def focus_results(self) -> bool:
        if self.results.rowCount() == 0 or not self.ui.resultsView.isVisible():
            return False
        view = self.ui.resultsView
        if not view.currentIndex().isValid():
            view.setCurrentIndex(self.results.index(0))
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def focus_worklist(self, which: int) -> None:
        view, model = self._sections[which].view, self._sections[which].model
        if model.rowCount():
            if not view.currentIndex().isValid():
                view.setCurrentIndex(model.index(0))
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.focus_search()

    # -- search box ------------------------------------------------------------------

    def _on_text_edited(self, _text: str) -> None:
        self._debounce.start()

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            # Clearing (the ✕ button, Esc) answers at once: nothing to wait for.
            self._debounce.stop()
            self.results.clear()
            self._show_results_area(False)
            self.search_requested.emit("")

    def _emit_search(self) -> None:
        query = self.ui.searchEdit.text().strip()
        if query:
            self._show_results_area(True)
        self.search_requested.emit(query)

    # -- keyboard --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.ui.searchEdit:
            return self._search_key(key)
        if isinstance(watched, QListView):
            return self._list_key(watched, key, event.modifiers())
        return super().eventFilter(watched, event)

    def _search_key(self, key: int) -> bool:
        if key == Qt.Key.Key_Down:
            if self._debounce.isActive():
                self._debounce.stop()
                self._emit_search()
            return self.focus_results()
        if key in _ENTER:
            if self._debounce.isActive():
                return True  # results for what was typed are not in yet
            index = self.ui.resultsView.currentIndex()
            if not index.isValid() and self.results.rowCount():
                index = self.results.index(0)
            if index.isValid():
                self._open_index(index)
            return True
        if key == Qt.Key.Key_Escape and self.ui.searchEdit.text():
            self.ui.searchEdit.clear()
            return True
        return False

    def _list_key(self, view: QListView, key: int, modifiers: Qt.KeyboardModifier) -> bool:
        if key in _ENTER:
            if view.currentIndex().isValid():
                self._open_index(view.currentIndex())
            return True
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace):
            self.focus_search()
            return True
        if key == Qt.Key.Key_Menu:
            # The Menu key opens the menu at the current row, not wherever the
            # keyboard context-menu event would place it.
            section = next((s for s in self._sections if s.view is view), None)
            if section is not None and section.key in SNOOZABLE:
                self.show_snooze_menu(section.key)
                return True
        at_top = view.currentIndex().row() <= 0
        if key == Qt.Key.Key_Up and at_top and not modifiers:
            self.focus_search()
            return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        item = index.data(ITEM_ROLE)
        if isinstance(item, WorklistItem):
            self.conversation_chosen.emit(item.customer_id, item.conversation_id)
            return
        customer_id = index.data(CUSTOMER_ID_ROLE)
        if isinstance(customer_id, uuid.UUID):
            self.customer_chosen.emit(customer_id)

    # -- snooze ----------------------------------------------------------------------

    def _make_snoozable(self, section: WorklistSection) -> None:
        view = section.view
        action = QAction(view)
        action.setShortcut(QKeySequence(SNOOZE_SHORTCUT))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._snooze_actions.append(action)
        self._name_snooze(action)
        action.triggered.connect(lambda: self.show_snooze_menu(section.key))
        view.addAction(action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(
            lambda pos: self._context_menu(section.key, view, pos)
        )

    @staticmethod
    def _name_snooze(action: QAction) -> None:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setText(translate("SearchPanel", "Snooze…"))
        action.setToolTip(
            translate("SearchPanel", "Snooze the selected entry ({keys})").format(keys=keys)
        )

    def _section(self, key: str) -> WorklistSection:
        return next(section for section in self._sections if section.key == key)

    def _context_menu(self, key: str, view: QListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
            self.show_snooze_menu(key, view.viewport().mapToGlobal(pos))

    def _snooze_chosen(self, view: QListView, key: str, item: WorklistItem, until: object) -> None:
        # The keyboard goes back where it was, ready for the next entry.
        view.setFocus(Qt.FocusReason.PopupFocusReason)
        self.snooze_requested.emit(key, item, until)

    def show_snooze_menu(self, key: str, at: QPoint | None = None) -> SnoozeMenu | None:
        """The Snooze menu for the current entry of section ``key`` (None: no entry)."""
        section = self._section(key)
        view = section.view
        item = section.model.item(view.currentIndex().row())
        if item is None:
            return None
        if self.snooze_menu is not None:
            self.snooze_menu.deleteLater()
        menu = SnoozeMenu(view)
        menu.chosen.connect(lambda until: self._snooze_chosen(view, key, item, until))
        self.snooze_menu = menu
        if at is None:
            rect = view.visualRect(view.currentIndex())
            at = view.viewport().mapToGlobal(rect.bottomLeft() + QPoint(24, 0))
        menu.show_at(at)
        return menu

    # -- layout ----------------------------------------------------------------------

    def _views(self) -> list[QListView]:
        return [self.ui.resultsView] + [section.view for section in self._sections]

    def _set_results_header(self, make_text: Callable[[], str]) -> None:
        self._header_text = make_text
        text = make_text()
        self.ui.resultsHeader.setText(text)
        self.ui.resultsView.setAccessibleDescription(text)

    def _show_results_area(self, shown: bool) -> None:
        self.ui.resultsHeader.setVisible(shown)
        self.ui.resultsView.setVisible(shown)
        self._refresh_sections()

    def _refresh_sections(self) -> None:
        with_results = self.ui.resultsView.isVisibleTo(self)
        max_rows = WORKLIST_ROWS_WITH_RESULTS if with_results else WORKLIST_ROWS_ALONE
        for section in self._sections:
            view, model = section.view, section.model
            rows = model.rowCount()
            overdue = sum(1 for r in range(rows) if (i := model.item(r)) and i.overdue)
            text, description = self._count_texts(section.key, rows, overdue)
            section.count.setText(text)
            section.count.setAccessibleName(description)
            section.count.setToolTip(description)
            view.setAccessibleDescription(description)
            alarming = section.key == FOLLOW_UPS and overdue > 0
            set_style_property(section.count, "state", "overdue" if alarming else "")
            view.setVisible(rows > 0)
            fit_rows(view, rows, max_rows)
            # Longer lists get more of the room; each stops growing at its own length.
            self.ui.worklistsLayout.setStretchFactor(view, min(rows, max_rows))
        fit_rows(self.ui.resultsView, self.results.rowCount())
        self.ui.panelLayout.setStretchFactor(self.ui.worklists, 0 if with_results else 100)

    @staticmethod
    def _count_texts(key: str, rows: int, overdue: int) -> tuple[str, str]:
        """Short count for the header line and a sentence for screen readers."""
        if rows == 0:
            return translate("SearchPanel", "none"), translate("SearchPanel", "Nothing here now")
        more = rows >= WORKLIST_LIMIT  # a full page: there may be more
        if key == MINE:
            short = translate("SearchPanel", "%n open", None, rows)
            long = translate("SearchPanel", "%n open conversation(s)", None, rows)
        elif key == FOLLOW_UPS:
            long = translate("SearchPanel", "%n follow-up(s) due today", None, rows)
            late = translate("SearchPanel", "%n overdue", None, overdue)
            due = translate("SearchPanel", "%n due", None, rows)
            short = late if overdue == rows else f"{due}, {late}" if overdue else due
            if overdue:
                long = f"{long}, {late}"
        else:
            short = translate("SearchPanel", "%n waiting", None, rows)
            long = translate(
                "SearchPanel", "%n customer(s) waiting past the reply target", None, rows
            )
        if more:  # "100+ waiting": the number as the translation placed it, marked "at least"
            short = short.replace(str(rows), f"{rows}+", 1)
        return short, long
