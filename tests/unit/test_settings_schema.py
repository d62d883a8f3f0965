"""The settings registry without Qt: validators, parsing, upgrades, keeping files aside."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from operator_app.services import settings_schema as schema
from operator_app.services.settings_schema import REGISTRY


class DictStore:
    def __init__(self, data: dict[str, object] | None = None) -> None:
        self.data = dict(data or {})

    def get(self, key: str) -> object | None:
        return self.data.get(key)

    def put(self, key: str, value: object) -> None:
        self.data[key] = value

    def remove(self, key: str) -> None:
        self.data.pop(key, None)

    def all_keys(self) -> list[str]:
        return list(self.data)


def check(name: str, value: Any) -> str | None:
    return REGISTRY[name].check(value)


def test_every_setting_has_a_valid_default_and_a_description() -> None:
    for setting in REGISTRY.values():
        assert setting.check(setting.default) is None, setting.name
        assert setting.description and setting.label
    assert "appearance.theme" in REGISTRY and REGISTRY["appearance.theme"].key == "appearance/theme"


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("connection.server_url", "ftp://x", "http:// or https://"),
        ("connection.server_url", "crm.example.com", "must start with"),
        ("connection.server_url", "https://" + "a" * 2100, "too long"),
        ("connection.ca_bundle", "/no/such/file.pem", "does not exist"),
        ("connection.proxy", "proxy:3128", "http://proxy.example.com:3128"),
        ("connection.timeout_s", 0.5, "between 1 and 300"),
        ("connection.timeout_s", "30", "must be a number"),
        ("account.user", "x" * 151, "too long"),
        ("account.user", "   ", "only spaces"),
        ("account.user", "a\nb", "line breaks"),
        ("sync.interval_s", 5, "between 15 and 86400"),
        ("sync.interval_s", True, "whole number"),
        ("cache.location", "relative/folder", "full path"),
        ("appearance.language", "de", "one of: system, en, ru"),
        ("appearance.language", "", "one of"),
        ("appearance.theme", "blue", "one of: system, light, dark"),
        ("appearance.font_scale", 2.5, "between 0.8 and 2"),
        ("appearance.font_scale", 0.7, "between 0.8 and 2"),
        ("notifications.enabled", "yes", "on or off"),
        ("shortcuts.refresh", "Ctrl+" + "F" * 50, "too long"),
    ],
)
def test_bad_values_get_a_readable_message(name: str, value: Any, words: str) -> None:
    message = check(name, value)
    assert message is not None and words in message
    assert "Traceback" not in message


def test_good_values_pass(tmp_path: Path) -> None:
    pem = tmp_path / "ca.pem"
    pem.write_text("x")
    assert check("connection.server_url", "https://crm.example.com/") is None
    assert check("connection.server_url", "") is None  # not configured: offline
    assert check("connection.ca_bundle", str(pem)) is None
    assert check("connection.proxy", "socks5://10.0.0.1:1080") is None
    assert check("sync.interval_s", 15) is None
    assert check("appearance.font_scale", 2.0) is None
    assert check("cache.location", str(tmp_path)) is None


def test_a_folder_is_not_a_ca_bundle(tmp_path: Path) -> None:
    assert "is a folder" in (check("connection.ca_bundle", str(tmp_path)) or "")


def test_stored_text_is_parsed_to_its_type_and_bad_text_falls_back() -> None:
    store = DictStore(
        {
            "sync/interval_s": "120",
            "appearance/font_scale": "1,25",
            "notifications/sound": "true",
            "connection/timeout_s": "soon",
            "appearance/theme": "purple",
        }
    )
    values, problems = schema.read_values(store)
    assert values["sync.interval_s"] == 120
    assert values["appearance.font_scale"] == 1.25
    assert values["notifications.sound"] is True
    assert values["connection.timeout_s"] == 30.0
    assert "must be a number" in problems["connection.timeout_s"]
    assert values["appearance.theme"] == "system"
    assert set(problems) == {"connection.timeout_s", "appearance.theme"}


def test_write_is_all_or_nothing() -> None:
    store = DictStore()
    values = schema.defaults() | {"sync.interval_s": 300, "appearance.font_scale": 9.0}
    with pytest.raises(schema.SettingsInvalidError) as caught:
        schema.write_values(store, values)
    assert set(caught.value.errors) == {"appearance.font_scale"}
    assert store.data == {}
    schema.write_values(store, values | {"appearance.font_scale": 1.5})
    assert store.data["sync/interval_s"] == 300
    assert store.data[schema.VERSION_KEY] == schema.SETTINGS_VERSION


def test_unknown_names_are_refused() -> None:
    assert "not a setting" in schema.validate({"account.password": "x"})["account.password"]


def test_shortcut_collisions_name_the_other_action() -> None:
    errors = schema.validate({"shortcuts.refresh": "Ctrl+F", "shortcuts.focus_search": "ctrl+f"})
    assert errors["shortcuts.refresh"] == "Also used by Find a customer."
    assert errors["shortcuts.focus_search"] == "Also used by Refresh."
    assert schema.shortcut_collisions({"shortcuts.refresh": "", "shortcuts.quit": ""}) == {}


def test_upgrade_from_version_0_renames_keys_and_drops_secrets() -> None:
    store = DictStore(
        {
            "server/url": "https://crm.example.com",
            "ui/language": "ru",
            "auth/token": "abc.def",
            "appearance/theme": "dark",
        }
    )
    assert schema.upgrade(store) == [0]
    assert store.data == {
        "connection/server_url": "https://crm.example.com",
        "appearance/language": "ru",
        "appearance/theme": "dark",
        schema.VERSION_KEY: 1,
    }
    values, problems = schema.read_values(store)
    assert values["connection.server_url"] == "https://crm.example.com"
    assert values["appearance.language"] == "ru" and not problems
    assert schema.upgrade(store) == []  # idempotent


def test_a_newer_file_is_refused() -> None:
    with pytest.raises(schema.SettingsTooNewError, match="newer version"):
        schema.upgrade(DictStore({schema.VERSION_KEY: "7"}))


def test_keep_aside_copies_and_removes(tmp_path: Path) -> None:
    path = tmp_path / "operator-app.conf"
    path.write_text("[broken")
    aside = schema.keep_aside(path, datetime(2024, 5, 1, 12, 0, 0))
    assert aside.name == "operator-app.conf.unreadable-20240501-120000"
    assert aside.read_text() == "[broken" and not path.exists()
    path.write_text("again")
    second = schema.keep_aside(path, datetime(2024, 5, 1, 12, 0, 0))
    assert second != aside and second.exists()
    notice = schema.aside_notice(path, aside, "the file is damaged")
    assert aside.name in notice and "defaults" in notice
