"""What the server writes to its logs: no search terms, no row values."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from operator_app.server.db import Database
from operator_app.server.models import Note
from operator_app.server.schema import upgrade_to_head
from operator_app.server.serving import DropQueryStrings


def test_access_log_lines_lose_their_query_strings() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/v1/customers?q=Ivanova+89161234567", "1.1", 200),
        None,
    )
    assert DropQueryStrings().filter(record)
    assert "Ivanova" not in record.getMessage()
    assert "/api/v1/customers" in record.getMessage()


def test_database_errors_do_not_carry_row_values(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        upgrade_to_head(db)
        with pytest.raises(IntegrityError) as caught, db.writing() as session:
            session.add(
                Note(
                    id=uuid.uuid4(),
                    customer_id=uuid.uuid4(),
                    author="a",
                    body="a private message body",
                    version=1,
                )
            )
    finally:
        db.dispose()
    assert "private message body" not in str(caught.value)
