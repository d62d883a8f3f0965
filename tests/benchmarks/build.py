"""The benchmark cache: built once, kept in ``.bench-cache/``, reused by later runs.

One folder per (customers, messages per customer, seed, schema version), holding
``cache.sqlite3`` — so ``operator-app --data-dir <folder>`` opens it as is for the
cold-start benchmark — and ``build.json`` with what the build took.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from operator_app.cache import schema
from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.services.demo_seed import seed_demo_cache

ROOT = Path(__file__).resolve().parents[2]
CACHE_ROOT = ROOT / ".bench-cache"
CACHE_NAME = "cache.sqlite3"


@dataclass(frozen=True)
class BenchConfig:
    customers: int = 1_000_000
    messages_per_customer: int = 10
    whale_messages: int = 100_000
    seed: int = 2024
    samples: int = 300
    cold_runs: int = 10
    bulk_rows: int = 500_000

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> BenchConfig:
        env = dict(os.environ if env is None else env)
        knobs = {
            "customers": "BENCH_CUSTOMERS",
            "messages_per_customer": "BENCH_MESSAGES_PER_CUSTOMER",
            "whale_messages": "BENCH_WHALE_MESSAGES",
            "seed": "BENCH_SEED",
            "samples": "BENCH_SAMPLES",
            "cold_runs": "BENCH_COLD_RUNS",
            "bulk_rows": "BENCH_BULK_ROWS",
        }
        values: dict[str, int] = {}
        for field, name in knobs.items():
            if name in env:
                try:
                    values[field] = int(env[name].replace("_", ""))
                except ValueError:
                    raise SystemExit(f"{name} must be a whole number, got {env[name]!r}") from None
                if values[field] < 1:
                    raise SystemExit(f"{name} must be at least 1")
        return cls(**values)

    @property
    def data_key(self) -> str:
        return (
            f"c{self.customers}-m{self.messages_per_customer}-w{self.whale_messages}-s{self.seed}"
        )

    @property
    def folder(self) -> Path:
        return CACHE_ROOT / f"{self.data_key}-v{schema.SCHEMA_VERSION}"

    @property
    def cache(self) -> Path:
        return self.folder / CACHE_NAME

    def describe(self) -> str:
        return (
            f"{self.customers:,} customers / ~{self.customers * self.messages_per_customer:,}"
            " messages"
        )


@dataclass
class BuildStats:
    customers: int
    messages: int
    rows: int
    seconds: float
    whale_id: str
    whale_messages: int
    whale_seconds: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class _Reporter:
    """Prints the seeder's progress every few seconds, on one line per stage."""

    def __init__(self) -> None:
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if stage != self.stage or now - self.last > 5:
            self.stage, self.last = stage, now
            amount = f"{done:,}/{total:,}" if total else f"{done:,}"
            print(f"  build: {stage} {amount}", file=sys.stderr, flush=True)


def ensure_bench_cache(config: BenchConfig) -> BuildStats:
    """Build the cache unless an identical one is already there."""
    stats_file = config.folder / "build.json"
    if not (config.cache.exists() and stats_file.exists()):
        _upgrade_older_build(config)
    if config.cache.exists() and stats_file.exists():
        return BuildStats(**json.loads(stats_file.read_text()))
    shutil.rmtree(config.folder, ignore_errors=True)
    partial = config.folder.with_name(config.folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    path = partial / CACHE_NAME
    print(f"Building the benchmark cache once ({config.describe()})…", file=sys.stderr)
    started = time.perf_counter()
    report = seed_demo_cache(
        path,
        config.customers,
        seed=config.seed,
        messages_per_customer=config.messages_per_customer,
        progress=_Reporter(),
    )
    seconds = time.perf_counter() - started
    counts = _counts(path)
    whale, whale_seconds = add_whale(path, config.whale_messages, config.seed)
    stats = BuildStats(
        customers=counts["customers"],
        messages=counts["messages"],
        rows=sum(counts.values()),
        seconds=seconds,
        whale_id=str(whale),
        whale_messages=config.whale_messages,
        whale_seconds=whale_seconds,
    )
    del report
    (partial / "build.json").write_text(json.dumps(asdict(stats), indent=2))
    partial.rename(config.folder)
    return stats


def _upgrade_older_build(config: BenchConfig) -> None:
    """Same data built by an older schema: upgrade it in place (what the app does with a
    user's cache) rather than spend half an hour building it again."""
    for older in sorted(CACHE_ROOT.glob(f"{config.data_key}-v*")):
        if older == config.folder or not (older / "build.json").exists():
            continue
        print(f"Upgrading the benchmark cache {older.name} to this schema…", file=sys.stderr)
        shutil.rmtree(config.folder, ignore_errors=True)
        older.rename(config.folder)
        open_cache(config.cache).dispose()  # runs the schema upgrade steps
        return


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as raw:
        tables = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%'"
            )
        ]
        counts = {t: raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    raw.close()
    return counts


def add_whale(path: Path, messages: int, seed: int) -> tuple[uuid.UUID, float]:
    """Give one customer a very long history: the timeline-scroll benchmark's subject."""
    rng = random.Random(f"whale-{seed}")  # not the seeder's sequence: ids must not collide
    with sqlite3.connect(path) as raw:
        row = raw.execute(
            "SELECT id FROM customers ORDER BY name_key LIMIT 1 OFFSET ?",
            (_count(raw, "customers") // 2,),
        ).fetchone()
    raw.close()
    customer = uuid.UUID(bytes=bytes(row[0]))
    start = datetime(2015, 1, 1, tzinfo=UTC)
    conversations = [
        {
            "id": uuid.UUID(int=rng.getrandbits(128)),
            "customer_id": customer,
            "channel": rng.choice(["phone", "email", "webchat", "telegram", "whatsapp"]),
            "status": "resolved",
            "topic": f"Long-running thread {i + 1}",
            "opened_at": start + timedelta(days=30 * i),
        }
        for i in range(100)
    ]

    def message_rows() -> Iterator[tuple[str, list[dict[str, Any]]]]:
        batch: list[dict[str, Any]] = []
        step = timedelta(minutes=37)
        for i in range(messages):
            conversation = conversations[i * len(conversations) // messages]
            batch.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128)),
                    "conversation_id": conversation["id"],
                    "customer_id": customer,
                    "direction": "in" if i % 2 else "out",
                    "author": "Customer" if i % 2 else "Operator",
                    "body": f"Message {i + 1} of a very long history.",
                    "sent_at": start + step * i,
                }
            )
            if len(batch) == 10_000:
                yield "message", batch
                batch = []
        if batch:
            yield "message", batch

    started = time.perf_counter()
    engine = open_cache(path)
    try:
        load_rows(engine, itertools.chain([("conversation", conversations)], message_rows()))
    finally:
        engine.dispose()
    return customer, time.perf_counter() - started


def _count(raw: sqlite3.Connection, table: str) -> int:
    return int(raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
