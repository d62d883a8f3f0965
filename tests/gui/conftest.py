"""Window fixtures: a real SQLite cache filled with a small realistic dataset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy.engine import Engine

from operator_app.cache.db import open_cache
from operator_app.gui import theme
from operator_app.gui.context import AppContext
from operator_app.gui.language import apply_language, current_language
from operator_app.gui.main_window import MainWindow, app_settings
from tests.gui.dataset import Dataset, build_dataset


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> Iterator[None]:
    theme.apply_theme(qapp, "light")
    yield
    theme.apply_theme(qapp, "light")


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """The app as an English user sees it (its plural texts need the translator too);
    a test that switches to Russian leaves English behind for the next one."""
    if current_language() != "en":
        apply_language("en")
    yield
    if current_language() != "en":
        apply_language("en")


@pytest.fixture(autouse=True)
def clean_settings() -> Iterator[None]:
    # QSettings keeps the first test's config folder for the whole process, so each
    # test starts from empty settings explicitly.
    app_settings().clear()
    yield
    app_settings().clear()


@pytest.fixture(scope="session")
def dataset_templates() -> dict[date, Dataset]:
    return {}


@pytest.fixture
def dataset(
    dataset_templates: dict[date, Dataset],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> Dataset:
    """A private copy of today's cache file (tests may write to it). Built once a day:
    the data is laid out around its day ("warranty ends in 12 days"), so a run that
    crosses midnight builds it again instead of showing yesterday's distances."""
    today = date.today()
    template = dataset_templates.get(today)
    if template is None:
        template = build_dataset(tmp_path_factory.mktemp("cache") / "template.sqlite3")
        dataset_templates[today] = template
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(template.path.read_bytes())
    copy = Dataset(**{**template.__dict__, "path": path})
    return copy


@pytest.fixture
def engine(dataset: Dataset) -> Iterator[Engine]:
    engine = open_cache(dataset.path)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(dataset: Dataset, engine: Engine) -> AppContext:
    return AppContext(
        data_dir=dataset.path.parent,
        cache_path=dataset.path,
        engine=engine,
        user_name="Demo Operator",
        user_role="operator",
    )


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    # The first worklist and status reads are in flight at start; let them land.
    qtbot.waitUntil(lambda: not win.db.busy)
    yield win
    win.close()


def type_into(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Key presses for each character, as a keyboard sends them.

    ``QTest.keyClicks`` handles Latin-1 only (Cyrillic aborts it), so other letters go
    as key events whose key code is the letter's code point, like Qt's own.
    """
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, ord(char.upper()), Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def search_for(qtbot, window: MainWindow, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``text`` into the search box like a person and return the names listed."""
    panel = window.search_panel
    panel.search_edit.clear()
    type_into(qtbot, panel.search_edit, text)
    qtbot.waitUntil(lambda: panel.results.query == text.strip())
    return [panel.results.summary(row).display_name for row in range(panel.results.rowCount())]


def wait_for_card(qtbot, window: MainWindow, customer_id) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: (
            window.card_view.card is not None
            and window.card_view.card.customer.id == customer_id
            and window.card_view.isVisible()
            and not window.timeline.is_loading
        )
    )
