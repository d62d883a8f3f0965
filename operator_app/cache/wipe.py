"""Empty the local cache in place (Settings › Account › Wipe local cache).

Every row goes — customers, history, the outbox, the sync cursor — in one transaction,
so a crash leaves either the old cache or an empty one. The file, its schema and its
``meta`` rows stay, so the next sync round simply starts again from cursor 0.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from operator_app.cache.fts import SEARCH_TABLE

KEEP = frozenset({"meta"})


def wipe_cache(engine: Engine) -> int:
    """Delete every row of every table but ``meta``; returns how many tables were emptied."""
    with engine.begin() as conn:
        # Rows reference each other; checking keys at commit lets the order not matter.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        names = [
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        emptied = 0
        for name in names:
            if name in KEEP or name.startswith(f"{SEARCH_TABLE}_"):
                continue  # FTS5's own shadow tables are emptied through the index below
            if name == SEARCH_TABLE:
                conn.exec_driver_sql(
                    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')"
                )
            else:
                conn.exec_driver_sql(f'DELETE FROM "{name}"')
            emptied += 1
    return emptied
