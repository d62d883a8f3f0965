"""The omnichannel timeline of one customer, newest first, paged by keyset.

The model keeps the key ``(at, id)`` of every row it has seen — a few dozen bytes per
row — and full items only for the most recently used pages. A page that was evicted is
fetched again by keyset from the key just before it, so scrolling back up through a
100k-item history never holds 100k items in memory and never uses OFFSET.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from operator_app.domain.entities import TimelineItem
from operator_app.gui.db_worker import DbWorker
from operator_app.gui.models.roles import ID_ROLE, IS_OPEN_ROLE, ITEM_ROLE
from operator_app.gui.widgets.timeline_delegate import timeline_text

Key = tuple[datetime, uuid.UUID]
AnyIndex = QModelIndex | QPersistentModelIndex
_TEXT_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
)


class TimelineModel(QAbstractListModel):
    """Rows are timeline items; ``ITEM_ROLE`` gives the ``TimelineItem`` or ``None``
    while its page is being (re)loaded."""

    page_loaded = Signal(int)
    """Rows appended by the last page (0 when the history turned out to be complete)."""
    load_failed = Signal(str)

    def __init__(
        self,
        worker: DbWorker,
        page_size: int = 50,
        max_cached_pages: int = 20,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._page_size = page_size
        self._max_pages = max(2, max_cached_pages)
        self._customer_id: uuid.UUID | None = None
        self._keys: list[Key] = []
        self._pages: OrderedDict[int, list[TimelineItem | None]] = OrderedDict()
        self._refetching: set[int] = set()
        self._loading = False
        self._complete = True
        # Bumped on every reset; replies for an older generation are ignored.
        self._generation = 0

    # -- public ----------------------------------------------------------------------

    @property
    def customer_id(self) -> uuid.UUID | None:
        return self._customer_id

    @property
    def is_complete(self) -> bool:
        """True once the oldest item has been loaded."""
        return self._complete

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def cached_page_count(self) -> int:
        return len(self._pages)

    @property
    def page_size(self) -> int:
        return self._page_size

    def set_customer(
        self, customer_id: uuid.UUID | None, first_page: list[TimelineItem] | None = None
    ) -> None:
        """Show ``customer_id``'s timeline (or nothing) and start loading its first page,
        unless ``first_page`` (read together with the card) is given."""
        self.beginResetModel()
        self._generation += 1
        self._customer_id = customer_id
        self._keys = []
        self._pages.clear()
        self._refetching.clear()
        self._loading = False
        self._complete = customer_id is None
        self.endResetModel()
        if customer_id is not None and first_page is not None:
            self._on_next_page(self._generation, first_page)
        elif customer_id is not None:
            self._request_next_page()

    def item(self, row: int) -> TimelineItem | None:
        if not 0 <= row < len(self._keys):
            return None
        return self._item_at(row)

    def key(self, row: int) -> Key:
        return self._keys[row]

    # -- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._keys):
            return None
        if role == ID_ROLE:
            return self._keys[row][1]
        item = self._item_at(row)
        if role == ITEM_ROLE:
            return item
        if item is None:
            return None
        if role == IS_OPEN_ROLE:
            return item.is_open
        if role in _TEXT_ROLES:
            text = timeline_text(item)
            if role == Qt.ItemDataRole.DisplayRole:
                return text.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return text.body[:500] or None
            return f"{text.title}, {text.caption}. {text.body[:200]}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._request_next_page()

    # -- paging ----------------------------------------------------------------------

    def _request_next_page(self) -> None:
        if self._loading or self._complete or self._customer_id is None:
            return
        self._loading = True
        generation = self._generation
        before = self._keys[-1] if self._keys else None
        self._worker.timeline_page(
            self._customer_id,
            before,
            self._page_size,
            lambda items: self._on_next_page(generation, items),
            on_error=lambda message: self._on_error(generation, message),
        )

    def _on_next_page(self, generation: int, items: list[TimelineItem]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if len(items) < self._page_size:
            self._complete = True
        if items:
            first = len(self._keys)
            self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
            self._keys.extend((i.at, i.id) for i in items)
            # Rows only ever arrive a whole page at a time, so row // page_size is the page.
            self._store_page(first // self._page_size, list(items))
            self.endInsertRows()
        self.page_loaded.emit(len(items))

    def _on_error(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._complete = True  # stop asking; reopening the card retries
        self.load_failed.emit(message)

    def _store_page(self, page: int, items: list[TimelineItem | None]) -> None:
        self._pages[page] = items
        self._pages.move_to_end(page)
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)

    def _item_at(self, row: int) -> TimelineItem | None:
        page, offset = divmod(row, self._page_size)
        items = self._pages.get(page)
        if items is None:
            self._refetch_page(page)
            return None
        self._pages.move_to_end(page)
        return items[offset] if offset < len(items) else None

    def _refetch_page(self, page: int) -> None:
        if page in self._refetching or self._customer_id is None:
            return
        self._refetching.add(page)
        generation = self._generation
        start = page * self._page_size
        before = self._keys[start - 1] if start > 0 else None
        self._worker.timeline_page(
            self._customer_id,
            before,
            self._page_size,
            lambda items: self._on_refetched(generation, page, items),
            on_error=lambda message: self._on_error(generation, message),
        )

    def _on_refetched(self, generation: int, page: int, items: list[TimelineItem]) -> None:
        if generation != self._generation:
            return
        self._refetching.discard(page)
        start = page * self._page_size
        end = min(start + self._page_size, len(self._keys))
        by_id = {i.id: i for i in items}
        # Match by id, not position: an item deleted meanwhile leaves a gap, never a shift.
        self._store_page(page, [by_id.get(self._keys[row][1]) for row in range(start, end)])
        if end > start:
            self.dataChanged.emit(self.index(start), self.index(end - 1))
