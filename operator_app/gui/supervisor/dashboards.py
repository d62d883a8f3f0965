"""Supervisor dashboards: survey scores over time, per operator or channel, first response
against SLA, first-contact resolution and offer acceptance, with a CSV export.

Figures come from the server's ``/metrics`` endpoints (supervisors and admins only)
through :mod:`services.dashboards`; loading runs as a coroutine on the qasync loop, so
the window stays responsive, and a failure (offline, 403) is said in words in place of
the figures. Nothing here computes a metric: the server's numbers are shown as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from operator_app.api import ApiClient, ApiError, ForbiddenError
from operator_app.api.metrics import FcrRow, SurveyRow
from operator_app.gui.i18n import translate
from operator_app.gui.supervisor.charts import ChartCard, Point
from operator_app.gui.supervisor.tables import (
    GroupTable,
    OfferTables,
    format_hours,
    format_number,
    format_seconds,
    group_label,
)
from operator_app.gui.widgets.formatting import channel_name, short_date
from operator_app.gui.widgets.styling import set_style_property
from operator_app.services.dashboards import (
    Dashboard,
    DashboardQuery,
    load_dashboard,
    write_dashboard_csv,
)

if TYPE_CHECKING:
    from operator_app.gui.main_window import MainWindow

log = logging.getLogger(__name__)

ApiProvider = Callable[[], ApiClient | None]
X_FORMAT = "dd MMM"  # day and month: a bucket's first day, short enough for 90 days
Clock = Callable[[], datetime]
Row = TypeVar("Row", SurveyRow, FcrRow)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _points(rows: Sequence[Row], value_of: Callable[[Row], float | None]) -> list[Point]:
    """(bucket day, value) per row keyed by a day; None stays "no data"."""
    return [(date.fromisoformat(row.key), value_of(row)) for row in rows if row.key]


class KpiTile(QFrame):
    """One headline figure: caption above, the number below."""

    def __init__(self, caption: str, tooltip: str) -> None:
        super().__init__()
        self.setProperty("cssClass", "card")
        self.setObjectName("kpiTile")
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(0)
        label = QLabel(caption)
        label.setProperty("cssClass", "sectionTitle")
        self.value_label = QLabel("—")
        self.value_label.setProperty("cssClass", "bigNumber")
        self.value_label.setAccessibleName(caption)
        layout.addWidget(label)
        layout.addWidget(self.value_label)

    def set_value(self, text: str) -> None:
        self.value_label.setText(text)


class DashboardsView(QWidget):
    """The dashboards page. ``api`` returns the signed-in client (None when signed out);
    figures load the first time the page is shown and whenever a choice changes."""

    loaded = Signal()  # figures shown (the new ones)
    failed = Signal(str)  # the error, in words
    exported = Signal(str)  # the CSV's path

    def __init__(
        self, api: ApiProvider, *, now: Clock = _utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardsView")
        self._api = api
        self._now = now
        self._task: asyncio.Task[None] | None = None
        self._export_task: asyncio.Task[None] | None = None
        self._generation = 0
        self._started = False
        self.board: Dashboard | None = None
        self.export_dialog: QFileDialog | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_toolbar())
        scroll = QScrollArea()
        scroll.setObjectName("dashboardsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("dashboardsBody")
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._build_body(body)

    @classmethod
    def for_window(cls, window: MainWindow, parent: QWidget | None = None) -> DashboardsView:
        """The dashboards on the window's current server connection (it changes when the
        user signs in elsewhere, so it is looked up on every load)."""
        sync = window.sync
        return cls(lambda: sync.controller.api if sync.controller else None, parent=parent)

    # -- layout --------------------------------------------------------------------------

    def _build_toolbar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("dashboardsToolbar")
        layout = QVBoxLayout(bar)
        layout.setContentsMargins(20, 16, 20, 8)
        layout.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(8)
        title = QLabel(translate("Dashboards", "Dashboards"))
        title.setProperty("cssClass", "pageTitle")
        row.addWidget(title)
        row.addSpacing(16)
        self.period_combo = self._combo(
            translate("Dashboards", "Period"),
            [
                (translate("Dashboards", "Last 7 days"), 7),
                (translate("Dashboards", "Last 30 days"), 30),
                (translate("Dashboards", "Last 90 days"), 90),
            ],
            current=1,
        )
        self.bucket_combo = self._combo(
            translate("Dashboards", "Points over time"),
            [
                (translate("Dashboards", "By day"), "day"),
                (translate("Dashboards", "By week"), "week"),
            ],
        )
        self.grouping_combo = self._combo(
            translate("Dashboards", "Compare"),
            [
                (translate("Dashboards", "Per operator"), "operator"),
                (translate("Dashboards", "Per channel"), "channel"),
            ],
        )
        for combo in (self.period_combo, self.bucket_combo, self.grouping_combo):
            row.addWidget(combo)
        row.addStretch(1)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(10)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(translate("Dashboards", "Loading figures"))
        self.busy_bar.hide()
        row.addWidget(self.busy_bar)
        self.refresh_button = QPushButton(translate("Dashboards", "&Refresh"))
        self.refresh_button.setAccessibleName(translate("Dashboards", "Refresh the figures"))
        self.refresh_button.setToolTip(translate("Dashboards", "Load the figures again (Alt+R)"))
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        self.export_button = QPushButton(translate("Dashboards", "&Export CSV…"))
        self.export_button.setAccessibleName(translate("Dashboards", "Export the figures as CSV"))
        self.export_button.setToolTip(
            translate("Dashboards", "Save the figures shown as a CSV file (Alt+E)")
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.choose_export_file)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.status_label = QLabel()
        self.status_label.setObjectName("dashboardsStatus")
        self.status_label.setProperty("cssClass", "muted")
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(translate("Dashboards", "Dashboards status"))
        layout.addWidget(self.status_label)
        return bar

    def _combo(self, name: str, items: list[tuple[str, Any]], current: int = 0) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(current)
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    def _build_body(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 8, 20, 20)
        layout.setSpacing(14)
        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.tiles: dict[str, KpiTile] = {}
        for index, (key, caption, tip) in enumerate(
            (
                (
                    "csat",
                    translate("Dashboards", "CSAT"),
                    translate("Dashboards", "Share of answers 4–5 on 1–5"),
                ),
                (
                    "nps",
                    translate("Dashboards", "NPS"),
                    translate("Dashboards", "% promoters (9–10) − % detractors (0–6)"),
                ),
                (
                    "ces",
                    translate("Dashboards", "CES"),
                    translate("Dashboards", "Mean on 1–7, 7 = very easy"),
                ),
                (
                    "low",
                    translate("Dashboards", "Low scores"),
                    translate("Dashboards", "Answers at or below the low-score thresholds"),
                ),
                (
                    "resolve",
                    translate("Dashboards", "Median time to resolve"),
                    translate(
                        "Dashboards",
                        "Review cases resolved in the period: median time from opening",
                    ),
                ),
                (
                    "sla",
                    translate("Dashboards", "First response within SLA"),
                    translate("Dashboards", "Conversations answered within their channel's SLA"),
                ),
                (
                    "fcr",
                    translate("Dashboards", "FCR"),
                    translate(
                        "Dashboards", "Resolved with no new contact within the policy's window"
                    ),
                ),
                (
                    "offers",
                    translate("Dashboards", "Offer acceptance"),
                    translate("Dashboards", "Accepted / answered offers"),
                ),
            )
        ):
            tile = KpiTile(caption, tip)
            self.tiles[key] = tile
            tiles.addWidget(tile, index // 4, index % 4)
        layout.addLayout(tiles)

        grid = QGridLayout()
        grid.setSpacing(14)
        self.csat_chart = ChartCard(
            translate("Dashboards", "CSAT over time"),
            translate("Dashboards", "Share of satisfied answers (4–5 of 5)"),
        )
        self.nps_chart = ChartCard(
            translate("Dashboards", "NPS over time"),
            translate("Dashboards", "Promoters minus detractors, −100 to 100"),
        )
        self.ces_chart = ChartCard(
            translate("Dashboards", "CES over time"),
            translate("Dashboards", "Mean effort score, 7 = very easy"),
        )
        self.fcr_chart = ChartCard(
            translate("Dashboards", "First-contact resolution over time"),
            translate("Dashboards", "Resolved conversations the customer did not come back about"),
        )
        self.low_chart = ChartCard(
            translate("Dashboards", "Low scores and review cases"),
            translate("Dashboards", "Low scores received and review cases resolved"),
        )
        self.sla_chart = ChartCard(
            translate("Dashboards", "First response within SLA per channel"),
            translate("Dashboards", "Each channel against its own SLA (admin policy)"),
        )
        self.groups_chart = ChartCard(translate("Dashboards", "CSAT and FCR per operator"))
        for index, card in enumerate(
            (
                self.csat_chart,
                self.nps_chart,
                self.ces_chart,
                self.fcr_chart,
                self.low_chart,
                self.sla_chart,
            )
        ):
            grid.addWidget(card, index // 2, index % 2)
        grid.addWidget(self.groups_chart, 3, 0, 1, 2)
        layout.addLayout(grid)

        self.group_table = GroupTable()
        layout.addWidget(self.group_table)
        self.offer_tables = OfferTables()
        layout.addWidget(self.offer_tables)
        layout.addStretch(1)
        for card in self.charts().values():
            card.show_empty(translate("Dashboards", "Loading…"))

    def charts(self) -> dict[str, ChartCard]:
        return {
            "csat": self.csat_chart,
            "nps": self.nps_chart,
            "ces": self.ces_chart,
            "fcr": self.fcr_chart,
            "low": self.low_chart,
            "sla": self.sla_chart,
            "groups": self.groups_chart,
        }

    # -- loading -------------------------------------------------------------------------

    def query(self) -> DashboardQuery:
        return DashboardQuery(
            days=int(self.period_combo.currentData()),
            bucket=self.bucket_combo.currentData(),
            grouping=self.grouping_combo.currentData(),
        )

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.refresh()

    def refresh(self) -> None:
        """Load the figures for the current choices (a load still running is dropped)."""
        self._started = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._generation += 1
        self._task = asyncio.ensure_future(self._load(self.query(), self._generation))

    async def _load(self, query: DashboardQuery, generation: int) -> None:
        api = self._api()
        if api is None:
            self._show_error(translate("Dashboards", "Sign in to a server to see the dashboards."))
            return
        self._set_busy(True)
        try:
            board = await load_dashboard(api, query, self._now())
        except ForbiddenError:
            self._show_error(
                translate(
                    "Dashboards",
                    "Dashboards are for supervisors and admins; the server refused them "
                    "to your account.",
                )
            )
        except ApiError as exc:
            self._show_error(
                translate("Dashboards", "The figures could not be loaded: {error}").format(
                    error=str(exc)
                )
            )
        except Exception:  # a bug must not pass silently, nor leave the page spinning
            log.exception("dashboards failed to load")
            self._show_error(
                translate("Dashboards", "The figures could not be shown; see the log.")
            )
        else:
            self.show_dashboard(board)
        finally:
            if generation == self._generation:
                self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        if busy:
            self.status_label.setText(translate("Dashboards", "Loading figures…"))
            set_style_property(self.status_label, "cssClass", "muted")

    def _show_error(self, text: str) -> None:
        self.status_label.setText(text)
        set_style_property(self.status_label, "cssClass", "error")
        if self.board is None:
            for card in self.charts().values():
                card.show_empty(text)
        self.failed.emit(text)

    # -- showing -------------------------------------------------------------------------

    def show_dashboard(self, board: Dashboard) -> None:
        self.board = board
        query = board.query
        trend = board.trend
        total = trend.total
        self.tiles["csat"].set_value(format_number(total.csat.value, 1, "%"))
        self.tiles["nps"].set_value(format_number(total.nps.value, 0))
        self.tiles["ces"].set_value(format_number(total.ces.value, 2))
        self.tiles["low"].set_value(format_number(total.low_scores, 0))
        self.tiles["resolve"].set_value(format_hours(total.median_hours_to_resolve))
        self.tiles["sla"].set_value(
            format_number(board.first_response.total.within_sla_percent, 1, "%")
        )
        self.tiles["fcr"].set_value(format_number(board.fcr.total.fcr_percent, 1, "%"))
        self.tiles["offers"].set_value(format_number(board.offers.total.acceptance_rate, 1, "%"))

        self._show_trends(board)
        channels = board.first_response.groups
        # Horizontal bars fill upwards: reversed, the first channel is read first (top).
        self.sla_chart.show_bars(
            [self._sla_category(r.key, r.sla_seconds) for r in reversed(channels)],
            [
                (
                    translate("Dashboards", "Within SLA, %"),
                    [r.within_sla_percent for r in reversed(channels)],
                )
            ],
            y_range=(0, 100),
            y_title=translate("Dashboards", "% within SLA"),
            empty_text=translate("Dashboards", "No conversations opened in this period."),
            horizontal=True,
        )
        fcr_by_key = {row.key: row.fcr_percent for row in board.fcr.groups}
        keys = [row.key for row in board.groups.groups]
        keys += [k for k in fcr_by_key if k not in keys]
        csat_by_key = {row.key: row.csat.value for row in board.groups.groups}
        self.groups_chart.title_label.setText(
            translate("Dashboards", "CSAT and FCR per operator")
            if query.grouping == "operator"
            else translate("Dashboards", "CSAT and FCR per channel")
        )
        self.groups_chart.show_bars(
            [group_label(query.grouping, k) for k in keys],
            [
                (translate("Dashboards", "CSAT, %"), [csat_by_key.get(k) for k in keys]),
                (translate("Dashboards", "FCR, %"), [fcr_by_key.get(k) for k in keys]),
            ],
            y_range=(0, 100),
            y_title=translate("Dashboards", "%"),
            empty_text=translate(
                "Dashboards", "No answers or resolved conversations in this period."
            ),
        )
        self.group_table.fill(query.grouping, board.groups.groups, board.fcr.groups)
        self.offer_tables.fill(board.offers)
        self.export_button.setEnabled(True)
        # Plain names: the translation extractor skips a dotted count.
        answers = total.answers
        conversations = board.first_response.total.conversations
        self.status_label.setText(
            translate("Dashboards", "{first} – {last} (UTC): {answers}, {conversations}").format(
                first=short_date(board.since.date()),
                last=short_date(board.until.date()),
                answers=translate("Dashboards", "%n survey answer(s)", None, answers),
                conversations=translate("Dashboards", "%n conversation(s)", None, conversations),
            )
        )
        set_style_property(self.status_label, "cssClass", "muted")
        self.loaded.emit()

    def _show_trends(self, board: Dashboard) -> None:
        """The line charts: one point per day or week that has data."""
        rows = board.trend.groups
        no_answers = translate("Dashboards", "No survey answers in this period.")
        for card, name, value_of, y_range, y_title in (
            (self.csat_chart, translate("Dashboards", "CSAT"), lambda r: r.csat.value, (0, 100),
             translate("Dashboards", "%")),
            (self.nps_chart, translate("Dashboards", "NPS"), lambda r: r.nps.value, (-100, 100),
             translate("Dashboards", "NPS")),
            (self.ces_chart, translate("Dashboards", "CES"), lambda r: r.ces.value, (1, 7),
             translate("Dashboards", "1–7")),
        ):  # fmt: skip
            card.show_lines(
                [(name, _points(rows, value_of))],
                y_range=y_range, y_title=y_title, x_format=X_FORMAT, empty_text=no_answers,
            )  # fmt: skip
        fcr = _points(board.fcr_trend.groups, lambda r: r.fcr_percent)
        self.fcr_chart.show_lines(
            [(translate("Dashboards", "FCR"), fcr)],
            y_range=(0, 100), y_title=translate("Dashboards", "%"), x_format=X_FORMAT,
            empty_text=translate("Dashboards", "No conversations resolved in this period."),
        )  # fmt: skip
        low = _points(rows, lambda r: float(r.low_scores))
        resolved = _points(rows, lambda r: float(r.review_cases_resolved))
        peak = max([v or 0.0 for _, v in low + resolved], default=0.0)
        if peak == 0:  # all zero: a flat line says less than a sentence
            self.low_chart.show_empty(translate("Dashboards", "No low scores in this period."))
            return
        self.low_chart.show_lines(
            [(translate("Dashboards", "Low scores"), low),
             (translate("Dashboards", "Review cases resolved"), resolved)],
            y_range=(0, max(peak * 1.2, 4)), y_title=translate("Dashboards", "count"),
            x_format=X_FORMAT, empty_text="",
        )  # fmt: skip

    @staticmethod
    def _sla_category(channel: str | None, sla_seconds: int | None) -> str:
        name = channel_name(channel) if channel else translate("Dashboards", "Unknown")
        if sla_seconds is None:
            return name
        return translate("Dashboards", "{channel} (SLA {sla})").format(
            channel=name, sla=format_seconds(sla_seconds)
        )

    # -- CSV export ----------------------------------------------------------------------

    def choose_export_file(self) -> None:
        """Ask where to save (a non-blocking dialog); the CSV is written when chosen."""
        if self.board is None:
            return
        dialog = QFileDialog(self, translate("Dashboards", "Export dashboards as CSV"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(translate("Dashboards", "CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(f"dashboards-{self.board.until.date().isoformat()}.csv")
        dialog.fileSelected.connect(self._export_to)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def _export_to(self, path_text: str) -> None:
        if not path_text or self.board is None:
            return
        self._export_task = asyncio.ensure_future(self._write(Path(path_text), self.board))

    async def _write(self, path: Path, board: Dashboard) -> None:
        loop = asyncio.get_running_loop()
        try:
            rows = await loop.run_in_executor(None, write_dashboard_csv, path, board)
        except OSError as exc:
            self.status_label.setText(
                translate("Dashboards", "The CSV could not be saved to {path}: {error}").format(
                    path=str(path), error=exc.strerror or str(exc)
                )
            )
            set_style_property(self.status_label, "cssClass", "error")
            return
        self.status_label.setText(
            translate("Dashboards", "Saved %n row(s) to {path}.", None, rows).format(path=str(path))
        )
        self.exported.emit(str(path))

    async def aclose(self) -> None:
        """Stop a load still running (the window calls this before closing); a CSV being
        written is finished first (the file must not be left half-written)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._export_task is not None and not self._export_task.done():
            with contextlib.suppress(Exception):
                await self._export_task

    def dispose(self) -> None:
        """Delete this view once nothing of it runs any more (a load is cancelled, a CSV
        being written is finished)."""
        running = [t for t in (self._task, self._export_task) if t is not None and not t.done()]
        if not running:
            self.deleteLater()
            return
        closing = running[0].get_loop().create_task(self.aclose())
        closing.add_done_callback(lambda _task: self.deleteLater())

    def take_choices(self, other: DashboardsView) -> None:
        """Carry over another view's choices and figures (the page made anew in another
        language): nothing is asked from the server again."""
        for mine, theirs in (
            (self.period_combo, other.period_combo),
            (self.bucket_combo, other.bucket_combo),
            (self.grouping_combo, other.grouping_combo),
        ):
            mine.blockSignals(True)
            mine.setCurrentIndex(theirs.currentIndex())
            mine.blockSignals(False)
        if other.board is not None and other.board.query == self.query():
            self._started = True
            self.show_dashboard(other.board)
        elif other._started:
            self.refresh()
