"""Helpers shared by the shell's GUI tests (tests/gui/test_app_*.py)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from operator_app.cache import schema
from operator_app.cache.db import open_cache
from operator_app.services.datadir import cache_path, demo_data_dir
from operator_app.services.demo_seed import seed_demo_cache

# The offscreen platform cannot do these; Qt says so on every window it shows.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|requestActivate)\(\)"
)
ROOT = Path(__file__).resolve().parents[2]
SMALL_DEMO = 300


def seed_small_demo(data_dir: Path, customers: int = SMALL_DEMO) -> Path:
    """A ready demo cache where ``--demo --data-dir data_dir`` looks for it."""
    folder = demo_data_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = cache_path(folder)
    seed_demo_cache(path, customers, seed=7, messages_per_customer=8)
    return path


def make_newer_cache(path: Path) -> None:
    """A cache file that claims a schema version from the future."""
    open_cache(path).dispose()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE meta SET value = ? WHERE key = ?",
            (str(schema.SCHEMA_VERSION + 1), schema.META_SCHEMA_VERSION),
        )
    raw.close()
    for side in ("-wal", "-shm"):
        assert not Path(f"{path}{side}").exists()


def make_foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        raw.execute("INSERT INTO recipes VALUES ('borscht', 120)")
    raw.close()


def untouched(before: dict[str, str], after: dict[str, str]) -> bool:
    """Every file that was there is still there with the same bytes.

    SQLite may add empty ``-wal``/``-shm`` files beside a WAL database it only read;
    they carry no data and do not change the database.
    """
    return all(after.get(name) == digest for name, digest in before.items())


def fingerprint(folder: Path) -> dict[str, str]:
    """Name → SHA-256 of every file in ``folder``: equal before/after means untouched."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def answer_dialog(button_text: str, seen: list[str], attempts: int = 500) -> None:
    """Click ``button_text`` in the next modal message box, recording its text."""

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            for button in box.buttons():
                if button.text() == button_text:
                    button.click()
                    return
            raise AssertionError(f"no {button_text!r} button in {box.text()!r}")
        if left:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(attempts))


def when_progress_dialog(action: Callable[[QProgressDialog], None], attempts: int = 500) -> None:
    def poll(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog) and dialog.isVisible():
            action(dialog)
            return
        if left:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(attempts))


def click_cancel(dialog: QProgressDialog) -> None:
    button = dialog.findChild(QPushButton)
    assert button is not None
    button.click()


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "operator_app", *args]


def app_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def run_app(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        app_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=app_env(**env),
        cwd=ROOT,
    )
