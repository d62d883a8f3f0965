"""Writing the refit's figures onto customer rows, a chunk at a time.

Each chunk is first *planned* without any lock (read the value columns, compare with
the new figures); only customers whose figures moved materially are then rewritten, in
a short write transaction that re-reads (and on PostgreSQL locks) those rows, so an
operator's concurrent edit of the same customer is never lost: the refit takes the row
as it is then, changes only the value columns and bumps the version once. Each
rewritten row gets its change-log entry (the full snapshot) like any other update.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Row, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from operator_app.analytics.segments import CustomerSegment
from operator_app.server import changelog
from operator_app.server.models import ChangeLog, Customer
from operator_app.server.refit_history import OrderHistory, find_keys
from operator_app.server.refit_scores import (
    ScoreArrays,
    ValueFigures,
    cents_to_money,
    materially_changed,
    stored_money,
    stored_p_alive,
    stored_purchases,
)
from operator_app.server.serialize import dumps, snapshot_from_mapping

ACTOR = "analytics-refit"
VALUE_COLUMNS = (
    "historical_clv",
    "predicted_clv",
    "p_alive",
    "expected_purchases",
    "value_segment",
)


class Counts(Protocol):
    """Where the writer tallies what it did (the run's report)."""

    customers: int
    scored: int
    changed: int
    last_seq: int | None


@dataclass(frozen=True, slots=True)
class ChunkPlan:
    last_id: uuid.UUID | None  # where the next chunk starts; None: this was the last
    changed: dict[uuid.UUID, ValueFigures]


class CustomerValueWriter:
    def __init__(
        self,
        history: OrderHistory,
        scores: ScoreArrays | None,
        now: datetime,
        counts: Counts,
    ) -> None:
        self.history = history
        self.scores = scores
        self.now = now
        self.counts = counts
        self.table: Table = Customer.__table__  # type: ignore[assignment]

    def _figures(self, position: int, old: ValueFigures) -> ValueFigures:
        history, scores = self.history, self.scores
        if position < 0:
            return ValueFigures(cents_to_money(0), None, None, None, CustomerSegment.NEW.value)
        historical = cents_to_money(int(history.historical_cents[position]))
        row = int(history.rfm_row[position])
        if row < 0:
            return ValueFigures(historical, None, None, None, CustomerSegment.NEW.value)
        if scores is None:  # no model this time: keep the last predictions
            return ValueFigures(
                historical,
                old.predicted_clv,
                old.p_alive,
                old.expected_purchases,
                old.value_segment,
            )
        self.counts.scored += 1
        return ValueFigures(
            historical,
            stored_money(float(scores.predicted_clv[row])),
            stored_p_alive(float(scores.p_alive[row])),
            stored_purchases(float(scores.expected_purchases[row])),
            scores.segment(row),
        )

    def plan(self, session: Session, after: uuid.UUID | None, size: int) -> ChunkPlan:
        """The next ``size`` customers after id ``after``: which need new figures."""
        c = self.table
        query = select(c.c.id, *(c.c[name] for name in VALUE_COLUMNS))
        if after is not None:
            query = query.where(c.c.id > after)
        rows = session.connection().execute(query.order_by(c.c.id).limit(size)).all()
        self.counts.customers += len(rows)
        positions = find_keys(self.history.keys, [row.id.bytes for row in rows])
        changed = {}
        for row, position in zip(rows, positions, strict=True):
            old = _figures_of(row)
            new = self._figures(int(position), old)
            if materially_changed(old, new):
                changed[row.id] = new
        return ChunkPlan(rows[-1].id if len(rows) == size else None, changed)

    def rewrite(self, session: Session, changed: dict[uuid.UUID, ValueFigures]) -> None:
        """Give the customers in ``changed`` their figures: versioned updates, logged."""
        c = self.table
        connection = session.connection()
        query = select(c).where(c.c.id.in_(list(changed)))
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        params = []
        entries = []
        for mapping in connection.execute(query).mappings():
            values = {name: getattr(changed[mapping["id"]], name) for name in VALUE_COLUMNS}
            version = mapping["version"] + 1
            params.append(
                {"b_id": mapping["id"], "b_version": version}
                | {f"b_{name}": value for name, value in values.items()}
            )
            row = {**mapping, **values, "version": version, "updated_at": self.now}
            entries.append(
                {
                    "entity": "customer",
                    "entity_id": mapping["id"],
                    "op": "update",
                    "version": version,
                    "data": dumps(snapshot_from_mapping("customer", row)),
                    "at": self.now,
                    "actor": ACTOR,
                }
            )
        if not entries:
            return
        statement = (
            update(c)
            .where(c.c.id == bindparam("b_id"))
            .values(
                version=bindparam("b_version"),
                updated_at=self.now,
                **{name: bindparam(f"b_{name}") for name in VALUE_COLUMNS},
            )
        )
        connection.execute(statement, params)
        changelog.lock_for_append(session)
        connection.execute(insert(ChangeLog), entries)
        self.counts.changed += len(entries)
        self.counts.last_seq = changelog.latest_seq(session)


def _figures_of(row: Row[Any]) -> ValueFigures:
    return ValueFigures(
        row.historical_clv,
        row.predicted_clv,
        row.p_alive,
        row.expected_purchases,
        row.value_segment,
    )
