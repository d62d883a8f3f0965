"""Schema lifecycle: Alembic upgrades, the schema's state, and the ``server_meta`` facts."""

from __future__ import annotations

from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from operator_app.server.db import Database
from operator_app.server.models import Customer, ServerMeta

SCRIPT_LOCATION = "operator_app.server:migrations"
DEMO_KEY = "demo"
CREATED_KEY = "created_at"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the server has no migrations"
    return head


@dataclass(frozen=True, slots=True)
class SchemaState:
    revision: str | None  # None: no schema of ours here
    other_tables: bool  # tables that are not ours, without an Alembic stamp

    @property
    def is_current(self) -> bool:
        return self.revision == head_revision()

    @property
    def is_blank(self) -> bool:
        return self.revision is None and not self.other_tables


def schema_state(db: Database) -> SchemaState:
    with db.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    return SchemaState(revision=revision, other_tables=bool(tables - {"alembic_version"}))


def upgrade_to_head(db: Database) -> None:
    """Create or upgrade the schema in one transaction (both SQLite and PostgreSQL have
    transactional DDL, so a failed upgrade leaves the previous schema intact)."""
    config = alembic_config()
    with db.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def read_meta(session: Session, key: str) -> str | None:
    row = session.get(ServerMeta, key)
    return None if row is None else row.value


def write_meta(session: Session, key: str, value: str) -> None:
    session.merge(ServerMeta(key=key, value=value))


def is_demo(session: Session) -> bool:
    return read_meta(session, DEMO_KEY) == "true"


def has_customer_data(session: Session) -> bool:
    return session.scalar(select(Customer.id).limit(1)) is not None
