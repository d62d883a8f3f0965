"""The feed page query walks the change log's primary key, whatever indexes the database
has: a scope filter must never turn each page into a read-and-sort of the whole log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from operator_app.domain.enums import Role
from operator_app.server.changelog import feed_query, visible_entities
from operator_app.server.models import Base


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN])
def test_a_feed_page_walks_the_primary_key_even_beside_an_entity_index(
    tmp_path: Path, role: Role
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    Base.metadata.create_all(engine)
    query = feed_query(1000, 501, visible_entities(role))
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        # The index as databases made before its columns were reordered still have it.
        conn.exec_driver_sql(
            "CREATE INDEX ix_change_log_entity_row ON change_log (entity, entity_id, version)"
        )
        plan = " | ".join(str(row[3]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    engine.dispose()
    assert "INTEGER PRIMARY KEY" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
