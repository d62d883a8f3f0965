"""TEMPORARY stand-ins for modules other branches are building.

TODO(shell): delete this file once ``operator_app.services.datadir`` / ``demo_seed``
(demo branch) and ``operator_app.gui.main_window`` / ``theme`` (gui branch) are on
main. Only the names the shell calls are here, with the same signatures, and only
enough behaviour to exercise the start-up paths.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtWidgets import QLabel, QMainWindow

from operator_app import APP_NAME, ORG_NAME
from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.gui.context import AppContext


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
    progress: Callable[[str, int, int | None], None] | None = None,
) -> SeedReport:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    people: list[dict[str, Any]] = []
    talks: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    for i in range(customers):
        cid = uuid.UUID(int=rng.getrandbits(128))
        people.append(
            {
                "id": cid,
                "first_name": f"Имя{i}",
                "last_name": f"Фамилия{i}",
                "phones": [f"+7912{i:07d}"],
                "channel_of_origin": "phone",
                "tier": "standard",
            }
        )
        conv = uuid.UUID(int=rng.getrandbits(128))
        opened = start + timedelta(hours=i)
        talks.append(
            {
                "id": conv,
                "customer_id": cid,
                "channel": "phone",
                "status": "open" if i % 3 == 0 else "resolved",
                "opened_at": opened,
            }
        )
        for m in range(rng.randint(1, 2 * messages_per_customer)):
            messages.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128)),
                    "conversation_id": conv,
                    "customer_id": cid,
                    "direction": "in" if m % 2 == 0 else "out",
                    "author": "x",
                    "body": f"message {m}",
                    "sent_at": opened + timedelta(minutes=m),
                }
            )
    engine = open_cache(path)
    try:
        load_rows(
            engine,
            [("customer", people), ("conversation", talks), ("message", messages)],
            progress,
        )
    finally:
        engine.dispose()
    return SeedReport(customers, len(messages))


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
