"""Where the app keeps its files: the per-user data folder, the demo's own folder, the cache.

The demo never shares a folder with a real account's cache, so opening the demo can
not touch real data, and deleting the demo folder resets the demo.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "operator-app"
CACHE_FILE = "cache.sqlite3"
DEMO_FOLDER = "demo"


class DataDirError(Exception):
    """The data folder cannot be used; ``str(error)`` is a sentence for the user."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def default_data_dir() -> Path:
    """The per-user data folder (``~/.local/share/operator-app`` on Linux, …)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_data_dir(base: Path | None = None) -> Path:
    """The demo's folder inside ``base`` (default: the per-user data folder)."""
    return (default_data_dir() if base is None else base) / DEMO_FOLDER


def cache_path(data_dir: Path) -> Path:
    return data_dir / CACHE_FILE


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


def prepare_data_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make sure files can be written in it.

    Returns the absolute folder. Raises :class:`DataDirError` with a message for the user
    when it is a file, cannot be created, or is not writable.
    """
    folder = Path(os.path.abspath(path.expanduser()))
    if folder.exists() and not folder.is_dir():
        raise DataDirError(f"{folder} is a file, not a folder; choose another data folder.", folder)
    try:
        # Private by default: the cache holds customers' personal data.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"Cannot create the data folder {folder}: {_reason(exc)}.", folder
        ) from exc
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise DataDirError(
            f"Cannot write to the data folder {folder}: {_reason(exc)}.", folder
        ) from exc
    return folder
