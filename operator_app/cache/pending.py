"""What unpushed local edits look like, and what the server had under them.

A row with unpushed edits shows the operator's values (the *overlay*). The server's
own values for those fields are kept in ``sync_shadow`` so that a conflict can show
both sides, and a discarded edit can be undone, without asking the server.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Connection

from operator_app.cache.rowcodec import TableCodec

OVERLAY_OPS = ("create", "update")


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def pending_overlays(conn: Connection) -> dict[tuple[str, bytes], dict[str, Any]]:
    """(entity, id) → the field values unpushed create/update rows set, later rows winning."""
    merged: dict[tuple[str, bytes], dict[str, Any]] = {}
    rows = conn.exec_driver_sql(
        "SELECT entity, entity_id, data FROM outbox WHERE op IN ('create', 'update') ORDER BY seq"
    )
    for entity, entity_id, data in rows:
        values = _loads(data)
        if isinstance(values, dict):
            merged.setdefault((entity, bytes(entity_id)), {}).update(values)
    return merged


def pending_fields(conn: Connection, entity: str, entity_id: bytes) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    rows = conn.exec_driver_sql(
        "SELECT data FROM outbox WHERE entity = ? AND entity_id = ? "
        "AND op IN ('create', 'update') ORDER BY seq",
        (entity, entity_id),
    )
    for (data,) in rows:
        values = _loads(data)
        if isinstance(values, dict):
            merged.update(values)
    return merged


def load_shadow(
    conn: Connection, entity: str, entity_id: bytes
) -> tuple[dict[str, Any], int | None] | None:
    row = conn.exec_driver_sql(
        "SELECT fields, version FROM sync_shadow WHERE entity = ? AND entity_id = ?",
        (entity, entity_id),
    ).first()
    if row is None:
        return None
    fields = _loads(row[0])
    return (fields if isinstance(fields, dict) else {}), row[1]


def save_shadow(
    conn: Connection, entity: str, entity_id: bytes, fields: dict[str, Any], version: int | None
) -> None:
    if not fields:
        delete_shadow(conn, entity, entity_id)
        return
    conn.exec_driver_sql(
        "INSERT INTO sync_shadow (entity, entity_id, fields, version) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(entity, entity_id) DO UPDATE SET fields = excluded.fields, "
        "version = excluded.version",
        (entity, entity_id, json.dumps(fields, ensure_ascii=False), version),
    )


def delete_shadow(conn: Connection, entity: str, entity_id: bytes) -> None:
    conn.exec_driver_sql(
        "DELETE FROM sync_shadow WHERE entity = ? AND entity_id = ?", (entity, entity_id)
    )


def table_fields(codec: TableCodec, values: dict[str, Any]) -> dict[str, Any]:
    """Only the entries of ``values`` that are columns of the table (never its key)."""
    return {k: v for k, v in values.items() if k in codec.columns and k not in codec.key_columns}


def read_fields(
    conn: Connection, codec: TableCodec, entity_id: bytes, names: list[str]
) -> dict[str, Any] | None:
    """The row's current values of ``names`` in JSON form; None when the row is absent."""
    names = [n for n in names if n in codec.columns]
    if not names:
        exists = conn.exec_driver_sql(
            f'SELECT 1 FROM "{codec.table.name}" WHERE id = ?', (entity_id,)
        ).first()
        return {} if exists else None
    cols = ", ".join(f'"{n}"' for n in names)
    row = conn.exec_driver_sql(
        f'SELECT {cols} FROM "{codec.table.name}" WHERE id = ?', (entity_id,)
    ).first()
    if row is None:
        return None
    return {n: codec.json_value(n, v) for n, v in zip(names, row, strict=True)}


def write_fields(
    conn: Connection, codec: TableCodec, entity_id: bytes, values: dict[str, Any]
) -> None:
    """Set JSON-form ``values`` on one row (unknown names are ignored)."""
    fields = table_fields(codec, values)
    if not fields:
        return
    assignments = ", ".join(f'"{n}" = ?' for n in fields)
    params = [codec.stored(n, v) for n, v in fields.items()]
    conn.exec_driver_sql(
        f'UPDATE "{codec.table.name}" SET {assignments} WHERE id = ?', (*params, entity_id)
    )


def insert_row(conn: Connection, codec: TableCodec, values: dict[str, Any]) -> None:
    """Insert one row from JSON-form ``values``; columns not given take their defaults."""
    row = {k: v for k, v in values.items() if k in codec.columns}
    for name, column in codec.columns.items():
        if name not in row and column.default is not None:
            row[name] = column.default
    names = ", ".join(f'"{n}"' for n in row)
    marks = ", ".join("?" * len(row))
    conn.exec_driver_sql(
        f'INSERT INTO "{codec.table.name}" ({names}) VALUES ({marks})',
        tuple(codec.stored(n, v) for n, v in row.items()),
    )
