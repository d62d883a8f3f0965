"""Paints one timeline entry: icon, title, time, a two-line body preview, a score badge.

Every row has the same height (the view runs with ``uniformItemSizes``), so laying out
a page of 50 rows costs one ``sizeHint`` call; text is shaped only for rows that are
actually painted, and the shaped preview is cached per item and width.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from operator_app.domain.entities import TimelineItem
from operator_app.domain.enums import Direction, TimelineKind
from operator_app.gui import theme
from operator_app.gui.models.roles import ITEM_ROLE
from operator_app.gui.widgets.formatting import MomentFormatter, channel_name, money
from operator_app.gui.widgets.icons import pixmap, timeline_icon_name

ICON = 28
PAD_X = 14
PAD_Y = 10
GAP = 12
LINE_GAP = 3
_SPACES = re.compile(r"\s+")

AnyIndex = QModelIndex | QPersistentModelIndex

# (scale maximum, good from, poor up to) — DESIGN.md: low is CSAT ≤ 2, NPS ≤ 6, CES ≤ 3.
SURVEY_SCALES = {"csat": (5, 4, 2), "nps": (10, 9, 6), "ces": (7, 5, 3)}


def survey_scale(item: TimelineItem) -> tuple[str, int, int, int]:
    """The survey's kind and scale, read from its title, else guessed from the score."""
    title = item.title.lower()
    for kind, scale in SURVEY_SCALES.items():
        if kind in title:
            return (kind, *scale)
    if item.score is not None and item.score > 7:
        return ("nps", *SURVEY_SCALES["nps"])
    return ("csat", *SURVEY_SCALES["csat"])


OFFER_OUTCOMES = {
    "shown": "Shown",
    "accepted": "Accepted",
    "not_now": "Not now",
    "declined": "Declined",
}
_ORDER_AMOUNT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Za-z]{3})\s*$")
_STATUS_WORDS = {"open", "pending", "resolved", "closed"}


@dataclass(frozen=True, slots=True)
class TimelineText:
    title: str
    caption: str
    body: str


def timeline_text(item: TimelineItem) -> TimelineText:
    """What a row says. The cache keeps raw fields (a survey's kind, an offer's outcome
    code, an order's amount); this turns them into words for people."""
    channel = channel_name(item.channel) if item.channel else ""
    body = item.body
    if item.kind == TimelineKind.MESSAGE:
        way = "Outgoing" if item.direction == Direction.OUTBOUND else "Incoming"
        return TimelineText(item.title or "—", _join(way, channel), body)
    if item.kind == TimelineKind.CONVERSATION:
        state = "open" if item.is_open else "closed"
        if body.strip().lower() in _STATUS_WORDS:
            body = "Waiting for an answer" if item.is_open else "Resolved"
        caption = _join("Conversation", channel, state)
        return TimelineText(item.title or "Conversation", caption, body)
    if item.kind == TimelineKind.SURVEY:
        kind = survey_scale(item)[0]
        if not body:
            body = "No comment" if item.score is not None else "No answer yet"
        return TimelineText(f"{kind.upper()} survey", _join("Survey", channel), body)
    if item.kind == TimelineKind.OFFER:
        code, _, reason = body.partition(":")
        outcome = OFFER_OUTCOMES.get(code.strip(), code.strip().replace("_", " ").capitalize())
        return TimelineText(item.title or "Offer", "Offer", _join(outcome, reason.strip()))
    if item.kind == TimelineKind.ORDER:
        match = _ORDER_AMOUNT.match(body)
        if match:
            body = money(Decimal(match.group(1)), match.group(2).upper())
        return TimelineText(f"Order {item.title}".strip(), "Order", body)
    if item.kind == TimelineKind.NOTE:
        return TimelineText(item.title or "Note", "Note", body)
    return TimelineText(item.title or "—", item.kind.value.title(), body)


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


class TimelineDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview_cache: OrderedDict[tuple[object, int], tuple[str, str]] = OrderedDict()
        self._moments: MomentFormatter | None = None
        self._moments_day: object = None

    def invalidate(self) -> None:
        """Forget shaped text (after a font or theme change)."""
        self._preview_cache.clear()
        self._moments = None

    # -- geometry --------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        fm = QFontMetrics(option.font)
        line = fm.height()
        height = PAD_Y * 2 + line + LINE_GAP + 2 * line + 1
        return QSize(200, max(height, ICON + PAD_Y * 2))

    # -- painting --------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        t = theme.tokens()
        rect: QRect = option.rect
        font: QFont = option.font
        state = option.state
        item: TimelineItem | None = index.data(ITEM_ROLE)
        painter.save()
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        if selected:
            painter.fillRect(rect, QColor(t.selection))
        elif item is not None and item.is_open:
            painter.fillRect(rect, QColor(t.open_row))
        if item is not None and item.is_open:
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(t.accent))
        painter.setPen(QPen(QColor(t.border), 1))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())
        if item is None:
            self._paint_placeholder(painter, rect, font, t)
        else:
            self._paint_item(painter, option, rect, font, item, selected, t)
        if focused:
            pen = QPen(QColor(t.accent), 1)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 0, -2, -1))
        painter.restore()

    def _paint_placeholder(
        self, painter: QPainter, rect: QRect, font: QFont, t: theme.Tokens
    ) -> None:
        fm = QFontMetrics(font)
        color = QColor(t.border)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        left = rect.left() + PAD_X
        painter.drawEllipse(left, rect.top() + PAD_Y, ICON, ICON)
        x = left + ICON + GAP
        y = rect.top() + PAD_Y + 3
        width = max(40, rect.width() - (x - rect.left()) - PAD_X)
        for fraction in (0.35, 0.9, 0.6):
            painter.drawRoundedRect(x, y, int(width * fraction), fm.height() - 6, 3, 3)
            y += fm.height() + LINE_GAP

    def _paint_item(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        rect: QRect,
        font: QFont,
        item: TimelineItem,
        selected: bool,
        t: theme.Tokens,
    ) -> None:
        widget = option.widget
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        left = rect.left() + PAD_X
        top = rect.top() + PAD_Y
        painter.drawPixmap(left, top, pixmap(timeline_icon_name(item), ICON, dpr))

        x = left + ICON + GAP
        right = rect.right() - PAD_X
        fm = QFontMetrics(font)
        line = fm.height()
        text_color = QColor(t.selection_text if selected else t.text)
        muted = QColor(t.text if selected else t.muted)

        # Right: the time; then the score badge left of it (surveys).
        when = self._moment(item.at)
        when_width = fm.horizontalAdvance(when)
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(
            QRect(right - when_width, top, when_width, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            when,
        )
        title_right = right - when_width - GAP
        if item.kind == TimelineKind.SURVEY:
            title_right = self._paint_badge(painter, font, item, title_right, top, line, t)
        if item.is_open:
            title_right = self._paint_pill(painter, font, "Open", title_right, top, line, t)

        # Left: bold title, then a muted caption (kind · channel) in what room is left.
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        bfm = QFontMetrics(bold)
        room = max(0, title_right - x)
        texts = timeline_text(item)
        title = bfm.elidedText(texts.title, Qt.TextElideMode.ElideRight, room)
        painter.setFont(bold)
        painter.setPen(text_color)
        painter.drawText(QRect(x, top, room, line), Qt.AlignmentFlag.AlignVCenter, title)
        used = bfm.horizontalAdvance(title)
        caption_room = room - used - 10
        if caption_room > 40:
            caption = fm.elidedText(texts.caption, Qt.TextElideMode.ElideRight, caption_room)
            painter.setFont(font)
            painter.setPen(muted)
            painter.drawText(
                QRect(x + used + 10, top, caption_room, line),
                Qt.AlignmentFlag.AlignVCenter,
                caption,
            )

        # Body preview: two lines, the second elided.
        width = max(0, right - x)
        first, second = self._preview(item, texts.body, font, width)
        painter.setFont(font)
        painter.setPen(muted if not selected else text_color)
        y = top + line + LINE_GAP
        painter.drawText(QRect(x, y, width, line), Qt.AlignmentFlag.AlignVCenter, first)
        if second:
            painter.drawText(QRect(x, y + line, width, line), Qt.AlignmentFlag.AlignVCenter, second)

    def _paint_badge(
        self,
        painter: QPainter,
        font: QFont,
        item: TimelineItem,
        right: int,
        top: int,
        line: int,
        t: theme.Tokens,
    ) -> int:
        kind, top_score, good_from, poor_to = survey_scale(item)
        if item.score is None:
            text, fg, bg = f"{kind.upper()} · no answer", t.muted, t.panel_alt
        else:
            text = f"{kind.upper()} {item.score}/{top_score}"
            if item.score >= good_from:
                fg, bg = t.success, t.success_soft
            elif item.score <= poor_to:
                fg, bg = t.danger, t.danger_soft
            else:
                fg, bg = t.warning, t.warning_soft
        return self._paint_chip(painter, font, text, right, top, line, QColor(fg), QColor(bg))

    def _paint_pill(
        self,
        painter: QPainter,
        font: QFont,
        text: str,
        right: int,
        top: int,
        line: int,
        t: theme.Tokens,
    ) -> int:
        return self._paint_chip(
            painter, font, text, right, top, line, QColor(t.accent), QColor(t.accent_soft)
        )

    @staticmethod
    def _paint_chip(
        painter: QPainter,
        font: QFont,
        text: str,
        right: int,
        top: int,
        line: int,
        fg: QColor,
        bg: QColor,
    ) -> int:
        small = QFont(font)
        small.setWeight(QFont.Weight.DemiBold)
        fm = QFontMetrics(small)
        width = fm.horizontalAdvance(text) + 14
        chip = QRect(right - width, top, width, line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, line / 2, line / 2)
        painter.setPen(fg)
        painter.setFont(small)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return chip.left() - 8

    # -- text helpers ----------------------------------------------------------------

    def _moment(self, at: datetime) -> str:
        today = datetime.now().date()
        if self._moments is None or self._moments_day != today:
            self._moments = MomentFormatter()
            self._moments_day = today
        return self._moments.format(at)

    def _preview(self, item: TimelineItem, body: str, font: QFont, width: int) -> tuple[str, str]:
        key = (item.id, width)
        cached = self._preview_cache.get(key)
        if cached is not None:
            self._preview_cache.move_to_end(key)
            return cached
        text = _SPACES.sub(" ", body).strip()
        result = two_lines(text, font, width)
        self._preview_cache[key] = result
        if len(self._preview_cache) > 2000:
            self._preview_cache.popitem(last=False)
        return result


def two_lines(text: str, font: QFont, width: int) -> tuple[str, str]:
    """Wrap ``text`` at word boundaries into a first line and an elided second line."""
    if not text or width <= 0:
        return "", ""
    fm = QFontMetrics(font)
    if fm.horizontalAdvance(text) <= width:
        return text, ""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    first = layout.createLine()
    first.setLineWidth(width)
    layout.endLayout()
    cut = max(1, first.textLength())
    second = fm.elidedText(text[cut:].lstrip(), Qt.TextElideMode.ElideRight, width)
    return text[:cut].rstrip(), second
