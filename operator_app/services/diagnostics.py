"""``Help → Save diagnostics…``: one zip a user can send to support.

It holds the logs (already scrubbed when written), the versions of everything, the
settings without secrets and the cache's statistics. Nothing in it comes from the
keyring, and settings keys that look secret are dropped once more on the way in.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from operator_app.cache.db import open_cache
from operator_app.cache.outbox import pending_count
from operator_app.cache.sync_state import entity_counts
from operator_app.services.logs import scrub
from operator_app.services.settings_schema import redacted


def cache_facts(cache_file: Path | None) -> dict[str, Any]:
    """Size on disk and, when it opens, what the cache holds."""
    if cache_file is None or not cache_file.exists():
        return {"present": False}
    facts: dict[str, Any] = {"present": True, "path": str(cache_file)}
    facts["bytes_on_disk"] = folder_size(cache_file.parent, prefix=cache_file.name)
    try:
        engine = open_cache(cache_file, create=False)
        try:
            facts["entities"] = entity_counts(engine)
            facts["pending"] = pending_count(engine)
        finally:
            engine.dispose()
    except Exception as exc:  # a damaged cache is itself a diagnostic
        facts["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return facts


def folder_size(folder: Path, prefix: str = "") -> int:
    """Bytes of the files in ``folder`` whose names start with ``prefix`` (the cache and
    its -wal/-shm companions)."""
    total = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.name.startswith(prefix):
                total += path.stat().st_size
    return total


def write_diagnostics(
    target: Path,
    *,
    logs: Path | None,
    versions: Mapping[str, str],
    settings: Mapping[str, Any],
    cache_file: Path | None,
) -> Path:
    """Write the zip to ``target`` (OSError with the reason when it cannot)."""
    target = target if target.suffix == ".zip" else target.with_suffix(".zip")
    tmp = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            if logs is not None and logs.is_dir():
                for path in sorted(logs.glob("*.log*")):
                    text = path.read_text(encoding="utf-8", errors="replace")
                    bundle.writestr(f"logs/{path.name}", scrub(text))
            facts = {"created_at": datetime.now(UTC).isoformat(), **versions}
            bundle.writestr("versions.json", json.dumps(facts, indent=2))
            bundle.writestr("settings.json", json.dumps(redacted(settings), indent=2, default=str))
            bundle.writestr(
                "cache.json", json.dumps(cache_facts(cache_file), indent=2, default=str)
            )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
