"""Rotating log files with secrets scrubbed, and the diagnostics zip."""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from operator_app.services import logs
from operator_app.services.diagnostics import write_diagnostics

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJlLXBhcnQ"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = logs.setup_logging(logs.log_folder(tmp_path))
    assert path is not None
    yield path
    logs.shutdown_logging()


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_data_dir_puts_logs_under_it(tmp_path: Path, log_file: Path) -> None:
    assert log_file == tmp_path.absolute() / "logs" / "operator-app.log"
    assert logs.current_log_folder() == log_file.parent
    assert logs.log_folder(None).name in ("log", "logs", "operator-app")


@pytest.mark.parametrize(
    ("message", "secret"),
    [
        ("headers: {'Authorization': 'Bearer abc.def.ghi'}", "abc.def.ghi"),
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ('login body {"username": "anna", "password": "hunter2!"}', "hunter2!"),
        ("refresh with access_token=s3cr3t-value&x=1", "s3cr3t-value"),
        ("connecting to https://anna:topsecret@crm.example.com/api", "topsecret"),
        (f"stray token {JWT} in text", JWT),
        ("Cookie: session=deadbeefcafe", "deadbeefcafe"),
    ],
)
def test_secrets_never_reach_the_file(log_file: Path, message: str, secret: str) -> None:
    logging.getLogger("operator_app.test").warning(message)
    text = read(log_file)
    assert secret not in text
    assert logs.REDACTED in text


def test_args_and_tracebacks_are_scrubbed_too(log_file: Path) -> None:
    log = logging.getLogger("operator_app.test")
    log.warning("user %s signed in with password=%s", "anna", "pa55word")
    try:
        raise RuntimeError("request failed: Authorization: Bearer zzz-token-zzz")
    except RuntimeError:
        log.exception("sync failed")
    text = read(log_file)
    assert "anna" in text and "pa55word" not in text
    assert "zzz-token-zzz" not in text and "RuntimeError" in text


def test_ordinary_text_is_left_alone() -> None:
    line = "GET /api/v1/changes -> 200 (42 customers, tokenizer ok)"
    assert logs.scrub(line) == line


def test_logs_rotate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup_logging(tmp_path / "logs")
    assert path is not None
    try:
        for i in range(200):
            logging.getLogger("operator_app.test").warning("line %d %s", i, "x" * 40)
    finally:
        logs.shutdown_logging()
    names = sorted(p.name for p in path.parent.iterdir())
    assert "operator-app.log.1" in names and len(names) == 1 + logs.BACKUPS


def test_an_unwritable_log_folder_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert logs.setup_logging(blocker / "logs") is None


def test_diagnostics_zip(tmp_path: Path, log_file: Path) -> None:
    logging.getLogger("operator_app.test").warning("hello from the log")
    read(log_file)
    out = write_diagnostics(
        tmp_path / "diag",
        logs=log_file.parent,
        versions={"app": "0.1.0", "python": "3.11"},
        settings={"account.user": "anna", "connection.server_url": "https://x", "auth/token": "t"},
        cache_file=tmp_path / "missing.sqlite3",
    )
    assert out.suffix == ".zip"
    with zipfile.ZipFile(out) as bundle:
        names = set(bundle.namelist())
        assert {"logs/operator-app.log", "versions.json", "settings.json", "cache.json"} <= names
        assert "hello from the log" in bundle.read("logs/operator-app.log").decode()
        settings = json.loads(bundle.read("settings.json"))
        assert settings == {"account.user": "anna", "connection.server_url": "https://x"}
        assert json.loads(bundle.read("cache.json")) == {"present": False}
