"""The settings registry on QSettings: typed values, upgrades, unreadable files kept aside.

``open_settings()`` is called once at start-up (and by the settings dialog); its
``notice`` is a sentence the GUI shows when the stored file could not be used. The
schema itself (names, types, defaults, validators) is ``services.settings_schema``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from operator_app.gui.main_window import app_settings
from operator_app.services import settings_schema as schema
from operator_app.services.settings_schema import (
    REGISTRY,
    SettingsInvalidError,
    SettingsTooNewError,
)

__all__ = ["REGISTRY", "AppSettings", "SettingsInvalidError", "open_settings"]


class _QtStore:
    """``schema.KeyValueStore`` over one QSettings object."""

    def __init__(self, qs: QSettings) -> None:
        self.qs = qs

    def get(self, key: str) -> object | None:
        return self.qs.value(key) if self.qs.contains(key) else None

    def put(self, key: str, value: object) -> None:
        if schema.is_secret_key(key):  # a programming error, never a user's
            raise ValueError(f"refusing to store {key!r} in the settings file")
        self.qs.setValue(key, value)

    def remove(self, key: str) -> None:
        self.qs.remove(key)

    def all_keys(self) -> list[str]:
        return list(self.qs.allKeys())


def _unreadable_reason(qs: QSettings) -> str | None:
    if qs.status() == QSettings.Status.FormatError:
        return "the file is damaged"
    path = Path(qs.fileName())
    if qs.format() == QSettings.Format.IniFormat or path.suffix in (".ini", ".conf"):
        try:
            data = path.read_bytes() if path.is_file() else b""
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "the file is not text"
        except OSError as exc:
            return f"the file cannot be read: {exc.strerror or exc}"
        if b"\x00" in data:
            return "the file is not text"
    return None


class AppSettings:
    """Typed access to every registered setting."""

    def __init__(self, qs: QSettings, notice: str | None = None) -> None:
        self.qs = qs
        self.store = _QtStore(qs)
        self.notice = notice
        self._values, self.problems = schema.read_values(self.store)

    @property
    def path(self) -> Path:
        return Path(self.qs.fileName())

    def value(self, name: str) -> Any:
        return self._values[name]

    def values(self) -> dict[str, Any]:
        return dict(self._values)

    def save(self, values: Mapping[str, Any]) -> None:
        """All or nothing: SettingsInvalidError (nothing written) when any value is
        wrong; OSError when the file cannot be written (QSettings writes the file
        whole, through a temporary file, so a failed write leaves the old one)."""
        merged = {**self._values, **values}
        schema.write_values(self.store, merged)
        self.qs.sync()
        if self.qs.status() != QSettings.Status.NoError:
            raise OSError(f"the settings could not be written to {self.qs.fileName()}")
        self._values = merged


def open_settings(path: Path | None = None) -> AppSettings:
    """The app's settings (``path``: an INI file instead of the per-user one).

    A damaged file, or one from a newer version of the app, is copied to
    ``<file>.unreadable-<timestamp>`` and the defaults are used; ``notice`` says so.
    """
    qs = _qsettings(path)
    reason = _unreadable_reason(qs)
    if reason is None:
        try:
            schema.upgrade(_QtStore(qs))
            qs.sync()
            return AppSettings(qs)
        except SettingsTooNewError as exc:
            reason = str(exc)
    file = Path(qs.fileName())
    notice = f"Your settings could not be used ({reason}); the defaults are in effect."
    if file.is_file():
        aside = schema.keep_aside(file)
        notice = schema.aside_notice(file, aside, reason)
    # Qt caches a file's contents per process: forget them, then start afresh.
    qs.clear()
    qs.sync()
    if file.exists() and _unreadable_reason(qs) is not None:
        file.unlink()
    fresh = _qsettings(path)
    schema.upgrade(_QtStore(fresh))
    fresh.sync()
    return AppSettings(fresh, notice)


def _qsettings(path: Path | None) -> QSettings:
    if path is None:
        return app_settings()
    return QSettings(str(path), QSettings.Format.IniFormat)


def start_logging_and_settings(data_dir: Path | None) -> str | None:
    """Start-up: rotating logs (under ``--data-dir`` when given), then the settings
    upgraded or kept aside. Returns the notice to show, if any."""
    import logging

    from operator_app.services.logs import log_folder, setup_logging

    setup_logging(log_folder(data_dir))
    settings = open_settings()
    if settings.notice:
        logging.getLogger(__name__).warning("%s", settings.notice)
    return settings.notice
