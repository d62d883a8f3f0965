"""Database URLs, engines and sessions for SQLite (default) and PostgreSQL (psycopg 3).

Two session kinds: :meth:`Database.reading` for queries and :meth:`Database.writing`
for changes. On SQLite a writing transaction starts with ``BEGIN IMMEDIATE``, so
writers queue on the busy timeout instead of failing half-way with "database is
locked"; readers run beside them in WAL mode. Writers of this process also take turns
on a lock first: SQLite's busy handler waits by sleeping and polling, which under many
concurrent writers wastes most of the wait and can starve one writer past the timeout.
On PostgreSQL both are the same pool.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

ENV_DATABASE_URL = "OPERATOR_APP_DATABASE_URL"
DEFAULT_FILE_NAME = "server.sqlite3"
_POSTGRES_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg"}
_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite"}
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Endpoints run in the server's thread pool (40 threads): keep as many SQLite connections
# open, so a busy minute does not open and close overflow connections (each open
# repeats the PRAGMAs below).
SQLITE_POOL_SIZE = 40
_SINGLE_STATEMENT = "operator_app_single_statement"  # execution option: see single_read


class DatabaseUrlError(ValueError):
    """The database URL cannot be used; the message says what to write instead."""


def default_database_path() -> Path:
    return platformdirs.user_data_path("operator-app-server", appauthor=False) / DEFAULT_FILE_NAME


def resolve_database_url(value: str | None, environ: Mapping[str, str] | None = None) -> URL:
    """The URL to use: the flag, else ``OPERATOR_APP_DATABASE_URL``, else the default file."""
    env = os.environ if environ is None else environ
    text = value or env.get(ENV_DATABASE_URL) or ""
    if not text.strip():
        return URL.create("sqlite", database=str(default_database_path()))
    return parse_database_url(text.strip())


def parse_database_url(text: str) -> URL:
    try:
        url = make_url(text)
    except ArgumentError:
        raise DatabaseUrlError(
            f"{_redact(text)!r} is not a database URL; use sqlite:///PATH "
            "or postgresql+psycopg://USER@HOST:PORT/DATABASE"
        ) from None
    if url.drivername in _POSTGRES_DRIVERS:
        if not url.database:
            raise DatabaseUrlError("the PostgreSQL URL names no database (…/DATABASE at the end)")
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in _SQLITE_DRIVERS:
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise DatabaseUrlError(
                "SQLite needs a file: sqlite:///relative/path.sqlite3 or sqlite:////absolute/path"
            )
        return url.set(drivername="sqlite")
    raise DatabaseUrlError(
        f"unsupported database {url.drivername!r}: use sqlite:///PATH "
        "or postgresql+psycopg://USER@HOST:PORT/DATABASE"
    )


def _redact(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text[:80]


def display_url(url: URL) -> str:
    """The URL for messages and logs: never the password."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is off; the "begin" hook below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_SINGLE_STATEMENT):
            return  # one statement is a consistent snapshot by itself: no BEGIN to send
        connection.exec_driver_sql(begin)


class Database:
    """Engines and session factories for one database URL."""

    def __init__(self, url: URL | str, *, pool_size: int = 10, max_overflow: int = 30) -> None:
        self.url = parse_database_url(url) if isinstance(url, str) else url
        self.dialect = self.url.get_backend_name()
        # hide_parameters: errors and logs never carry row values (message bodies, names).
        pool = {"pool_size": pool_size, "max_overflow": max_overflow, "hide_parameters": True}
        if self.dialect == "sqlite":
            pool["pool_size"] = max(pool_size, SQLITE_POOL_SIZE)
            self.engine = create_engine(self.url, **pool)
            _configure_sqlite(self.engine, immediate=False)
            self.write_engine = create_engine(self.url, **pool)
            _configure_sqlite(self.write_engine, immediate=True)
        else:
            self.engine = create_engine(self.url, **pool)
            self.write_engine = self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        self._writer_turn = threading.Lock() if self.dialect == "sqlite" else None

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def single_read(self) -> Iterator[Connection]:
        """A Core connection for ONE read statement, for the hottest reads (the change
        feed, customer search, the idempotency check): no ORM session to set up, and on
        SQLite no BEGIN, since a single statement reads one consistent snapshot anyway.
        Run more than one statement on it and each sees its own snapshot."""
        with self.engine.connect() as conn:
            yield conn.execution_options(**{_SINGLE_STATEMENT: True})

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        turn = self._writer_turn
        if turn is None:
            with self._write() as session, session.begin():
                yield session
            return
        if not turn.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )
        try:
            with self._write() as session, session.begin():
                yield session
        finally:
            turn.release()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
