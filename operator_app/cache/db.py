"""Opening the cache file: checks first, then an engine with the right pragmas.

Before anything writes to an existing file it is inspected read-only: random bytes,
someone else's SQLite file and a file from a newer version of the app each raise a
:class:`CacheError` subclass whose message can be shown to the user as it is, and the
file is left exactly as it was. Only then is the engine made and the schema created
or upgraded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from operator_app import __version__
from operator_app.cache import fts, schema

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
FILE_MODE = 0o600

# Memory: DESIGN's client target is ≤ 200 MB resident. 32 MiB caches and a 256 MiB
# mmap put a 100k-customer session at ~306 MB (mapped cache pages count as resident)
# for no visible speed; 8 MiB holds the hot index pages, the OS caches the rest.
PAGE_CACHE_PRAGMA = "PRAGMA cache_size = -8192"  # KiB, per connection

# Applied to every new connection. busy_timeout comes first so that switching to WAL
# waits for other connections instead of failing.
CONNECTION_PRAGMAS = (
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    PAGE_CACHE_PRAGMA,
    "PRAGMA mmap_size = 0",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA journal_size_limit = 67108864",  # shrink the WAL back after big writes
)

# Execution option: BEGIN IMMEDIATE (take the write lock up front) instead of BEGIN.
IMMEDIATE = "operator_app_begin_immediate"


class CacheError(Exception):
    """The cache cannot be used; ``str(error)`` is a sentence for the user."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class CacheCorruptError(CacheError):
    """Not a database, or a damaged one. Offer :func:`rebuild_cache`."""


class ForeignCacheError(CacheError):
    """A SQLite database, but not an operator-app cache: never touched."""


class CacheTooNewError(CacheError):
    """Written by a newer version of the app: never touched."""

    def __init__(self, message: str, path: Path, found: int, supported: int) -> None:
        super().__init__(message, path)
        self.found_version = found
        self.supported_version = supported


class CacheNotWritableError(CacheError):
    """The file or its folder cannot be created, read or written."""


class CacheFullError(CacheNotWritableError):
    """The disk (or the file's size limit) is full: the write failed as a whole and was
    rolled back, so nothing half-written remains and the outbox is as it was."""


DISK_FULL_MESSAGE = "The disk is full — free some space; your unsynced changes are kept."


def is_disk_full(error: BaseException) -> bool:
    """Whether a sqlite3 / SQLAlchemy error is SQLITE_FULL (or the OS's ENOSPC)."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(original, sqlite3.Error | OSError):
        return False
    if getattr(original, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return True
    if isinstance(original, OSError) and original.errno == errno.ENOSPC:
        return True
    return "disk is full" in str(original).lower()


class CacheNotFoundError(CacheError):
    """``create=False`` and there is no cache file."""


class CacheUpgradeError(CacheError):
    """An upgrade step failed; the file stays at its last completed version."""


# -- connections -----------------------------------------------------------------------


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (see _begin); the driver must not open transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in CONNECTION_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` with the cache's pragmas; no checks (use :func:`open_cache`)."""
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


@contextlib.contextmanager
def whole_table_work(conn: Connection) -> Iterator[None]:
    """Pragmas for work that reads or sorts whole tables (index builds, the search index
    rebuild), set outside any transaction: pages are read through the bounded page cache,
    not a memory map that would count every page read against this process's RSS, and
    sorts spill to temporary files, which with temp_store=MEMORY would be in RAM too."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    mmap_size = raw.execute("PRAGMA mmap_size").fetchone()[0]
    temp_store = raw.execute("PRAGMA temp_store").fetchone()[0]
    raw.execute("PRAGMA mmap_size = 0")
    raw.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA mmap_size = {int(mmap_size)}")
        raw.execute(f"PRAGMA temp_store = {int(temp_store)}")


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that takes the write lock up front (``BEGIN IMMEDIATE``), so it
    waits for another writer instead of failing half-way with "database is locked"."""
    with engine.connect() as conn:
        conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            yield conn


# -- errors ----------------------------------------------------------------------------


def classify_database_error(error: BaseException, path: Path | None = None) -> CacheError:
    """Turn a sqlite3/SQLAlchemy database error into the matching :class:`CacheError`."""
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).lower()
    where = f" ({path})" if path else ""
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return CacheNotWritableError(
            f"The local cache{where} cannot be written: check the folder's permissions "
            "and free space.",
            path,
        )
    if "locked" in text or "busy" in text:
        return CacheError(
            f"The local cache{where} is in use by another program. Close it and try again.",
            path,
        )
    if is_disk_full(error):
        return CacheFullError(DISK_FULL_MESSAGE, path)
    return CacheCorruptError(
        f"The local cache{where} is damaged ({original}). It can be rebuilt from the server.",
        path,
    )


# -- inspection (read-only) ------------------------------------------------------------


def _inspect(path: Path) -> int | None:
    """The schema version of our cache at ``path``, or None when there is nothing there
    worth keeping (no file, an empty file, an SQLite file without any table)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheNotWritableError(
            f"Cannot reach the local cache {path}: {exc.strerror}.", path
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        raise CacheNotWritableError(f"{path} is not a file; choose another cache location.", path)
    if info.st_size == 0:
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise CacheNotWritableError(
            f"Cannot read the local cache {path}: {exc.strerror}.", path
        ) from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise CacheCorruptError(
            f"{path} is not a cache database (damaged or some other kind of file).", path
        )
    try:
        reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise classify_database_error(exc, path) from exc
    try:
        tables = {row[0] for row in reader.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return None
        if "meta" not in tables:
            raise _foreign(path)
        try:
            meta = dict(
                reader.execute(
                    "SELECT key, value FROM meta WHERE key IN (?, ?)",
                    (schema.META_FORMAT, schema.META_SCHEMA_VERSION),
                ).fetchall()
            )
        except sqlite3.OperationalError as exc:
            if "no such column" in str(exc):
                raise _foreign(path) from exc
            raise
    except sqlite3.Error as exc:
        raise classify_database_error(exc, path) from exc
    finally:
        reader.close()
    if meta.get(schema.META_FORMAT) != schema.FORMAT_MARKER:
        raise _foreign(path)
    try:
        version = int(meta[schema.META_SCHEMA_VERSION])
    except (KeyError, TypeError, ValueError):
        raise CacheCorruptError(
            f"The local cache {path} has no valid schema version.", path
        ) from None
    if version > schema.SCHEMA_VERSION:
        raise CacheTooNewError(
            f"The local cache {path} was written by a newer version of the app "
            f"(format {version}; this version reads up to {schema.SCHEMA_VERSION}). "
            "Update the app, or rebuild the cache.",
            path,
            version,
            schema.SCHEMA_VERSION,
        )
    return version


def _foreign(path: Path) -> ForeignCacheError:
    return ForeignCacheError(
        f"{path} is a database of some other program, not an operator-app cache; "
        "it was left untouched. Choose another cache location.",
        path,
    )


# -- files -----------------------------------------------------------------------------


def _check_writable(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_RDWR))
        with tempfile.TemporaryFile(dir=path.parent):
            pass  # WAL needs to create "-wal" and "-shm" files beside the cache
    except OSError as exc:
        raise CacheNotWritableError(
            f"The local cache {path} cannot be written ({exc.strerror}); check the "
            "permissions of the file and its folder.",
            path,
        ) from exc


def _restrict_mode(path: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
            path.chmod(FILE_MODE)


def _create_file(path: Path) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists() or path.stat().st_size == 0:
            # Side files of a deleted cache must not meet the new one: keep them aside.
            _move_side_files(path, path.with_name(f"{path.name}.orphan-{_stamp()}"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
        os.close(fd)
    except OSError as exc:
        raise CacheNotWritableError(
            f"Cannot create the local cache {path} ({exc.strerror}); choose a folder you "
            "can write to.",
            path,
        ) from exc
    _restrict_mode(path)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _move_side_files(path: Path, target: Path) -> None:
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))


# -- opening ---------------------------------------------------------------------------


def open_cache(path: Path, *, create: bool = True) -> Engine:
    """Open (or create) the cache at ``path`` and bring its schema up to date.

    Raises :class:`CacheCorruptError`, :class:`ForeignCacheError`,
    :class:`CacheTooNewError`, :class:`CacheNotWritableError` or
    :class:`CacheNotFoundError`; the first three leave the file untouched.
    """
    path = Path(path).expanduser()
    version = _inspect(path)
    if version is None:
        if not create and not path.exists():
            raise CacheNotFoundError(f"There is no local cache at {path}.", path)
        _create_file(path)
    _check_writable(path)
    _restrict_mode(path)
    engine = make_engine(path)
    try:
        _prepare(engine, new=version is None)
    except CacheError:
        engine.dispose()
        raise
    except (DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        raise classify_database_error(exc, path) from exc
    return engine


def _prepare(engine: Engine, *, new: bool) -> None:
    if new:
        with write_transaction(engine) as conn:
            schema.create_schema(conn)
        return
    with engine.connect() as conn:
        version = schema.schema_version(conn)
    for step in schema.pending_upgrades(version):
        try:
            with write_transaction(engine) as conn:
                if schema.schema_version(conn) < step.version:  # another process ran it?
                    schema.apply_upgrade(conn, step)
        except (DBAPIError, sqlite3.Error) as exc:
            error = classify_database_error(exc, engine_path(engine))
            if isinstance(error, CacheCorruptError):
                raise _upgrade_failed(engine, step, exc) from exc
            raise error from exc
        except Exception as exc:
            raise _upgrade_failed(engine, step, exc) from exc
    with engine.connect() as conn:
        complete = _schema_objects_present(conn)  # asked without the ORM: a fast start
    if not complete:
        with engine.connect() as conn, whole_table_work(conn):
            # After a crash during a bulk load or pull, missing indexes are built here.
            conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                ensure_schema_objects(conn)
    with write_transaction(engine) as conn:
        if schema.get_meta(conn, schema.META_APP_VERSION) != __version__:
            schema.set_meta(conn, schema.META_APP_VERSION, __version__)


def engine_path(engine: Engine) -> Path | None:
    database = engine.url.database
    return Path(database) if database else None


def _upgrade_failed(engine: Engine, step: schema.Upgrade, exc: BaseException) -> CacheUpgradeError:
    return CacheUpgradeError(
        f"The local cache {engine_path(engine)} could not be upgraded to format {step.version} "
        f"({step.description}: {exc}). It is unchanged; it can be rebuilt from the server.",
        engine_path(engine),
    )


def _present_names(conn: Connection) -> set[str]:
    return {
        row[0]
        for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name IS NOT NULL")
    }


def _schema_objects_present(conn: Connection) -> bool:
    """Whether every index and the search tables exist, asked without the ORM models."""
    wanted = schema.INDEX_NAMES | {fts.SEARCH_TABLE, fts.DOCS_TABLE}
    return wanted <= _present_names(conn)


def ensure_schema_objects(conn: Connection) -> list[str]:
    """Recreate indexes (and the search index) that are missing, e.g. after a bulk load
    was interrupted between dropping and recreating them. Returns what was recreated."""
    from operator_app.cache.models import Base

    present = _present_names(conn)
    recreated = []
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            if index.name not in present:
                index.create(conn)
                recreated.append(str(index.name))
    if fts.SEARCH_TABLE not in present or fts.DOCS_TABLE not in present:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {fts.SEARCH_TABLE}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {fts.DOCS_TABLE}")
        fts.create_search_tables(conn)
        fts.rebuild_search_index(conn)
        recreated.append(fts.SEARCH_TABLE)
    return recreated


# -- maintenance -----------------------------------------------------------------------


def quick_check(engine: Engine, max_errors: int = 20) -> list[str]:
    """SQLite's ``quick_check``: an empty list when the file is sound, else what is wrong.
    Reads the whole file, so run it on the DB worker thread, not at every start."""
    try:
        with engine.connect() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA quick_check({max_errors})")]
    except (DBAPIError, sqlite3.Error) as exc:
        return [str(exc.orig if isinstance(exc, DBAPIError) else exc)]
    return [] if rows == ["ok"] else rows


def optimize(engine: Engine) -> None:
    """Let SQLite refresh its query statistics where they went stale (cheap; run on close)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA optimize")


def move_aside(path: Path, reason: str = "corrupt") -> Path | None:
    """Rename the cache and its side files to ``<name>.<reason>-<timestamp>``; returns
    the new name of the main file (None when there was none). Dispose engines first."""
    path = Path(path).expanduser()
    target = path.with_name(f"{path.name}.{reason}-{_stamp()}")
    try:
        # Side files first: a "-wal" left behind would be replayed into the new file.
        _move_side_files(path, target)
        if not path.exists():
            return None
        path.replace(target)
    except OSError as exc:
        raise CacheNotWritableError(
            f"Cannot move the damaged cache {path} aside ({exc.strerror}); close other "
            "programs using it and try again.",
            path,
        ) from exc
    return target


def rebuild_cache(path: Path) -> tuple[Engine, Path | None]:
    """Keep the bad file as ``<name>.corrupt-<timestamp>`` and start a fresh, empty cache
    (the next sync refills it). Returns the new engine and where the old file went."""
    moved = move_aside(path)
    return open_cache(path, create=True), moved
