"""Opening the cache file: pragmas, file mode, and a clear error for every bad file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from operator_app import __version__
from operator_app.cache import schema
from operator_app.cache.db import (
    CacheCorruptError,
    CacheError,
    CacheNotFoundError,
    CacheNotWritableError,
    CacheTooNewError,
    ForeignCacheError,
    open_cache,
    quick_check,
    rebuild_cache,
    write_transaction,
)

POSIX = os.name == "posix"
ROOT = POSIX and os.geteuid() == 0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_ours(path: Path) -> None:
    engine = open_cache(path)
    engine.dispose()


def test_every_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "cache.db")
    with engine.connect() as first, engine.connect() as second:
        for conn in (first, second):

            def pragma(name: str, conn=conn) -> object:  # type: ignore[no-untyped-def]
                return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 5000
            assert pragma("temp_store") == 2  # MEMORY
            assert pragma("cache_size") == -8192
            assert pragma("mmap_size") == 0
    engine.dispose()


def test_new_file_is_private_and_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "cache.db"
    engine = open_cache(path)
    with engine.connect() as conn:
        meta = dict(conn.exec_driver_sql("SELECT key, value FROM meta").all())
        application_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
    assert meta[schema.META_FORMAT] == schema.FORMAT_MARKER
    assert meta[schema.META_SCHEMA_VERSION] == str(schema.SCHEMA_VERSION)
    assert meta[schema.META_APP_VERSION] == __version__
    assert application_id == schema.APPLICATION_ID
    if POSIX:
        for name in ("cache.db", "cache.db-wal", "cache.db-shm"):
            assert stat.S_IMODE((path.parent / name).stat().st_mode) == 0o600, name
    engine.dispose()


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    engine = open_cache(path)
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("INSERT INTO sync_state(id, cursor) VALUES (1, 42)")
    engine.dispose()
    engine = open_cache(path, create=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT cursor FROM sync_state").scalar() == 42
    engine.dispose()


def test_an_empty_file_becomes_a_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.touch()
    engine = open_cache(path)
    assert quick_check(engine) == []
    engine.dispose()


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(CacheNotFoundError):
        open_cache(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(8192),
        b"SQLite format 3\x00" + os.urandom(8192),
        b"%PDF-1.7\n" + b"x" * 5000,
        b"tiny",
    ],
    ids=["random", "sqlite-header-then-garbage", "pdf", "tiny"],
)
def test_a_file_that_is_not_a_database_is_reported_corrupt_and_left_alone(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(content)
    with pytest.raises(CacheCorruptError) as caught:
        open_cache(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    assert not (tmp_path / "cache.db-wal").exists()


def test_a_damaged_cache_is_reported_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    make_ours(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(CacheCorruptError):
        open_cache(path)
    assert digest(path) == before


def test_quick_check_finds_damage_inside_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    engine = open_cache(path)
    with write_transaction(engine) as conn:
        conn.exec_driver_sql(
            "INSERT INTO meta(key, value) "
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
            "SELECT 'filler' || i, hex(randomblob(64)) FROM n"
        )
    engine.dispose()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size - 3 * 4096)
        handle.write(os.urandom(2 * 4096))
    engine = open_cache(path)
    assert quick_check(engine) != []
    engine.dispose()


def foreign_database(path: Path, ddl: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(ddl)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT); "
        "INSERT INTO people VALUES (1, 'x');",
        "CREATE TABLE meta(a, b); INSERT INTO meta VALUES (1, 2);",
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); "
        "INSERT INTO meta VALUES ('format', 'somebody else'), ('schema_version', '1');",
    ],
    ids=["other-tables", "meta-of-another-shape", "meta-of-another-app"],
)
def test_someone_elses_database_is_refused_and_untouched(tmp_path: Path, ddl: str) -> None:
    path = tmp_path / "cache.db"
    foreign_database(path, ddl)
    before = digest(path)
    with pytest.raises(ForeignCacheError) as caught:
        open_cache(path)
    assert "not an operator-app cache" in str(caught.value)
    assert digest(path) == before


def test_a_cache_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    make_ours(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(schema.SCHEMA_VERSION + 1),)
    )
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(CacheTooNewError) as caught:
        open_cache(path)
    assert caught.value.found_version == schema.SCHEMA_VERSION + 1
    assert caught.value.supported_version == schema.SCHEMA_VERSION
    assert "newer version" in str(caught.value)
    assert digest(path) == before


def test_a_folder_that_cannot_exist_is_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(CacheNotWritableError) as caught:
        open_cache(blocker / "cache.db")
    assert isinstance(caught.value, CacheError)


def test_a_folder_as_the_cache_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CacheNotWritableError):
        open_cache(tmp_path)


@pytest.mark.skipif(not POSIX or ROOT, reason="needs POSIX permissions that bind the user")
def test_a_read_only_folder_is_not_writable(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CacheNotWritableError):
            open_cache(folder / "cache.db")
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(not POSIX or ROOT, reason="needs POSIX permissions that bind the user")
def test_a_read_only_cache_file_is_not_writable_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    make_ours(path)
    path.chmod(0o400)
    before = digest(path)
    try:
        with pytest.raises(CacheNotWritableError):
            open_cache(path)
        assert digest(path) == before
    finally:
        path.chmod(0o600)


def test_rebuild_moves_the_bad_file_aside_and_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    garbage = os.urandom(4096)
    path.write_bytes(garbage)
    (tmp_path / "cache.db-wal").write_bytes(b"stale wal")
    with pytest.raises(CacheCorruptError):
        open_cache(path)
    engine, moved = rebuild_cache(path)
    assert moved is not None
    assert moved.name.startswith("cache.db.corrupt-")
    assert moved.read_bytes() == garbage
    assert Path(f"{moved}-wal").read_bytes() == b"stale wal"
    assert quick_check(engine) == []
    engine.dispose()


def test_stray_side_files_of_a_deleted_cache_are_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    engine = open_cache(path)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("INSERT INTO sync_state(id, cursor) VALUES (1, 7)")
    # Simulate a user deleting only the main file while its WAL stays behind.
    wal = (tmp_path / "cache.db-wal").read_bytes()
    engine.dispose()
    path.unlink()
    (tmp_path / "cache.db-wal").write_bytes(wal)
    engine = open_cache(path)
    assert quick_check(engine) == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sync_state").scalar() == 0
    engine.dispose()
    (kept,) = tmp_path.glob("cache.db.orphan-*-wal")
    assert kept.read_bytes() == wal


def test_write_transaction_takes_the_write_lock_up_front(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    engine = open_cache(path)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with write_transaction(engine), pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()
    engine.dispose()
