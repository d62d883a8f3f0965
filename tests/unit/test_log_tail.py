"""The log viewer's data: the end of the file, records, filters."""

from __future__ import annotations

import logging
from pathlib import Path

from operator_app.services.log_tail import parse, read_tail, select
from operator_app.services.logs import LOG_FILE, setup_logging, shutdown_logging

LINES = [
    "2026-11-23 20:13:17,001 INFO operator_app.sync: sync started",
    "2026-11-23 20:13:18,002 WARNING operator_app.api: server slow (3.2 s)",
    "2026-11-23 20:13:19,003 ERROR operator_app.sync: push failed",
    "Traceback (most recent call last):",
    '  File "x.py", line 1, in <module>',
    "ValueError: boom",
    "2026-11-23 20:13:20,004 DEBUG operator_app.gui: repaint",
]


def test_records_keep_tracebacks_with_their_line() -> None:
    records = parse(LINES)
    assert [r.level for r in records] == ["INFO", "WARNING", "ERROR", "DEBUG"]
    assert records[2].text.endswith("ValueError: boom")


def test_select_by_level_and_text() -> None:
    records = parse(LINES)
    assert [r.level for r in select(records, "WARNING")] == ["WARNING", "ERROR"]
    assert [r.level for r in select(records, "DEBUG", "BOOM")] == ["ERROR"]
    assert select(records, "ERROR", "slow") == []
    assert len(select(records)) == 4


def test_tail_of_a_big_file_reads_only_the_end(tmp_path: Path) -> None:
    path = tmp_path / LOG_FILE
    line = "2026-11-23 20:13:17,001 INFO operator_app: " + "x" * 80
    path.write_text("\n".join([line] * 20_000 + [LINES[2]]) + "\n", encoding="utf-8")
    tail = read_tail(path, max_bytes=10_000)
    assert tail.truncated and tail.size > 1_000_000
    assert all(r.text.startswith("2026-") for r in tail.records)  # no half line first
    assert tail.records[-1].level == "ERROR"
    assert len(tail.records) < 200


def test_missing_file_is_an_empty_tail(tmp_path: Path) -> None:
    tail = read_tail(tmp_path / "none.log")
    assert tail.records == [] and tail.size == 0 and not tail.truncated


def test_real_log_is_read_back_scrubbed(tmp_path: Path) -> None:
    written = setup_logging(tmp_path)
    try:
        logging.getLogger("operator_app.test").warning("login with password=hunter2 failed")
    finally:
        shutdown_logging()
    assert written is not None
    records = read_tail(written).records
    assert records and records[-1].level == "WARNING"
    assert "hunter2" not in records[-1].text and "[redacted]" in records[-1].text
