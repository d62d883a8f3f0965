"""The installers claim tel:, callto: and sip: links and hand them to ``operator-app``:
the Linux .desktop file, the Windows installer's registry keys, the macOS Info.plist."""

from __future__ import annotations

import configparser
import plistlib
import re
from pathlib import Path

import pytest

from operator_app.cli import _as_pop
from operator_app.services import autostart

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SCHEMES = ("tel", "callto", "sip")


def test_linux_desktop_entry_handles_the_schemes() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / "operator-app.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    mime = [m for m in entry["MimeType"].split(";") if m]
    assert sorted(mime) == sorted(f"x-scheme-handler/{s}" for s in SCHEMES)
    command = entry["Exec"].split()
    assert command[0] == "operator-app" and command[-1] in ("%u", "%U")
    # What the desktop then runs becomes a pop of that number.
    assert _as_pop(["tel:+79123456789"]) == ["pop", "tel:+79123456789"]


def registry_lines() -> list[dict[str, str]]:
    text = (PACKAGING / "windows" / "operator-app.iss").read_text(encoding="utf-8")
    section = re.search(r"^\[Registry\]\n(.*?)(?=^\[)", text, re.M | re.S)
    assert section is not None
    rows = []
    for line in section.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        fields = dict(re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)', line))
        rows.append({k: unquote(v.strip()) for k, v in fields.items()})
    return rows


def unquote(value: str) -> str:
    """Inno Setup quoting: one pair of outer quotes, "" for a quote inside."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('""', '"')
    return value


@pytest.mark.parametrize("scheme", SCHEMES)
def test_windows_installer_registers_the_scheme(scheme: str) -> None:
    rows = [r for r in registry_lines() if r["Subkey"].startswith(f"Software\\Classes\\{scheme}")]
    by_key = {(r["Subkey"], r.get("ValueName", "")): r for r in rows}
    root = by_key[(f"Software\\Classes\\{scheme}", "")]
    assert root["Root"] == "HKCU" and root["ValueData"] == f"URL:{scheme} Protocol"
    assert "uninsdeletekey" in root["Flags"]
    marker = by_key[(f"Software\\Classes\\{scheme}", "URL Protocol")]
    assert marker["ValueData"] == ""
    command = by_key[(f"Software\\Classes\\{scheme}\\shell\\open\\command", "")]
    assert command["ValueData"] == '"{app}\\operator-app.exe" pop "%1"'
    assert all(r["Tasks"] == "urlhandlers" for r in rows)


def test_windows_autostart_value_is_the_one_the_app_switches() -> None:
    run = [r for r in registry_lines() if r["Subkey"] == autostart.RUN_KEY]
    assert len(run) == 1 and run[0]["ValueName"] == autostart.APP_ID
    assert run[0]["Root"] == "HKCU" and "uninsdeletevalue" in run[0]["Flags"]


def test_macos_bundle_claims_the_schemes() -> None:
    with (PACKAGING / "macos" / "Info.plist").open("rb") as fh:
        info = plistlib.load(fh)
    schemes = [s for t in info["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]]
    assert sorted(schemes) == sorted(SCHEMES)
    assert all(t.get("CFBundleURLName") for t in info["CFBundleURLTypes"])
    assert info["NSHighResolutionCapable"] is True
