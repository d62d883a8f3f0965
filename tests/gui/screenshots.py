"""Render the window on the test dataset to PNG files, for eyes and for the README.

    QT_QPA_PLATFORM=offscreen python -m tests.gui.screenshots docs/screenshot.png
    QT_QPA_PLATFORM=offscreen python -m tests.gui.screenshots /tmp/shots --all

The first form writes the light-theme 1280×800 picture of a customer card; ``--all``
writes every theme × size × page combination into a folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from operator_app.cache.db import open_cache
from operator_app.gui import theme
from operator_app.gui.context import AppContext
from operator_app.gui.main_window import MainWindow
from tests.gui.dataset import Dataset, build_dataset

SIZES = (QSize(1280, 800), QSize(1920, 1080))
PAGES = ("card", "unknown", "several", "start")


def settle(window: MainWindow, ms: int = 50) -> None:
    """Let queued DB answers and layout passes land before grabbing."""
    loop = QEventLoop()
    for _ in range(200):
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        if not window.db.busy and not window.timeline.is_loading:
            break
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def render(app: QApplication, dataset: Dataset, page: str, theme_name: str, size: QSize) -> QImage:
    theme.apply_theme(app, theme_name)
    engine = open_cache(dataset.path)
    ctx = AppContext(
        data_dir=dataset.path.parent, cache_path=dataset.path, engine=engine, demo=True
    )
    window = MainWindow(ctx)
    try:
        window.resize(size)
        window.show()
        settle(window)
        if page == "card":
            panel = window.search_panel
            panel.search_edit.setText("Иванова")
            panel.search_edit.textEdited.emit("Иванова")
            settle(window, 150)
            window.open_customer(dataset.anna)
        elif page == "unknown":
            window.pop_phone("+7 495 123-45-67")
        elif page == "several":
            window.pop_phone("8 903 555-00-11")
        settle(window)
        return window.grab().toImage()
    finally:
        window.close()
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG file, or a folder with --all")
    parser.add_argument("--all", action="store_true", help="every theme, size and page")
    args = parser.parse_args(argv)
    # Never read or write the user's own window settings.
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="operator-shots-")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        dataset = build_dataset(Path(folder) / "cache.sqlite3")
        if not args.all:
            image = render(app, dataset, "card", "light", SIZES[0])
            args.out.parent.mkdir(parents=True, exist_ok=True)
            image.save(str(args.out))
            print(args.out)
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        for theme_name in ("light", "dark"):
            for size in SIZES:
                for page in PAGES:
                    path = args.out / f"{page}-{theme_name}-{size.width()}x{size.height()}.png"
                    render(app, dataset, page, theme_name, size).save(str(path))
                    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
