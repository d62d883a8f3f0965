"""TEMPORARY stand-ins for modules other branches are building.

TODO(shell): delete this file once ``operator_app.cache.db`` (cache branch),
``operator_app.services.datadir`` / ``demo_seed`` (demo branch) and
``operator_app.gui.main_window`` (gui branch) are on main. Only the names the shell
calls are here, with the same signatures, and only enough behaviour to exercise the
start-up paths.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QLabel, QMainWindow
from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import Engine

from operator_app import APP_NAME, ORG_NAME
from operator_app.cache.models import Base, CustomerRow
from operator_app.gui.context import AppContext

FORMAT = "operator-app-cache"
SCHEMA_VERSION = 1


# --- cache.db -------------------------------------------------------------------------
class CacheError(Exception):
    pass


class CacheCorruptError(CacheError):
    pass


class ForeignCacheError(CacheError):
    pass


class CacheTooNewError(CacheError):
    pass


class CacheNotWritableError(CacheError):
    pass


def open_cache(path: Path) -> Engine:
    if path.exists():
        sides = [Path(f"{path}{s}") for s in ("-wal", "-shm")]
        existed = [p.exists() for p in sides]
        try:
            raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
                meta = dict(raw.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
            finally:
                raw.close()
        except sqlite3.DatabaseError as exc:
            raise CacheCorruptError(str(exc)) from None
        finally:
            for side, was in zip(sides, existed, strict=True):
                if not was:
                    side.unlink(missing_ok=True)
        if meta.get("format") != FORMAT:
            raise ForeignCacheError(f"{path} is not an operator-app cache")
        if int(meta.get("schema_version", 0)) > SCHEMA_VERSION:
            raise CacheTooNewError(f"{path} was written by a newer version")
        if not os.access(path, os.W_OK):
            raise CacheNotWritableError(f"{path} is read-only")
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT OR IGNORE INTO meta(key, value) "
                "VALUES ('format', :f), ('schema_version', :v)"
            ),
            {"f": FORMAT, "v": str(SCHEMA_VERSION)},
        )
    return engine


def move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            shutil.move(side, Path(str(target) + suffix))
    return target


# --- services.datadir -----------------------------------------------------------------
class DataDirError(Exception):
    pass


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, ORG_NAME))


def demo_data_dir(base: Path) -> Path:
    return base / "demo"


def prepare_data_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirError(f"cannot write to {path}: {exc.strerror or exc}") from None
    return path


def cache_path(data_dir: Path) -> Path:
    return data_dir / "cache.sqlite3"


# --- services.demo_seed ---------------------------------------------------------------
@dataclass(frozen=True)
class SeedReport:
    customers: int
    messages: int


def seed_demo_cache(
    path: Path,
    customers: int,
    *,
    seed: int = 42,
    messages_per_customer: int = 10,
    progress: Callable[[str, int, int], None] | None = None,
) -> SeedReport:
    rng = random.Random(seed)
    engine = open_cache(path)
    rows = []
    for i in range(customers):
        rows.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)),
                "first_name": f"Имя{i}",
                "last_name": f"Фамилия{i}",
                "middle_name": "",
                "name_key": f"фамилия{i} имя{i}",
                "channel_of_origin": "phone",
                "tier": "standard",
            }
        )
        if progress and i % 100 == 0:
            progress("customers", i, customers)
    with engine.begin() as conn:
        conn.execute(insert(CustomerRow), rows)
        conn.execute(text("INSERT INTO meta(key, value) VALUES ('seeded', '1')"))
    if progress:
        progress("customers", customers, customers)
    engine.dispose()
    return SeedReport(customers, 0)


# --- gui.main_window ------------------------------------------------------------------
class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.label = QLabel("No customer open. Try: operator-app --demo")
        self.setCentralWidget(self.label)
        self.resize(1280, 800)
        self.last_pop: str | None = None

    def open_customer(self, customer_id: uuid.UUID) -> None:
        self.label.setText(f"Customer {customer_id}")

    def pop_phone(self, raw: str) -> None:
        self.last_pop = raw
        self.label.setText(f"Caller {raw}")

    def is_busy(self) -> bool:
        return False


def apply_theme(app: object, theme: str) -> None:
    return None
