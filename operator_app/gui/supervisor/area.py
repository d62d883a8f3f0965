"""Puts the supervisor's area into the single window, for supervisors and admins only.

The window's central widget moves into a top-level tab widget: "Customers" (the usual
three panels) and "Supervisor". Operators never see the tab bar, so for them nothing
changes; supervisors switch with a click or F8. The server checks roles on
every call anyway: this only hides what would be refused.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from operator_app.gui.i18n import translate

if TYPE_CHECKING:
    from operator_app.api import ApiClient
    from operator_app.gui.main_window import MainWindow
    from operator_app.gui.supervisor.dashboards import DashboardsView
    from operator_app.gui.supervisor.view import SupervisorView

STAFF_ROLES = frozenset({"supervisor", "admin"})
SUPERVISOR_KEYS = "F8"
REFRESH_ON = frozenset({"review_case", "survey", "customer", "conversation"})


class SupervisorArea(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.role = ""
        self.dashboards: DashboardsView | None = None
        customers = window.takeCentralWidget()
        assert customers is not None, "the window's form sets a central widget"
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workAreas")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setObjectName("areaTabs")
        # Only the tab bar (when shown) is a Tab stop, never the frame around the pages.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(customers, "")
        # The area itself is made on first need (staff only): operators never open it,
        # and its pages would cost every start. Until then an empty page holds its place.
        self._view: SupervisorView | None = None
        self.tabs.addTab(QWidget(), "")
        window.setCentralWidget(self.tabs)
        self.action = QAction(window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SUPERVISOR_KEYS))
        self.action.toggled.connect(self.show_supervisor)
        window.ui.menuView.addSeparator()
        window.ui.menuView.addAction(self.action)
        window.addAction(self.action)
        self.tabs.currentChanged.connect(self._on_tab)
        sync = window.sync
        sync.user_shown.connect(lambda _name, role: self.set_role(role))
        sync.review_case_opened.connect(self.on_case_opened)
        self._retranslate_own()
        self.set_role("")

    # -- language ------------------------------------------------------------------------

    def _retranslate_own(self) -> None:
        self.tabs.setAccessibleName(translate("Supervisor", "Work areas"))
        self.tabs.setTabText(0, translate("Supervisor", "Customers"))
        self.tabs.setTabText(1, translate("Supervisor", "Supervisor"))
        self.tabs.setTabToolTip(1, self._tab_tip())
        self.action.setText(translate("Supervisor", "&Supervisor view"))
        self.action.setToolTip(
            translate("Supervisor", "Review queue and dashboards ({keys})").format(
                keys=SUPERVISOR_KEYS
            )
        )

    def retranslate(self) -> None:
        """Every text of the area in the interface language; typed text and choices stay.
        The dashboards page is made anew (its charts carry their words inside), with the
        same period and groupings, and loads again when shown."""
        self._retranslate_own()
        if self._view is None:
            return  # made later, in the language of that moment
        self._view.retranslate_pages()
        if self.dashboards is None:
            return
        from operator_app.gui.supervisor.dashboards import DashboardsView

        old = self.dashboards
        pages = self.view.pages
        index = pages.indexOf(old)
        showing = pages.currentIndex() == index
        new = DashboardsView.for_window(self.window)
        new.take_choices(old)
        pages.removeTab(index)
        pages.insertTab(index, new, translate("Supervisor", "Dashboards"))
        if showing:
            pages.setCurrentIndex(index)
        self.dashboards = new
        old.hide()
        old.dispose()

    @property
    def view(self) -> SupervisorView:
        if self._view is None:
            from operator_app.gui.supervisor.view import SupervisorView

            view = SupervisorView(self.window.db, self._api, self._user)
            view.queue.open_customer_requested.connect(self.open_customer)
            view.queue.acted.connect(lambda _case: self._sync_now())
            placeholder = self.tabs.widget(1)
            blocked = self.tabs.blockSignals(True)
            try:
                self.tabs.removeTab(1)
                self.tabs.insertTab(1, view, translate("Supervisor", "Supervisor"))
                self.tabs.setTabToolTip(1, self._tab_tip())
                self.tabs.setTabEnabled(1, self.is_staff)
            finally:
                self.tabs.blockSignals(blocked)
            if placeholder is not None:
                placeholder.deleteLater()
            self._view = view
        return self._view

    @staticmethod
    def _tab_tip() -> str:
        return translate("Supervisor", "Low-score review queue and dashboards ({keys})").format(
            keys=SUPERVISOR_KEYS
        )

    # -- who may see it ------------------------------------------------------------------

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def set_role(self, role: str) -> None:
        first_time = not self.is_staff and role in STAFF_ROLES
        self.role = role
        staff = self.is_staff
        self.tabs.tabBar().setVisible(staff)
        self.tabs.setTabEnabled(1, staff)
        self.action.setVisible(staff)
        self.action.setEnabled(staff)
        if not staff:
            self.tabs.setCurrentIndex(0)
        elif first_time:
            self._add_dashboards()
            self.view.refresh()

    def _add_dashboards(self) -> None:
        """Made for staff only, on first need: the charts library costs start-up time."""
        if self.dashboards is not None:
            return
        from operator_app.gui.supervisor.dashboards import DashboardsView

        self.dashboards = DashboardsView.for_window(self.window)
        self.view.add_page(self.dashboards, translate("Supervisor", "Dashboards"))

    # -- switching -------------------------------------------------------------------------

    def show_supervisor(self, on: bool = True) -> None:
        if on and not self.is_staff:
            self.action.setChecked(False)
            return
        self.tabs.setCurrentIndex(1 if on else 0)

    def _on_tab(self, index: int) -> None:
        self.action.blockSignals(True)
        self.action.setChecked(index == 1)
        self.action.blockSignals(False)
        if index == 1:
            self.view.queue.table.setFocus()

    def open_customer(self, customer_id: uuid.UUID) -> None:
        """The card and the whole history of the case's customer (the screen pop)."""
        self.tabs.setCurrentIndex(0)
        self.window.open_customer(customer_id)

    def open_case(self, case_id: uuid.UUID) -> None:
        if not self.is_staff:
            return
        self.show_supervisor(True)
        self.window.raise_()
        self.window.activateWindow()
        self.view.open_case(case_id)

    # -- news from the server and the cache ---------------------------------------------------

    def on_case_opened(self, data: Any) -> None:
        if not self.is_staff or not isinstance(data, dict):
            return
        try:
            case_id = uuid.UUID(str(data.get("id")))
        except ValueError:
            return
        name = str(data.get("customer_name") or translate("Supervisor", "A customer"))
        kind = str(data.get("kind") or "").upper()
        score = data.get("score")
        self.window.sync.notify(
            translate("Supervisor", "Low score: review case opened"),
            translate("Supervisor", "{name} gave {kind} {score}. Click to open the case.").format(
                name=name, kind=kind, score=score
            ),
            kind="review",
            on_click=lambda: self.open_case(case_id),
        )

    def on_data_changed(self, entities: frozenset[str]) -> None:
        if self.is_staff and (not entities or entities & REFRESH_ON):
            self.view.refresh()

    # -- what the view needs ---------------------------------------------------------------

    def _api(self) -> ApiClient | None:
        controller = self.window.sync.controller
        return controller.api if controller is not None else None

    def _user(self) -> str:
        controller = self.window.sync.controller
        return controller.username if controller is not None else ""

    def _sync_now(self) -> None:
        controller = self.window.sync.controller
        if controller is not None:
            controller.sync_now()


def install_supervisor_area(window: MainWindow) -> SupervisorArea:
    return SupervisorArea(window)
