"""Bulk loading: millions of rows into the cache in minutes.

Rows are inserted with SQLAlchemy Core executemany in large transactions on one
connection tuned for the job: foreign keys are checked once at the end instead of
per row, the page cache is large, and secondary indexes of tables that start empty
are dropped first and rebuilt afterwards (sorting once beats millions of random
b-tree inserts). Then the search index is built, statistics gathered, the WAL
truncated. Whatever happens, the dropped indexes come back (and ``open_cache``
recreates any that a crash left missing).
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Index, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateIndex

from operator_app.cache import fts, rowpack
from operator_app.cache.db import PAGE_CACHE_PRAGMA
from operator_app.cache.models import ENTITY_TABLES
from operator_app.domain.phones import normalize_phone
from operator_app.domain.text import name_key

Progress = Callable[[str, int, int | None], None]
Batches = Iterable[tuple[str, list[dict[str, Any]]]]

COMMIT_EVERY = 500_000  # rows per transaction: big enough to be fast, small enough for the WAL
LOAD_CACHE_KIB = 512 * 1024
# Past this many changed customers a full search-index rebuild beats per-customer updates.
INCREMENTAL_INDEX_LIMIT = 20_000
_SEARCH_ENTITIES = {"customer", "customer_phone", "order", "coverage"}

_LOAD_PRAGMAS = (
    "PRAGMA foreign_keys = OFF",
    "PRAGMA synchronous = NORMAL",
    f"PRAGMA cache_size = -{LOAD_CACHE_KIB}",
)
_NORMAL_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    PAGE_CACHE_PRAGMA,
)


class BulkLoadError(Exception):
    """The rows could not be loaded; the message names the entity and the problem."""


def _raw(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def _table(entity: str) -> Table:
    table = ENTITY_TABLES.get(entity)
    if table is None:
        known = ", ".join(sorted(ENTITY_TABLES))
        raise BulkLoadError(f"unknown entity {entity!r}; known: {known}")
    return table  # type: ignore[return-value]


def _e164(phone: Any) -> str | None:
    text = str(phone)
    if text.startswith("+") and text[1:].isdigit():
        return text
    parsed = normalize_phone(text)
    return None if parsed is None else parsed.e164


def _prepare_customers(
    rows: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Fill the derived columns (``name_key``, E.164 ``phones``) and the phone lookup rows."""
    prepared = []
    phone_rows = []
    for row in rows:
        row = dict(row)
        if "name_key" not in row:
            row["name_key"] = name_key(
                row.get("last_name", ""), row.get("first_name", ""), row.get("middle_name", "")
            )
        phones = [e for e in (_e164(p) for p in row.get("phones") or ()) if e]
        row["phones"] = list(dict.fromkeys(phones))
        prepared.append(row)
        phone_rows += [{"e164": e, "customer_id": row["id"]} for e in row["phones"]]
    return prepared, phone_rows


def _secondary_indexes(table: Table) -> list[Index]:
    return [index for index in table.indexes if not index.unique]


def _is_empty(conn: Connection, table: Table) -> bool:
    return _raw(conn).execute(f"SELECT 1 FROM {table.name} LIMIT 1").fetchone() is None


@contextlib.contextmanager
def _load_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        raw = _raw(conn)
        for pragma in _LOAD_PRAGMAS:
            raw.execute(pragma)  # outside any transaction, or SQLite ignores them
        try:
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()
            for pragma in _NORMAL_PRAGMAS:
                raw.execute(pragma)


class _Loader:
    def __init__(self, conn: Connection, progress: Progress | None) -> None:
        self.conn = conn
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.dropped: list[Index] = []
        self.seen: set[str] = set()
        self.changed_customers: set[bytes] | None = set()  # None: too many, rebuild
        self.pending = 0

    def add(self, entity: str, rows: list[dict[str, Any]]) -> None:
        table = _table(entity)
        if not rows:
            return
        if table.name not in self.seen:
            self.seen.add(table.name)
            if _is_empty(self.conn, table):
                self._drop_indexes(table)
        phone_rows: list[dict[str, Any]] = []
        if entity == "customer":
            rows, phone_rows = _prepare_customers(rows)
        self._insert(entity, table, rows, or_ignore=entity == "customer_phone")
        if phone_rows:
            phones = _table("customer_phone")
            if phones.name not in self.seen:
                self.seen.add(phones.name)
                if _is_empty(self.conn, phones):
                    self._drop_indexes(phones)
            self._insert("customer_phone", phones, phone_rows, or_ignore=True)
        if entity in _SEARCH_ENTITIES:
            self._note_changed(entity, rows)
        self.counts[entity] = self.counts.get(entity, 0) + len(rows)
        if self.progress:
            self.progress(f"load {entity}", self.counts[entity], None)

    def _insert(
        self, entity: str, table: Table, rows: list[dict[str, Any]], *, or_ignore: bool
    ) -> None:
        try:
            sql, params = rowpack.pack(table, rows, self.conn.dialect, or_ignore=or_ignore)
        except (ValueError, TypeError, AttributeError) as exc:
            raise BulkLoadError(f"{entity}: {exc}") from exc
        if not self.conn.in_transaction():
            self.conn.begin()
        try:
            self.conn.exec_driver_sql(sql, params)
        except DBAPIError as exc:
            raise BulkLoadError(f"{entity}: {exc.orig}") from exc
        self.pending += len(rows)
        if self.pending >= COMMIT_EVERY:
            self.conn.commit()
            self.pending = 0

    def _note_changed(self, entity: str, rows: list[dict[str, Any]]) -> None:
        if self.changed_customers is None:
            return
        column = "id" if entity == "customer" else "customer_id"
        for row in rows:
            value = row.get(column)
            if isinstance(value, uuid.UUID):
                self.changed_customers.add(value.bytes)
            elif isinstance(value, bytes):
                self.changed_customers.add(value)
            elif value is not None:
                self.changed_customers.add(uuid.UUID(str(value)).bytes)
        if len(self.changed_customers) > INCREMENTAL_INDEX_LIMIT:
            self.changed_customers = None

    def _drop_indexes(self, table: Table) -> None:
        for index in _secondary_indexes(table):
            if not self.conn.in_transaction():
                self.conn.begin()
            self.conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
            self.dropped.append(index)

    def finish_rows(self) -> None:
        if self.conn.in_transaction():
            self.conn.commit()

    def restore_indexes(self) -> None:
        total = len(self.dropped)
        for done, index in enumerate(self.dropped, start=1):
            with self.conn.begin():
                self.conn.exec_driver_sql(_create_index_sql(index))
            if self.progress:
                self.progress("indexes", done, total)
        self.dropped = []


def _create_index_sql(index: Index) -> str:
    return str(CreateIndex(index, if_not_exists=True).compile(dialect=sqlite.dialect()))


def _check_foreign_keys(conn: Connection) -> None:
    problems = _raw(conn).execute("PRAGMA foreign_key_check").fetchmany(5)
    if problems:
        described = "; ".join(
            f"a row of {table} refers to a missing {parent}" for table, _, parent, _ in problems
        )
        raise BulkLoadError(f"rows refer to rows that were not loaded: {described}")


def load_rows(
    engine: Engine,
    batches: Batches,
    progress: Progress | None = None,
    *,
    check_foreign_keys: bool = True,
) -> dict[str, int]:
    """Insert ``(entity, rows)`` batches (keys = column names of ``cache.models``, values
    as Python types) and make the cache ready to use; returns rows loaded per entity.

    ``customer_phones`` rows are derived from each customer's ``phones`` and
    ``name_key`` is computed when missing. Batches may come in any order; references
    between rows are checked once at the end (``check_foreign_keys``).
    Stages reported to ``progress(stage, done, total)``: ``"load <entity>"``,
    ``"indexes"``, ``"checks"``, ``"search"``, ``"statistics"``.
    """
    with _load_connection(engine) as conn:
        loader = _Loader(conn, progress)
        try:
            for entity, rows in batches:
                loader.add(entity, rows)
            loader.finish_rows()
        finally:
            if conn.in_transaction():
                conn.rollback()
            loader.restore_indexes()
        if check_foreign_keys:
            if progress:
                progress("checks", 0, 1)
            _check_foreign_keys(conn)
            if progress:
                progress("checks", 1, 1)
        if loader.counts.keys() & _SEARCH_ENTITIES:
            with conn.begin():
                if loader.changed_customers is None or _search_index_empty(conn):
                    fts.rebuild_search_index(conn, progress)
                else:
                    fts.index_customers(
                        conn, (uuid.UUID(bytes=key) for key in loader.changed_customers)
                    )
        if progress:
            progress("statistics", 0, 1)
        raw = _raw(conn)
        raw.execute("PRAGMA analysis_limit = 1000")
        raw.execute("ANALYZE")
        raw.execute("PRAGMA optimize")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if progress:
            progress("statistics", 1, 1)
    return loader.counts


def _search_index_empty(conn: Connection) -> bool:
    return _raw(conn).execute(f"SELECT 1 FROM {fts.DOCS_TABLE} LIMIT 1").fetchone() is None
