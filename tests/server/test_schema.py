"""Migrations build exactly the schema the models describe, on both backends; demo loading."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from operator_app.server.db import Database
from operator_app.server.models import Base, ChangeLog, Customer, CustomerPhone, Product, User
from operator_app.server.schema import alembic_config, head_revision, schema_state, upgrade_to_head
from operator_app.server.security import verify_password
from operator_app.server.seed import DEMO_PASSWORD, SeedError, ensure_demo_users, load_batches
from tests.server.conftest import BACKENDS


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
def test_migrations_match_the_models_and_run_both_ways(fresh_database_url: str) -> None:
    db = Database(fresh_database_url)
    try:
        assert schema_state(db).is_blank
        upgrade_to_head(db)
        state = schema_state(db)
        assert state.revision == head_revision() and state.is_current
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        config = alembic_config()
        with db.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert schema_state(db).revision is None
        upgrade_to_head(db)
        assert schema_state(db).is_current
    finally:
        db.dispose()


def _batches(now: datetime) -> tuple[list, uuid.UUID, uuid.UUID]:
    newer, older = uuid.uuid4(), uuid.uuid4()
    customer = uuid.uuid4()
    return (
        [
            # The successor is listed after the product that points to it.
            (
                "product",
                [
                    {
                        "id": older,
                        "sku": "OLD",
                        "name": "Old",
                        "category": "c",
                        "price": Decimal("10"),
                        "successor_id": newer,
                    },
                    {
                        "id": newer,
                        "sku": "NEW",
                        "name": "New",
                        "category": "c",
                        "price": Decimal("12.5"),
                    },
                ],
            ),
            (
                "customer",
                [
                    {
                        "id": customer,
                        "first_name": "A",
                        "last_name": "B",
                        "name_key": "b a",
                        "phones": ["+79161234567", "+79161234567"],
                        "channel_of_origin": "sms",
                        "tier": "silver",
                        "birthday": now.date() - timedelta(days=9000),
                    }
                ],
            ),
            ("customer_phone", [{"e164": "+79161234567", "customer_id": customer}]),
            (
                "user",
                [
                    {
                        "id": uuid.uuid4(),
                        "username": "operator",
                        "name": "Generated Operator",
                        "role": "operator",
                    }
                ],
            ),
        ],
        customer,
        older,
    )


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
def test_demo_batches_load_with_their_change_log(fresh_database_url: str) -> None:
    db = Database(fresh_database_url)
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    try:
        upgrade_to_head(db)
        batches, customer_id, product_id = _batches(now)
        with db.writing() as session:
            report = load_batches(session.connection(), batches, now)
            ensure_demo_users(session, now)
        assert report.rows == {"product": 2, "customer": 1, "user": 1}
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(CustomerPhone)) == 1
            log = {row.entity_id: row for row in session.scalars(select(ChangeLog))}
            snapshot = json.loads(log[customer_id].data)
            assert snapshot["tier"] == "silver"
            assert snapshot["historical_clv"] == "0.00"  # column default, as stored
            assert snapshot["updated_at"] == "2025-03-01T12:00:00Z"
            assert session.get(Customer, customer_id).version == 1  # type: ignore[union-attr]
            assert session.get(Product, product_id).successor_id is not None  # type: ignore[union-attr]
            users = {u.username: u for u in session.scalars(select(User))}
            assert set(users) == {"operator", "supervisor", "admin"}
            assert users["operator"].name == "Generated Operator"  # kept, given a password
            for user in users.values():
                assert verify_password(user.password_hash, DEMO_PASSWORD)
    finally:
        db.dispose()


def test_unknown_generator_output_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    now = datetime.now(UTC)
    try:
        upgrade_to_head(db)
        for batches, message in (
            ([("planet", [{"id": uuid.uuid4()}])], "unknown entity"),
            ([("product", [{"id": uuid.uuid4(), "colour": "red"}])], "unknown products columns"),
            ([("product", [{"id": uuid.uuid4()}])], "without sku"),
        ):
            with pytest.raises(SeedError, match=message), db.writing() as session:
                load_batches(session.connection(), batches, now)
    finally:
        db.dispose()
