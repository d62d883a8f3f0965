"""Search results and screen-pop matches: customer ids with their one-line summaries."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from operator_app.domain.entities import CustomerSummary
from operator_app.domain.enums import Tier
from operator_app.domain.phones import format_phone
from operator_app.gui.i18n import translate
from operator_app.gui.models.roles import (
    ACCENT_ROLE,
    AUX_ROLE,
    CUSTOMER_ID_ROLE,
    DETAIL_ROLE,
    ID_ROLE,
    IS_OPEN_ROLE,
    ITEM_ROLE,
)
from operator_app.gui.widgets.formatting import tier_names

AnyIndex = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    """One bounded page of matches (the query asks for at most ``limit`` rows).

    Results are replaced wholesale on every answered keystroke; the DB thread has
    already dropped answers to older keystrokes.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._query = ""
        self._rows: list[CustomerSummary] = []

    @property
    def query(self) -> str:
        return self._query

    def set_results(self, query: str, rows: list[CustomerSummary]) -> None:
        self.beginResetModel()
        self._query = query
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_results("", [])

    def customer_id(self, row: int) -> uuid.UUID | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def summary(self, row: int) -> CustomerSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.display_name
        if role in (ID_ROLE, CUSTOMER_ID_ROLE):
            return row.id
        if role == ITEM_ROLE:
            return row
        if role == IS_OPEN_ROLE:
            return row.has_open_contact
        if role == DETAIL_ROLE:
            return " · ".join(x for x in (row.phone and format_phone(row.phone), row.email) if x)
        if role == AUX_ROLE:
            return tier_names().get(row.tier, "") if row.tier != Tier.STANDARD else ""
        if role == ACCENT_ROLE:
            return "open" if row.has_open_contact else None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            details = [row.display_name]
            if row.phone:
                details.append(format_phone(row.phone))
            if row.email:
                details.append(row.email)
            if row.has_open_contact:
                details.append(translate("SearchResults", "has an open contact"))
            return ", ".join(details)
        return None
