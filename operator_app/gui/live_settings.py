"""Saved settings take effect at once: theme, text size, density, shortcuts,
notifications and autostart — no restart.

``LiveSettings.apply(values)`` runs after Save in the settings dialog and, for what the
start-up does not already do, once when the window is built (``startup=True``).
Connection settings (proxy, CA bundle, timeout) are read when the next connection is
made (``connection_options``), so they need nothing here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from operator_app.gui import theme
from operator_app.gui.font_scale import apply_font_scale
from operator_app.gui.i18n import translate
from operator_app.services import autostart
from operator_app.services.notifier import Notifier
from operator_app.services.settings_schema import SHORTCUT_DEFAULTS

if TYPE_CHECKING:
    from operator_app.gui.main_window import MainWindow
    from operator_app.gui.tray import Tray

log = logging.getLogger(__name__)
MESSAGE_MS = 15000


def connection_options(values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``ApiClient`` options from the saved connection settings; read each time a
    connection is made, so a new proxy or CA bundle is used from the next one on."""
    if values is None:
        from operator_app.gui.settings_registry import open_settings

        values = open_settings().values()
    from operator_app.api import Timeouts  # loads httpx: only when connecting

    wait = float(values["connection.timeout_s"])
    options: dict[str, Any] = {
        "timeouts": Timeouts(connect=min(Timeouts.connect, wait), read=wait, write=wait)
    }
    if values["connection.ca_bundle"]:
        options["ca_bundle"] = str(values["connection.ca_bundle"])
    if values["connection.proxy"]:
        options["proxy"] = str(values["connection.proxy"])
    return options


def _portable(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.PortableText)


def _native(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


class LiveSettings(QObject):
    def __init__(self, window: MainWindow, notifier: Notifier, tray: Tray | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.notifier = notifier
        self.tray = tray
        self.messages: list[str] = []  # what the last apply() told the user
        self.autostart_setting = False  # as last applied (set by the start-up apply)
        ui = window.ui
        self.theme_actions: dict[str, QAction] = {
            "light": ui.actionThemeLight,
            "dark": ui.actionThemeDark,
            "system": ui.actionThemeSystem,
        }
        # Whatever changes the theme (View menu, settings, the OS), the tick follows.
        theme.theme_changed().connect(self._tick_theme)
        self._tick_theme("")
        self.actions = self._registry_actions()
        # The built-in second keys (F3, F6) stay beside whatever primary key is chosen.
        self.extra_keys = {
            name: [k for k in action.shortcuts()[1:] if not k.isEmpty()]
            for name, action in self.actions.items()
        }

    def _registry_actions(self) -> dict[str, QAction]:
        ui = self.window.ui
        actions = {
            "focus_search": ui.actionFocusSearch,
            "next_panel": ui.actionNextPanel,
            "focus_left": ui.actionFocusLeft,
            "focus_centre": ui.actionFocusCentre,
            "focus_right": ui.actionFocusRight,
            "back": ui.actionBack,
            "timeline": ui.actionTimeline,
            "refresh": ui.actionRefresh,
            "quit": ui.actionQuit,
        }
        menus = getattr(self.window, "app_menus", None)
        if menus is not None:
            actions["settings"] = menus.settings_action
        sync = getattr(self.window, "sync", None)
        if sync is not None and hasattr(sync, "resolve_and_ask_action"):
            actions["resolve_and_ask"] = sync.resolve_and_ask_action
        area = getattr(self.window, "supervisor", None)
        if area is not None:
            actions["supervisor"] = area.action
        assert set(actions) <= set(SHORTCUT_DEFAULTS)
        return {f"shortcuts.{name}": action for name, action in actions.items()}

    # -- applying --------------------------------------------------------------------------

    def apply(self, values: Mapping[str, Any], *, startup: bool = False) -> list[str]:
        """Apply ``values`` (a full settings dict). At start-up the theme is left to the
        app shell (``--theme`` may override it) and autostart is not touched."""
        self.messages = []
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if not startup:
                theme.apply_theme(app, str(values["appearance.theme"]))
            size = app.font().pointSizeF()
            apply_font_scale(app, float(values["appearance.font_scale"]))
            density = theme.current_density()
            theme.set_density(app, str(values["appearance.density"]))
            if app.font().pointSizeF() != size and density == theme.current_density():
                # Views that measure their rows (the timeline) refit on a theme change.
                theme.theme_changed().emit(theme.current_theme())
        self.apply_shortcuts(values)
        self.notifier.configure(
            enabled=bool(values["notifications.enabled"]),
            sound=bool(values["notifications.sound"]),
        )
        if self.tray is not None:
            self.tray.refresh()
        wanted = bool(values["startup.autostart"])
        if not startup and wanted != self.autostart_setting:
            # Only a change of the setting touches the entry: an entry the installer
            # made stays when someone saves other settings.
            self.apply_autostart(wanted)
        self.autostart_setting = wanted
        if self.messages:
            self.window.statusBar().showMessage(" ".join(self.messages), MESSAGE_MS)
        return self.messages

    def apply_shortcuts(self, values: Mapping[str, Any]) -> None:
        others = self.other_shortcuts()
        for name, action in self.actions.items():
            text = str(values.get(name, ""))
            primary = QKeySequence(text) if text else QKeySequence()
            owner = others.get(_portable(primary).replace(" ", "").lower()) if text else None
            if owner is not None:
                # The dialog checks the settings' own shortcuts against each other; a key
                # that another command (not a setting) uses is refused here, loudly.
                label = action.text().replace("&", "")
                self.messages.append(
                    translate(
                        "LiveSettings",
                        "{keys} is already used by “{owner}”; “{action}” keeps its old shortcut.",
                    ).format(keys=_native(primary), owner=owner, action=label)
                )
                continue
            keys = ([primary] if not primary.isEmpty() else []) + [
                k for k in self.extra_keys[name] if k != primary
            ]
            action.setShortcuts(keys)
            self._update_tooltip(action)

    def other_shortcuts(self) -> dict[str, str]:
        """Lower-case portable key text → name of every window command that is not a
        setting (the settings dialog refuses these keys too)."""
        mine = set(self.actions.values())
        found: dict[str, str] = {}
        for action in self.window.findChildren(QAction):
            if action in mine:
                continue
            for keys in action.shortcuts():
                if not keys.isEmpty():
                    key = _portable(keys).replace(" ", "").lower()
                    found[key] = action.text().replace("&", "").rstrip("…. ")
        return found

    @staticmethod
    def _update_tooltip(action: QAction) -> None:
        name = action.text().replace("&", "")
        keys = ", ".join(_native(k) for k in action.shortcuts())
        tip = (
            translate("LiveSettings", "{action} ({keys})").format(action=name, keys=keys)
            if keys
            else name
        )
        action.setToolTip(tip)

    def apply_autostart(self, enabled: bool) -> None:
        try:
            if autostart.is_enabled() == enabled:
                return
            autostart.set_enabled(enabled)
        except OSError as exc:
            log.warning("autostart could not be changed: %s", exc)
            self.messages.append(
                translate(
                    "LiveSettings", "Start automatically could not be changed: {error}"
                ).format(error=exc.strerror or exc)
            )
            return
        log.info("autostart %s", "on" if enabled else "off")

    def _tick_theme(self, _name: str) -> None:
        action = self.theme_actions.get(theme.current_mode())
        if action is not None and not action.isChecked():
            action.setChecked(True)
