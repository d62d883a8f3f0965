"""Start the app when the user signs in: the ``startup.autostart`` setting, per OS.

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/operator-app.desktop``
  (``~/.config`` when the variable is unset), the freedesktop autostart spec.
* Windows: the ``operator-app`` value under ``HKCU\\...\\CurrentVersion\\Run`` — the
  same value the installer's "Start Operator when I sign in" task writes, so either
  place turns it on and off.
* macOS: ``~/Library/LaunchAgents/org.operator-app.operator.plist`` with RunAtLoad.

Everything is per-user; nothing needs administrator rights. Functions raise
``OSError`` when the entry cannot be written, for the caller to show.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
from pathlib import Path

APP_ID = "operator-app"
MAC_LABEL = "org.operator-app.operator"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def launch_command() -> list[str]:
    """How this installation is started: the frozen binary, the ``operator-app`` script
    beside the interpreter, or ``python -m operator_app``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    exe = Path(sys.executable)
    for name in ("operator-app", "operator-app.exe"):
        script = exe.with_name(name)
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "operator_app"]


def _platform(system: str | None) -> str:
    name = system or sys.platform
    if name.startswith("win"):
        return "windows"
    if name == "darwin":
        return "macos"
    return "xdg"


# -- Linux / XDG -----------------------------------------------------------------------------


def xdg_config_home() -> Path:
    value = os.environ.get("XDG_CONFIG_HOME", "")
    # The spec says a relative value is invalid and must be ignored.
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".config"


def xdg_entry_path() -> Path:
    return xdg_config_home() / "autostart" / f"{APP_ID}.desktop"


def _desktop_exec(command: list[str]) -> str:
    # Desktop Entry Exec quoting: arguments with reserved characters in double quotes,
    # with ", `, $ and \ escaped by a backslash.
    def quote(arg: str) -> str:
        if arg and not any(ch in arg for ch in " \t\n\"'\\><~|&;$*?#()`"):
            return arg
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        return f'"{escaped}"'

    return " ".join(quote(arg) for arg in command)


def xdg_entry(command: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Operator\n"
        "Comment=Contact-center workspace, started when you sign in\n"
        f"Exec={_desktop_exec(command)}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


# -- macOS -----------------------------------------------------------------------------------


def mac_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{MAC_LABEL}.plist"


def mac_agent(command: list[str]) -> bytes:
    import plistlib  # macOS only; not worth loading on every start

    return plistlib.dumps(
        {
            "Label": MAC_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    )


# -- Windows ---------------------------------------------------------------------------------


def windows_command_line(command: list[str]) -> str:
    import subprocess

    return subprocess.list2cmdline(command)


def _windows_set(command: list[str] | None) -> None:
    if sys.platform != "win32":  # keeps mypy and other platforms away from winreg
        raise OSError("the Windows registry is only available on Windows")
    import winreg

    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
        if command is None:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, APP_ID)
        else:
            winreg.SetValueEx(key, APP_ID, 0, winreg.REG_SZ, windows_command_line(command))


def _windows_get() -> bool:
    if sys.platform != "win32":
        return False
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.QueryValueEx(key, APP_ID)
    except OSError:
        return False
    return True


# -- the API ---------------------------------------------------------------------------------


def entry_path(system: str | None = None) -> Path | None:
    """The file that holds the entry (None on Windows: it is a registry value)."""
    kind = _platform(system)
    if kind == "windows":
        return None
    return mac_agent_path() if kind == "macos" else xdg_entry_path()


def is_enabled(system: str | None = None) -> bool:
    kind = _platform(system)
    if kind == "windows":
        return _windows_get()
    path = entry_path(system)
    return path is not None and path.is_file()


def set_enabled(
    enabled: bool, command: list[str] | None = None, system: str | None = None
) -> Path | None:
    """Write (``enabled``) or remove the autostart entry; returns the file written or
    removed (None on Windows). Removing an entry that is not there is fine."""
    kind = _platform(system)
    command = command or launch_command()
    if kind == "windows":
        _windows_set(command if enabled else None)
        return None
    path = entry_path(system)
    assert path is not None
    if not enabled:
        path.unlink(missing_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = mac_agent(command) if kind == "macos" else xdg_entry(command).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def describe(command: list[str]) -> str:
    """The command as a shell line (for logs and messages)."""
    return shlex.join(command)
