"""Window fixtures: a real SQLite cache filled with a small realistic dataset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import Engine

from operator_app.cache.db import open_cache
from operator_app.gui import theme
from operator_app.gui.context import AppContext
from operator_app.gui.main_window import MainWindow, app_settings
from tests.gui.dataset import Dataset, build_dataset


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> Iterator[None]:
    theme.apply_theme(qapp, "light")
    yield
    theme.apply_theme(qapp, "light")


@pytest.fixture(autouse=True)
def clean_settings() -> Iterator[None]:
    # QSettings keeps the first test's config folder for the whole process, so each
    # test starts from empty settings explicitly.
    app_settings().clear()
    yield
    app_settings().clear()


@pytest.fixture(scope="session")
def dataset_template(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return build_dataset(tmp_path_factory.mktemp("cache") / "template.sqlite3")


@pytest.fixture
def dataset(dataset_template: Dataset, tmp_path: Path) -> Dataset:
    """A private copy of the session's cache file (tests may write to it)."""
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(dataset_template.path.read_bytes())
    copy = Dataset(**{**dataset_template.__dict__, "path": path})
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
    # The first worklist and status reads are in flight at start; let them land.
    qtbot.waitUntil(lambda: not win.db.busy)
    yield win
    win.close()
