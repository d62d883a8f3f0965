"""Start-up decisions: data folder, demo seeding, damaged / foreign / newer caches."""

from __future__ import annotations

import errno
import io
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from operator_app.gui import startup
from operator_app.gui.startup import (
    ConsoleUI,
    DialogUI,
    SeedJob,
    SeedOutcome,
    SeedProgressDialog,
    prepare_cache,
)
from operator_app.services.datadir import cache_path
from operator_app.services.showcase import cache_has_customers
from tests.gui.app_support import (
    OFFSCREEN_NOISE,
    answer_dialog,
    click_cancel,
    fingerprint,
    make_foreign_sqlite,
    make_newer_cache,
    untouched,
    when_progress_dialog,
)

SMALL = 300
pytestmark = OFFSCREEN_NOISE


def small_job(data_dir: Path) -> SeedJob:
    return SeedJob(cache_path(data_dir), customers=SMALL, seed=3, messages_per_customer=5)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "partial" in p.name)


def test_first_demo_run_seeds_behind_a_progress_dialog(tmp_path: Path, qtbot: QtBot) -> None:
    job = small_job(tmp_path)
    dialog = SeedProgressDialog(job)
    qtbot.addWidget(dialog)
    result = dialog.run()
    assert result.outcome is SeedOutcome.DONE, result.error
    assert dialog.value() == 100
    assert dialog.stage_text("statistics") in dialog.labelText()
    assert job.path.exists()
    assert leftovers(tmp_path) == []


def test_demo_start_without_cache_builds_one(tmp_path: Path, qtbot: QtBot) -> None:
    engine = prepare_cache(tmp_path, demo=True, ui=DialogUI(), demo_job=small_job(tmp_path))
    assert engine is not None
    try:
        assert cache_has_customers(engine)
    finally:
        engine.dispose()


def test_cancelled_seeding_leaves_no_cache(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hold the real seeder at its first progress report until Cancel has been
    # clicked, so the test does not race a fast machine.
    clicked = threading.Event()
    real_seed = startup.seed_demo_cache

    def seed_after_click(path: Path, customers: int, **kwargs: Any) -> Any:
        report = kwargs.pop("progress")

        def progress(*args: Any) -> None:
            clicked.wait(10)
            report(*args)

        return real_seed(path, customers, progress=progress, **kwargs)

    monkeypatch.setattr(startup, "seed_demo_cache", seed_after_click)

    def cancel(dialog: QProgressDialog) -> None:
        click_cancel(dialog)
        clicked.set()

    when_progress_dialog(cancel)
    engine = prepare_cache(tmp_path, demo=True, ui=DialogUI(), demo_job=small_job(tmp_path))
    assert engine is None
    assert not cache_path(tmp_path).exists()
    assert leftovers(tmp_path) == []


def test_plain_start_without_cache_opens_an_empty_one(tmp_path: Path, qtbot: QtBot) -> None:
    data_dir = tmp_path / "fresh" / "folder"
    engine = prepare_cache(data_dir, demo=False, ui=ConsoleUI(io.StringIO()))
    assert engine is not None
    try:
        assert not cache_has_customers(engine)
        assert cache_path(data_dir).exists()
    finally:
        engine.dispose()


def test_unusable_data_folder_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = io.StringIO()
    assert prepare_cache(blocker / "data", demo=False, ui=ConsoleUI(out)) is None
    assert "Cannot use the data folder" in out.getvalue()
    assert "--data-dir" in out.getvalue()


@pytest.mark.parametrize("demo", [True, False])
def test_damaged_cache_is_rebuilt_when_the_user_says_so(
    tmp_path: Path, qtbot: QtBot, demo: bool
) -> None:
    path = cache_path(tmp_path)
    damaged = b"this is not SQLite at all" * 100
    path.write_bytes(damaged)
    seen: list[str] = []
    answer_dialog("Rebuild", seen)
    engine = prepare_cache(tmp_path, demo=demo, ui=DialogUI(), demo_job=small_job(tmp_path))
    assert engine is not None
    try:
        assert cache_has_customers(engine) is demo
    finally:
        engine.dispose()
    assert len(seen) == 1 and "damaged" in seen[0]
    # Nothing is deleted: the damaged bytes are kept beside the new cache.
    kept = [p for p in tmp_path.iterdir() if p != path and p.read_bytes() == damaged]
    assert len(kept) == 1


def test_damaged_cache_is_left_alone_on_quit(tmp_path: Path, qtbot: QtBot) -> None:
    path = cache_path(tmp_path)
    path.write_bytes(b"\x00garbage" * 512)
    before = fingerprint(tmp_path)
    seen: list[str] = []
    answer_dialog("Quit", seen)
    assert prepare_cache(tmp_path, demo=True, ui=DialogUI()) is None
    assert len(seen) == 1
    assert untouched(before, fingerprint(tmp_path))


def test_foreign_database_is_not_taken_over_silently(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    make_foreign_sqlite(path)
    before = fingerprint(tmp_path)
    out = io.StringIO()
    assert prepare_cache(tmp_path, demo=False, ui=ConsoleUI(out)) is None
    assert "not an operator-app cache" in out.getvalue()
    assert untouched(before, fingerprint(tmp_path))


def test_foreign_database_rebuild_keeps_the_original(tmp_path: Path, qtbot: QtBot) -> None:
    path = cache_path(tmp_path)
    make_foreign_sqlite(path)
    original = path.read_bytes()
    answer_dialog("Rebuild", [])
    engine = prepare_cache(tmp_path, demo=False, ui=DialogUI())
    assert engine is not None
    engine.dispose()
    assert any(p.read_bytes() == original for p in tmp_path.iterdir() if p != path)


@pytest.mark.parametrize("interactive", [True, False])
def test_cache_from_a_newer_version_is_refused_and_left_byte_identical(
    tmp_path: Path, qtbot: QtBot, interactive: bool
) -> None:
    make_newer_cache(cache_path(tmp_path))
    before = fingerprint(tmp_path)
    seen: list[str] = []
    out = io.StringIO()
    if interactive:
        answer_dialog("Close", seen)
    ui = DialogUI() if interactive else ConsoleUI(out)
    assert prepare_cache(tmp_path, demo=True, ui=ui) is None
    message = seen[0] if interactive else out.getvalue()
    assert "newer version" in message
    assert "has not been changed" in message
    assert untouched(before, fingerprint(tmp_path))


def test_first_run_builds_the_same_demo_as_the_command_line() -> None:
    from operator_app.services import demo_seed

    assert startup.DEMO_CUSTOMERS == demo_seed.DEMO_CUSTOMERS


def test_ordinary_start_does_not_load_the_demo_generator() -> None:
    probe = (
        "import sys\n"
        "import operator_app.gui.app\n"
        "print(sorted(m for m in ('faker', 'operator_app.demo') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_a_failed_demo_build_is_explained_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_seed = startup.seed_demo_cache

    def disk_fills_up(path: Path, customers: int, **kwargs: Any) -> Any:
        report = kwargs.pop("progress")

        def progress(stage: str, done: int, total: int | None) -> None:
            report(stage, done, total)
            if stage == "search":  # late in the build, after most rows are written
                raise OSError(errno.ENOSPC, "No space left on device", str(path))

        return real_seed(path, customers, progress=progress, **kwargs)

    monkeypatch.setattr(startup, "seed_demo_cache", disk_fills_up)
    out = io.StringIO()
    ui = ConsoleUI(out)
    assert prepare_cache(tmp_path, demo=True, ui=ui, demo_job=small_job(tmp_path)) is None
    assert "No space left on device" in out.getvalue()
    assert "Traceback" not in out.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
