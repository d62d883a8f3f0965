"""Every user setting, declared once: name, type, default, validator, description.

The GUI (``gui.settings_registry``) stores these through QSettings; this module holds
what does not need Qt: parsing stored text into typed values, validation with messages
a user can read, versioned upgrades of older settings files, and keeping an unreadable
or too-new file aside. Secrets (passwords, tokens) are never settings: they live in
the OS keyring (``api.TokenStore``), and :func:`is_secret_key` guards the store.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

SETTINGS_VERSION = 1
VERSION_KEY = "settings_version"
MAX_TEXT = 2000
MAX_USER = 150
MAX_SHORTCUT = 40

Validator = Callable[[Any], "str | None"]


class SettingsTooNewError(Exception):
    """The file was written by a newer version of the app."""


class SettingsInvalidError(Exception):
    """Some values did not validate; nothing was written. ``errors``: name → message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in errors.items()))
        self.errors = dict(errors)


class KeyValueStore(Protocol):
    """What the schema needs from a settings backend (QSettings in the GUI)."""

    def get(self, key: str) -> object | None: ...
    def put(self, key: str, value: object) -> None: ...
    def remove(self, key: str) -> None: ...
    def all_keys(self) -> list[str]: ...


@dataclass(frozen=True)
class Setting:
    name: str  # dotted: "connection.server_url"; stored as "connection/server_url"
    kind: type
    default: Any
    description: str
    label: str
    validate: Validator = field(default=lambda _value: None)
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.name.replace(".", "/")

    def parse(self, raw: object) -> tuple[Any, str | None]:
        """Typed value from what the store holds (INI gives text); (default, error) when
        it cannot be read as this setting's type or does not validate."""
        try:
            value = _coerce(self.kind, raw)
        except (TypeError, ValueError):
            return self.default, f"{self.label} must be {_KIND_WORDS[self.kind]}, not {raw!r:.40}."
        error = self.check(value)
        return (self.default, error) if error else (value, None)

    def check(self, value: Any) -> str | None:
        """User-readable problem with a typed value, or None."""
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            return f"{self.label} must be {_KIND_WORDS[self.kind]}."
        if self.choices and value not in self.choices:
            return f"{self.label} must be one of: {', '.join(self.choices)}."
        return self.validate(value)


_KIND_WORDS: dict[type, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "on or off",
}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _coerce(kind: type, raw: object) -> Any:
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(raw)
    if kind is int:
        if isinstance(raw, bool):
            raise TypeError(raw)
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(raw)
        return int(str(raw).strip()) if isinstance(raw, str) else int(raw)  # type: ignore[call-overload]
    if kind is float:
        if isinstance(raw, bool):
            raise TypeError(raw)
        return float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    if isinstance(raw, str):
        return raw
    raise TypeError(raw)


# --- validators: each returns a sentence or None -------------------------------------------


def _text(label: str, limit: int = MAX_TEXT) -> Validator:
    def check(value: str) -> str | None:
        if len(value) > limit:
            return f"{label} is too long ({len(value)} characters; at most {limit})."
        if any(ord(ch) < 32 for ch in value):
            return f"{label} must not contain control characters or line breaks."
        return None

    return check


def _server_url(value: str) -> str | None:
    if problem := _text("The server address")(value):
        return problem
    if not value.strip():
        return None  # not configured yet: the app works offline (and in the demo)
    # Imported here: the API package loads httpx and the keyring, which a start without
    # a server address does not need.
    from operator_app.api.client import normalize_server_url
    from operator_app.api.errors import ConfigurationError

    try:
        normalize_server_url(value)
    except ConfigurationError as exc:
        return str(exc)
    return None


def _ca_bundle(value: str) -> str | None:
    if problem := _text("The CA bundle path")(value):
        return problem
    if not value.strip():
        return None  # the system's certificates
    path = Path(value).expanduser()
    if not path.exists():
        return f"The CA bundle {value!r:.80} does not exist."
    if not path.is_file():
        return f"The CA bundle {value!r:.80} is a folder; choose a .pem file."
    return None


def _proxy(value: str) -> str | None:
    if problem := _text("The proxy address")(value):
        return problem
    if not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https", "socks5") or not parts.hostname:
        return "The proxy must look like http://proxy.example.com:3128 (http, https or socks5)."
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "The proxy's port must be a number between 1 and 65535."
    return None


def _user(value: str) -> str | None:
    if problem := _text("The user name", MAX_USER)(value):
        return problem
    if value and not value.strip():
        return "The user name must not be only spaces."
    return None


def _folder(value: str) -> str | None:
    if problem := _text("The cache folder")(value):
        return problem
    if not value.strip():
        return None  # the default data folder
    path = Path(value).expanduser()
    if not path.is_absolute():
        return "The cache folder must be a full path, such as /home/me/operator-cache."
    if path.exists() and not path.is_dir():
        return f"{value!r:.80} is a file, not a folder."
    return None


def _between(label: str, low: float, high: float, unit: str = "") -> Validator:
    def check(value: float) -> str | None:
        if not low <= value <= high:
            return f"{label} must be between {low:g} and {high:g}{unit}."
        return None

    return check


_SHORTCUT_CHARS = re.compile(r"^[\w+,.;:'\[\]/\\`=\- ]*$")


def _shortcut(value: str) -> str | None:
    if len(value) > MAX_SHORTCUT:
        return f"The shortcut is too long ({len(value)} characters; at most {MAX_SHORTCUT})."
    if not _SHORTCUT_CHARS.match(value):
        return f"{value!r:.40} is not a key combination."
    return None


# --- the registry ----------------------------------------------------------------------------

# Action names match the main window's actions; defaults are its built-in shortcuts.
SHORTCUT_DEFAULTS: dict[str, tuple[str, str]] = {
    "focus_search": ("Find a customer", "Ctrl+F"),
    "next_panel": ("Next panel", "Ctrl+L"),
    "focus_left": ("Left panel", "Ctrl+1"),
    "focus_centre": ("Customer card", "Ctrl+2"),
    "focus_right": ("Assist panel", "Ctrl+3"),
    "back": ("Back to search", "Alt+Left"),
    "timeline": ("Timeline", "Ctrl+T"),
    "refresh": ("Refresh", "F5"),
    "resolve_and_ask": ("Resolve and ask", "Ctrl+Shift+A"),
    "supervisor": ("Supervisor view", "F8"),
    "settings": ("Settings", "Ctrl+,"),
    "quit": ("Quit", "Ctrl+Q"),
}


def _build() -> dict[str, Setting]:
    items = [
        Setting(
            "connection.server_url",
            str,
            "",
            "Address of the operator-app server; empty works offline.",
            "Server address",
            _server_url,
        ),
        Setting(
            "connection.ca_bundle",
            str,
            "",
            "PEM file with the company's CA certificates; empty uses the system's.",
            "CA bundle",
            _ca_bundle,
        ),
        Setting(
            "connection.proxy",
            str,
            "",
            "HTTP(S) or SOCKS5 proxy; empty connects directly.",
            "Proxy",
            _proxy,
        ),
        Setting(
            "connection.timeout_s",
            float,
            30.0,
            "Seconds to wait for the server.",
            "Timeout",
            _between("The timeout", 1, 300, " seconds"),
        ),
        Setting(
            "account.user",
            str,
            "",
            "The user name last signed in (never the password).",
            "User",
            _user,
        ),
        Setting(
            "sync.interval_s",
            int,
            60,
            "Seconds between background syncs.",
            "Sync interval",
            _between("The sync interval", 15, 86400, " seconds"),
        ),
        Setting(
            "cache.location",
            str,
            "",
            "Folder of the local cache; empty uses the data folder.",
            "Cache folder",
            _folder,
        ),
        Setting(
            "notifications.enabled", bool, True, "Show desktop notifications.", "Notifications"
        ),
        Setting(
            "notifications.sound",
            bool,
            False,
            "Play a sound with notifications.",
            "Notification sound",
        ),
        Setting(
            "appearance.language",
            str,
            "system",
            "Interface language.",
            "Language",
            choices=("system", "en", "ru"),
        ),
        Setting(
            "appearance.theme",
            str,
            "system",
            "Colour theme.",
            "Theme",
            choices=("system", "light", "dark"),
        ),
        Setting(
            "appearance.font_scale",
            float,
            1.0,
            "Text size relative to the system's.",
            "Font scale",
            _between("The font scale", 0.8, 2.0),
        ),
        Setting(
            "appearance.density",
            str,
            "comfortable",
            "Spacing of lists and forms.",
            "Density",
            choices=("comfortable", "compact"),
        ),
        Setting(
            "startup.autostart",
            bool,
            False,
            "Start the app when you sign in to the computer.",
            "Start automatically",
        ),
    ]
    for action, (label, keys) in SHORTCUT_DEFAULTS.items():
        items.append(
            Setting(f"shortcuts.{action}", str, keys, f"Shortcut: {label}.", label, _shortcut)
        )
    return {item.name: item for item in items}


REGISTRY: dict[str, Setting] = _build()


def defaults() -> dict[str, Any]:
    return {name: setting.default for name, setting in REGISTRY.items()}


def validate(values: Mapping[str, Any]) -> dict[str, str]:
    """name → message for every value that is unknown or does not validate."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        setting = REGISTRY.get(name)
        if setting is None:
            errors[name] = f"{name!r} is not a setting."
        elif problem := setting.check(value):
            errors[name] = problem
    errors.update(
        shortcut_collisions(
            {name: value for name, value in values.items() if name.startswith("shortcuts.")}
        )
    )
    return errors


def shortcut_collisions(shortcuts: Mapping[str, str]) -> dict[str, str]:
    """name → "Also used by …" for every shortcut that another action uses too. Compare
    normalised text (the GUI passes ``QKeySequence.toString(PortableText)``)."""
    owners: dict[str, list[str]] = {}
    for name, keys in shortcuts.items():
        norm = keys.replace(" ", "").lower()
        if norm:
            owners.setdefault(norm, []).append(name)
    errors: dict[str, str] = {}
    for names in owners.values():
        for name in names:
            others = [REGISTRY[o].label if o in REGISTRY else o for o in names if o != name]
            if others:
                errors[name] = f"Also used by {', '.join(others)}."
    return errors


_SECRET_WORDS = re.compile(
    r"pass(word)?|secret|token|authori[sz]ation|cookie|api_?key", re.IGNORECASE
)


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_WORDS.search(key))


# --- reading, writing, upgrading -------------------------------------------------------------


def read_values(store: KeyValueStore) -> tuple[dict[str, Any], dict[str, str]]:
    """Every setting's typed value (defaults where unset or unreadable) and, for the
    unreadable ones, why their default is used."""
    values = defaults()
    problems: dict[str, str] = {}
    for name, setting in REGISTRY.items():
        raw = store.get(setting.key)
        if raw is None:
            continue
        value, error = setting.parse(raw)
        values[name] = value
        if error:
            problems[name] = error
    return values, problems


def write_values(store: KeyValueStore, values: Mapping[str, Any]) -> None:
    """Validate everything first and write only when all is well (SettingsInvalidError
    otherwise, with nothing written)."""
    errors = validate(values)
    if errors:
        raise SettingsInvalidError(errors)
    for name, value in values.items():
        store.put(REGISTRY[name].key, value)
    store.put(VERSION_KEY, SETTINGS_VERSION)


def stored_version(store: KeyValueStore) -> int:
    raw = store.get(VERSION_KEY)
    if raw is None:
        return 0
    try:
        return int(str(raw))
    except ValueError:
        raise SettingsTooNewError(f"unreadable settings version {raw!r:.20}") from None


def _v0_to_v1(store: KeyValueStore) -> None:
    # Version 0 (before this registry) kept the server under "server/url" and the
    # language under "ui/language"; some builds also left a token behind.
    renames = {
        "server/url": "connection/server_url",
        "server/user": "account/user",
        "ui/language": "appearance/language",
    }
    for old, new in renames.items():
        value = store.get(old)
        if value is not None:
            if store.get(new) is None:
                store.put(new, value)
            store.remove(old)
    for key in store.all_keys():
        if is_secret_key(key):
            store.remove(key)


UPGRADES: dict[int, Callable[[KeyValueStore], None]] = {0: _v0_to_v1}


def upgrade(store: KeyValueStore) -> list[int]:
    """Bring the store to SETTINGS_VERSION step by step; returns the versions upgraded
    from. SettingsTooNewError when a newer app wrote it (the caller keeps it aside)."""
    version = stored_version(store)
    if version > SETTINGS_VERSION or version < 0:
        raise SettingsTooNewError(
            f"the settings were written by a newer version of the app (format {version})"
        )
    done = []
    while version < SETTINGS_VERSION:
        UPGRADES[version](store)
        done.append(version)
        version += 1
        store.put(VERSION_KEY, version)
    return done


def keep_aside(path: Path, now: datetime | None = None) -> Path:
    """Copy an unreadable settings file to ``<file>.unreadable-<timestamp>`` and remove
    the original, so the app starts on defaults and the old file is still there."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{n}")
    shutil.copy2(path, target)
    path.unlink()
    return target


def aside_notice(path: Path, aside: Path, reason: str) -> str:
    return (
        f"Your settings could not be used ({reason}), so the defaults are in effect. "
        f"The old file was kept as {aside.name} in {path.parent}."
    )


def redacted(values: Mapping[str, Any], keys: Iterable[str] = ()) -> dict[str, Any]:
    """Settings fit for a diagnostics bundle: secret-looking keys dropped."""
    return {k: v for k, v in values.items() if not is_secret_key(k) and k not in set(keys)}
