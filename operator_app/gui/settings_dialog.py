"""Settings (Ctrl+,): every registered setting on six pages, validated as you type.

Save stays disabled while any field is wrong (the message sits next to the field) and
writes everything at once through ``AppSettings.save``. Theme and font scale apply live
and are put back on Cancel. "Test connection" runs on the qasync loop, never blocking.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from operator_app.api import TokenStore
from operator_app.gui import theme
from operator_app.gui.forms.ui_settings_dialog import Ui_SettingsDialog
from operator_app.gui.settings_registry import AppSettings, SettingsInvalidError
from operator_app.services import settings_schema as schema
from operator_app.services.connection_check import check_connection
from operator_app.services.diagnostics import folder_size

LANGUAGES = (("system", "System language"), ("en", "English"), ("ru", "Русский"))
THEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
DENSITIES = (("comfortable", "Comfortable"), ("compact", "Compact"))


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Scale the application font from the platform's default size."""
    base = app.property("baseFontPointSize")
    if not isinstance(base, float):
        base = QFont().pointSizeF() if QFont().pointSizeF() > 0 else 10.0
        app.setProperty("baseFontPointSize", float(base))
    font = app.font()
    font.setPointSizeF(base * scale)
    app.setFont(font)


class SettingsDialog(QDialog):
    sign_out_requested = Signal()
    saved = Signal()

    def __init__(
        self,
        settings: AppSettings,
        *,
        cache_file: Path | None = None,
        signed_in_user: str | None = None,
        wipe_cache: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.cache_file = cache_file
        self.wipe_cache = wipe_cache
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self.ui.pageList.setCurrentRow(0)
        self.test_task: asyncio.Task[None] | None = None
        self._errors: dict[str, str] = {}
        self._original = settings.values()
        self._fill_choices()
        self._build_shortcuts()
        self._load(self._original)
        self._wire(signed_in_user)
        if settings.notice:
            self.ui.noticeLabel.setText(settings.notice)
        self.validate()

    # -- building ----------------------------------------------------------------------

    def _fill_choices(self) -> None:
        ui = self.ui
        for combo, items in (
            (ui.languageCombo, LANGUAGES),
            (ui.themeCombo, THEMES),
            (ui.densityCombo, DENSITIES),
        ):
            for value, text in items:
                combo.addItem(text, value)

    def _build_shortcuts(self) -> None:
        self.shortcut_edits: dict[str, QKeySequenceEdit] = {}
        self.shortcut_errors: dict[str, QLabel] = {}
        for action, (label, _keys) in schema.SHORTCUT_DEFAULTS.items():
            name = f"shortcuts.{action}"
            edit = QKeySequenceEdit(self.ui.shortcutsPage)
            edit.setObjectName(f"shortcut_{action}")
            edit.setAccessibleName(f"Shortcut for {label}")
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            error = QLabel(self.ui.shortcutsPage)
            error.setObjectName(f"shortcut_{action}_error")
            error.setAccessibleName(f"Problem with the shortcut for {label}")
            error.setProperty("class", "fieldError")
            error.setVisible(False)
            self.ui.shortcutsForm.addRow(label, edit)
            self.ui.shortcutsForm.addRow("", error)
            self.shortcut_edits[name] = edit
            self.shortcut_errors[name] = error

    def _line_edits(self) -> dict[str, tuple[QLineEdit, QLabel]]:
        ui = self.ui
        return {
            "connection.server_url": (ui.serverUrlEdit, ui.serverUrlError),
            "connection.ca_bundle": (ui.caBundleEdit, ui.caBundleError),
            "connection.proxy": (ui.proxyEdit, ui.proxyError),
            "account.user": (ui.userEdit, ui.userError),
            "cache.location": (ui.cacheLocationEdit, ui.cacheLocationError),
        }

    def _load(self, values: dict[str, Any]) -> None:
        ui = self.ui
        for name, (edit, _error) in self._line_edits().items():
            edit.setText(str(values[name]))
        ui.timeoutSpin.setValue(float(values["connection.timeout_s"]))
        ui.intervalSpin.setValue(int(values["sync.interval_s"]))
        ui.notificationsCheck.setChecked(bool(values["notifications.enabled"]))
        ui.soundCheck.setChecked(bool(values["notifications.sound"]))
        ui.autostartCheck.setChecked(bool(values["startup.autostart"]))
        for combo, name in (
            (ui.languageCombo, "appearance.language"),
            (ui.themeCombo, "appearance.theme"),
            (ui.densityCombo, "appearance.density"),
        ):
            combo.setCurrentIndex(max(0, combo.findData(values[name])))
        ui.fontScaleSpin.setValue(float(values["appearance.font_scale"]))
        for name, key_edit in self.shortcut_edits.items():
            key_edit.setKeySequence(QKeySequence(str(values[name])))
        ui.cacheSizeLabel.setText(self._cache_size_text())

    def _wire(self, signed_in_user: str | None) -> None:
        ui = self.ui
        for edit, _error in self._line_edits().values():
            edit.textChanged.connect(self.validate)
        for key_edit in self.shortcut_edits.values():
            key_edit.keySequenceChanged.connect(self.validate)
        ui.themeCombo.currentIndexChanged.connect(self._preview_theme)
        ui.fontScaleSpin.valueChanged.connect(self._preview_font_scale)
        ui.testButton.clicked.connect(self.start_connection_test)
        ui.buttonBox.accepted.connect(self.save)
        ui.buttonBox.rejected.connect(self.reject)
        ui.userLabel.setText(signed_in_user or "Not signed in")
        ui.signOutButton.setEnabled(bool(signed_in_user))
        ui.signOutButton.clicked.connect(self._sign_out)
        ui.forgetTokenButton.clicked.connect(self.forget_token)
        ui.wipeCacheButton.setEnabled(self.wipe_cache is not None)
        ui.wipeCacheButton.clicked.connect(self.confirm_wipe)

    # -- values and validation -----------------------------------------------------------

    def values(self) -> dict[str, Any]:
        ui = self.ui
        values: dict[str, Any] = {
            name: edit.text().strip() for name, (edit, _e) in self._line_edits().items()
        }
        values.update(
            {
                "connection.timeout_s": float(ui.timeoutSpin.value()),
                "sync.interval_s": int(ui.intervalSpin.value()),
                "notifications.enabled": ui.notificationsCheck.isChecked(),
                "notifications.sound": ui.soundCheck.isChecked(),
                "startup.autostart": ui.autostartCheck.isChecked(),
                "appearance.language": ui.languageCombo.currentData(),
                "appearance.theme": ui.themeCombo.currentData(),
                "appearance.density": ui.densityCombo.currentData(),
                "appearance.font_scale": round(float(ui.fontScaleSpin.value()), 2),
            }
        )
        for name, edit in self.shortcut_edits.items():
            values[name] = edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        return values

    def validate(self) -> dict[str, str]:
        """Show each field's problem next to it; Save only when there is none."""
        self._errors = schema.validate(self.values())
        labels = {name: error for name, (_edit, error) in self._line_edits().items()}
        labels.update(self.shortcut_errors)
        for name, label in labels.items():
            message = self._errors.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
        save = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not self._errors)
        save.setToolTip("Correct the fields marked in red first" if self._errors else "")
        return dict(self._errors)

    def save(self) -> None:
        if self.validate():
            return
        try:
            self.settings.save(self.values())
        except (SettingsInvalidError, OSError) as exc:
            self.ui.noticeLabel.setText(f"Nothing was saved: {exc}")
            return
        self._original = self.settings.values()
        self.saved.emit()
        self.accept()

    def reject(self) -> None:
        # Live previews are undone when the user does not keep them.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, str(self._original["appearance.theme"]))
            apply_font_scale(app, float(self._original["appearance.font_scale"]))
        super().reject()

    # -- live previews ----------------------------------------------------------------------

    def _preview_theme(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, str(self.ui.themeCombo.currentData()))

    def _preview_font_scale(self, value: float) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and 0.8 <= value <= 2.0:
            apply_font_scale(app, value)

    # -- connection test --------------------------------------------------------------------

    def start_connection_test(self) -> None:
        """Start the test on the running asyncio (qasync) loop and return at once."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.ui.testResultLabel.setText("The connection cannot be tested right now.")
            return
        if self.test_task is not None and not self.test_task.done():
            return
        self.test_task = loop.create_task(self.test_connection())

    async def test_connection(self) -> None:
        ui = self.ui
        values = self.values()
        ui.testButton.setEnabled(False)
        ui.testResultLabel.setText("Testing…")
        try:
            report = await check_connection(
                values["connection.server_url"],
                ca_bundle=values["connection.ca_bundle"] or None,
                timeout_s=float(values["connection.timeout_s"]),
            )
            ui.testResultLabel.setText(report.message)
            ui.testResultLabel.setProperty("ok", report.ok)
        finally:
            ui.testButton.setEnabled(True)

    # -- account ----------------------------------------------------------------------------

    def _token_store(self) -> TokenStore | None:
        server = self.settings.value("connection.server_url")
        user = self.settings.value("account.user")
        return TokenStore(server, user) if server and user else None

    def _sign_out(self) -> None:
        self.forget_token()
        self.sign_out_requested.emit()
        self.ui.userLabel.setText("Not signed in")
        self.ui.signOutButton.setEnabled(False)

    def forget_token(self) -> None:
        store = self._token_store()
        if store is None:
            self.ui.accountStatusLabel.setText("No sign-in is saved.")
            return
        store.clear()
        self.ui.accountStatusLabel.setText(
            f"The saved sign-in of {store.user} was removed from this computer."
        )

    def confirm_wipe(self) -> QMessageBox:
        """Asks first (a window-modal box, no nested event loop)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Wipe local cache",
            "Delete every customer and pending change kept on this computer? Changes not "
            "yet sent to the server are lost. The app closes; the next start begins afresh.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("wipeConfirmation")
        wipe = box.addButton("Wipe", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._wipe() if button is wipe else None)
        box.open()
        return box

    def _wipe(self) -> None:
        if self.wipe_cache is not None:
            self.wipe_cache()
            self.ui.accountStatusLabel.setText("The local cache was wiped.")
            self.ui.cacheSizeLabel.setText(self._cache_size_text())

    def _cache_size_text(self) -> str:
        if self.cache_file is None or not self.cache_file.exists():
            return "No cache yet"
        size = folder_size(self.cache_file.parent, prefix=self.cache_file.name)
        return f"{size / 1_048_576:,.1f} MB in {self.cache_file.parent}"
