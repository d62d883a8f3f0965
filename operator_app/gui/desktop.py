"""Desktop integration, hooked into the main window in one call: app icon, tray and
notifications, settings applied live, and Help › Show logs.

``MainWindow`` keeps the result as ``window.desktop``; ``window.notifier`` is what
other code calls to get the operator's attention (``notify(title, text)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from operator_app.gui.i18n import translate
from operator_app.gui.live_settings import LiveSettings
from operator_app.gui.log_viewer import LogViewer
from operator_app.gui.settings_registry import open_settings
from operator_app.gui.tray import Tray, app_icon_path
from operator_app.services.notifier import Notifier

if TYPE_CHECKING:
    from operator_app.gui.main_window import MainWindow


@dataclass
class Desktop:
    window: MainWindow
    notifier: Notifier
    tray: Tray
    live: LiveSettings
    show_logs_action: QAction
    log_viewer: LogViewer | None = None

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self.show_logs_action.setText(translate("Desktop", "Show &logs"))
        self.show_logs_action.setToolTip(
            translate("Desktop", "Show the app's log (Ctrl+Shift+F12)")
        )
        self.tray.retranslate()

    def show_logs(self) -> LogViewer:
        if self.log_viewer is None:
            self.log_viewer = LogViewer(self.window.app_menus.logs(), self.window)
        self.log_viewer.present()
        return self.log_viewer


def install_desktop(window: MainWindow, *, tray_available: bool | None = None) -> Desktop:
    icon = QIcon(app_icon_path())
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.windowIcon().isNull():
        app.setWindowIcon(icon)  # dialogs and the log viewer take it from the app
    if window.windowIcon().isNull():
        window.setWindowIcon(icon)

    notifier = Notifier()
    tray = Tray(window, notifier, available=tray_available)
    tray.set_connection(
        window.connection_label.text(), str(window.connection_label.property("state") or "")
    )
    live = LiveSettings(window, notifier, tray)

    action = QAction(window)
    action.setObjectName("actionShowLogs")
    action.setShortcut(QKeySequence("Ctrl+Shift+F12"))
    window.addAction(action)
    help_menu = window.findChild(QMenu, "menuHelp")
    if isinstance(help_menu, QMenu):
        first = help_menu.actions()[0] if help_menu.actions() else None
        help_menu.insertAction(first, action)  # type: ignore[arg-type]
    desktop = Desktop(window, notifier, tray, live, action)
    desktop.retranslate()
    action.triggered.connect(desktop.show_logs)

    settings = open_settings(window.app_menus.settings_path)
    live.apply(settings.values(), startup=True)
    return desktop
