"""Render the window on the test dataset to PNG files, for eyes and for the README.

    QT_QPA_PLATFORM=offscreen python -m tests.gui.screenshots docs/screenshot.png \\
        --demo-cache ~/.local/share/operator-app/demo/cache.sqlite3
    QT_QPA_PLATFORM=offscreen python -m tests.gui.screenshots /tmp/shots --all

The first form writes the light-theme 1280×800 picture of a customer card; ``--all``
writes every theme × size × page combination into a folder. With ``--demo-cache`` the
pictures show a demo cache (``operator-app demo-data``) and one of its busiest
customers; without it, the small test dataset.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import date
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


@dataclass(frozen=True)
class Scene:
    path: Path
    customer: uuid.UUID
    query: str
    unknown_phone: str = "+7 495 123-45-67"
    shared_phone: str = "8 903 555-00-11"


def test_scene(dataset: Dataset) -> Scene:
    return Scene(dataset.path, dataset.anna, "Иванова")


def demo_scene(path: Path) -> Scene:
    """A demo customer with something in every part of the card."""
    today = date.today().toordinal()
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            """
            SELECT c.id, c.last_name,
              ((SELECT count(*) FROM coverages v WHERE v.customer_id = c.id
                 AND v.ends BETWEEN ? AND ? + 30) > 0)
              + ((SELECT count(*) FROM conversations v WHERE v.customer_id = c.id
                 AND v.status IN ('open', 'pending')) > 0)
              + ((SELECT count(*) FROM interests i WHERE i.customer_id = c.id
                 AND i.stage IN ('cart', 'abandoned')) > 0)
              + ((SELECT count(*) FROM orders o WHERE o.customer_id = c.id) > 3)
              + (c.tier != 'standard') + (json_array_length(c.tags) > 0) AS richness,
              (SELECT count(*) FROM messages m WHERE m.customer_id = c.id) AS messages
            FROM customers c ORDER BY richness DESC, messages DESC LIMIT 1
            """,
            (today, today),
        ).fetchone()
        shared = conn.execute(
            "SELECT e164 FROM customer_phones GROUP BY e164 HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
    return Scene(
        path, uuid.UUID(bytes=row[0]), row[1], shared_phone=shared[0] if shared else "+70000000000"
    )


def render(app: QApplication, scene: Scene, page: str, theme_name: str, size: QSize) -> QImage:
    theme.apply_theme(app, theme_name)
    engine = open_cache(scene.path)
    ctx = AppContext(data_dir=scene.path.parent, cache_path=scene.path, engine=engine, demo=True)
    window = MainWindow(ctx)
    try:
        window.resize(size)
        window.show()
        settle(window)
        if page == "card":
            panel = window.search_panel
            panel.search_edit.setText(scene.query)
            panel.search_edit.textEdited.emit(scene.query)
            settle(window, 150)
            window.open_customer(scene.customer)
        elif page == "unknown":
            window.pop_phone(scene.unknown_phone)
        elif page == "several":
            window.pop_phone(scene.shared_phone)
        settle(window)
        return window.grab().toImage()
    finally:
        window.close()
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG file, or a folder with --all")
    parser.add_argument("--all", action="store_true", help="every theme, size and page")
    parser.add_argument("--demo-cache", type=Path, help="a demo cache file to show instead")
    args = parser.parse_args(argv)
    # Never read or write the user's own window settings.
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="operator-shots-")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        if args.demo_cache:
            copy = Path(folder) / "demo.sqlite3"  # the window may write; keep the original
            shutil.copyfile(args.demo_cache.expanduser(), copy)
            scene = demo_scene(copy)
        else:
            scene = test_scene(build_dataset(Path(folder) / "cache.sqlite3"))
        if not args.all:
            image = render(app, scene, "card", "light", SIZES[0])
            args.out.parent.mkdir(parents=True, exist_ok=True)
            image.save(str(args.out))
            print(args.out)
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        for theme_name in ("light", "dark"):
            for size in SIZES:
                for page in PAGES:
                    path = args.out / f"{page}-{theme_name}-{size.width()}x{size.height()}.png"
                    render(app, scene, page, theme_name, size).save(str(path))
                    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
