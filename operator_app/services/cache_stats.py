"""``operator-app cache stats``: what the local cache holds and how far it has synced."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from operator_app.cache.db import CacheError, open_cache
from operator_app.cache.outbox import pending_count
from operator_app.cache.sync_outcomes import issue_counts
from operator_app.cache.sync_state import entity_counts, read_sync_status
from operator_app.services.datadir import cache_path, default_data_dir


def collect_stats(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the JSON document, extra facts for people)."""
    data_dir = getattr(args, "data_dir", None) or default_data_dir()
    path = cache_path(data_dir.expanduser())
    engine = open_cache(path, create=False)
    try:
        status = read_sync_status(engine)
        conflicts, rejected = issue_counts(engine)
        stats = {
            "cursor": status.cursor,
            "pending": pending_count(engine),
            "entities": entity_counts(engine),
        }
    finally:
        engine.dispose()
    extra = {
        "path": str(path),
        "server": status.server_url,
        "user": status.username,
        "last_sync_at": status.last_sync_at.isoformat() if status.last_sync_at else None,
        "conflicts": conflicts,
        "rejected": rejected,
    }
    return stats, extra


def run_cache_stats_command(args: argparse.Namespace) -> int:
    try:
        stats, extra = collect_stats(args)
    except CacheError as exc:
        print(f"operator-app cache stats: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print(json.dumps(stats, sort_keys=False))
        return 0
    print(f"Cache:        {extra['path']}")
    print(f"Server:       {extra['server'] or '—'} ({extra['user'] or 'not signed in yet'})")
    print(f"Last sync:    {extra['last_sync_at'] or 'never'}")
    print(f"Cursor:       {stats['cursor']:,}")
    print(f"Pending:      {stats['pending']:,} local changes")
    print(f"Conflicts:    {extra['conflicts']:,}   Refused: {extra['rejected']:,}")
    for entity, count in stats["entities"].items():
        print(f"  {entity:<14}{count:>12,}")
    return 0
