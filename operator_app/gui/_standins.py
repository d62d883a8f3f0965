"""TEMPORARY stand-ins for modules other branches are building.

TODO(shell): delete this file once ``operator_app.gui.main_window`` / ``theme`` (gui
branch) are on main. Only the names the shell calls are here, with the same signatures, and only
enough behaviour to exercise the start-up paths.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QLabel, QMainWindow

from operator_app import APP_NAME
from operator_app.gui.context import AppContext


# --- gui.main_window ------------------------------------------------------------------
class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.label = QLabel("No customer open. Try: operator-app --demo")
        self.setCentralWidget(self.label)
        self.resize(1280, 800)
        self.last_pop: str | None = None

    def open_customer(self, customer_id: uuid.UUID) -> None:
        self.label.setText(f"Customer {customer_id}")

    def pop_phone(self, raw: str) -> None:
        self.last_pop = raw
        self.label.setText(f"Caller {raw}")

    def is_busy(self) -> bool:
        return False


def apply_theme(app: object, theme: str) -> None:
    return None
