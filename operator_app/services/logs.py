"""Rotating log files in the user's log folder, with secrets scrubbed before writing.

``setup_logging(log_folder(data_dir))`` runs once at start-up. ``--data-dir`` puts the
logs under that folder (``<data-dir>/logs``) so a test or a second profile never writes
into the real user's logs. The filter removes tokens, passwords and Authorization
headers from every record, including exception text, whatever module logged it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

import platformdirs

APP_NAME = "operator-app"
LOG_FILE = "operator-app.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization / Proxy-Authorization / Cookie headers, in any quoting.
    (
        re.compile(
            r"(?i)\b((?:proxy-)?authorization|cookie|set-cookie)(['\"]?\s*[:=]\s*['\"]?)"
            r"[^'\"\r\n,}]+"
        ),
        r"\1\2" + REDACTED,
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[\w\-.~+/=]+"), r"\1 " + REDACTED),
    # password=..., "access_token": "...", secret: ..., api_key=...
    (
        re.compile(
            r"(?i)\b([\w-]*(?:password|passwd|secret|token|api_?key)[\w-]*)"
            r"(['\"]?\s*[:=]\s*['\"]?)[^'\"\s,&}]+"
        ),
        r"\1\2" + REDACTED,
    ),
    # user:password@ in URLs.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+):[^/\s@]+@"), r"\1:" + REDACTED + "@"),
    # JSON Web Tokens wherever they appear.
    (re.compile(r"\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*"), REDACTED),
]


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubSecretsFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def log_folder(data_dir: Path | None = None) -> Path:
    """``<data-dir>/logs`` when a data folder was given, else the per-user log folder."""
    if data_dir is not None:
        return data_dir.expanduser().absolute() / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


_installed: logging.Handler | None = None
_folder: Path | None = None


def current_log_folder() -> Path | None:
    """Where ``setup_logging`` writes this run's log (None before it ran)."""
    return _folder


def setup_logging(folder: Path, level: int = logging.INFO) -> Path | None:
    """Log to ``folder/operator-app.log`` (rotated at 1 MB, 5 kept). Returns the file, or
    None when the folder cannot be written (the app runs on without a log file)."""
    global _installed, _folder
    root = logging.getLogger()
    if _installed is not None:
        root.removeHandler(_installed)
        _installed.close()
        _installed = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        _folder = None
        return None
    handler.addFilter(ScrubSecretsFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    _installed, _folder = handler, folder
    return folder / LOG_FILE


def shutdown_logging() -> None:
    global _installed, _folder
    if _installed is not None:
        logging.getLogger().removeHandler(_installed)
        _installed.close()
    _installed, _folder = None, None
