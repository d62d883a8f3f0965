"""Dashboards' tables: every figure per operator or channel, and offer acceptance by rule,
operator and segment; plus the number formats they share with the charts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from operator_app.api.metrics import FcrRow, OfferMetrics, OfferRow, SurveyRow
from operator_app.gui.i18n import translate
from operator_app.gui.widgets.formatting import EMPTY, channel_name, display_locale, segment_name


def format_number(value: float | int | None, decimals: int, unit: str = "") -> str:
    """A figure in the user's locale (``87,5 %`` in Russian); "—" for no data."""
    if value is None:
        return EMPTY
    text = display_locale().toString(float(value), "f", decimals)
    return f"{text} {unit}" if unit else text


def format_hours(hours: float | None) -> str:
    """``45 min``, ``5.5 h``, ``3.2 d``: the unit a supervisor reads at a glance."""
    if hours is None:
        return EMPTY
    if hours < 1:
        minutes = format_number(round(hours * 60), 0)
        return translate("Dashboards", "{minutes} min").format(minutes=minutes)
    if hours < 48:
        decimals = 0 if hours == int(hours) else 1  # "4 h" for an SLA, "5.5 h" measured
        return translate("Dashboards", "{hours} h").format(hours=format_number(hours, decimals))
    return translate("Dashboards", "{days} d").format(days=format_number(hours / 24, 1))


def format_seconds(seconds: float | None) -> str:
    """An SLA or a response time: ``30 s``, ``5 min``, then as :func:`format_hours`."""
    if seconds is None:
        return EMPTY
    if seconds < 60:
        return translate("Dashboards", "{seconds} s").format(seconds=format_number(seconds, 0))
    return format_hours(seconds / 3600)


def group_label(grouping: str, key: str | None) -> str:
    if key is None:
        if grouping == "operator":
            return translate("Dashboards", "Unassigned")
        return translate("Dashboards", "Unknown")
    return channel_name(key) if grouping == "channel" else key


def _item(text: str, sort_value: float | None = None, *, number: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if sort_value is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort_value)
    return item


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setFrameShape(QFrame.Shape.NoFrame)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    _name_header(table, headers[0])
    return table


def _name_header(table: QTableWidget, text: str) -> None:
    """The name column's header sits left, over the names; the figures' sit right."""
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setHorizontalHeaderItem(0, item)


def _fit_height(table: QTableWidget, rows: int) -> None:
    """Show every row (the page scrolls, not the table); at least room for a note."""
    row_height = table.verticalHeader().defaultSectionSize()
    height = table.horizontalHeader().sizeHint().height() + max(rows, 1) * row_height + 4
    table.setFixedHeight(height)


class _Card(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setProperty("cssClass", "card")
        self.setAccessibleName(title)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(8)
        self.title_label = QLabel(title)
        self.title_label.setProperty("cssClass", "panelTitle")
        self.body.addWidget(self.title_label)
        self.empty_label = QLabel()
        self.empty_label.setProperty("cssClass", "muted")
        self.empty_label.hide()


class GroupTable(_Card):
    """Survey figures and FCR side by side, one row per operator or channel."""

    def __init__(self) -> None:
        super().__init__(translate("Dashboards", "Per operator"))
        self.table = _table(
            translate("Dashboards", "Figures per operator or channel"),
            [
                translate("Dashboards", "Operator"),
                translate("Dashboards", "Answers"),
                translate("Dashboards", "CSAT"),
                translate("Dashboards", "NPS"),
                translate("Dashboards", "CES"),
                translate("Dashboards", "Low scores"),
                translate("Dashboards", "Cases resolved"),
                translate("Dashboards", "Median time to resolve"),
                translate("Dashboards", "FCR"),
            ],
        )
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

    def fill(self, grouping: str, rows: Sequence[SurveyRow], fcr_rows: Sequence[FcrRow]) -> None:
        per = (
            translate("Dashboards", "Per operator")
            if grouping == "operator"
            else translate("Dashboards", "Per channel")
        )
        self.title_label.setText(per)
        first = (
            translate("Dashboards", "Operator")
            if grouping == "operator"
            else translate("Dashboards", "Channel")
        )
        _name_header(self.table, first)
        fcr = {row.key: row for row in fcr_rows}
        keys = [row.key for row in rows] + [k for k in fcr if k not in {r.key for r in rows}]
        surveys = {row.key: row for row in rows}
        self.table.setRowCount(len(keys))
        for index, key in enumerate(keys):
            survey = surveys.get(key)
            name = _item(group_label(grouping, key), number=False)
            cells = [name]
            if survey is None:
                cells += [_item(EMPTY) for _ in range(7)]
            else:
                cells += [
                    _item(format_number(survey.answers, 0)),
                    _item(format_number(survey.csat.value, 1, "%")),
                    _item(format_number(survey.nps.value, 0)),
                    _item(format_number(survey.ces.value, 2)),
                    _item(format_number(survey.low_scores, 0)),
                    _item(format_number(survey.review_cases_resolved, 0)),
                    _item(format_hours(survey.median_hours_to_resolve)),
                ]
            row_fcr = fcr.get(key)
            cells.append(_item(format_number(row_fcr.fcr_percent if row_fcr else None, 1, "%")))
            for column, cell in enumerate(cells):
                self.table.setItem(index, column, cell)
        self.empty_label.setText(translate("Dashboards", "Nothing to compare in this period."))
        self.empty_label.setVisible(not keys)
        self.table.setVisible(bool(keys))
        _fit_height(self.table, len(keys))


class OfferTables(_Card):
    """Offer acceptance in three tabs: by rule, by operator, by segment."""

    def __init__(self) -> None:
        super().__init__(translate("Dashboards", "Offer acceptance"))
        caption = QLabel(
            translate(
                "Dashboards",
                "Acceptance = accepted ÷ (accepted + declined + not now); offers only shown "
                "are counted but not rated.",
            )
        )
        caption.setProperty("cssClass", "caption")
        caption.setWordWrap(True)
        self.body.addWidget(caption)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(translate("Dashboards", "Offer acceptance by"))
        self.tabs.setDocumentMode(True)
        self.tables: dict[str, QTableWidget] = {}
        for key, tab, first in (
            ("rule", translate("Dashboards", "By rule"), translate("Dashboards", "Rule")),
            (
                "operator",
                translate("Dashboards", "By operator"),
                translate("Dashboards", "Operator"),
            ),
            ("segment", translate("Dashboards", "By segment"), translate("Dashboards", "Segment")),
        ):
            table = _table(
                translate("Dashboards", "Offer acceptance {by}").format(by=tab.lower()),
                [
                    first,
                    translate("Dashboards", "Offers"),
                    translate("Dashboards", "Accepted"),
                    translate("Dashboards", "Declined"),
                    translate("Dashboards", "Not now"),
                    translate("Dashboards", "Acceptance"),
                ],
            )
            self.tables[key] = table
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 6, 0, 0)
            layout.addWidget(table)
            self.tabs.addTab(page, tab)
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.empty_label)

    def fill(self, offers: OfferMetrics) -> None:
        rows = max(len(offers.by_rule), len(offers.by_operator), len(offers.by_segment))
        for key, entries in (
            ("rule", offers.by_rule),
            ("operator", offers.by_operator),
            ("segment", offers.by_segment),
        ):
            self._fill(self.tables[key], key, entries)
            _fit_height(self.tables[key], rows)
        self.empty_label.setText(translate("Dashboards", "No offers were made in this period."))
        self.empty_label.setVisible(not offers.by_rule)
        self.tabs.setVisible(bool(offers.by_rule))

    @staticmethod
    def _fill(table: QTableWidget, key: str, entries: Sequence[OfferRow]) -> None:
        table.setRowCount(len(entries))
        for index, row in enumerate(entries):
            # Built-in reasons and segments come as codes (abandoned_cart); rules by name.
            label = segment_name(row.label) if key in ("segment", "rule") else row.label
            cells = [
                _item(label, number=False),
                _item(format_number(row.offers, 0)),
                _item(format_number(row.accepted, 0)),
                _item(format_number(row.declined, 0)),
                _item(format_number(row.not_now, 0)),
                _item(format_number(row.acceptance_rate, 1, "%")),
            ]
            for column, cell in enumerate(cells):
                table.setItem(index, column, cell)
