"""The low-score review queue: filters, the lazy table of cases, the chosen case beside it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_app.cache.review_queue import OPEN_STATUSES, ReviewFilter, queue_operators
from operator_app.domain.enums import Channel, ReviewStatus
from operator_app.gui.db_worker import DbWorker
from operator_app.gui.i18n import translate
from operator_app.gui.supervisor.case_panel import ApiProvider, CaseDetailPanel
from operator_app.gui.supervisor.queue_model import ReviewQueueModel, status_name
from operator_app.gui.widgets.formatting import channel_name

ANY = ""
SCORE_LIMITS = (0, 1, 2, 3, 6)  # "score N or lower": the low ends of NPS, CSAT and CES


def _combo(data: list[Any]) -> QComboBox:
    """A filter with its choices' data; the texts come from ``retranslate``."""
    combo = QComboBox()
    # Sized to its texts whenever they change (another language), not only at first show.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    for value in data:
        combo.addItem("", value)
    return combo


def _name(combo: QComboBox, name: str, texts: list[str]) -> None:
    """The combo's name and the texts of its first ``len(texts)`` choices, in the
    interface language (the choices' data and the current choice stay)."""
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    for index, text in enumerate(texts):
        combo.setItemText(index, text)


def _status_items() -> list[tuple[str, tuple[str, ...]]]:
    return [
        (translate("ReviewQueue", "Open cases"), OPEN_STATUSES),
        (translate("ReviewQueue", "All cases"), ()),
    ] + [(status_name(s.value), (s.value,)) for s in ReviewStatus]


class ReviewQueuePage(QWidget):
    open_customer_requested = Signal(object)  # customer id
    acted = Signal(object)  # case id

    def __init__(
        self, db: DbWorker, api: ApiProvider, user: Callable[[], str], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueuePage")
        self._db = db
        self._wanted: uuid.UUID | None = None  # a case to select once its row is loaded
        self.model = ReviewQueueModel(db, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.status_filter = _combo([statuses for _text, statuses in _status_items()])
        self.channel_filter = _combo([ANY] + [c.value for c in Channel])
        self.operator_filter = _combo([ANY])
        self.score_filter = _combo([None, *SCORE_LIMITS])
        self.age_filter = _combo([None, 1, 4, 24, 72])
        self.mine_filter = _combo([None, "me"])
        self._user = user
        for combo in (
            self.status_filter,
            self.channel_filter,
            self.operator_filter,
            self.score_filter,
            self.age_filter,
            self.mine_filter,
        ):
            combo.currentIndexChanged.connect(self.apply_filters)
            filters.addWidget(combo)
        filters.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setProperty("cssClass", "muted")
        filters.addWidget(self.count_label)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        filters.addWidget(self.refresh_button)
        layout.addLayout(filters)

        self.table = QTableView()
        self.table.setObjectName("reviewQueue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the customer's name
        header.setMinimumSectionSize(48)
        for column, width in ((0, 70), (2, 76), (3, 84), (4, 84), (5, 104), (6, 88)):
            self.table.setColumnWidth(column, width)
        self.panel = CaseDetailPanel(api, user, self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 480])
        layout.addWidget(splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.loaded.connect(self._on_loaded)
        self.panel.open_customer_requested.connect(self.open_customer_requested)
        self.panel.acted.connect(self.acted)
        self.setTabOrder(self.status_filter, self.channel_filter)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        _name(
            self.status_filter,
            translate("ReviewQueue", "Status"),
            [text for text, _data in _status_items()],
        )
        _name(
            self.channel_filter,
            translate("ReviewQueue", "Channel"),
            [translate("ReviewQueue", "Any channel")] + [channel_name(c) for c in Channel],
        )
        _name(
            self.operator_filter,
            translate("ReviewQueue", "Operator"),
            [translate("ReviewQueue", "Any operator")],
        )
        _name(
            self.score_filter,
            translate("ReviewQueue", "Score"),
            [translate("ReviewQueue", "Any score")]
            + [translate("ReviewQueue", "Score {n} or lower").format(n=n) for n in SCORE_LIMITS],
        )
        _name(
            self.age_filter,
            translate("ReviewQueue", "Waiting"),
            [
                translate("ReviewQueue", "Any age"),
                translate("ReviewQueue", "Waiting over 1 hour"),
                translate("ReviewQueue", "Waiting over 4 hours"),
                translate("ReviewQueue", "Waiting over a day"),
                translate("ReviewQueue", "Waiting over 3 days"),
            ],
        )
        _name(
            self.mine_filter,
            translate("ReviewQueue", "Supervisor"),
            [translate("ReviewQueue", "Everyone's"), translate("ReviewQueue", "Mine")],
        )
        self.refresh_button.setText(translate("ReviewQueue", "Refresh"))
        self.refresh_button.setAccessibleName(translate("ReviewQueue", "Refresh the queue"))
        self.table.setAccessibleName(translate("ReviewQueue", "Review queue"))
        self.model.retranslate()
        if self.count_label.text():  # after the first load
            rows = self.model.rowCount()
            self.count_label.setText(translate("ReviewQueue", "%n case(s)", None, rows))
        self.panel.retranslate()

    def _on_current(self, current: Any, _previous: Any) -> None:
        # A reload clears the selection: the case stays shown (and what was typed kept).
        if current.isValid():
            self.panel.show_case(self.model.item(current.row()))

    # -- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload from the cache, keeping the chosen case chosen."""
        current = self.panel.case
        if current is not None and self._wanted is None:
            self._wanted = current.id
        self._load_operators()
        self.model.reload()

    def apply_filters(self) -> None:
        older = self.age_filter.currentData()
        mine = self.mine_filter.currentData()
        self.model.set_filters(
            ReviewFilter(
                statuses=tuple(self.status_filter.currentData() or ()),
                channel=self.channel_filter.currentData() or None,
                operator=self.operator_filter.currentData() or None,
                max_score=self.score_filter.currentData(),
                older_than=timedelta(hours=older) if older else None,
                assignee=self._user() if mine else None,
            )
        )

    def open_case(self, case_id: uuid.UUID) -> None:
        """Select ``case_id`` (e.g. from a notification), loading the queue if needed."""
        self._wanted = case_id
        if not self._select_wanted():
            if self.status_filter.currentIndex() != 1:
                self.status_filter.setCurrentIndex(1)  # all cases: it is in there somewhere
            else:
                self.model.reload()

    def _load_operators(self) -> None:
        engine = self._db.engine
        self._db.submit(
            lambda: queue_operators(engine), self._set_operators, channel="review-operators"
        )

    def _set_operators(self, names: list[str]) -> None:
        combo = self.operator_filter
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def _on_loaded(self, rows: int) -> None:
        self.count_label.setText(translate("ReviewQueue", "%n case(s)", None, rows))
        if self._wanted is not None:
            if not self._select_wanted() and self.model.canFetchMore():
                self.model.fetchMore()
            return
        current = self.panel.case
        if current is not None:
            row = self.model.row_of(current.id)
            if row >= 0:
                self.panel.show_case(self.model.item(row))

    def _select_wanted(self) -> bool:
        if self._wanted is None:
            return False
        row = self.model.row_of(self._wanted)
        if row < 0:
            return False
        self._wanted = None
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self.panel.show_case(self.model.item(row))
        return True
