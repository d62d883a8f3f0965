"""Every reference in the demo rows points at a row that exists: loaded with foreign keys on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, create_engine, event, insert, text

from operator_app.cache.models import ENTITY_TABLES, Base
from operator_app.demo import generate


def _foreign_keys_on(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def test_demo_rows_load_with_foreign_keys_enforced() -> None:
    engine = create_engine("sqlite://")
    event.listen(engine, "connect", _foreign_keys_on)
    Base.metadata.create_all(engine)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        # Inserting in the order given, row by row checks: a missing parent fails at once.
        for entity, rows in generate(800, seed=3):
            table = ENTITY_TABLES[entity]
            assert isinstance(table, Table)
            conn.execute(insert(table), rows)
            counts[entity] = counts.get(entity, 0) + len(rows)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        for entity, count in counts.items():
            name = ENTITY_TABLES[entity].name  # type: ignore[attr-defined]
            assert conn.execute(text(f"SELECT count(*) FROM {name}")).scalar() == count
        # References stored in JSON or as plain ids, which no foreign key covers.
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM audit_events a "
                "WHERE NOT EXISTS (SELECT 1 FROM review_cases r WHERE r.id = a.entity_id)"
            )
        ).scalar()
        assert orphans == 0
        unknown_assignees = conn.execute(
            text(
                "SELECT count(*) FROM conversations c WHERE c.assignee IS NOT NULL "
                "AND NOT EXISTS (SELECT 1 FROM users u WHERE u.username = c.assignee)"
            )
        ).scalar()
        assert unknown_assignees == 0
    engine.dispose()
