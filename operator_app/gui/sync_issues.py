"""Conflicts and refused changes, side by side with what to do about each.

Non-modal: the operator keeps working while it is open. A conflict row shows the
field, my value and the server's; *Keep mine* / *Take theirs* settle it. A refused
change shows the server's reason with *Retry* / *Discard*.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from operator_app.gui.i18n import translate
from operator_app.gui.sync_controller import SyncController
from operator_app.gui.user_messages import user_message


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class SyncIssuesDialog(QDialog):
    _open: SyncIssuesDialog | None = None

    @classmethod
    def show_for(cls, parent: QWidget, controller: SyncController) -> SyncIssuesDialog:
        dialog = cls._open
        if dialog is None or dialog.controller is not controller:
            dialog = cls(parent, controller)
            cls._open = dialog
        dialog.reload()
        dialog.show()
        return dialog

    def __init__(self, parent: QWidget, controller: SyncController) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("syncIssuesDialog")
        self.setModal(False)
        self.resize(640, 380)
        layout = QVBoxLayout(self)
        self.conflicts_label = QLabel()
        layout.addWidget(self.conflicts_label)
        self.conflict_tree = QTreeWidget()
        self.conflict_tree.setColumnCount(3)
        self.conflict_tree.setRootIsDecorated(False)
        self.conflicts_label.setBuddy(self.conflict_tree)
        layout.addWidget(self.conflict_tree)
        row = QHBoxLayout()
        self.keep_mine = QPushButton()
        self.take_theirs = QPushButton()
        row.addStretch(1)
        row.addWidget(self.keep_mine)
        row.addWidget(self.take_theirs)
        layout.addLayout(row)
        self.refused_label = QLabel()
        layout.addWidget(self.refused_label)
        self.refused_tree = QTreeWidget()
        self.refused_tree.setColumnCount(2)
        self.refused_tree.setRootIsDecorated(False)
        self.refused_label.setBuddy(self.refused_tree)
        layout.addWidget(self.refused_tree)
        row = QHBoxLayout()
        self.retry = QPushButton()
        self.discard = QPushButton()
        row.addStretch(1)
        row.addWidget(self.retry)
        row.addWidget(self.discard)
        layout.addLayout(row)
        self.retranslate()
        self.keep_mine.clicked.connect(lambda: self._resolve("mine"))
        self.take_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.retry.clicked.connect(lambda: self._rejected(retry=True))
        self.discard.clicked.connect(lambda: self._rejected(retry=False))
        controller.changed_locally.connect(self._after_change)

    def retranslate(self) -> None:
        self.setWindowTitle(translate("SyncIssues", "Changes that need you"))
        self.conflicts_label.setText(
            translate("SyncIssues", "Someone else changed the same fields on the server:")
        )
        self.conflict_tree.setHeaderLabels(
            [
                translate("SyncIssues", "Field"),
                translate("SyncIssues", "My value"),
                translate("SyncIssues", "Server value"),
            ]
        )
        self.conflict_tree.setAccessibleName(translate("SyncIssues", "Conflicting changes"))
        self.refused_label.setText(translate("SyncIssues", "The server refused these changes:"))
        self.refused_tree.setHeaderLabels(
            [translate("SyncIssues", "Change"), translate("SyncIssues", "Reason")]
        )
        self.refused_tree.setAccessibleName(translate("SyncIssues", "Refused changes"))
        for button, text in (
            (self.keep_mine, translate("SyncIssues", "Keep mine")),
            (self.take_theirs, translate("SyncIssues", "Take theirs")),
            (self.retry, translate("SyncIssues", "Retry")),
            (self.discard, translate("SyncIssues", "Discard")),
        ):
            button.setText(text)
            button.setAccessibleName(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        self._loading = asyncio.ensure_future(self._load())

    async def _load(self) -> None:
        conflicts = await self.controller.sync.list_conflicts()
        rejected = await self.controller.sync.list_rejected()
        self.conflict_tree.clear()
        for conflict in conflicts:
            for field, values in _conflict_fields(conflict).items():
                mine, theirs = values
                item = QTreeWidgetItem([field, _text(mine), _text(theirs)])
                item.setData(0, 256, conflict.id)
                self.conflict_tree.addTopLevelItem(item)
        self.refused_tree.clear()
        for change in rejected:
            what = f"{change.op} {change.entity}"
            reason = user_message(change.error) if change.error else None
            item = QTreeWidgetItem([what, reason or translate("SyncIssues", "refused")])
            item.setData(0, 256, change.seq)
            self.refused_tree.addTopLevelItem(item)
        for tree in (self.conflict_tree, self.refused_tree):
            first = tree.topLevelItem(0)
            if first is not None:
                tree.setCurrentItem(first)
        self.keep_mine.setEnabled(bool(conflicts))
        self.take_theirs.setEnabled(bool(conflicts))
        self.retry.setEnabled(bool(rejected))
        self.discard.setEnabled(bool(rejected))

    def _selected(self, tree: QTreeWidget) -> int | None:
        item = tree.currentItem()
        value = item.data(0, 256) if item is not None else None
        return value if isinstance(value, int) else None

    def _resolve(self, keep: str) -> None:
        conflict_id = self._selected(self.conflict_tree)
        if conflict_id is not None:
            self.controller.resolve_conflict(conflict_id, keep)

    def _rejected(self, *, retry: bool) -> None:
        seq = self._selected(self.refused_tree)
        if seq is None:
            return
        if retry:
            self.controller.retry_rejected(seq)
        else:
            self.controller.discard_rejected(seq)

    def _after_change(self, kind: str, _customer: object) -> None:
        if kind in ("conflict", "retry", "discard"):
            self.reload()


def _conflict_fields(conflict: Any) -> dict[str, tuple[Any, Any]]:
    """field → (my value, server value) from a recorded conflict."""
    fields: dict[str, tuple[Any, Any]] = {}
    mine = getattr(conflict, "mine", None) or {}
    theirs = getattr(conflict, "theirs", None) or {}
    for name in getattr(conflict, "fields", None) or sorted(set(mine) | set(theirs)):
        fields[name] = (mine.get(name), theirs.get(name))
    return fields
