"""Autostart entries per OS, written into temporary home and config folders."""

from __future__ import annotations

import configparser
import plistlib
import shlex
from pathlib import Path

import pytest

from operator_app.services import autostart


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return config


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_linux_entry_written_and_removed(xdg: Path) -> None:
    assert not autostart.is_enabled("linux")
    command = ["/opt/operator app/operator-app"]
    written = autostart.set_enabled(True, command, "linux")
    assert written == xdg / "autostart" / "operator-app.desktop"
    assert autostart.is_enabled("linux")
    entry = read_entry(written)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == '"/opt/operator app/operator-app"'
    assert shlex.split(entry["Exec"]) == command
    assert entry["Terminal"] == "false"
    autostart.set_enabled(False, command, "linux")
    assert not written.exists() and not autostart.is_enabled("linux")
    autostart.set_enabled(False, command, "linux")  # removing twice is fine


def test_linux_exec_quotes_reserved_characters(xdg: Path) -> None:
    command = ["/usr/bin/python3", "-m", "operator_app", "--data-dir", '/home/a "b"/$x']
    written = autostart.set_enabled(True, command, "linux")
    assert written is not None
    exec_line = read_entry(written)["Exec"]
    assert exec_line.startswith("/usr/bin/python3 -m operator_app --data-dir ")
    assert exec_line.endswith('"/home/a \\"b\\"/\\$x"')


def test_relative_xdg_config_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.xdg_entry_path() == tmp_path / ".config" / "autostart" / "operator-app.desktop"


def test_macos_launch_agent(xdg: Path, tmp_path: Path) -> None:
    command = ["/Applications/Operator.app/Contents/MacOS/operator-app"]
    written = autostart.set_enabled(True, command, "darwin")
    assert (
        written == tmp_path / "home" / "Library" / "LaunchAgents" / f"{autostart.MAC_LABEL}.plist"
    )
    agent = plistlib.loads(written.read_bytes())
    assert agent["Label"] == autostart.MAC_LABEL
    assert agent["ProgramArguments"] == command and agent["RunAtLoad"] is True
    assert autostart.is_enabled("darwin")
    autostart.set_enabled(False, command, "darwin")
    assert not autostart.is_enabled("darwin")


def test_windows_command_line_and_registry_guard() -> None:
    line = autostart.windows_command_line([r"C:\Program Files\Operator\operator-app.exe"])
    assert line == r'"C:\Program Files\Operator\operator-app.exe"'
    with pytest.raises(OSError):
        autostart.set_enabled(True, ["x"], "win32")  # no registry on this machine
    assert autostart.is_enabled("win32") is False


def test_launch_command_starts_this_installation() -> None:
    command = autostart.launch_command()
    assert command and Path(command[0]).exists()
