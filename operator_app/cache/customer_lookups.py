"""Keep the derived customer lookups in step after customer rows change.

``customers.name_key``, the ``customer_phones`` table (phone → customer, for the
screen pop) and the full-text index are all derived from a customer's own columns.
Whoever writes customer rows (the change feed, local edits) calls
:func:`refresh_customer_lookups` in the same transaction, so search never sees a
half-updated customer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from sqlalchemy.engine import Connection

from operator_app.cache.fts import index_customers
from operator_app.domain.text import name_key

_CHUNK = 500


def refresh_customer_lookups(
    conn: Connection, customer_ids: Iterable[uuid.UUID], *, search_index: bool = True
) -> None:
    """Derived columns and tables of these customers; the search index too unless told
    not to (a bulk pull rebuilds it once at the end instead)."""
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        return
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        blobs = [i.bytes for i in chunk]
        marks = ",".join("?" * len(blobs))
        rows = conn.exec_driver_sql(
            "SELECT id, first_name, last_name, middle_name, name_key, phones "
            f"FROM customers WHERE id IN ({marks})",
            tuple(blobs),
        ).all()
        new_keys: list[tuple[str, bytes]] = []
        phone_rows: list[tuple[str, bytes]] = []
        for blob, first, last, middle, key, phones in rows:
            wanted = name_key(last or "", first or "", middle or "")
            if wanted != key:
                new_keys.append((wanted, blob))
            try:
                numbers = json.loads(phones) if phones else []
            except ValueError:
                numbers = []
            phone_rows.extend(
                (number, blob) for number in dict.fromkeys(numbers) if isinstance(number, str)
            )
        if new_keys:
            conn.exec_driver_sql("UPDATE customers SET name_key = ? WHERE id = ?", new_keys)
        conn.exec_driver_sql(
            f"DELETE FROM customer_phones WHERE customer_id IN ({marks})", tuple(blobs)
        )
        if phone_rows:
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO customer_phones (e164, customer_id) VALUES (?, ?)",
                phone_rows,
            )
    if search_index:
        index_customers(conn, ids)
