"""The Settings action (Ctrl+,) and the Help menu, added to the main window in one call.

``install_app_menus(window)`` is the only hook in ``MainWindow``; everything else
(settings dialog, About, log folder, diagnostics) lives here.
"""

from __future__ import annotations

import platform
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import PySide6
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from operator_app import __version__
from operator_app.gui.i18n import translate
from operator_app.gui.settings_registry import open_settings
from operator_app.services.logs import current_log_folder, log_folder

# Both are made when first opened; their modules (the API client, httpx, the settings
# pages) need not load before the window is on screen.
if TYPE_CHECKING:
    from operator_app.gui.account_actions import AccountActions
    from operator_app.gui.settings_dialog import SettingsDialog


def versions() -> dict[str, str]:
    return {
        "operator-app": __version__,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "SQLite": sqlite3.sqlite_version,
        "System": f"{platform.system()} {platform.release()} ({platform.machine()})",
    }


class AboutDialog(QMessageBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(translate("About", "About Operator"))
        self.setIcon(QMessageBox.Icon.Information)
        shown = versions()  # the diagnostics keep the English key; the dialog translates it
        shown[translate("About", "System")] = shown.pop("System")
        lines = "".join(f"<tr><td>{k}</td><td>&nbsp;{v}</td></tr>" for k, v in shown.items())
        name = translate("About", "Operator")
        tagline = translate("About", "The whole customer in one window.")
        self.setText(f"<b>{name}</b> {__version__}<br>{tagline}")
        self.setInformativeText(f"<table>{lines}</table>")
        self.setAccessibleName(translate("About", "About Operator"))
        self.setStandardButtons(QMessageBox.StandardButton.Close)


class AppMenus:
    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        ctx = getattr(window, "ctx", None)
        self.data_dir: Path | None = getattr(ctx, "data_dir", None)
        self.cache_file: Path | None = getattr(ctx, "cache_path", None)
        bar = window.menuBar()
        self.settings_action = QAction(window)
        self.settings_action.setObjectName("actionSettings")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        window.addAction(self.settings_action)  # works with the menu bar hidden too
        file_menu = window.findChild(QMenu, "menuFile")
        if isinstance(file_menu, QMenu):
            first = file_menu.actions()[0] if file_menu.actions() else None
            file_menu.insertAction(first, self.settings_action)  # type: ignore[arg-type]
        self.help_menu = help_menu = bar.addMenu("")
        help_menu.setObjectName("menuHelp")
        self.open_logs_action = help_menu.addAction("", self.open_log_folder)
        self.diagnostics_action = help_menu.addAction("", self.ask_diagnostics)
        help_menu.addSeparator()
        self.about_action = help_menu.addAction("", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.dialog: QDialog | None = None
        self.settings_path: Path | None = None  # None: the per-user settings
        self._account: AccountActions | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.settings_action.setText(translate("AppMenus", "&Settings…"))
        self.settings_action.setToolTip(translate("AppMenus", "Settings (Ctrl+,)"))
        self.help_menu.setTitle(translate("AppMenus", "&Help"))
        self.open_logs_action.setText(translate("AppMenus", "Open log folder"))
        self.diagnostics_action.setText(translate("AppMenus", "Save diagnostics…"))
        self.about_action.setText(translate("AppMenus", "About Operator"))

    def logs(self) -> Path:
        return current_log_folder() or log_folder(self.data_dir)

    def open_settings(self) -> SettingsDialog:
        ctx = getattr(self.window, "ctx", None)
        user = getattr(ctx, "user_name", None)
        account = self.account()
        if account is not None and account.api() is not None:
            user = account.window.user_label.text()
        desktop = getattr(self.window, "desktop", None)
        from operator_app.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            open_settings(self.settings_path),
            cache_file=self.cache_file,
            signed_in_user=None if user in (None, "Not signed in") else user,
            account=account,
            admin_api=account.api() if account and account.signed_in_role() == "admin" else None,
            load_products=self._load_products,
            language_changed=self.apply_language,
            reserved_shortcuts=desktop.live.other_shortcuts() if desktop else None,
            parent=self.window,
        )
        dialog.setObjectName("settingsDialog")
        if desktop is not None:  # saved settings apply at once (gui.live_settings)
            dialog.saved.connect(lambda: desktop.live.apply(dialog.settings.values()))
        self.dialog = dialog
        dialog.open()  # window-modal, no nested event loop
        return dialog

    def account(self) -> AccountActions | None:
        """The window's account actions (a window with sync only; made once)."""
        if self._account is None and hasattr(self.window, "sync") and hasattr(self.window, "db"):
            from operator_app.gui.account_actions import AccountActions

            self._account = AccountActions(self.window)  # type: ignore[arg-type]
        return self._account

    def _load_products(self, on_done: Any) -> None:
        db = getattr(self.window, "db", None)
        ctx = getattr(self.window, "ctx", None)
        if db is not None and ctx is not None:
            engine = ctx.engine

            def job() -> Any:
                # In the DB thread, like every read: the catalog loads the ORM models.
                from operator_app.services.catalog import list_products

                return list_products(engine)

            db.submit(job, on_done, channel="products")

    def apply_language(self, language: str) -> None:
        """The language chosen in Settings, applied at once (the window retranslates)."""
        from operator_app.gui.language import apply_language

        apply_language(language)

    def open_log_folder(self) -> None:
        folder = self.logs()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def ask_diagnostics(self) -> None:
        name = f"operator-app-diagnostics-{datetime.now():%Y%m%d-%H%M}.zip"
        title = translate("AppMenus", "Save diagnostics")
        dialog = QFileDialog(self.window, title, str(Path.home() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(translate("AppMenus", "Zip archives (*.zip)"))
        dialog.fileSelected.connect(lambda path: self.save_diagnostics(Path(path)))
        dialog.open()

    def save_diagnostics(self, target: Path) -> Path | None:
        from operator_app.services.diagnostics import write_diagnostics

        try:
            written = write_diagnostics(
                target,
                logs=self.logs(),
                versions=versions(),
                settings=open_settings(self.settings_path).values(),
                cache_file=self.cache_file,
            )
        except OSError as exc:
            message = translate("AppMenus", "Diagnostics not saved: {reason}")
            self.window.statusBar().showMessage(message.format(reason=exc.strerror or exc), 15000)
            return None
        message = translate("AppMenus", "Diagnostics saved to {path}")
        self.window.statusBar().showMessage(message.format(path=written), 15000)
        return written

    def show_about(self) -> AboutDialog:
        box = AboutDialog(self.window)
        self.dialog = box
        box.open()
        return box


def install_app_menus(window: QMainWindow) -> AppMenus:
    menus = AppMenus(window)
    window.setProperty("hasAppMenus", True)
    return menus
