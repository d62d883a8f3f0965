"""Small helpers for QSS-driven widgets: dynamic properties that need a re-polish."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QWidget


def set_style_property(widget: QWidget, name: str, value: Any) -> None:
    """Set a property QSS selects on (``[tier="gold"]``) and make the style notice."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def fit_rows(view: QAbstractItemView, rows: int, max_rows: int | None = None) -> None:
    """Cap a list's height at its content so short lists leave no empty box behind."""
    shown = rows if max_rows is None else min(rows, max_rows)
    row_height = view.sizeHintForRow(0) if rows else 0
    if row_height <= 0:
        row_height = view.fontMetrics().height() * 2 + 16
    frame = view.frameWidth() * 2
    view.setMaximumHeight(max(shown, 1) * row_height + frame + 2)
    view.setMinimumHeight(min(max(shown, 1), 2) * row_height + frame + 2 if rows else 0)
