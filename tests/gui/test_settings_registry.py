"""The settings registry on a real QSettings INI file."""

from __future__ import annotations

from pathlib import Path

from operator_app.api import TokenStore
from operator_app.gui.settings_registry import open_settings
from operator_app.services.settings_schema import SETTINGS_VERSION

SECRET = "eyJhbGciOi.secret-token-value"


def test_values_round_trip_with_types(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = open_settings(path)
    assert settings.notice is None
    settings.save(
        {"sync.interval_s": 120, "appearance.font_scale": 1.25, "appearance.theme": "dark"}
    )
    text = path.read_text()
    assert "theme=dark" in text and f"settings_version={SETTINGS_VERSION}" in text
    again = open_settings(path)
    assert again.value("sync.interval_s") == 120
    assert again.value("appearance.font_scale") == 1.25


def test_an_older_file_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[server]\nurl=https://crm.example.com\n\n[ui]\nlanguage=ru\n")
    settings = open_settings(path)
    assert settings.notice is None
    assert settings.value("connection.server_url") == "https://crm.example.com"
    assert settings.value("appearance.language") == "ru"
    text = path.read_text()
    assert "[server]" not in text and "server_url=" in text and "settings_version=1" in text


def _aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".unreadable-*"))


def test_a_file_from_a_newer_version_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    original = "[General]\nsettings_version=9\n\n[appearance]\ntheme=dark\n"
    path.write_text(original)
    settings = open_settings(path)
    assert settings.value("appearance.theme") == "system"  # the default
    assert settings.notice is not None and "newer version" in settings.notice
    (aside,) = _aside_files(path)
    assert aside.read_text() == original and aside.name in settings.notice


def test_a_damaged_file_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    damaged = b"[appearance]\ntheme=\x00\xff\xfe dark\n[[[\n"
    path.write_bytes(damaged)
    settings = open_settings(path)
    assert settings.notice is not None and "defaults" in settings.notice
    (aside,) = _aside_files(path)
    assert aside.read_bytes() == damaged
    settings.save({"appearance.theme": "light"})
    assert open_settings(path).value("appearance.theme") == "light"


def test_no_secret_reaches_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = open_settings(path)
    # What a sign-in keeps: the user in the settings, the token in the keyring.
    settings.save({"connection.server_url": "https://crm.example.com", "account.user": "anna"})
    TokenStore("https://crm.example.com", "anna").save(SECRET)
    text = path.read_text()
    assert "anna" in text
    assert SECRET not in text and "token" not in text.lower() and "password" not in text.lower()
    assert TokenStore("https://crm.example.com", "anna").load() == SECRET
