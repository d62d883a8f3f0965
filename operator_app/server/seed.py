"""Loading the deterministic demo data set into a server database marked as a demo.

The generator's batches use the client cache's entity and column names, which the
server tables share, so rows go in as they come (plus ``version``/``updated_at``),
each with its change-log entry so clients pull the demo through the change feed.
The whole load is one transaction: a failed seed leaves no half data set behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session

from operator_app.domain.enums import Role
from operator_app.server.accounts import create_user
from operator_app.server.changelog import lock_for_append
from operator_app.server.models import ENTITY_MODELS, ChangeLog, CustomerPhone, User
from operator_app.server.security import hash_password
from operator_app.server.serialize import dumps, snapshot_from_mapping

DEMO_PASSWORD = "demo"
DEMO_USERS = (
    ("operator", "Demo Operator", Role.OPERATOR),
    ("supervisor", "Demo Supervisor", Role.SUPERVISOR),
    ("admin", "Demo Admin", Role.ADMIN),
)
DERIVED_ENTITIES = frozenset({"customer_phone"})  # rebuilt from customers.phones
DEMO_ACTOR = "demo-seed"


class SeedError(RuntimeError):
    """The demo data could not be loaded; the message says why."""


@dataclass
class SeedReport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _fill_defaults(table: Table, row: dict[str, Any], now: datetime) -> dict[str, Any]:
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise SeedError(f"the demo generator sent unknown {table.name} columns: {sorted(unknown)}")
    filled = dict(row)
    filled.setdefault("version", 1)
    filled.setdefault("updated_at", now)
    # Every row gets every column: one executemany needs one shape, and the snapshot
    # written to the change log must hold what the table holds.
    for column in table.columns:
        if column.name in filled:
            continue
        default: Any = column.default
        if default is not None and default.is_scalar:
            filled[column.name] = default.arg
        elif default is not None and default.is_callable:
            filled[column.name] = default.arg(None)
        elif column.nullable:
            filled[column.name] = None
        else:
            raise SeedError(f"the demo generator sent a {table.name} row without {column.name}")
    return filled


def load_batches(
    connection: Connection, batches: Iterable[tuple[str, list[dict[str, Any]]]], now: datetime
) -> SeedReport:
    """Insert the batches and their change-log entries on ``connection`` (caller commits)."""
    report = SeedReport()
    for entity, rows in batches:
        if entity in DERIVED_ENTITIES or not rows:
            continue
        model = ENTITY_MODELS.get(entity)
        if model is None:
            raise SeedError(f"the demo generator sent an unknown entity {entity!r}")
        table: Table = model.__table__  # type: ignore[assignment]
        prepared = [_fill_defaults(table, row, now) for row in rows]
        connection.execute(insert(table), prepared)
        if entity == "customer":
            phones = {(e164, row["id"]) for row in prepared for e164 in row.get("phones") or []}
            if phones:
                connection.execute(
                    insert(CustomerPhone),
                    [{"e164": e164, "customer_id": cid} for e164, cid in sorted(phones)],
                )
        connection.execute(
            insert(ChangeLog),
            [
                {
                    "entity": entity,
                    "entity_id": row["id"],
                    "op": "create",
                    "version": row["version"],
                    "data": dumps(snapshot_from_mapping(entity, row)),
                    "at": now,
                    "actor": DEMO_ACTOR,
                }
                for row in prepared
            ],
        )
        report.rows[entity] = report.rows.get(entity, 0) + len(prepared)
    return report


def _demo_batches(
    customers: int, *, seed: int, now: datetime, messages_per_customer: int
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    try:
        from operator_app.demo.generator import generate
    except ImportError as error:
        raise SeedError(
            f"the demo data generator is not available in this build ({error})"
        ) from None
    return generate(customers, seed=seed, now=now, messages_per_customer=messages_per_customer)


def ensure_demo_users(session: Session, now: datetime) -> None:
    """operator / supervisor / admin, password ``demo``; generated accounts get the password."""
    for username, name, role in DEMO_USERS:
        existing = session.scalar(select(User).where(User.username == username))
        if existing is None:
            create_user(
                session,
                username=username,
                name=name,
                role=role,
                password=DEMO_PASSWORD,
                now=now,
                actor=DEMO_ACTOR,
            )
        else:  # a generated author account: give it the demo password (not in the feed)
            session.execute(
                update(User)
                .where(User.id == existing.id)
                .values(password_hash=hash_password(DEMO_PASSWORD))
            )


def seed_demo(
    session: Session,
    *,
    customers: int,
    seed: int,
    now: datetime,
    messages_per_customer: int = 10,
) -> SeedReport:
    lock_for_append(session)
    batches = _demo_batches(
        customers, seed=seed, now=now, messages_per_customer=messages_per_customer
    )
    report = load_batches(session.connection(), batches, now)
    ensure_demo_users(session, now)
    return report
