"""The supervisor's area: the review queue first, then pages other modules add.

``SupervisorView.add_page(widget, title)`` puts a page (e.g. dashboards) beside the
queue; the window shows the whole view only to supervisors and admins.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from operator_app.gui.db_worker import DbWorker
from operator_app.gui.i18n import translate
from operator_app.gui.supervisor.case_panel import ApiProvider
from operator_app.gui.supervisor.queue_page import ReviewQueuePage


class SupervisorView(QWidget):
    def __init__(
        self, db: DbWorker, api: ApiProvider, user: Callable[[], str], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QTabWidget()
        self.pages.setObjectName("supervisorPages")
        self.pages.setDocumentMode(True)
        self.pages.setTabBarAutoHide(True)  # one page needs no tab
        self.pages.tabBar().setObjectName("areaTabs")
        self.pages.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.pages)
        self.queue = ReviewQueuePage(db, api, user, self)
        self.add_page(self.queue, "")
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self.pages.setAccessibleName(translate("Supervisor", "Supervisor pages"))
        self.pages.setTabText(
            self.pages.indexOf(self.queue), translate("Supervisor", "Review queue")
        )

    def add_page(self, page: QWidget, title: str) -> int:
        """Add a page after the existing ones; returns its index."""
        return self.pages.addTab(page, title)

    def open_case(self, case_id: uuid.UUID) -> None:
        self.pages.setCurrentWidget(self.queue)
        self.queue.open_case(case_id)

    def refresh(self) -> None:
        self.queue.refresh()

    def retranslate_pages(self) -> None:
        """This view's texts and its queue's; other pages retranslate themselves."""
        self.retranslate()
        self.queue.retranslate()
