"""The real ``operator-app`` process: screenshot, start-up signal, single instance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from operator_app.gui.app import EXIT_WHEN_SHOWN_ENV, SHOWN_LINE
from operator_app.gui.single_instance import DeliveryError, Request, send_request, server_name
from operator_app.services.datadir import cache_path, demo_data_dir
from tests.gui.app_support import (
    app_command,
    app_env,
    fingerprint,
    make_newer_cache,
    run_app,
    seed_small_demo,
    untouched,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_real_screenshot(path: Path) -> QImage:
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800), image.size()
    # A painted window has text, borders and backgrounds, not one flat colour.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    assert len(colours) >= 50, f"only {len(colours)} colours: a blank window?"
    return image


def test_screenshot_of_the_demo(tmp_path: Path) -> None:
    seed_small_demo(tmp_path)
    shot = tmp_path / "demo.png"
    result = run_app("--data-dir", str(tmp_path), "--demo", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert_real_screenshot(shot)
    assert os.path.getsize(shot) > 5_000


def test_screenshot_of_a_screen_pop(tmp_path: Path) -> None:
    seed_small_demo(tmp_path)
    shot = tmp_path / "pop.png"
    result = run_app(
        "pop", "+79123456789", "--data-dir", str(tmp_path), "--demo", "--screenshot", str(shot)
    )
    assert result.returncode == 0, result.stderr
    assert_real_screenshot(shot)


def test_screenshot_of_an_empty_start(tmp_path: Path) -> None:
    shot = tmp_path / "empty.png"
    result = run_app("--data-dir", str(tmp_path / "data"), "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert_real_screenshot(shot)


def test_screenshot_needs_no_display(tmp_path: Path) -> None:
    shot = tmp_path / "nodisplay.png"
    env = {k: v for k, v in app_env().items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    result = subprocess.run(
        app_command("--data-dir", str(tmp_path / "d"), "--screenshot", str(shot)),
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert_real_screenshot(shot)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_window_without_a_display_explains_itself(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in app_env().items()
        if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    result = subprocess.run(
        app_command("--data-dir", str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 1
    assert "no display" in result.stderr and "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_up_signal_for_the_benchmark(tmp_path: Path) -> None:
    result = run_app("--data-dir", str(tmp_path), **{EXIT_WHEN_SHOWN_ENV: "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == SHOWN_LINE


def test_headless_run_refuses_a_damaged_cache_and_leaves_it(tmp_path: Path) -> None:
    folder = demo_data_dir(tmp_path)
    folder.mkdir(parents=True)
    cache_path(folder).write_bytes(b"garbage" * 1000)
    before = fingerprint(folder)
    result = run_app("--data-dir", str(tmp_path), "--demo", "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert untouched(before, fingerprint(folder))
    assert not (tmp_path / "x.png").exists()


def test_newer_cache_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    make_newer_cache(cache_path(tmp_path))
    before = fingerprint(tmp_path)
    result = run_app("--data-dir", str(tmp_path), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "newer version" in result.stderr
    assert untouched(before, fingerprint(tmp_path))


# --- single instance across real processes ------------------------------------------------


def start_window(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        app_command(*args, "--data-dir", str(data_dir)),
        env=app_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_serving(name: str, process: subprocess.Popen[str], patience: float = 60) -> None:
    deadline = time.monotonic() + patience
    while True:
        assert process.poll() is None, f"the window exited: {process.communicate()}"
        try:
            send_request(name, Request.activate(), timeout_ms=1000)
            return
        except DeliveryError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_pop_reaches_the_running_window_and_survives_its_crash(
    tmp_path: Path, qapp: object
) -> None:
    name = server_name(tmp_path)
    first = start_window(tmp_path)
    try:
        wait_until_serving(name, first)
        popped = run_app("pop", "tel:+79123456789", "--data-dir", str(tmp_path), timeout=60)
        assert popped.returncode == 0, popped.stderr
        # A PBX hook may run without any display: handing over must not need one.
        headless_env = {
            k: v for k, v in app_env().items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")
        }
        from_a_script = subprocess.run(
            app_command("pop", "89123456789", "--data-dir", str(tmp_path)),
            capture_output=True,
            text=True,
            timeout=60,
            env=headless_env,
        )
        assert from_a_script.returncode == 0, from_a_script.stderr
        again = run_app("--data-dir", str(tmp_path), timeout=60)
        assert again.returncode == 0, again.stderr  # handed over, did not open a second window
        other_folder = run_app(
            "--data-dir", str(tmp_path / "other"), timeout=60, **{EXIT_WHEN_SHOWN_ENV: "1"}
        )
        assert other_folder.stdout.strip() == SHOWN_LINE  # another folder runs side by side
    finally:
        first.kill()  # a crash: socket and lock file stay behind
        first.communicate()

    # The next pop finds the stale socket, takes over and becomes the window itself.
    successor = start_window(tmp_path, "pop", "sip:89123456789@pbx.example")
    try:
        wait_until_serving(name, successor)
        popped = run_app("pop", "callto:+79123456789", "--data-dir", str(tmp_path), timeout=60)
        assert popped.returncode == 0, popped.stderr
    finally:
        code, err = stop(successor)
        assert code == 0, err
