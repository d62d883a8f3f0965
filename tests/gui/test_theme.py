"""Light, dark and follow-the-system themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from operator_app.gui import theme
from operator_app.gui.main_window import MainWindow, app_settings
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset


def window_colour(app: QApplication) -> QColor:
    return app.palette().color(QPalette.ColorRole.Window)


def test_the_view_menu_switches_between_light_and_dark(
    qtbot, qapp: QApplication, window: MainWindow, dataset: Dataset
) -> None:
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    light_shot = window.grab().toImage()

    window.ui.actionThemeDark.trigger()
    assert theme.current_theme() == "dark"
    assert window_colour(qapp) == QColor(theme.DARK.window)
    assert theme.DARK.panel in qapp.styleSheet()
    assert window.ui.actionThemeDark.isChecked()
    assert app_settings().value("appearance/theme") == "dark"
    dark_shot = window.grab().toImage()
    # The window really repaints: the card background follows the theme.
    point = window.card_view.ui.headerFrame.mapTo(
        window, window.card_view.ui.headerFrame.rect().center()
    )
    assert light_shot.pixelColor(point) != dark_shot.pixelColor(point)
    assert dark_shot.pixelColor(point) == QColor(theme.DARK.panel)

    window.ui.actionThemeLight.trigger()
    assert theme.current_theme() == "light"
    assert window_colour(qapp) == QColor(theme.LIGHT.window)
    assert window.grab().toImage().pixelColor(point) == QColor(theme.LIGHT.panel)


def test_system_mode_follows_the_colour_scheme_the_os_reports(qapp: QApplication) -> None:
    hints = QGuiApplication.styleHints()
    shown = theme.apply_theme(qapp, "system")
    assert shown == theme.resolve_theme("system", hints.colorScheme())
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current_theme() == "dark"
    assert window_colour(qapp) == QColor(theme.DARK.window)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current_theme() == "light"
    # A fixed choice stops following the OS.
    theme.apply_theme(qapp, "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current_theme() == "light"


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        (Qt.ColorScheme.Dark, "dark"),
        (Qt.ColorScheme.Light, "light"),
        (Qt.ColorScheme.Unknown, "light"),
    ],
)
def test_resolving_system_mode(scheme: Qt.ColorScheme, expected: str) -> None:
    assert theme.resolve_theme("system", scheme) == expected
    assert theme.resolve_theme("dark", scheme) == "dark"


def test_an_unknown_theme_name_is_refused(qapp: QApplication) -> None:
    with pytest.raises(ValueError, match="unknown theme 'sepia'"):
        theme.apply_theme(qapp, "sepia")
    assert theme.current_theme() == "light"


def test_both_stylesheets_are_complete() -> None:
    for name in ("light", "dark"):
        sheet = theme.stylesheet(name)  # type: ignore[arg-type]
        assert "$" not in sheet
        assert sheet.count("{") == sheet.count("}")
        assert theme.THEMES[name].accent in sheet  # type: ignore[index]
