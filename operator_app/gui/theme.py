"""Light and dark themes: a Fusion palette plus QSS from ``resources/themes``.

``apply_theme(app, "system")`` follows the OS colour scheme (``QStyleHints.colorScheme``)
and keeps following it while the app runs. Colours that widgets paint themselves (the
timeline delegate, avatars, badges) come from ``tokens()``; widgets that cache pixmaps
listen to ``theme_changed()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Literal

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ThemeMode = Literal["light", "dark", "system"]
ThemeName = Literal["light", "dark"]
THEME_MODES: tuple[ThemeMode, ...] = ("light", "dark", "system")
DENSITIES = ("comfortable", "compact")


@dataclass(frozen=True, slots=True)
class Tokens:
    window: str
    panel: str
    panel_alt: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    accent_soft: str
    open_row: str
    warning: str
    warning_soft: str
    danger: str
    danger_soft: str
    success: str
    success_soft: str
    selection: str
    selection_text: str


LIGHT = Tokens(
    window="#eef1f5",
    panel="#ffffff",
    panel_alt="#f7f8fa",
    border="#dde2e9",
    text="#1d2430",
    muted="#5f6b7a",
    accent="#2f6fde",
    accent_text="#ffffff",
    accent_soft="#e7effd",
    open_row="#eef5ff",
    warning="#a65b00",
    warning_soft="#fff3df",
    danger="#c22f2f",
    danger_soft="#fde9e9",
    success="#237a3b",
    success_soft="#e5f4e9",
    selection="#d6e4fb",
    selection_text="#10243f",
)

DARK = Tokens(
    window="#14171c",
    panel="#1c2027",
    panel_alt="#232831",
    border="#323944",
    text="#e4e8ee",
    muted="#9aa5b4",
    accent="#5b93f5",
    accent_text="#0d1420",
    accent_soft="#1f2f4b",
    open_row="#1b2a40",
    warning="#f2aa4c",
    warning_soft="#3a2c15",
    danger="#f07171",
    danger_soft="#3d2023",
    success="#6fc27f",
    success_soft="#1d3324",
    selection="#2b4a7c",
    selection_text="#f2f6fc",
)

THEMES: dict[ThemeName, Tokens] = {"light": LIGHT, "dark": DARK}


class _ThemeState(QObject):
    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.name: ThemeName = "light"
        self.mode: ThemeMode = "light"
        self.following_system = False
        self.density = "comfortable"


_state: _ThemeState | None = None


def _theme_state() -> _ThemeState:
    global _state
    if _state is None:
        _state = _ThemeState()
    return _state


def theme_changed() -> SignalInstance:
    """Signal(str) emitted with the new theme name after every ``apply_theme``."""
    return _theme_state().changed


def current_theme() -> ThemeName:
    return _theme_state().name


def current_mode() -> ThemeMode:
    return _theme_state().mode


def tokens() -> Tokens:
    return THEMES[_theme_state().name]


def resources_dir() -> Path:
    """``resources/`` next to the package (source tree) or inside it (installed)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package.parent / "resources", package / "resources"):
        if (candidate / "themes").is_dir():
            return candidate
    return package.parent / "resources"


@cache
def stylesheet(name: ThemeName) -> str:
    """``app.qss`` with the theme's colour tokens filled in, then ``<name>.qss``."""
    themes = resources_dir() / "themes"
    parts = []
    base = themes / "app.qss"
    if base.is_file():
        values = {field: getattr(THEMES[name], field) for field in Tokens.__slots__}
        parts.append(Template(base.read_text(encoding="utf-8")).substitute(values))
    extra = themes / f"{name}.qss"
    if extra.is_file():
        parts.append(extra.read_text(encoding="utf-8"))
    return "\n".join(parts)


def resolve_theme(mode: ThemeMode, scheme: Qt.ColorScheme | None = None) -> ThemeName:
    """``system`` becomes dark only when the OS says so; an unknown scheme reads as light."""
    if mode != "system":
        return mode
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def build_palette(t: Tokens) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    for grp in (group.Active, group.Inactive):
        p.setColor(grp, role.Window, QColor(t.window))
        p.setColor(grp, role.WindowText, QColor(t.text))
        p.setColor(grp, role.Base, QColor(t.panel))
        p.setColor(grp, role.AlternateBase, QColor(t.panel_alt))
        p.setColor(grp, role.Text, QColor(t.text))
        p.setColor(grp, role.Button, QColor(t.panel))
        p.setColor(grp, role.ButtonText, QColor(t.text))
        p.setColor(grp, role.BrightText, QColor(t.danger))
        p.setColor(grp, role.ToolTipBase, QColor(t.panel_alt))
        p.setColor(grp, role.ToolTipText, QColor(t.text))
        p.setColor(grp, role.PlaceholderText, QColor(t.muted))
        p.setColor(grp, role.Highlight, QColor(t.selection))
        p.setColor(grp, role.HighlightedText, QColor(t.selection_text))
        p.setColor(grp, role.Link, QColor(t.accent))
        p.setColor(grp, role.Light, QColor(t.panel))
        p.setColor(grp, role.Midlight, QColor(t.panel_alt))
        p.setColor(grp, role.Mid, QColor(t.border))
        p.setColor(grp, role.Dark, QColor(t.border))
        p.setColor(grp, role.Shadow, QColor(t.border))
        p.setColor(grp, role.Accent, QColor(t.accent))
    muted = QColor(t.muted)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, muted)
    p.setColor(group.Disabled, role.Base, QColor(t.panel_alt))
    p.setColor(group.Disabled, role.Window, QColor(t.window))
    p.setColor(group.Disabled, role.Button, QColor(t.panel_alt))
    p.setColor(group.Disabled, role.Highlight, QColor(t.border))
    return p


def apply_theme(app: QApplication, mode: str) -> ThemeName:
    """Apply ``light``, ``dark`` or ``system`` to the whole application; returns the
    theme actually shown. Unknown names raise ``ValueError`` (a settings bug)."""
    if mode not in THEME_MODES:
        raise ValueError(f"unknown theme {mode!r}; expected one of {', '.join(THEME_MODES)}")
    state = _theme_state()
    state.mode = mode
    hints = QGuiApplication.styleHints()
    if mode == "system" and not state.following_system:
        hints.colorSchemeChanged.connect(follow_system_scheme)
        state.following_system = True
    elif mode != "system" and state.following_system:
        hints.colorSchemeChanged.disconnect(follow_system_scheme)
        state.following_system = False
    name = resolve_theme(mode)
    _show(app, name)
    return name


def current_density() -> str:
    return _theme_state().density


def set_density(app: QApplication, density: str) -> None:
    """``comfortable`` or ``compact`` (``resources/themes/compact.qss`` on top of the
    theme); applied at once to every widget."""
    if density not in DENSITIES:
        raise ValueError(f"unknown density {density!r}; expected one of {', '.join(DENSITIES)}")
    state = _theme_state()
    if state.density != density:
        state.density = density
        _show(app, state.name)


def follow_system_scheme(scheme: Qt.ColorScheme) -> None:
    """Slot for ``QStyleHints.colorSchemeChanged`` while the mode is ``system``."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and _theme_state().mode == "system":
        _show(app, resolve_theme("system", scheme))


def _show(app: QApplication, name: ThemeName) -> None:
    state = _theme_state()
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(build_palette(THEMES[name]))
    sheet = stylesheet(name)
    if state.density == "compact":
        compact = resources_dir() / "themes" / "compact.qss"
        if compact.is_file():
            sheet += "\n" + compact.read_text(encoding="utf-8")
    app.setStyleSheet(sheet)
    state.name = name
    state.changed.emit(name)
