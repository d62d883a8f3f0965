"""The review queue as a lazy table: keyset pages from the cache, on the DB worker.

The model holds the cases it has loaded (a queue is hundreds of rows, not millions) and
asks for the next page only when the view scrolls near the end (``fetchMore``), from the
last row's key ``(opened_at, id)`` — never OFFSET.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from operator_app.cache.review_queue import ReviewFilter, ReviewQueueItem, review_page
from operator_app.domain.enums import SurveyKind
from operator_app.domain.metrics import SCORE_RANGES
from operator_app.domain.review_sla import review_tone
from operator_app.gui import theme
from operator_app.gui.db_worker import DbWorker
from operator_app.gui.i18n import translate
from operator_app.gui.models.roles import ID_ROLE, ITEM_ROLE
from operator_app.gui.widgets.formatting import age, channel_name

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("age", "customer", "score", "channel", "operator", "status", "assignee")


def status_name(status: str) -> str:
    names = {
        "new": translate("ReviewQueue", "New"),
        "assigned": translate("ReviewQueue", "Assigned"),
        "callback_planned": translate("ReviewQueue", "Call back planned"),
        "compensated": translate("ReviewQueue", "Compensated"),
        "resolved": translate("ReviewQueue", "Resolved"),
    }
    return names.get(status, status)


def score_text(kind: str, score: int | None) -> str:
    try:
        top = SCORE_RANGES[SurveyKind(kind)][1]
    except ValueError:
        return "—" if score is None else str(score)
    return f"{kind.upper()} {score if score is not None else '—'}/{top}"


class ReviewQueueModel(QAbstractTableModel):
    loaded = Signal(int)  # rows in the model after a page arrived
    load_failed = Signal(str)

    def __init__(self, worker: DbWorker, page_size: int = 100, parent: Any = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._page_size = page_size
        self._items: list[ReviewQueueItem] = []
        self._filters = ReviewFilter()
        self._complete = True
        self._loading = False
        self._generation = 0
        self.now = datetime.now(UTC)

    # -- public ----------------------------------------------------------------------

    @property
    def filters(self) -> ReviewFilter:
        return self._filters

    @property
    def is_loading(self) -> bool:
        return self._loading

    def set_filters(self, filters: ReviewFilter) -> None:
        self._filters = filters
        self.reload()

    def reload(self) -> None:
        """Start again from the newest case (after filters change or new data synced)."""
        self._generation += 1
        self.beginResetModel()
        self._items = []
        self._complete = False
        self._loading = False
        self.endResetModel()
        self.now = datetime.now(UTC)
        self._load_page()

    def item(self, row: int) -> ReviewQueueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, case_id: uuid.UUID) -> int:
        return next((i for i, item in enumerate(self._items) if item.id == case_id), -1)

    # -- lazy loading ------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_page()

    def _load_page(self) -> None:
        self._loading = True
        generation = self._generation
        after = self._items[-1].cursor if self._items else None
        filters, now, limit = self._filters, self.now, self._page_size
        engine = self._worker.engine
        self._worker.submit(
            lambda: review_page(engine, filters, now=now, after=after, limit=limit),
            lambda rows: self._on_page(generation, rows),
            channel="review-queue",
            on_error=lambda message: self._on_failed(generation, message),
        )

    def _on_page(self, generation: int, rows: list[ReviewQueueItem]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._complete = len(rows) < self._page_size
        if rows:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._items.extend(rows)
            self.endInsertRows()
        self.loaded.emit(len(self._items))

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._loading = False
            self.load_failed.emit(message)

    # -- the table -----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def retranslate(self) -> None:
        """Headers and cells say their words again (they are made when asked for)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self.rowCount() > 0:
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            translate("ReviewQueue", "Waiting"),
            translate("ReviewQueue", "Customer"),
            translate("ReviewQueue", "Score"),
            translate("ReviewQueue", "Channel"),
            translate("ReviewQueue", "Operator"),
            translate("ReviewQueue", "Status"),
            translate("ReviewQueue", "Supervisor"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.comment or self._text(item, column)
        if role == ID_ROLE:
            return item.id
        if role == ITEM_ROLE:
            return item
        tone = review_tone(item.status, item.opened_at, self.now)
        t = theme.tokens()
        if role == Qt.ItemDataRole.BackgroundRole and tone in ("late", "overdue"):
            return QColor(t.danger_soft if tone == "overdue" else t.warning_soft)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "age" and tone in ("late", "overdue"):
                return QColor(t.danger if tone == "overdue" else t.warning)
            if column == "score":
                return QColor(t.danger)  # every case is a low score
            if tone == "done":
                return QColor(t.muted)
        return None

    def _text(self, item: ReviewQueueItem, column: str) -> str:
        if column == "age":
            return age(item.opened_at, self.now)
        if column == "customer":
            return item.customer_name
        if column == "score":
            return score_text(item.kind, item.score)
        if column == "channel":
            return channel_name(item.channel) if item.channel else "—"
        if column == "operator":
            return item.operator or "—"
        if column == "status":
            return status_name(item.status.value)
        return item.assignee or "—"
