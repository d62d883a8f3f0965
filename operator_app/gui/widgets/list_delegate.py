"""Two-line rows for the side lists: a bold title with a short note on the right and a
muted detail line below; an accent bar marks open contacts, overdue items and warnings."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from operator_app.gui import theme
from operator_app.gui.models.roles import ACCENT_ROLE, AUX_ROLE, DETAIL_ROLE, ICON_ROLE
from operator_app.gui.widgets.icons import pixmap

AnyIndex = QModelIndex | QPersistentModelIndex
PAD_X = 10
PAD_Y = 7
ICON = 22


class TwoLineDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None, *, with_icons: bool = False) -> None:
        super().__init__(parent)
        self.with_icons = with_icons

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(160, PAD_Y * 2 + line * 2 + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        t = theme.tokens()
        rect: QRect = option.rect
        font: QFont = option.font
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        accent = index.data(ACCENT_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        body = rect.adjusted(2, 1, -2, -1)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.selection if selected else t.panel_alt))
            painter.drawRoundedRect(body, 6, 6)
        if accent:
            colour = {"open": t.accent, "overdue": t.danger, "warning": t.warning}.get(
                accent, t.accent
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(
                QRect(body.left() + 2, body.top() + 6, 3, body.height() - 12), 1.5, 1.5
            )
        if focused:  # the keyboard's place, selected or not (Tab lands on the current row)
            painter.setPen(QPen(QColor(t.accent), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(body.adjusted(0, 0, -1, -1), 6, 6)

        fm = QFontMetrics(font)
        line = fm.height()
        x = body.left() + PAD_X
        right = body.right() - PAD_X
        top = body.top() + PAD_Y - 1
        icon_name = index.data(ICON_ROLE) if self.with_icons else None
        if icon_name:
            widget = option.widget
            dpr = widget.devicePixelRatioF() if widget is not None else 1.0
            painter.drawPixmap(
                x, body.top() + (body.height() - ICON) // 2, pixmap(icon_name, ICON, dpr)
            )
            x += ICON + 10
        text_colour = QColor(t.selection_text if selected else t.text)
        muted = QColor(t.text if selected else t.muted)

        aux = index.data(AUX_ROLE) or ""
        aux_width = fm.horizontalAdvance(aux) if aux else 0
        if aux:
            painter.setFont(font)
            painter.setPen(QColor(t.danger) if accent == "overdue" and not selected else muted)
            painter.drawText(
                QRect(right - aux_width, top, aux_width, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                aux,
            )
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        title_room = max(0, right - x - (aux_width + 8 if aux else 0))
        title = QFontMetrics(bold).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            title_room,
        )
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(QRect(x, top, title_room, line), Qt.AlignmentFlag.AlignVCenter, title)
        detail = index.data(DETAIL_ROLE) or ""
        if detail:
            painter.setFont(font)
            painter.setPen(muted)
            painter.drawText(
                QRect(x, top + line + 2, max(0, right - x), line),
                Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(detail, Qt.TextElideMode.ElideRight, max(0, right - x)),
            )
        painter.restore()
