"""``operator-app demo-data``: validated flags, clear errors, a summary, exit codes."""

from __future__ import annotations

import argparse
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from operator_app.cli import main
from operator_app.services.demo_seed import run_demo_data_command


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["demo-data", *args])
    except SystemExit as exc:  # argparse refusing a flag
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_builds_a_cache_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "demo.sqlite3"
    code, out, err = run(capsys, "--customers", "120", "--out", str(target), "--seed", "3")
    assert code == 0, err
    assert f"Demo cache written to {target}" in out
    assert "customer" in out and "message" in out and "total" in out
    assert "customers" in err  # progress went to stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (120,)


@pytest.mark.parametrize("value", ["0", "-5", "many", "20000000"])
def test_bad_customer_counts_are_refused(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--customers", value, "--out", str(tmp_path / "x.sqlite3"))
    assert code == 2
    assert "--customers" in err
    assert not (tmp_path / "x.sqlite3").exists()


def test_an_existing_file_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo.sqlite3"
    target.write_bytes(b"keep me")
    code, _, err = run(capsys, "--customers", "10", "--out", str(target))
    assert code == 1
    assert "already exists" in err and "--force" in err
    assert target.read_bytes() == b"keep me"

    code, _, err = run(capsys, "--customers", "10", "--out", str(target), "--force")
    assert code == 0, err
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (10,)


def test_the_folder_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--customers", "10", "--out", str(tmp_path / "missing" / "x.db"))
    assert code == 1
    assert "does not exist" in err


def test_a_folder_is_not_a_cache_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--customers", "10", "--out", str(tmp_path), "--force")
    assert code == 1
    assert "is a folder" in err


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_an_unwritable_folder_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--customers", "10", "--out", "/sys/kernel/demo.sqlite3")
    assert code == 1
    assert "/sys/kernel" in err and "writ" in err


def test_the_installed_command_runs_without_a_display(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "operator_app",
            "demo-data",
            "--customers",
            "25",
            "--out",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Demo cache written" in result.stdout
    assert "Traceback" not in result.stderr
    assert "PySide6" not in result.stderr
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "operator_app",
            "demo-data",
            "--customers",
            "25",
            "--out",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_rewritten_on_a_terminal(tmp_path: Path) -> None:
    terminal, out = Terminal(), io.StringIO()
    args = argparse.Namespace(
        customers=900, out=tmp_path / "t.sqlite3", seed=1, messages_per_customer=2, force=False
    )
    assert run_demo_data_command(args, stdout=out, stderr=terminal) == 0
    drawn = terminal.getvalue()
    assert drawn.count("\r") >= 3 and "\n" not in drawn
    assert "customers: 900/900 (100%)" in drawn
    assert drawn.endswith("\r")  # cleared before the summary
    assert "Demo cache written" in out.getvalue()
