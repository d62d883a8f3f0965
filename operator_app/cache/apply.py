"""Apply one page of the server's change feed to the cache, with its cursor, atomically.

The page's rows and the new ``sync_state.cursor`` are written in ONE transaction: a
crash before the commit leaves the old cursor, so the page is fetched and applied
again (every write here is idempotent); it is never skipped.

Rules:

* Upserts are version-aware: a row is only overwritten by an equal or newer
  ``version``, so a late or repeated page never rolls a row back.
* Rows with unpushed local edits keep showing the operator's values: the server's
  row is written, then the outbox's pending field values are put back on top (the
  *overlay*), and the server's values of those fields go to ``sync_shadow`` so a
  conflict can later show both. Fields without pending edits take the server's value.
* Open conflicts learn the server's newest values; a conflict whose two sides became
  equal (someone made the same change) disappears by itself.
* ``customer_phone`` and ``name_key`` are derived on the client from the customer row;
  changed customers are re-indexed for search in the same transaction.
* Rows with unreadable values are skipped with a warning (never the whole feed). If
  the page breaks a constraint (a parent still to come, a unique number that moved
  to another row), it is applied again row by row without foreign-key checks, and
  rows that still fail are skipped.

Blocking SQLite work: call it on the single DB worker thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, Protocol

from sqlalchemy import UniqueConstraint
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, ProgrammingError

from operator_app.cache.columns import column_converter, uuid_column
from operator_app.cache.customer_lookups import refresh_customer_lookups
from operator_app.cache.db import (
    IMMEDIATE,
    ensure_schema_objects,
    whole_table_work,
    write_transaction,
)
from operator_app.cache.fts import index_customers, rebuild_search_index
from operator_app.cache.pending import (
    load_shadow,
    pending_overlays,
    save_shadow,
    table_fields,
    write_fields,
)
from operator_app.cache.rowcodec import CODECS, TableCodec, uuid_bytes
from operator_app.cache.schema import get_meta, set_meta
from operator_app.cache.types import to_micros
from operator_app.domain.text import name_key

log = logging.getLogger(__name__)

# Derived on the client from the customer row; the server's copies are ignored.
DERIVED_ENTITIES = frozenset({"customer_phone"})
# Entities whose numbers are searchable on their customer's card.
_INDEXED_CHILDREN = frozenset({"order", "coverage"})
_NAME_FIELDS = ("first_name", "last_name", "middle_name")
# A row SQLite refused (constraint, or a value of a kind it cannot store).
_ROW_ERRORS = (IntegrityError, InterfaceError, ProgrammingError)
# meta key: the search index misses customers pulled in bulk; rebuild it.
SEARCH_STALE_KEY = "search_index_stale"


class ChangeLike(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def entity(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def data(self) -> dict[str, Any] | None: ...


@dataclass
class ApplyStats:
    upserted: int = 0
    deleted: int = 0
    skipped: int = 0
    customers_reindexed: int = 0


def read_cursor(engine: Engine) -> int:
    with engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT cursor FROM sync_state WHERE id = 1").scalar()
    return int(value or 0)


def apply_changes(
    engine: Engine,
    changes: Sequence[ChangeLike],
    next_cursor: int,
    *,
    now: datetime | None = None,
    defer_search: bool = False,
) -> ApplyStats:
    """Apply ``changes`` (one feed page, in order) and store ``next_cursor``, atomically.

    ``defer_search`` (a bulk pull, e.g. the initial sync) leaves the full-text index
    alone and marks it stale in the same transaction; :func:`rebuild_deferred_search`
    then indexes every customer once, instead of once per page that touches them.
    """
    at = now or datetime.now(UTC)
    try:
        return _PageWriter(engine, at, tolerant=False, defer_search=defer_search).run(
            changes, next_cursor
        )
    except _ROW_ERRORS as exc:
        log.warning("change page broke a constraint (%s); applying it row by row", exc.orig)
        return _PageWriter(engine, at, tolerant=True, defer_search=defer_search).run(
            changes, next_cursor
        )


def search_rebuild_pending(engine: Engine) -> bool:
    with engine.connect() as conn:
        return get_meta(conn, SEARCH_STALE_KEY) is not None


def prepare_bulk_pull(engine: Engine) -> list[str]:
    """Before filling an empty cache: drop the secondary indexes of empty tables (one
    sort at the end beats millions of random b-tree inserts). They come back in
    :func:`rebuild_deferred_search`, or when the cache is next opened after a crash."""
    dropped = []
    with write_transaction(engine) as conn:
        for codec in CODECS.values():
            table = codec.table
            if codec.entity in DERIVED_ENTITIES:
                # The phone lookup stays whole (the screen pop works during the pull), and
                # every page replaces its customers' numbers by customer_id.
                continue
            empty = conn.exec_driver_sql(f'SELECT NOT EXISTS (SELECT 1 FROM "{table.name}")')
            if not empty.scalar():
                continue
            for index in table.indexes:
                conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{index.name}"')
                dropped.append(str(index.name))
        set_meta(conn, SEARCH_STALE_KEY, "1")
    return dropped


def rebuild_deferred_search(engine: Engine) -> int:
    """After a bulk pull: recreate dropped indexes, index every customer for search, and
    clear the stale mark. Returns the number of customers indexed."""
    with engine.connect() as conn, whole_table_work(conn), conn.begin():
        ensure_schema_objects(conn)
        count = rebuild_search_index(conn)
        conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (SEARCH_STALE_KEY,))
    return count


def _run_key(change: ChangeLike) -> tuple[Any, ...]:
    if change.op == "delete" or change.data is None:
        return (change.entity, "delete")
    return (change.entity, "upsert", tuple(change.data))


def _runs(changes: Sequence[ChangeLike]) -> list[list[ChangeLike]]:
    """Consecutive changes of one entity and shape: each becomes one executemany."""
    datas = list(map(attrgetter("data"), changes))
    if None not in datas and "delete" not in map(attrgetter("op"), changes):
        # Upserts only (a bulk page): group on (entity, keys) with C-level calls.
        entities = map(attrgetter("entity"), changes)
        shapes = zip(entities, map(tuple, datas), strict=True)
        return [
            list(map(itemgetter(1), run))
            for _, run in groupby(zip(shapes, changes, strict=True), key=itemgetter(0))
        ]
    runs: list[list[ChangeLike]] = []
    last: tuple[Any, ...] | None = None
    for change in changes:
        key = _run_key(change)
        if key != last:
            runs.append([])
            last = key
        runs[-1].append(change)
    return runs


def _unique_columns(codec: TableCodec) -> list[str]:
    names = []
    for constraint in codec.table.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
            names.append(next(iter(constraint.columns)).name)
    names += [c.name for c in codec.table.columns if c.unique and c.name not in names]
    return names


def _derived_name_key(data: dict[str, Any]) -> str:
    return name_key(
        data.get("last_name") or "", data.get("first_name") or "", data.get("middle_name") or ""
    )


class _PageWriter:
    def __init__(
        self, engine: Engine, now: datetime, *, tolerant: bool, defer_search: bool
    ) -> None:
        self.engine = engine
        self.now = now
        self.tolerant = tolerant
        self.defer_search = defer_search
        self.stats = ApplyStats()
        self.customers: dict[bytes, None] = {}  # changed customer rows (ordered set of ids)
        self.indexed: dict[str, None] = {}  # customers (id text) whose children changed
        # (entity, id bytes) → (data, version) of upserted rows; kept only when needed
        self.track: dict[tuple[str, bytes], tuple[dict[str, Any], int | None]] | None = None

    def run(self, changes: Sequence[ChangeLike], next_cursor: int) -> ApplyStats:
        # Checking every reference costs a b-tree lookup per parent per row. A bulk page
        # skips that: a page that broke one would be applied again without checks anyway
        # (``tolerant``), so the rows end up the same. Deletes keep the checks on, since
        # only then does SQLite cascade them to the children.
        bulk = self.defer_search and "delete" not in map(attrgetter("op"), changes)
        if not (self.tolerant or bulk):
            with write_transaction(self.engine) as conn:
                self._write(conn, changes, next_cursor)
            return self.stats
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
            # Only effective outside a transaction, hence before BEGIN.
            raw.execute("PRAGMA foreign_keys = OFF")
            if bulk:
                # No fsync per bulk page: in WAL mode a power cut can then undo the last
                # pages, but always together with their cursor, so they are pulled again.
                # (A bulk page holds no local change; the outbox stays fully durable.)
                raw.execute("PRAGMA synchronous = NORMAL")
            try:
                conn.execution_options(**{IMMEDIATE: True})
                with conn.begin():
                    self._write(conn, changes, next_cursor)
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
                raw.execute(f"PRAGMA synchronous = {int(synchronous)}")
        return self.stats

    def _write(self, conn: Connection, changes: Sequence[ChangeLike], next_cursor: int) -> None:
        conn.exec_driver_sql(
            "INSERT INTO sync_state (id, cursor, last_sync_at) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET cursor = excluded.cursor, "
            "last_sync_at = excluded.last_sync_at",
            (next_cursor, to_micros(self.now)),
        )
        if not self.tolerant:
            # Children may precede their parents within a page.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        has_outbox = conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM outbox)").scalar()
        has_conflicts = conn.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM sync_conflicts)"
        ).scalar()
        if has_outbox or has_conflicts:
            self.track = {}
        for run in _runs(changes):
            entity = run[0].entity
            codec = CODECS.get(entity)
            if codec is None or entity in DERIVED_ENTITIES:
                if codec is None:
                    log.debug("ignoring %d changes of unknown entity %r", len(run), entity[:40])
                    self.stats.skipped += len(run)
                continue
            if _run_key(run[0])[1] == "delete":
                self._delete(conn, codec, run)
            else:
                self._upsert(conn, codec, run)
        if self.track:
            self._reconcile_local_edits(conn)
        if self.defer_search:
            set_meta(conn, SEARCH_STALE_KEY, "1")
        if self.customers:
            refresh_customer_lookups(
                conn,
                [uuid.UUID(bytes=c) for c in self.customers],
                search_index=not self.defer_search,
            )
        if self.defer_search:
            self.stats.customers_reindexed = 0
            return
        children_only = []
        for text in self.indexed:
            with contextlib.suppress(ValueError):
                blob = uuid_bytes(text)
                if blob not in self.customers:
                    children_only.append(uuid.UUID(bytes=blob))
        if children_only:
            index_customers(conn, children_only)
        self.stats.customers_reindexed = len(self.customers) + len(children_only)

    # -- deletes ---------------------------------------------------------------

    def _delete(self, conn: Connection, codec: TableCodec, run: list[ChangeLike]) -> None:
        keys: list[tuple[bytes]] = []
        for change in run:
            try:
                keys.append((uuid_bytes(change.id),))
            except ValueError:
                self._skip(change, "bad id")
        if not keys:
            return
        table = codec.table.name
        if codec.entity == "customer":
            self.customers.update((k[0], None) for k in keys)
        elif codec.entity in _INDEXED_CHILDREN:
            for (key,) in keys:
                owner = conn.exec_driver_sql(
                    f'SELECT customer_id FROM "{table}" WHERE id = ?', (key,)
                ).scalar()
                if owner is not None:
                    self.indexed[str(uuid.UUID(bytes=bytes(owner)))] = None
        conn.exec_driver_sql(f'DELETE FROM "{table}" WHERE id = ?', keys)
        self.stats.deleted += len(keys)

    # -- upserts ---------------------------------------------------------------

    def _upsert(self, conn: Connection, codec: TableCodec, run: list[ChangeLike]) -> None:
        first = run[0].data or {}
        given = [k for k in first if k in codec.columns and k != "id"]
        derived_name = codec.entity == "customer" and any(n in given for n in _NAME_FIELDS)
        if derived_name and "name_key" not in given:
            given.append("name_key")
        defaults = [
            (name, column.to_stored(column.default))
            for name, column in codec.columns.items()
            if name != "id" and name not in given and column.default is not None
        ]
        required_missing = [
            name
            for name, column in codec.columns.items()
            if name != "id" and name not in given and not column.has_default
        ]
        version_at = given.index("version") if "version" in given else None
        rows = self._column_rows(codec, run, given, derived_name)
        if rows is None:  # some value is unreadable: find it row by row
            rows = self._row_rows(codec, run, given, derived_name)
        else:
            self._note_rows(codec, run, rows, version_at)
        if not rows:
            return
        table = codec.table.name
        params: list[Any]
        if required_missing:
            # Partial rows can only update what is already here.
            sql = self._update_sql(table, given, versioned=version_at is not None)
            params = [(*r[1:], r[0], *self._version_param(r, version_at)) for r in rows]
        else:
            sql = self._insert_sql(codec, given, [d[0] for d in defaults])
            extra = tuple(d[1] for d in defaults)
            params = [r + extra for r in rows] if extra else rows
        if self.tolerant:
            for one, row in zip(params, rows, strict=True):
                self._execute_one(conn, codec, sql, one, row[0])
        else:
            conn.exec_driver_sql(sql, params)
        self.stats.upserted += len(rows)

    def _column_rows(
        self, codec: TableCodec, run: list[ChangeLike], given: list[str], derived_name: bool
    ) -> list[tuple[Any, ...]] | None:
        """The run's rows converted a column at a time; None if any value is unreadable.
        (One run's rows all have the same keys, so every column is complete.)"""
        datas = [change.data or {} for change in run]
        try:
            columns = [uuid_column([change.id for change in run])]
            for name in given:
                if derived_name and name == "name_key":
                    values: list[Any] = [_derived_name_key(data) for data in datas]
                else:
                    values = list(map(itemgetter(name), datas))
                columns.append(column_converter(codec.columns[name])(values))
        except (ValueError, TypeError, AttributeError, OverflowError, KeyError):
            return None
        return list(zip(*columns, strict=True))

    def _row_rows(
        self, codec: TableCodec, run: list[ChangeLike], given: list[str], derived_name: bool
    ) -> list[tuple[Any, ...]]:
        """The run's rows converted one by one, skipping (and logging) unreadable ones."""
        fetch = itemgetter(*given) if given else (lambda _data: ())
        single = len(given) == 1
        convert = [
            (i, codec.columns[name].to_stored)
            for i, name in enumerate(given)
            if not codec.columns[name].passthrough
        ]
        version_at = given.index("version") if "version" in given else None
        rows: list[tuple[Any, ...]] = []
        kept: list[ChangeLike] = []
        for change in run:
            data = change.data or {}
            try:
                key = uuid_bytes(change.id)
                if derived_name:
                    data = {**data, "name_key": _derived_name_key(data)}
                values: list[Any] = [fetch(data)] if single else list(fetch(data))
                for i, conv in convert:
                    values[i] = conv(values[i])
                row = (key, *values)
            except (ValueError, TypeError, AttributeError, OverflowError, KeyError):
                self._skip(change, "unreadable values")
                continue
            rows.append(row)
            kept.append(change)
        self._note_rows(codec, kept, rows, version_at)
        return rows

    def _note_rows(
        self,
        codec: TableCodec,
        run: list[ChangeLike],
        rows: list[tuple[Any, ...]],
        version_at: int | None,
    ) -> None:
        """Remember what the rows touch: local edits to put back, customers whose
        lookups and search documents follow."""
        track = self.track
        if track is not None:
            for change, row in zip(run, rows, strict=True):
                version = row[1 + version_at] if version_at is not None else None
                track[(codec.entity, row[0])] = (change.data or {}, version)
        if codec.entity == "customer":
            self.customers.update(dict.fromkeys(row[0] for row in rows))
        elif codec.entity in _INDEXED_CHILDREN and not self.defer_search:
            for change in run:
                owner = (change.data or {}).get("customer_id")
                if isinstance(owner, str):
                    self.indexed[owner] = None

    @staticmethod
    def _version_param(row: tuple[Any, ...], version_at: int | None) -> tuple[Any, ...]:
        return () if version_at is None else (row[1 + version_at],)

    @staticmethod
    def _update_sql(table: str, given: list[str], *, versioned: bool) -> str:
        assignments = ", ".join(f'"{n}" = ?' for n in given)
        guard = ' AND "version" <= ?' if versioned else ""
        return f'UPDATE "{table}" SET {assignments} WHERE id = ?{guard}'

    @staticmethod
    def _insert_sql(codec: TableCodec, given: list[str], defaulted: list[str]) -> str:
        table = codec.table.name
        columns = ["id", *given, *defaulted]
        names = ", ".join(f'"{n}"' for n in columns)
        marks = ", ".join("?" * len(columns))
        updates = ", ".join(f'"{n}" = excluded."{n}"' for n in given) or '"id" = excluded."id"'
        guard = ""
        if codec.versioned and "version" in given:
            guard = f' WHERE excluded."version" >= "{table}"."version"'
        return (
            f'INSERT INTO "{table}" ({names}) VALUES ({marks}) '
            f"ON CONFLICT(id) DO UPDATE SET {updates}{guard}"
        )

    def _execute_one(
        self, conn: Connection, codec: TableCodec, sql: str, params: tuple[Any, ...], key: bytes
    ) -> None:
        try:
            conn.exec_driver_sql(sql, params)
            return
        except _ROW_ERRORS:
            pass
        # The server is the truth: a unique number now belongs to this row.
        for column in _unique_columns(codec):
            position = self._param_position(sql, column)
            if position is not None:
                conn.exec_driver_sql(
                    f'DELETE FROM "{codec.table.name}" WHERE "{column}" = ? AND id <> ?',
                    (params[position], key),
                )
        try:
            conn.exec_driver_sql(sql, params)
        except _ROW_ERRORS as exc:
            self.stats.upserted -= 1
            self.stats.skipped += 1
            log.warning(
                "skipping %s %s: %s", codec.entity, uuid.UUID(bytes=key), str(exc.orig)[:200]
            )

    @staticmethod
    def _param_position(sql: str, column: str) -> int | None:
        if not sql.startswith("INSERT"):
            return None
        names = sql[sql.index("(") + 1 : sql.index(")")].split(", ")
        quoted = f'"{column}"'
        return names.index(quoted) if quoted in names else None

    def _skip(self, change: ChangeLike, why: str) -> None:
        self.stats.skipped += 1
        log.warning(
            "skipping change %d (%s %s): %s", change.seq, change.entity[:40], change.id[:40], why
        )

    # -- local edits -------------------------------------------------------------

    def _reconcile_local_edits(self, conn: Connection) -> None:
        assert self.track is not None
        overlays = pending_overlays(conn)
        conflicts = self._open_conflicts(conn)
        for (entity, key), (data, version) in self.track.items():
            codec = CODECS[entity]
            pending = table_fields(codec, overlays.get((entity, key), {}))
            if pending:
                shadow = load_shadow(conn, entity, key)
                fields, known = shadow if shadow else ({}, None)
                if known is None or version is None or version >= known:
                    fields.update({f: data[f] for f in pending if f in data})
                    save_shadow(conn, entity, key, fields, version)
                write_fields(conn, codec, key, pending)
                if entity == "customer":
                    self.customers[key] = None
            for conflict_id, mine, theirs in conflicts.get((entity, key), []):
                theirs.update({f: data[f] for f in mine if f in data})
                if all(f in theirs and codec.same(f, theirs[f], v) for f, v in mine.items()):
                    conn.exec_driver_sql("DELETE FROM sync_conflicts WHERE id = ?", (conflict_id,))
                else:
                    conn.exec_driver_sql(
                        "UPDATE sync_conflicts SET theirs = ?, server_version = ? WHERE id = ?",
                        (json.dumps(theirs, ensure_ascii=False), version, conflict_id),
                    )

    @staticmethod
    def _open_conflicts(
        conn: Connection,
    ) -> dict[tuple[str, bytes], list[tuple[int, dict[str, Any], dict[str, Any]]]]:
        found: dict[tuple[str, bytes], list[tuple[int, dict[str, Any], dict[str, Any]]]] = {}
        rows = conn.exec_driver_sql(
            "SELECT id, entity, entity_id, mine, theirs FROM sync_conflicts"
        )
        for conflict_id, entity, entity_id, mine, theirs in rows:
            found.setdefault((entity, bytes(entity_id)), []).append(
                (conflict_id, json.loads(mine or "{}"), json.loads(theirs or "{}"))
            )
        return found
