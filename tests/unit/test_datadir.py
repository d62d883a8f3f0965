"""Data folders: per-user default, the demo's own folder, creation and writability checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from operator_app.services.datadir import (
    DataDirError,
    cache_path,
    default_data_dir,
    demo_data_dir,
    prepare_data_dir,
)


def test_default_folder_is_the_per_user_data_folder(isolated_user_dirs: Path) -> None:
    if sys.platform.startswith("linux"):
        assert default_data_dir() == isolated_user_dirs / ".local" / "share" / "operator-app"
    assert default_data_dir().name == "operator-app"


def test_demo_lives_apart_from_real_data(tmp_path: Path) -> None:
    assert demo_data_dir(tmp_path) == tmp_path / "demo"
    assert demo_data_dir(None) == default_data_dir() / "demo"
    assert cache_path(tmp_path) == tmp_path / "cache.sqlite3"


def test_prepare_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "data"
    assert prepare_data_dir(target) == target
    assert target.is_dir()
    assert prepare_data_dir(target) == target  # already there: fine
    assert list(target.iterdir()) == []  # the write check leaves nothing behind


def test_prepare_returns_an_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert prepare_data_dir(Path("relative")) == tmp_path / "relative"


def test_a_file_in_the_way_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError, match="is a file, not a folder") as caught:
        prepare_data_dir(blocker)
    assert caught.value.path == blocker
    with pytest.raises(DataDirError, match="Cannot create the data folder"):
        prepare_data_dir(blocker / "inside")


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_a_folder_nobody_may_write_is_reported() -> None:
    # sysfs refuses new files even to root, unlike a chmod-ed temporary folder.
    with pytest.raises(DataDirError, match="Cannot write to the data folder /sys/kernel"):
        prepare_data_dir(Path("/sys/kernel"))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_read_only_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(DataDirError, match="permission denied"):
            prepare_data_dir(locked)
    finally:
        locked.chmod(0o700)
