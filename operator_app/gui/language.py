"""The interface language: translators for the app and for Qt's own texts, the locale.

``apply_language("ru" | "en" | "system")`` is called at start-up (``--lang`` or the
``appearance.language`` setting) and again when the setting changes. Installing a
translator makes Qt send ``LanguageChange`` to every widget; the main window answers
with :func:`retranslate_window`, so an open window switches without a restart.

The app's texts come from ``resources/translations/operator_app_<lang>.qm`` (built by
``make translations`` from the ``.ts`` sources); Qt's standard buttons and dialogs from
the ``qtbase_<lang>.qm`` that ships with PySide6.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from operator_app.gui.theme import resources_dir

if TYPE_CHECKING:
    from operator_app.gui.main_window import MainWindow

LANGUAGES = ("en", "ru")
LOCALES = {
    "ru": QLocale(QLocale.Language.Russian, QLocale.Country.Russia),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}
_installed: list[QTranslator] = []
_current: list[str] = []


def translations_dir() -> Path:
    return resources_dir() / "translations"


def resolve(language: str) -> str:
    """``system`` becomes ``ru`` for a Russian system locale and ``en`` otherwise."""
    if language in LANGUAGES:
        return language
    system = QLocale.system()
    for ui_language in system.uiLanguages():
        code = ui_language.split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return "ru" if system.language() == QLocale.Language.Russian else "en"


def current_language() -> str | None:
    """The language last applied (``None`` before the first :func:`apply_language`)."""
    return _current[-1] if _current else None


def app_translator(language: str) -> QTranslator | None:
    """The app's own translator for ``language``; ``None`` when its file is missing."""
    translator = QTranslator()
    if translator.load(str(translations_dir() / f"operator_app_{language}.qm")):
        return translator
    return None


def qt_translator(language: str) -> QTranslator | None:
    """Qt's translations (OK/Cancel, file dialogs, context menus) for ``language``."""
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        return translator
    return None


def apply_language(language: str) -> str:
    """Switch the texts and the number/date formats; returns the language applied."""
    code = resolve(language)
    QLocale.setDefault(LOCALES[code])
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            QCoreApplication.removeTranslator(translator)
    for loaded in (qt_translator(code), app_translator(code)):
        if loaded is not None:
            # Kept referenced: Qt does not own an installed translator.
            _installed.append(loaded)
            if app is not None:
                QCoreApplication.installTranslator(loaded)
    _current[:] = [code]
    return code


def retranslate_window(window: MainWindow) -> None:
    """Every text in the open window again, in the language now installed."""
    window.ui.retranslateUi(window)
    window.show_shortcuts_in_tooltips()
    window.setWindowTitle(window._base_title())
    for view in (
        window.search_panel,
        window.card_view,
        window.empty_view,
        window.unknown_view,
        window.new_customer_view,
        window.assist,
    ):
        view.ui.retranslateUi(view)
    window.empty_view.retranslate()
    window.unknown_view.retranslate()
    window.search_panel.retranslate()
    window.new_customer_view.retranslate()
    if window.new_customer_view.ui.saveButton.isEnabled():
        window.enable_local_changes(True)  # its tooltip
    window.composer.retranslate()
    window.assist.offers.retranslate()
    window.name_status_items()
    window.sync.retranslate()
    desktop = getattr(window, "desktop", None)
    if desktop is not None:
        desktop.retranslate()
    supervisor = getattr(window, "supervisor", None)
    if supervisor is not None:
        supervisor.retranslate()
    menus = getattr(window, "app_menus", None)
    if menus is not None:
        menus.retranslate()
    window.card_view.delegate.invalidate()
    window.card_view.timeline_view.viewport().update()
    window.refresh()
    if window._card is not None:
        window.card_view.show_card(window._card)
        window.assist.show_card(window._card)
    else:
        window.assist.clear()
