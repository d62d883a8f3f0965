"""The interface in Russian and in English: plural forms through the real translator,
the window and its formats in Russian, and switching the language in Settings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from pytestqt.qtbot import QtBot

from operator_app.gui.context import AppContext
from operator_app.gui.i18n import translate
from operator_app.gui.language import apply_language, current_language, resolve
from operator_app.gui.main_window import MainWindow
from operator_app.gui.settings_dialog import SettingsDialog
from operator_app.gui.user_messages import user_message
from operator_app.gui.widgets import formatting as fmt
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset

pytestmark = OFFSCREEN_NOISE
NBSP = "\xa0"


@pytest.fixture
def russian() -> Iterator[None]:
    apply_language("ru")
    yield
    apply_language("en")  # the conftest would too; the next test's window must not see ru


@pytest.fixture
def russian_window(qtbot: QtBot, russian: None, ctx: AppContext) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: not win.db.busy)
    return win


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 клиент"),
        (2, "2 клиента"),
        (4, "4 клиента"),
        (5, "5 клиентов"),
        (11, "11 клиентов"),
        (14, "14 клиентов"),
        (21, "21 клиент"),
        (22, "22 клиента"),
        (25, "25 клиентов"),
        (101, "101 клиент"),
        (111, "111 клиентов"),
    ],
)
def test_russian_plural_forms(russian: None, count: int, expected: str) -> None:
    assert translate("SearchPanel", "%n customer(s)", None, count) == expected


@pytest.mark.parametrize(("count", "expected"), [(1, "1 customer"), (2, "2 customers")])
def test_english_plural_forms(count: int, expected: str) -> None:
    assert translate("SearchPanel", "%n customer(s)", None, count) == expected


def test_russian_days_and_ages(russian: None) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert fmt.age(now - timedelta(days=1), now) == "1 день"
    assert fmt.age(now - timedelta(days=3), now) == "3 дня"
    assert fmt.age(now - timedelta(days=11), now) == "11 дней"
    assert fmt.age(now - timedelta(days=21), now) == "21 день"
    assert fmt.age(now - timedelta(minutes=5), now) == "5 мин"


def test_system_language_follows_the_system_locale() -> None:
    assert resolve("ru") == "ru" and resolve("en") == "en"
    assert resolve("system") in ("ru", "en")


def test_window_in_russian(qtbot: QtBot, russian_window: MainWindow, dataset: Dataset) -> None:
    window = russian_window
    titles = [a.text() for a in window.menuBar().actions() if a.text()]
    assert titles[:3] == ["&Файл", "&Вид", "&Переход"]
    assert window.findChild(QMenu, "menuHelp").title() == "&Справка"
    assert window.search_panel.search_edit.placeholderText() == "Имя, телефон, почта, заказ"
    assert window.search_panel.search_edit.accessibleName() == "Поиск клиента"
    assert window.pending_label.text() == "Не отправлено: 0"
    assert window.windowTitle() == "Оператор"

    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    card = window.card_view.ui
    assert card.tierBadge.text() == "Золотой"
    # Money the Russian way: groups split by a non-breaking space, the rouble sign after.
    assert card.clvValue.text() == f"287{NBSP}450{NBSP}₽"
    order_date = card.purchasesTree.topLevelItem(0).text(1)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", order_date), order_date
    assert card.purchasesTitle.text().startswith("Последние покупки")
    assert card.coverageTree.topLevelItem(0).text(2) == "через 12 дней"
    milestones = window.card_view.milestone_texts()
    assert milestones[0] == "День рождения через 6 дней (38)"
    assert milestones[1].startswith("Клиент 7 лет (с ")
    warnings = window.assist.warnings_list
    assert warnings.item(0).text() == "Гарантия заканчивается через 12 дней"


def test_formats_follow_the_language(russian: None) -> None:
    assert QLocale().toString(1234567) == f"1{NBSP}234{NBSP}567"
    assert fmt.money(Decimal("1500.50")) == f"1{NBSP}500,50{NBSP}₽"
    apply_language("en")
    assert QLocale().toString(1234567) == "1,234,567"
    assert fmt.money(Decimal("1500.50")) == "₽1,500.50"


def test_server_messages_are_translated(russian: None) -> None:
    assert user_message("Wrong user name or password.") == "Неверное имя пользователя или пароль."
    assert user_message(
        "Cannot connect to crm.example.com: the server is unreachable or offline."
    ) == ("Не удаётся подключиться к crm.example.com: сервер недоступен или выключен.")
    assert user_message("The server crm.example.com did not answer in time.") == (
        "Сервер crm.example.com не ответил вовремя."
    )
    assert user_message(
        "The server speaks API version 2, this app speaks version 1; update the app or the server."
    ) == (
        "Сервер работает с API версии 2, а приложение — с версией 1; "
        "обновите приложение или сервер."
    )
    # Unknown sentences pass through unchanged rather than being lost.
    assert user_message("Something new went wrong.") == "Something new went wrong."


def _choose_language(qtbot: QtBot, dialog: SettingsDialog, code: str) -> None:
    combo = dialog.ui.languageCombo
    combo.setFocus()
    target = combo.findData(code)
    assert target >= 0
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    save = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_switching_the_language_in_settings_retranslates_the_open_window(
    qtbot: QtBot, window: MainWindow, dataset: Dataset, tmp_path: Path
) -> None:
    window.app_menus.settings_path = tmp_path / "settings.ini"
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    assert window.ui.menuFile.title() == "&File"
    assert window.card_view.ui.tierBadge.text() == "Gold"

    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.app_menus.dialog, SettingsDialog))
    dialog = window.app_menus.dialog
    assert isinstance(dialog, SettingsDialog)
    _choose_language(qtbot, dialog, "ru")

    qtbot.waitUntil(lambda: window.ui.menuFile.title() == "&Файл")
    assert current_language() == "ru"
    assert window.findChild(QMenu, "menuHelp").title() == "&Справка"
    assert window.app_menus.settings_action.text() == "&Настройки…"
    wait_for_card(qtbot, window, dataset.anna)
    assert window.card_view.ui.tierBadge.text() == "Золотой"
    assert window.card_view.ui.purchasesTitle.text().startswith("Последние покупки")
    assert window.search_panel.ui.mineHeader.text() == "Мои обращения"
    assert window.composer.send_button.text() == "Отправить"
    assert window.windowTitle().endswith("Оператор")
    assert QLocale().toString(1000) == f"1{NBSP}000"

    # And back, the same way; the choice is kept for the next start.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            window.app_menus.dialog is not dialog
            and isinstance(window.app_menus.dialog, SettingsDialog)
        )
    )
    again = window.app_menus.dialog
    assert isinstance(again, SettingsDialog)
    assert again.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).text() == "Сохранить"
    _choose_language(qtbot, again, "en")
    qtbot.waitUntil(lambda: window.ui.menuFile.title() == "&File")
    assert window.card_view.ui.tierBadge.text() == "Gold"
    assert again.settings.value("appearance.language") == "en"


def test_settings_problems_are_said_in_russian(qtbot: QtBot, russian: None, tmp_path: Path) -> None:
    from operator_app.gui.settings_registry import open_settings

    dialog = SettingsDialog(open_settings(tmp_path / "settings.ini"))
    qtbot.addWidget(dialog)
    refresh = dialog.shortcut_edits["shortcuts.refresh"]
    refresh.setFocus()
    refresh.clear()
    qtbot.keyClick(refresh, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    error = dialog.shortcut_errors["shortcuts.refresh"]
    qtbot.waitUntil(lambda: error.text() != "")
    assert error.text() == "Уже занято: Найти клиента."
    qtbot.keyClicks(dialog.ui.proxyEdit, "proxy.example.com")
    assert dialog.ui.proxyError.text() == (
        "Адрес прокси должен выглядеть как http://proxy.example.com:3128 (http, https или socks5)."
    )
    save = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    assert save.toolTip() == "Сначала исправьте поля, отмеченные красным"
