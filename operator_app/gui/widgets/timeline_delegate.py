"""Paints one timeline entry: icon, title, time, a two-line body preview, a score badge.

Every row has the same height (the view runs with ``uniformItemSizes``), so laying out
a page of 50 rows costs one ``sizeHint`` call; text is shaped only for rows that are
actually painted, and the shaped preview is cached per item and width.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from operator_app.domain.entities import TimelineItem
from operator_app.domain.enums import Direction, TimelineKind
from operator_app.gui import theme
from operator_app.gui.i18n import translate
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


def offer_outcomes() -> dict[str, str]:
    return {
        "shown": translate("Timeline", "Shown"),
        "accepted": translate("Timeline", "Accepted"),
        "not_now": translate("Timeline", "Not now"),
        "declined": translate("Timeline", "Declined"),
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
        way = (
            translate("Timeline", "Outgoing")
            if item.direction == Direction.OUTBOUND
            else translate("Timeline", "Incoming")
        )
        return TimelineText(item.title or "—", _join(way, channel), body)
    if item.kind == TimelineKind.CONVERSATION:
        state = translate("Timeline", "open") if item.is_open else translate("Timeline", "closed")
        if body.strip().lower() in _STATUS_WORDS:
            body = (
                translate("Timeline", "Waiting for an answer")
                if item.is_open
                else translate("Timeline", "Resolved")
            )
        conversation = translate("Timeline", "Conversation")
        caption = _join(conversation, channel, state)
        return TimelineText(item.title or conversation, caption, body)
    if item.kind == TimelineKind.SURVEY:
        return _survey_text(item, channel)
    if item.kind == TimelineKind.OFFER:
        code, _, reason = body.partition(":")
        outcome = offer_outcomes().get(code.strip(), code.strip().replace("_", " ").capitalize())
        offer = translate("Timeline", "Offer")
        return TimelineText(item.title or offer, offer, _join(outcome, reason.strip()))
    if item.kind == TimelineKind.ORDER:
        match = _ORDER_AMOUNT.match(body)
        if match:
            body = money(Decimal(match.group(1)), match.group(2).upper())
        title = translate("Timeline", "Order {number}").format(number=item.title).strip()
        return TimelineText(title, translate("Timeline", "Order"), body)
    if item.kind == TimelineKind.NOTE:
        note = translate("Timeline", "Note")
        return TimelineText(item.title or note, note, body)
    return TimelineText(item.title or "—", item.kind.value.title(), body)


def _survey_text(item: TimelineItem, channel: str) -> TimelineText:
    """Kind, where it went, and the answer: its time and comment, or that we are waiting."""
    known = any(kind in item.title.lower() for kind in SURVEY_SCALES)
    title = (
        translate("Timeline", "{kind} survey").format(kind=survey_scale(item)[0].upper())
        if known
        else translate("Timeline", "Survey (kind chosen by the policy)")
    )
    if item.answered_at is not None:
        state = translate("Timeline", "answered {when}").format(
            when=MomentFormatter().format(item.answered_at)
        )
        body = item.body or translate("Timeline", "No comment")
    elif item.at > datetime.now(UTC):
        state = translate("Timeline", "scheduled")
        body = translate("Timeline", "Goes out at {when}, after the quiet hours").format(
            when=MomentFormatter().format(item.at)
        )
    else:
        state = translate("Timeline", "waiting for an answer")
        body = item.body or translate("Timeline", "Waiting for the customer's answer")
    return TimelineText(title, _join(translate("Timeline", "Survey"), channel, state), body)


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


_SELECTED = QStyle.StateFlag.State_Selected
_FOCUSED = QStyle.StateFlag.State_HasFocus
_LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter
_ELIDE = Qt.TextElideMode.ElideRight


@dataclass(frozen=True, slots=True)
class _Chip:
    text: str
    rect: QRect  # relative to the row's top-left corner
    tone: str  # "good" | "mid" | "poor" | "none" | "open"


@dataclass(frozen=True, slots=True)
class _RowLayout:
    """Everything about a row that does not change between paints: shaped, elided text
    and where it goes, relative to the row. Painting a cached row is only drawing."""

    icon: str
    when: str
    when_rect: QRect
    chips: tuple[_Chip, ...]
    title: str
    title_rect: QRect
    caption: str
    caption_rect: QRect | None
    lines: tuple[str, ...]
    line_rects: tuple[QRect, ...]


class _Fonts:
    def __init__(self, base: QFont) -> None:
        self.base = base
        self.bold = QFont(base)
        self.bold.setWeight(QFont.Weight.DemiBold)
        self.metrics = QFontMetrics(base)
        self.bold_metrics = QFontMetrics(self.bold)
        self.line = self.metrics.height()


class TimelineDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: OrderedDict[tuple[object, ...], _RowLayout] = OrderedDict()
        self._fonts: dict[str, _Fonts] = {}
        self._moments: MomentFormatter | None = None
        self._moments_day: object = None

    def invalidate(self) -> None:
        """Forget shaped text (after a font, language or theme change)."""
        self._rows.clear()
        self._fonts.clear()
        self._moments = None

    def _fonts_for(self, font: QFont) -> _Fonts:
        key = font.key()
        fonts = self._fonts.get(key)
        if fonts is None:
            fonts = self._fonts[key] = _Fonts(QFont(font))
        return fonts

    # -- geometry --------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        line = self._fonts_for(option.font).line
        height = PAD_Y * 2 + line + LINE_GAP + 2 * line + 1
        return QSize(200, max(height, ICON + PAD_Y * 2))

    # -- painting --------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        t = theme.tokens()
        rect: QRect = option.rect
        state = option.state
        fonts = self._fonts_for(option.font)
        item: TimelineItem | None = index.data(ITEM_ROLE)
        selected = bool(state & _SELECTED)
        painter.save()
        if selected:
            painter.fillRect(rect, QColor(t.selection))
        elif item is not None and item.is_open:
            painter.fillRect(rect, QColor(t.open_row))
        if item is not None and item.is_open:
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(t.accent))
        painter.setPen(QPen(QColor(t.border), 1))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())
        if item is None:
            self._paint_placeholder(painter, rect, fonts, t)
        else:
            widget = option.widget
            dpr = widget.devicePixelRatioF() if widget is not None else 1.0
            row = self._layout(item, rect.width(), fonts)
            self._paint_row(painter, rect, row, fonts, selected, dpr, t)
        if state & _FOCUSED:
            painter.setPen(QPen(QColor(t.accent), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 0, -2, -1))
        painter.restore()

    @staticmethod
    def _paint_placeholder(painter: QPainter, rect: QRect, fonts: _Fonts, t: theme.Tokens) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(t.border))
        left = rect.left() + PAD_X
        painter.drawEllipse(left, rect.top() + PAD_Y, ICON, ICON)
        x = left + ICON + GAP
        y = rect.top() + PAD_Y + 3
        width = max(40, rect.width() - (x - rect.left()) - PAD_X)
        for fraction in (0.35, 0.9, 0.6):
            painter.drawRoundedRect(x, y, int(width * fraction), fonts.line - 6, 3, 3)
            y += fonts.line + LINE_GAP

    @staticmethod
    def _paint_row(
        painter: QPainter,
        rect: QRect,
        row: _RowLayout,
        fonts: _Fonts,
        selected: bool,
        dpr: float,
        t: theme.Tokens,
    ) -> None:
        origin = rect.topLeft()
        text_colour = QColor(t.selection_text if selected else t.text)
        muted = QColor(t.text if selected else t.muted)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.drawPixmap(origin.x() + PAD_X, origin.y() + PAD_Y, pixmap(row.icon, ICON, dpr))
        painter.setFont(fonts.base)
        painter.setPen(muted)
        painter.drawText(row.when_rect.translated(origin), _RIGHT_MIDDLE, row.when)
        if row.caption_rect is not None:
            painter.drawText(row.caption_rect.translated(origin), _LEFT_MIDDLE, row.caption)
        painter.setPen(text_colour if selected else muted)
        for text, where in zip(row.lines, row.line_rects, strict=True):
            painter.drawText(where.translated(origin), _LEFT_MIDDLE, text)
        painter.setFont(fonts.bold)
        painter.setPen(text_colour)
        painter.drawText(row.title_rect.translated(origin), _LEFT_MIDDLE, row.title)
        radius = fonts.line / 2
        for chip in row.chips:
            fg, bg = _tones(t)[chip.tone]
            where = chip.rect.translated(origin)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(where, radius, radius)
            painter.setPen(fg)
            painter.drawText(where, _CENTRE, chip.text)

    # -- layout (cached) -------------------------------------------------------------

    def _layout(self, item: TimelineItem, width: int, fonts: _Fonts) -> _RowLayout:
        moments = self._moment_formatter()
        key = (item.id, width, fonts.base.key(), self._moments_day)
        row = self._rows.get(key)
        if row is not None:
            self._rows.move_to_end(key)
            return row
        row = self._lay_out(item, width, fonts, moments.format(item.at))
        self._rows[key] = row
        if len(self._rows) > 2000:
            self._rows.popitem(last=False)
        return row

    @staticmethod
    def _lay_out(item: TimelineItem, width: int, fonts: _Fonts, when: str) -> _RowLayout:
        line = fonts.line
        x = PAD_X + ICON + GAP
        right = width - PAD_X
        top = PAD_Y
        when_width = fonts.metrics.horizontalAdvance(when)
        when_rect = QRect(right - when_width, top, when_width, line)
        title_right = right - when_width - GAP

        chips: list[_Chip] = []
        if item.kind == TimelineKind.SURVEY:
            text, tone = _score_chip(item)
            chip_width = fonts.bold_metrics.horizontalAdvance(text) + 14
            chips.append(_Chip(text, QRect(title_right - chip_width, top, chip_width, line), tone))
            title_right -= chip_width + 8
        if item.is_open:
            open_text = translate("Timeline", "Open")
            chip_width = fonts.bold_metrics.horizontalAdvance(open_text) + 14
            chips.append(
                _Chip(open_text, QRect(title_right - chip_width, top, chip_width, line), "open")
            )
            title_right -= chip_width + 8

        texts = timeline_text(item)
        room = max(0, title_right - x)
        title = fonts.bold_metrics.elidedText(texts.title, _ELIDE, room)
        used = fonts.bold_metrics.horizontalAdvance(title)
        caption_room = room - used - 10
        caption, caption_rect = "", None
        if caption_room > 40:
            caption = fonts.metrics.elidedText(texts.caption, _ELIDE, caption_room)
            caption_rect = QRect(x + used + 10, top, caption_room, line)

        body_width = max(0, right - x)
        first, second = two_lines(
            _SPACES.sub(" ", texts.body).strip(), fonts.base, body_width, fonts.metrics
        )
        y = top + line + LINE_GAP
        lines = (first, second) if second else (first,)
        rects = tuple(QRect(x, y + i * line, body_width, line) for i in range(len(lines)))
        return _RowLayout(
            icon=timeline_icon_name(item),
            when=when,
            when_rect=when_rect,
            chips=tuple(chips),
            title=title,
            title_rect=QRect(x, top, room, line),
            caption=caption,
            caption_rect=caption_rect,
            lines=lines,
            line_rects=rects,
        )

    def _moment_formatter(self) -> MomentFormatter:
        today = date.today()
        if self._moments is None or self._moments_day != today:
            self._moments = MomentFormatter()
            self._moments_day = today
        return self._moments


@cache
def _tones(t: theme.Tokens) -> dict[str, tuple[QColor, QColor]]:
    """Chip colours (text, background) per tone, made once per theme."""
    pairs = {
        "good": (t.success, t.success_soft),
        "poor": (t.danger, t.danger_soft),
        "mid": (t.warning, t.warning_soft),
        "none": (t.muted, t.panel_alt),
        "open": (t.accent, t.accent_soft),
    }
    return {tone: (QColor(fg), QColor(bg)) for tone, (fg, bg) in pairs.items()}


def _score_chip(item: TimelineItem) -> tuple[str, str]:
    kind, top_score, good_from, poor_to = survey_scale(item)
    if item.score is None:
        if not any(k in item.title.lower() for k in SURVEY_SCALES):
            return translate("Timeline", "no answer"), "none"
        return translate("Timeline", "{kind} · no answer").format(kind=kind.upper()), "none"
    tone = "good" if item.score >= good_from else "poor" if item.score <= poor_to else "mid"
    return f"{kind.upper()} {item.score}/{top_score}", tone


def setup_timeline_view(view: QTableView) -> TimelineDelegate:
    """Make a one-column table the timeline's view.

    A table rather than a list because its rows live in a header that stores equal
    heights as one span: appending a page costs the same at row 100 000 as at row 50,
    where a list view walks every row (through the Python model) on each insert.
    """
    delegate = TimelineDelegate(view)
    view.setItemDelegate(delegate)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setTabKeyNavigation(False)  # Tab leaves the timeline; the arrows walk it
    view.horizontalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    fit_timeline_rows(view, delegate)
    return delegate


def fit_timeline_rows(view: QTableView, delegate: TimelineDelegate) -> None:
    """Row height from the delegate for the view's current font (call after font changes)."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    view.verticalHeader().setDefaultSectionSize(delegate.sizeHint(option, QModelIndex()).height())
    view.verticalHeader().setMinimumSectionSize(1)


def two_lines(
    text: str, font: QFont, width: int, metrics: QFontMetrics | None = None
) -> tuple[str, str]:
    """Wrap ``text`` at word boundaries into a first line and an elided second line."""
    if not text or width <= 0:
        return "", ""
    fm = metrics if metrics is not None else QFontMetrics(font)
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
