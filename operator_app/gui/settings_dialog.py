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

from PySide6.QtCore import QEvent, QLocale, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from operator_app.api import ApiClient, TokenStore
from operator_app.gui import theme
from operator_app.gui.account_actions import AccountActions
from operator_app.gui.font_scale import apply_font_scale
from operator_app.gui.forms.ui_settings_dialog import Ui_SettingsDialog
from operator_app.gui.i18n import translate
from operator_app.gui.settings_registry import AppSettings, SettingsInvalidError
from operator_app.gui.user_messages import user_message
from operator_app.services import settings_schema as schema
from operator_app.services.connection_check import check_connection
from operator_app.services.diagnostics import folder_size


def choices() -> dict[str, tuple[tuple[str, str], ...]]:
    """Combo box items per setting: (stored value, text shown)."""
    return {
        # Each language names itself, so a person who cannot read the current one finds theirs.
        "appearance.language": (
            ("system", translate("SettingsDialog", "System language")),
            ("en", "English"),
            ("ru", "Русский"),
        ),
        "appearance.theme": (
            ("system", translate("SettingsDialog", "Follow the system")),
            ("light", translate("SettingsDialog", "Light")),
            ("dark", translate("SettingsDialog", "Dark")),
        ),
        "appearance.density": (
            ("comfortable", translate("SettingsDialog", "Comfortable")),
            ("compact", translate("SettingsDialog", "Compact")),
        ),
    }


def shortcut_labels() -> dict[str, str]:
    return {
        "focus_search": translate("SettingsDialog", "Find a customer"),
        "next_panel": translate("SettingsDialog", "Next panel"),
        "focus_left": translate("SettingsDialog", "Left panel"),
        "focus_centre": translate("SettingsDialog", "Customer card"),
        "focus_right": translate("SettingsDialog", "Assist panel"),
        "back": translate("SettingsDialog", "Back to search"),
        "timeline": translate("SettingsDialog", "Timeline"),
        "refresh": translate("SettingsDialog", "Refresh"),
        "resolve_and_ask": translate("SettingsDialog", "Resolve and ask"),
        "supervisor": translate("SettingsDialog", "Supervisor view"),
        "settings": translate("SettingsDialog", "Settings"),
        "quit": translate("SettingsDialog", "Quit"),
    }


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
        account: AccountActions | None = None,
        admin_api: ApiClient | None = None,
        load_products: Any = None,
        language_changed: Callable[[str], None] | None = None,
        reserved_shortcuts: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        # Keys of the window's other commands (lower-case portable text → command name).
        self.reserved_shortcuts = reserved_shortcuts or {}
        self.cache_file = cache_file
        self.wipe_cache = wipe_cache
        self.account = account
        self.language_changed = language_changed
        self.signed_in_user = signed_in_user
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
            self.ui.noticeLabel.setText(user_message(settings.notice))
        self._name_controls()
        self.validate()
        self.admin_pages: list[Any] = []
        if admin_api is not None:  # only for a signed-in admin; see app_menus
            from operator_app.gui.settings_admin import install_admin_pages

            self.admin_pages = install_admin_pages(
                self, self.ui.pageList, self.ui.pages, admin_api, load_products=load_products
            )

    def _name_controls(self) -> None:
        """Accessible names for the controls Designer cannot name from a label."""
        ui = self.ui
        ui.pageList.setAccessibleName(translate("SettingsDialog", "Settings pages"))
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(
            translate("SettingsDialog", "Save settings")
        )
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            translate("SettingsDialog", "Cancel")
        )

    # -- building ----------------------------------------------------------------------

    def _fill_choices(self) -> None:
        ui = self.ui
        items = choices()
        for combo, name in self._combos():
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            for value, text in items[name]:
                combo.addItem(text, value)
            if current is not None:
                combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        del ui

    def _combos(self) -> tuple[tuple[QComboBox, str], ...]:
        ui = self.ui
        return (
            (ui.languageCombo, "appearance.language"),
            (ui.themeCombo, "appearance.theme"),
            (ui.densityCombo, "appearance.density"),
        )

    def _build_shortcuts(self) -> None:
        self.shortcut_edits: dict[str, QKeySequenceEdit] = {}
        self.shortcut_errors: dict[str, QLabel] = {}
        self.shortcut_labels: dict[str, QLabel] = {}
        for action in schema.SHORTCUT_DEFAULTS:
            name = f"shortcuts.{action}"
            edit = QKeySequenceEdit(self.ui.shortcutsPage)
            edit.setObjectName(f"shortcut_{action}")
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            error = QLabel(self.ui.shortcutsPage)
            error.setObjectName(f"shortcut_{action}_error")
            error.setProperty("class", "fieldError")
            error.setVisible(False)
            label = QLabel(self.ui.shortcutsPage)
            label.setBuddy(edit)
            self.ui.shortcutsForm.addRow(label, edit)
            self.ui.shortcutsForm.addRow("", error)
            self.shortcut_edits[name] = edit
            self.shortcut_errors[name] = error
            self.shortcut_labels[name] = label
        self._name_shortcuts()

    def _name_shortcuts(self) -> None:
        labels = shortcut_labels()
        for action in schema.SHORTCUT_DEFAULTS:
            name = f"shortcuts.{action}"
            label = labels[action]
            self.shortcut_labels[name].setText(label)
            self.shortcut_edits[name].setAccessibleName(
                translate("SettingsDialog", "Shortcut for {action}").format(action=label)
            )
            self.shortcut_errors[name].setAccessibleName(
                translate("SettingsDialog", "Problem with the shortcut for {action}").format(
                    action=label
                )
            )

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
        for combo, name in self._combos():
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
        ui.userLabel.setText(signed_in_user or translate("SettingsDialog", "Not signed in"))
        ui.signOutButton.setEnabled(bool(signed_in_user))
        ui.signOutButton.clicked.connect(self.ask_sign_out)
        ui.forgetTokenButton.clicked.connect(self.forget_token)
        ui.wipeCacheButton.setEnabled(self.wipe_cache is not None or self.account is not None)
        ui.wipeCacheButton.clicked.connect(self.ask_wipe)
        if self.account is not None:
            self.account.signed_out.connect(ui.accountStatusLabel.setText)
            self.account.wiped.connect(self._on_wiped)

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
        values = self.values()
        self._errors = schema.validate(values)
        for name in self.shortcut_edits:
            owner = self.reserved_shortcuts.get(str(values[name]).replace(" ", "").lower())
            if owner and name not in self._errors:
                self._errors[name] = translate(
                    "SettingsDialog", "Also used by “{command}”."
                ).format(command=owner)
        labels = {name: error for name, (_edit, error) in self._line_edits().items()}
        labels.update(self.shortcut_errors)
        for name, label in labels.items():
            message = self._errors.get(name, "")
            label.setText(user_message(message) if message else "")
            label.setVisible(bool(message))
        save = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not self._errors)
        save.setToolTip(
            translate("SettingsDialog", "Correct the fields marked in red first")
            if self._errors
            else ""
        )
        return dict(self._errors)

    def save(self) -> None:
        if self.validate():
            return
        try:
            self.settings.save(self.values())
        except (SettingsInvalidError, OSError) as exc:
            message = translate("SettingsDialog", "Nothing was saved: {reason}")
            self.ui.noticeLabel.setText(message.format(reason=user_message(exc)))
            return
        language_before = self._original["appearance.language"]
        self._original = self.settings.values()
        self.saved.emit()
        self.accept()
        language = str(self._original["appearance.language"])
        if language != language_before and self.language_changed is not None:
            self.language_changed(language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The open dialog follows a language change (Designer texts and code-set ones)."""
        page = self.ui.pageList.currentRow()
        self.ui.retranslateUi(self)
        self.ui.pageList.setCurrentRow(page)
        self._fill_choices()
        self._name_shortcuts()
        self._name_controls()
        self.ui.userLabel.setText(
            self.signed_in_user or translate("SettingsDialog", "Not signed in")
        )
        self.ui.cacheSizeLabel.setText(self._cache_size_text())
        self.validate()

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
            self.ui.testResultLabel.setText(
                translate("SettingsDialog", "The connection cannot be tested right now.")
            )
            return
        if self.test_task is not None and not self.test_task.done():
            return
        self.test_task = loop.create_task(self.test_connection())

    async def test_connection(self) -> None:
        ui = self.ui
        values = self.values()
        ui.testButton.setEnabled(False)
        ui.testResultLabel.setText(translate("SettingsDialog", "Testing…"))
        try:
            report = await check_connection(
                values["connection.server_url"],
                ca_bundle=values["connection.ca_bundle"] or None,
                timeout_s=float(values["connection.timeout_s"]),
                proxy=values["connection.proxy"] or None,
            )
            ui.testResultLabel.setText(user_message(report.message))
            ui.testResultLabel.setProperty("ok", report.ok)
        finally:
            ui.testButton.setEnabled(True)

    # -- account ----------------------------------------------------------------------------

    def _token_store(self) -> TokenStore | None:
        server = self.settings.value("connection.server_url")
        user = self.settings.value("account.user")
        return TokenStore(server, user) if server and user else None

    def ask_sign_out(self) -> None:
        """Sign out now, or first say that unsent changes wait for the next sign-in."""
        if self.account is None:
            self._sign_out()
            return
        self.account.count_pending(self._confirm_sign_out)

    def _confirm_sign_out(self, pending: int) -> QMessageBox | None:
        if pending == 0:
            self._sign_out()
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            translate("SettingsDialog", "Sign out"),
            translate(
                "SettingsDialog",
                "%n change(s) made here have not reached the server yet. They stay on this "
                "computer and are sent after you sign in again as the same user. Sign out?",
                None,
                pending,
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("signOutConfirmation")
        sign_out = box.addButton(
            translate("SettingsDialog", "Sign out"), QMessageBox.ButtonRole.AcceptRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: self._sign_out() if b is sign_out else None)
        box.open()
        return box

    def _sign_out(self) -> None:
        if self.account is not None:
            self.ui.accountStatusLabel.setText(translate("SettingsDialog", "Signing out…"))
            self.account.sign_out()
        else:
            self.forget_token()
            self.sign_out_requested.emit()
        self.signed_in_user = None
        self.ui.userLabel.setText(translate("SettingsDialog", "Not signed in"))
        self.ui.signOutButton.setEnabled(False)
        for page in self.admin_pages:  # no longer allowed; the server would refuse anyway
            page.setEnabled(False)

    def forget_token(self) -> None:
        live_user = self.account.forget_saved_token() if self.account is not None else None
        if live_user is not None:
            self.ui.accountStatusLabel.setText(
                translate(
                    "SettingsDialog",
                    "The saved sign-in of {user} was removed from this computer; you stay "
                    "signed in until you quit.",
                ).format(user=live_user)
            )
            return
        store = self._token_store()
        if store is None:
            self.ui.accountStatusLabel.setText(translate("SettingsDialog", "No sign-in is saved."))
            return
        store.clear()
        self.ui.accountStatusLabel.setText(
            translate(
                "SettingsDialog", "The saved sign-in of {user} was removed from this computer."
            ).format(user=store.user)
        )

    def ask_wipe(self) -> None:
        if self.account is None:
            self.confirm_wipe()
        else:
            self.account.count_pending(lambda pending: self.confirm_wipe(pending))

    def confirm_wipe(self, pending: int | None = None) -> QMessageBox:
        """Asks first (a window-modal box, no nested event loop)."""
        if pending:
            lost = translate(
                "SettingsDialog",
                "%n change(s) made here have not reached the server yet and would be lost.",
                None,
                pending,
            )
        elif pending == 0:
            lost = translate("SettingsDialog", "Every change made here has reached the server.")
        else:
            lost = translate("SettingsDialog", "Changes not yet sent to the server are lost.")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            translate("SettingsDialog", "Wipe local cache"),
            translate(
                "SettingsDialog",
                "Delete every customer and pending change kept on this computer?",
            )
            + " "
            + lost
            + " "
            + (
                translate("SettingsDialog", "Everything is then downloaded from the server again.")
                if self.account is not None
                else translate("SettingsDialog", "The app closes; the next start begins afresh.")
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("wipeConfirmation")
        wipe = box.addButton(
            translate("SettingsDialog", "Wipe"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._wipe() if button is wipe else None)
        box.open()
        return box

    def _wipe(self) -> None:
        if self.account is not None:
            self.ui.accountStatusLabel.setText(
                translate("SettingsDialog", "Wiping the local cache…")
            )
            self.account.wipe()
        elif self.wipe_cache is not None:
            self.wipe_cache()
            self._on_wiped(translate("SettingsDialog", "The local cache was wiped."))

    def _on_wiped(self, message: str) -> None:
        self.ui.accountStatusLabel.setText(message)
        self.ui.cacheSizeLabel.setText(self._cache_size_text())

    def _cache_size_text(self) -> str:
        if self.cache_file is None or not self.cache_file.exists():
            return translate("SettingsDialog", "No cache yet")
        size = folder_size(self.cache_file.parent, prefix=self.cache_file.name)
        megabytes = QLocale().toString(size / 1_048_576, "f", 1)
        text = translate("SettingsDialog", "{size} MB in {folder}")
        return text.format(size=megabytes, folder=self.cache_file.parent)
