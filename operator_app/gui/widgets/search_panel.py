"""Left panel: search-as-you-type with keyboard navigation, and the worklists below."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QWidget

from operator_app.domain.entities import CustomerSummary
from operator_app.gui.db_worker import Worklists
from operator_app.gui.forms.ui_search_panel import Ui_SearchPanel
from operator_app.gui.models.roles import CUSTOMER_ID_ROLE
from operator_app.gui.models.search_results import SearchResultsModel
from operator_app.gui.models.worklist import WorklistModel
from operator_app.gui.widgets.icons import icon
from operator_app.gui.widgets.list_delegate import TwoLineDelegate
from operator_app.gui.widgets.styling import fit_rows

SEARCH_DEBOUNCE_MS = 120
RESULT_LIMIT = 50
WORKLIST_LIMIT = 100  # the repositories' default page; a full page means "at least"
WORKLIST_ROWS_WITH_RESULTS = 3
WORKLIST_ROWS_ALONE = 12

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchPanel(QWidget):
    search_requested = Signal(str)
    """The query after the user paused typing (blank when the box was cleared)."""
    customer_chosen = Signal(object)
    """``uuid.UUID`` of the customer to open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SearchPanel()
        self.ui.setupUi(self)
        self.setObjectName("leftPanel")
        self.results = SearchResultsModel(self)
        self.mine = WorklistModel(self)
        self.follow_ups = WorklistModel(self)
        self.waiting = WorklistModel(self)
        self._sections: list[tuple[QLabel, QListView, WorklistModel, str]] = [
            (self.ui.mineHeader, self.ui.mineView, self.mine, "My open contacts"),
            (
                self.ui.followUpsHeader,
                self.ui.followUpsView,
                self.follow_ups,
                "Follow-ups due today",
            ),
            (self.ui.waitingHeader, self.ui.waitingView, self.waiting, "Waiting for our reply"),
        ]
        self.ui.searchEdit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        self.ui.resultsView.setModel(self.results)
        self.ui.resultsView.setItemDelegate(TwoLineDelegate(self.ui.resultsView))
        for _, view, model, _ in self._sections:
            view.setModel(model)
            view.setItemDelegate(TwoLineDelegate(view, with_icons=True))
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
        self._show_results_area(False)
        self._refresh_sections()

    # -- public ----------------------------------------------------------------------

    @property
    def search_edit(self) -> QLineEdit:
        return self.ui.searchEdit

    @property
    def results_view(self) -> QListView:
        return self.ui.resultsView

    def worklist_view(self, which: int) -> QListView:
        return self._sections[which][1]

    def show_results(self, query: str, rows: list[CustomerSummary]) -> None:
        self.results.set_results(query, rows)
        if not rows:
            text = f"No customer matches “{query}”"
        elif len(rows) >= RESULT_LIMIT:
            text = f"{len(rows)}+ matches · type more"
        else:
            text = f"{len(rows)} customer{'s' if len(rows) != 1 else ''}"
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
        self._set_results_header(f"{len(rows)} customers share {formatted}")
        self._show_results_area(True)
        self.focus_results()

    def set_worklists(self, lists: Worklists) -> None:
        self.mine.set_items(lists.open_contacts)
        self.follow_ups.set_items(lists.follow_ups_due)
        self.waiting.set_items(lists.hanging)
        self._refresh_sections()

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
        _, view, model, _ = self._sections[which]
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
        at_top = view.currentIndex().row() <= 0
        if key == Qt.Key.Key_Up and at_top and not modifiers:
            self.focus_search()
            return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        customer_id = index.data(CUSTOMER_ID_ROLE)
        if isinstance(customer_id, uuid.UUID):
            self.customer_chosen.emit(customer_id)

    # -- layout ----------------------------------------------------------------------

    def _views(self) -> list[QListView]:
        return [self.ui.resultsView] + [view for _, view, _, _ in self._sections]

    def _set_results_header(self, text: str) -> None:
        self.ui.resultsHeader.setText(text)
        self.ui.resultsView.setAccessibleDescription(text)

    def _show_results_area(self, shown: bool) -> None:
        self.ui.resultsHeader.setVisible(shown)
        self.ui.resultsView.setVisible(shown)
        self._refresh_sections()

    def _refresh_sections(self) -> None:
        with_results = self.ui.resultsView.isVisibleTo(self)
        max_rows = WORKLIST_ROWS_WITH_RESULTS if with_results else WORKLIST_ROWS_ALONE
        for header, view, model, title in self._sections:
            rows = model.rowCount()
            count = f"{rows}+" if rows >= WORKLIST_LIMIT else str(rows) if rows else "none"
            header.setText(f"{title} · {count}")
            view.setVisible(rows > 0)
            fit_rows(view, rows, max_rows)
            # Longer lists get more of the room; each stops growing at its own length.
            self.ui.worklistsLayout.setStretchFactor(view, min(rows, max_rows))
        fit_rows(self.ui.resultsView, self.results.rowCount())
        self.ui.panelLayout.setStretchFactor(self.ui.worklists, 0 if with_results else 100)
