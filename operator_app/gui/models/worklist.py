"""One worklist section (my open contacts, follow-ups due, waiting for our reply)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from operator_app.domain.entities import WorklistItem
from operator_app.gui.i18n import translate
from operator_app.gui.models.roles import (
    ACCENT_ROLE,
    AUX_ROLE,
    CUSTOMER_ID_ROLE,
    DETAIL_ROLE,
    ICON_ROLE,
    ID_ROLE,
    IS_OPEN_ROLE,
    ITEM_ROLE,
)
from operator_app.gui.widgets.formatting import age, channel_name
from operator_app.gui.widgets.icons import channel_icon_name

AnyIndex = QModelIndex | QPersistentModelIndex


class WorklistModel(QAbstractListModel):
    """A bounded list (the query caps it), replaced whenever the worklists refresh."""

    def __init__(self, parent: Any = None, kind: str = "mine") -> None:
        super().__init__(parent)
        self.kind = kind  # "mine", "follow_ups" or "waiting": what "since" means
        self._rows: list[WorklistItem] = []

    def set_items(self, items: list[WorklistItem]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def item(self, row: int) -> WorklistItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.customer_name
        if role == ID_ROLE:
            return row.conversation_id
        if role == CUSTOMER_ID_ROLE:
            return row.customer_id
        if role == ITEM_ROLE:
            return row
        if role == IS_OPEN_ROLE:
            return True
        if role == DETAIL_ROLE:
            return " · ".join(x for x in (channel_name(row.channel), row.topic) if x)
        if role == AUX_ROLE:
            return age(row.since)
        if role == ACCENT_ROLE:
            return "overdue" if row.overdue else None
        if role == ICON_ROLE:
            return channel_icon_name(row.channel)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._describe(row)
        return None

    def _describe(self, row: WorklistItem) -> str:
        topic = row.topic or translate("WorklistModel", "no topic")
        what = translate("WorklistModel", "{name}: {topic} ({channel})").format(
            name=row.customer_name, topic=topic, channel=channel_name(row.channel)
        )
        when = age(row.since)
        if self.kind == "waiting":
            state = translate("WorklistModel", "waiting for our reply for {age}")
        elif self.kind == "follow_ups" and row.overdue:
            state = translate("WorklistModel", "follow-up overdue by {age}")
        elif self.kind == "follow_ups":
            state = translate("WorklistModel", "follow-up due {age}")
        else:
            state = translate("WorklistModel", "opened {age} ago")
        return f"{what} — {state.format(age=when)}"
