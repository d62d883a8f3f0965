"""Command-line validation: every wrong flag ends with a clear message and exit 2.

These run ``main()`` in-process; nothing here reaches the window, because a flag
that is wrong must be refused before Qt is even imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from operator_app import __version__
from operator_app.cli import build_parser, main


@pytest.fixture(autouse=True)
def no_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flag that slipped through validation must fail the test, not open a window."""

    def refuse(args: object) -> int:
        raise AssertionError(f"validation let {args} through to the window")

    monkeypatch.setattr("operator_app.gui.app.run_gui", refuse)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"operator-app {__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--help"], capsys)
    assert code == 0
    for word in ("demo-data", "pop", "--data-dir", "--demo", "--screenshot", "--theme", "--lang"):
        assert word in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--screenshot", "shot.jpg"], "must be a .png file"),
        (["--screenshot", "shot"], "must be a .png file"),
        (["--theme", "blue"], "invalid choice: 'blue'"),
        (["--lang", "de"], "invalid choice: 'de'"),
        (["pop"], "required: NUMBER_OR_URI"),
        (["pop", "hello"], "is not a phone number"),
        (["pop", "tel:"], "is not a phone number"),
        (["pop", "sip:operator@pbx.example"], "is not a phone number"),
        (["pop", "+7 912 345-67-89 +7"], "is not a phone number"),
        (["pop", "12"], "is not a phone number"),
        (["pop", "+79123456789", "--theme", "neon"], "invalid choice: 'neon'"),
        (["demo-data"], "required: --customers, --out"),
        (["demo-data", "--customers", "10"], "required: --out"),
        (["demo-data", "--out", "x.sqlite3"], "required: --customers"),
        (["demo-data", "--customers", "0", "--out", "x.sqlite3"], "above zero"),
        (["demo-data", "--customers", "ten", "--out", "x.sqlite3"], "whole number"),
        (["demo-data", "--customers", "20000000", "--out", "x.sqlite3"], "at most"),
        (["demo-data", "--customers", "5", "--out", "x", "--seed", "-1"], "zero or more"),
        (
            ["demo-data", "--customers", "5", "--out", "x", "--messages-per-customer", "0"],
            "above zero",
        ),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["--no-such-flag"], "unrecognized arguments"),
    ],
)
def test_bad_flags_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(argv, capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_screenshot_into_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "shot.png"
    code, _, err = run_cli(["--screenshot", str(target)], capsys)
    assert code == 2
    assert "does not exist" in err


def test_screenshot_onto_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "looks-like.png"
    folder.mkdir()
    code, _, err = run_cli(["--screenshot", str(folder)], capsys)
    assert code == 2
    assert "is a folder" in err


def test_data_dir_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    for argv in (
        ["--data-dir", str(not_a_folder)],
        ["pop", "89123456789", "--data-dir", str(not_a_folder)],
    ):
        code, _, err = run_cli(argv, capsys)
        assert code == 2
        assert "is a file, not a folder" in err


@pytest.mark.parametrize(
    "uri",
    [
        "tel:+79123456789",
        "callto:89123456789",
        "sip:+79123456789@pbx.example;user=phone",
        "+7 (912) 345-67-89",
        "9123456789",
        "8 912 345 67 89",
    ],
)
def test_pop_accepts_every_phone_form(uri: str) -> None:
    args = build_parser().parse_args(["pop", uri])
    assert args.command == "pop"
    assert args.uri == uri


def test_gui_flags_work_before_and_after_pop(tmp_path: Path) -> None:
    before = build_parser().parse_args(
        ["--data-dir", str(tmp_path), "--demo", "pop", "89123456789"]
    )
    after = build_parser().parse_args(["pop", "89123456789", "--data-dir", str(tmp_path), "--demo"])
    for args in (before, after):
        assert args.data_dir == tmp_path
        assert args.demo is True


def test_headless_command_does_not_load_qt(tmp_path: Path) -> None:
    """``demo-data`` must start fast and run without a display: no Qt import."""
    probe = (
        "import sys\n"
        "from operator_app.cli import main\n"
        f"out = {str(tmp_path / 'c.sqlite3')!r}\n"
        "code = main(['demo-data', '--customers', '3', '--out', out])\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'qasync')))\n"
        "print('exit', code, 'qt', qt)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "exit 0 qt []", result.stdout + result.stderr


@pytest.mark.parametrize(
    ("argv", "uri"),
    [
        (["tel:+79123456789"], "tel:+79123456789"),
        (["--demo", "callto:89123456789"], "callto:89123456789"),
        (["SIP:+79123456789@pbx.example", "--theme", "dark"], "SIP:+79123456789@pbx.example"),
    ],
)
def test_a_bare_call_link_is_a_pop(
    argv: list[str], uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Desktops hand a clicked tel:/callto:/sip: link to the app as its only argument."""
    seen: list[object] = []

    def record(args: object) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr("operator_app.gui.app.run_gui", record)
    assert main(argv) == 0
    (args,) = seen
    assert getattr(args, "command", None) == "pop"
    assert getattr(args, "uri", None) == uri
