"""The end of the log file as records, filtered by level and text (the log viewer's data).

Only the last ``max_bytes`` are read, so a big file costs the same as a small one.
A record is a line that starts with the log format's time stamp plus the lines that
follow it without one (a traceback belongs to the record that logged it). The file is
scrubbed of secrets when written (``services.logs``); the viewer shows it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TAIL_BYTES = 512 * 1024
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_RANK = {name: rank for rank, name in enumerate(LEVELS)}
# "2026-11-23 20:13:17,123 WARNING operator_app.sync: ..." (services.logs.FORMAT)
_HEAD = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[,.]\d{3} ([A-Z]+) ")


@dataclass(frozen=True, slots=True)
class LogRecord:
    level: str
    text: str  # the whole record, continuation lines included

    def at_least(self, level: str) -> bool:
        return _RANK.get(self.level, _RANK["INFO"]) >= _RANK.get(level, 0)


@dataclass(frozen=True, slots=True)
class LogTail:
    records: list[LogRecord]
    truncated: bool  # the file is longer than what was read
    size: int


def read_tail(path: Path, max_bytes: int = TAIL_BYTES) -> LogTail:
    """The last ``max_bytes`` of ``path`` as records; an absent file is an empty tail.
    ``OSError`` when it exists but cannot be read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return LogTail([], False, 0)
    with path.open("rb") as fh:
        start = max(0, size - max_bytes)
        fh.seek(start)
        data = fh.read(max_bytes)
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if start > 0 and lines:
        lines = lines[1:]  # the first line was cut in the middle
    return LogTail(parse(lines), start > 0, size)


def parse(lines: Iterable[str]) -> list[LogRecord]:
    records: list[LogRecord] = []
    level, chunk = "", []  # type: ignore[var-annotated]
    for line in lines:
        head = _HEAD.match(line)
        if head is not None:
            if chunk:
                records.append(LogRecord(level or "INFO", "\n".join(chunk)))
            level, chunk = head.group(1), [line]
        else:
            chunk.append(line)
    if chunk:
        records.append(LogRecord(level or "INFO", "\n".join(chunk)))
    return records


def select(
    records: Iterable[LogRecord], min_level: str = "DEBUG", text: str = ""
) -> list[LogRecord]:
    """Records at ``min_level`` or above whose text contains ``text`` (any case)."""
    needle = text.strip().casefold()
    return [
        r for r in records if r.at_least(min_level) and (not needle or needle in r.text.casefold())
    ]
