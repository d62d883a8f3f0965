"""Chart cards for the dashboards: a titled card with a QtCharts chart or an empty note.

Charts paint themselves (QSS does not reach inside a QChart), so every colour comes
from the theme tokens and is re-applied when the theme changes. ``None`` values are
"no data": a line skips them (no dip to zero), a bar is left out (height 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from operator_app.gui.theme import Tokens, theme_changed, tokens

Point = tuple[date, float | None]


def series_colours(t: Tokens) -> list[str]:
    return [t.accent, t.success, t.warning, t.danger, t.muted]


def day_msecs(day: date) -> float:
    """A bucket's x position: its first instant (UTC) in ms since the epoch."""
    return datetime.combine(day, time(0), tzinfo=UTC).timestamp() * 1000


class ChartCard(QFrame):
    """A card: title, caption, and either the chart or a sentence saying why it is empty."""

    def __init__(self, title: str, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("cssClass", "card")
        self.setObjectName("chartCard")
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(2)
        self.title_label = QLabel(title)
        self.title_label.setProperty("cssClass", "panelTitle")
        layout.addWidget(self.title_label)
        self.caption_label = QLabel(caption)
        self.caption_label.setProperty("cssClass", "caption")
        self.caption_label.setWordWrap(True)
        self.caption_label.setVisible(bool(caption))
        layout.addWidget(self.caption_label)
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(0)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(250)
        self.view.setAccessibleName(title)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("cssClass", "muted")
        self.empty_label.setMinimumHeight(250)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)
        theme_changed().connect(self._restyle)
        self._restyle()

    # -- content -------------------------------------------------------------------------

    def show_empty(self, text: str) -> None:
        self._clear()
        self.empty_label.setText(text)
        self.stack.setCurrentWidget(self.empty_label)

    @property
    def is_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty_label

    def show_lines(
        self,
        lines: Sequence[tuple[str, Sequence[Point]]],
        *,
        y_range: tuple[float, float],
        y_title: str,
        x_format: str,
        empty_text: str,
    ) -> None:
        """One line per (name, points); x is the bucket's day. Empty when no point has data."""
        self._clear()
        if not any(value is not None for _, points in lines for _, value in points):
            self.show_empty(empty_text)
            return
        days = [day for _, points in lines for day, _ in points]
        x_axis = QDateTimeAxis()
        x_axis.setFormat(x_format)
        x_axis.setTitleText("")
        first, last = day_msecs(min(days)), day_msecs(max(days))
        if first == last:  # one bucket: give the axis a day's width
            last += 86_400_000
        x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(first)), QDateTime.fromMSecsSinceEpoch(int(last))
        )
        x_axis.setTickCount(min(max(len(set(days)), 2), 8))
        y_axis = self._value_axis(y_range, y_title)
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for name, points in lines:
            series = QLineSeries()
            series.setName(name)
            for day, value in points:
                if value is not None:
                    series.append(QPointF(day_msecs(day), value))
            series.setPointsVisible(True)
            self.chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        self.chart.legend().setVisible(len(lines) > 1)
        self._restyle()
        self.stack.setCurrentWidget(self.view)

    def show_bars(
        self,
        categories: Sequence[str],
        sets: Sequence[tuple[str, Sequence[float | None]]],
        *,
        y_range: tuple[float, float],
        y_title: str,
        empty_text: str,
        horizontal: bool = False,
    ) -> None:
        """Grouped bars: one set per (name, values), one value per category; horizontal
        when the category names are long (channels with their SLA)."""
        self._clear()
        if not categories or not any(v is not None for _, values in sets for v in values):
            self.show_empty(empty_text)
            return
        series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
        for name, values in sets:
            bar_set = QBarSet(name)
            # QBarSet has no gaps: "no data" is drawn as no bar (height 0); the table
            # beside the chart says "—" for it.
            for value in values:
                bar_set.append(0.0 if value is None else value)
            series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        category_axis = QBarCategoryAxis()
        category_axis.append(list(categories))
        value_axis = self._value_axis(y_range, y_title)
        if horizontal:
            self.view.setMinimumHeight(max(250, 40 + 34 * len(categories)))
        bottom, left = (value_axis, category_axis) if horizontal else (category_axis, value_axis)
        self.chart.addAxis(bottom, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        self.chart.legend().setVisible(len(sets) > 1)
        self._restyle()
        self.stack.setCurrentWidget(self.view)

    def _value_axis(self, y_range: tuple[float, float], title: str) -> QValueAxis:
        axis = QValueAxis()
        axis.setRange(*y_range)
        axis.setTitleText(title)
        axis.setLabelFormat("%.0f")
        # Ticks on round numbers: 0, 20, … 100 for shares, −100, −50, … 100 for NPS,
        # every point of a 1–7 scale; counts get Qt's "nice" numbers.
        span = y_range[1] - y_range[0]
        ticks = {100: 6, 200: 5, 6: 7}.get(int(span)) if span == int(span) else None
        if ticks is None:
            axis.setTickCount(5)
            axis.applyNiceNumbers()
        else:
            axis.setTickCount(ticks)
        return axis

    def _clear(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
            axis.deleteLater()

    # -- theme ---------------------------------------------------------------------------

    def _restyle(self, _name: str = "") -> None:
        t = tokens()
        chart = self.chart
        chart.setBackgroundBrush(QColor(t.panel))
        chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        chart.setPlotAreaBackgroundVisible(False)
        self.view.setBackgroundBrush(QColor(t.panel))
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 0.5, 8.5))
        legend = chart.legend()
        legend.setLabelColor(QColor(t.text))
        legend.setFont(base)
        for axis in chart.axes():
            self._style_axis(axis, t, small)
        colours = series_colours(t)
        for index, series in enumerate(chart.series()):
            colour = QColor(colours[index % len(colours)])
            if isinstance(series, QLineSeries):
                pen = QPen(colour)
                pen.setWidthF(2.5)
                series.setPen(pen)
                series.setColor(colour)
            elif isinstance(series, QAbstractBarSeries):
                series.setLabelsPrecision(3)
                for set_index, bar_set in enumerate(series.barSets()):
                    bar_colour = QColor(colours[set_index % len(colours)])
                    bar_set.setColor(bar_colour)
                    bar_set.setBorderColor(bar_colour)
                    bar_set.setLabelColor(QColor(t.text))
                    bar_set.setLabelFont(small)

    @staticmethod
    def _style_axis(axis: QAbstractAxis, t: Tokens, font: QFont) -> None:
        axis.setLabelsColor(QColor(t.muted))
        axis.setLabelsFont(font)
        axis.setTitleBrush(QColor(t.muted))
        axis.setTitleFont(font)
        axis.setLinePenColor(QColor(t.border))
        axis.setGridLineColor(QColor(t.border))
        axis.setMinorGridLineVisible(False)
        if isinstance(axis, QBarCategoryAxis):
            axis.setGridLineVisible(False)
