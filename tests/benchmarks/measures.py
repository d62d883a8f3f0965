"""The benchmarks: each times the app's own code path and, interleaved with it, the
plain ``sqlite3`` equivalent on the same file, so the ratio survives a noisy machine."""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.cache.repositories import CustomerRepository
from operator_app.cache.types import from_micros
from operator_app.domain.phones import format_phone, normalize_phone
from operator_app.domain.text import words
from operator_app.gui.app import EXIT_WHEN_SHOWN_ENV, SHOWN_LINE
from tests.benchmarks.build import CACHE_ROOT, BenchConfig, BuildStats

PAGE = 50


@dataclass
class Result:
    name: str
    data: str
    n: int
    p50_ms: float
    p95_ms: float
    baseline_p95_ms: float
    baseline: str
    target_p95_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.baseline_p95_ms if self.baseline_p95_ms else math.inf

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "data": self.data,
            "n": self.n,
            "p50_ms": round(self.p50_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
            "baseline_p95_ms": round(self.baseline_p95_ms, 3),
            "baseline": self.baseline,
            "ratio": round(self.ratio, 2),
            "target_p95_ms": self.target_p95_ms,
            **self.extra,
        }


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def paired(
    inputs: Sequence[Any],
    measured: Callable[[Any], object],
    baseline: Callable[[Any], object],
    warmup: int = 5,
) -> tuple[list[float], list[float]]:
    """Time both paths on every input, alternating, after a short untimed warm-up."""
    for item in inputs[:warmup]:
        measured(item)
        baseline(item)
    ours, theirs = [], []
    clock = time.perf_counter
    for item in inputs:
        started = clock()
        measured(item)
        middle = clock()
        baseline(item)
        ours.append((middle - started) * 1000)
        theirs.append((clock() - middle) * 1000)
    return ours, theirs


def raw_connection(path: Path) -> sqlite3.Connection:
    """Plain sqlite3, default settings: what a hand-written query would use."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def random_customers(raw: sqlite3.Connection, count: int, seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    top = raw.execute("SELECT max(rowid) FROM customers").fetchone()[0] or 0
    picks = [rng.randint(1, top) for _ in range(count * 2)]
    marks = ", ".join("?" * len(picks))
    rows = raw.execute(
        f"SELECT id, last_name, phones FROM customers WHERE rowid IN ({marks})", picks
    ).fetchall()
    rng.shuffle(rows)
    return [r for r in rows if json.loads(r[2] or "[]")][:count]


# --- screen pop ----------------------------------------------------------------------------


def phone_forms(e164: str, rng: random.Random) -> str:
    """The number as a PBX or a person might hand it over."""
    national = e164[2:] if e164.startswith("+7") else e164.lstrip("+")
    forms = [
        e164,
        f"tel:{e164}",
        format_phone(e164),
        f"8{national}" if e164.startswith("+7") else e164,
        f"sip:{e164}@pbx.example",
    ]
    return rng.choice(forms)


def plain_screen_pop(raw: sqlite3.Connection, number: str) -> None:
    """Screen pop with hand-written queries: the baseline for both screen-pop benchmarks."""
    phone = normalize_phone(number)
    assert phone is not None
    row = raw.execute(
        "SELECT customer_id FROM customer_phones WHERE e164 = ?", (phone.e164,)
    ).fetchone()
    key = row[0]
    raw.execute("SELECT * FROM customers WHERE id = ?", (key,)).fetchall()
    raw.execute(
        "SELECT * FROM orders WHERE customer_id = ? ORDER BY ordered_at DESC, id DESC LIMIT 20",
        (key,),
    ).fetchall()
    raw.execute("SELECT * FROM coverages WHERE customer_id = ? LIMIT 100", (key,)).fetchall()
    raw.execute("SELECT * FROM interests WHERE customer_id = ? LIMIT 100", (key,)).fetchall()
    raw.execute(
        "SELECT * FROM conversations WHERE customer_id = ? AND status != 'resolved' LIMIT 100",
        (key,),
    ).fetchall()
    raw.execute(
        "SELECT id, sent_at, author, body, direction FROM messages WHERE customer_id = ? "
        "ORDER BY sent_at DESC, id DESC LIMIT ?",
        (key, PAGE),
    ).fetchall()


def bench_screen_pop(config: BenchConfig, stats: BuildStats) -> Result:
    rng = random.Random(config.seed + 1)
    raw = raw_connection(config.cache)
    phones = [
        phone_forms(json.loads(row[2])[0], rng)
        for row in random_customers(raw, config.samples, config.seed + 1)
    ]
    engine = open_cache(config.cache)
    repo = CustomerRepository(engine)

    def ours(number: str) -> None:
        found = repo.find_by_phone(number)
        assert found, number
        card = repo.get_card(found[0].id)
        assert card is not None
        repo.timeline_page(found[0].id, limit=PAGE)

    try:
        ours_ms, plain_ms = paired(phones, ours, lambda number: plain_screen_pop(raw, number))
    finally:
        engine.dispose()
        raw.close()
    return Result(
        "screen_pop",
        config.describe(),
        len(phones),
        percentile(ours_ms, 50),
        percentile(ours_ms, 95),
        percentile(plain_ms, 95),
        "sqlite3: phone row, customer row, orders, coverages, interests, open "
        "conversations, first 50 messages",
        target_p95_ms=50,
        extra={"path": "find_by_phone + get_card + timeline_page (repositories, no GUI)"},
    )


# --- search as you type --------------------------------------------------------------------


def bench_search_keystroke(config: BenchConfig, stats: BuildStats) -> Result:
    raw = raw_connection(config.cache)
    people = random_customers(raw, max(10, config.samples // 12), config.seed + 2)
    queries: list[tuple[str, str, int]] = []  # (typed text, kind, length)
    for _, last_name, phones in people:
        national = "8" + json.loads(phones)[0].removeprefix("+7")
        for length in range(1, 7):
            queries.append((last_name[:length], "name", length))
            queries.append((national[:length], "phone", length))
    engine = open_cache(config.cache)
    repo = CustomerRepository(engine)

    def ours(query: tuple[str, str, int]) -> None:
        repo.search(query[0], limit=PAGE)

    def plain(query: tuple[str, str, int]) -> None:
        text, kind, _ = query
        if kind == "name":
            key = " ".join(words(text))
            raw.execute(
                "SELECT id, last_name, first_name, middle_name, phones, tier FROM customers "
                "WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT ?",
                (key, key + "\U0010ffff", PAGE),
            ).fetchall()
        else:
            prefix = "+7" + text[1:]
            raw.execute(
                "SELECT c.id, c.last_name, c.first_name, c.middle_name, c.phones, c.tier "
                "FROM customer_phones p JOIN customers c ON c.id = p.customer_id "
                "WHERE p.e164 >= ? AND p.e164 < ? ORDER BY p.e164 LIMIT ?",
                (prefix, prefix + ":", PAGE),
            ).fetchall()

    try:
        ours_ms, plain_ms = paired(queries, ours, plain)
    finally:
        engine.dispose()
        raw.close()
    by_length = {
        str(length): round(
            percentile([t for t, q in zip(ours_ms, queries, strict=True) if q[2] == length], 95), 3
        )
        for length in range(1, 7)
    }
    return Result(
        "search_keystroke",
        f"{config.customers:,} customers",
        len(queries),
        percentile(ours_ms, 50),
        percentile(ours_ms, 95),
        percentile(plain_ms, 95),
        "sqlite3: one prefix range on customers.name_key or customer_phones, 50 rows",
        target_p95_ms=30,
        extra={"p95_ms_by_prefix_length": by_length, "path": "CustomerRepository.search"},
    )


# --- timeline scroll -----------------------------------------------------------------------


def bench_timeline_page(config: BenchConfig, stats: BuildStats) -> Result:
    whale = uuid.UUID(stats.whale_id)
    raw = raw_connection(config.cache)
    total = raw.execute(
        "SELECT count(*) FROM messages WHERE customer_id = ?", (whale.bytes,)
    ).fetchone()[0]
    rng = random.Random(config.seed + 3)
    cursors: list[tuple[int, bytes] | None] = [None]  # the first page, then anywhere
    for rank in sorted(rng.randrange(total) for _ in range(config.samples - 1)):
        row = raw.execute(
            "SELECT sent_at, id FROM messages WHERE customer_id = ? "
            "ORDER BY sent_at DESC, id DESC LIMIT 1 OFFSET ?",  # set-up only
            (whale.bytes, rank),
        ).fetchone()
        cursors.append((row[0], bytes(row[1])))
    engine = open_cache(config.cache)
    repo = CustomerRepository(engine)

    def ours(cursor: tuple[int, bytes] | None) -> None:
        before = None if cursor is None else (from_micros(cursor[0]), uuid.UUID(bytes=cursor[1]))
        assert repo.timeline_page(whale, before, limit=PAGE)

    top = (2**62, b"\xff" * 17)

    def plain(cursor: tuple[int, bytes] | None) -> None:
        at, item = cursor or top
        raw.execute(
            "SELECT id, sent_at, author, body, direction FROM messages "
            "WHERE customer_id = ? AND (sent_at, id) < (?, ?) "
            "ORDER BY sent_at DESC, id DESC LIMIT ?",
            (whale.bytes, at, item, PAGE),
        ).fetchall()

    try:
        ours_ms, plain_ms = paired(cursors, ours, plain)
    finally:
        engine.dispose()
        raw.close()
    return Result(
        "timeline_page",
        f"one customer with {total:,} messages",
        len(cursors),
        percentile(ours_ms, 50),
        percentile(ours_ms, 95),
        percentile(plain_ms, 95),
        "sqlite3: one keyset page of messages (the repository merges six kinds of items)",
        target_p95_ms=16,
        extra={"path": "CustomerRepository.timeline_page, random depths, 50 items"},
    )


# --- cold start ----------------------------------------------------------------------------


def _app_env() -> dict[str, str]:
    env = dict(os.environ, **{EXIT_WHEN_SHOWN_ENV: "1"})
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _until_shown(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == SHOWN_LINE:
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"{command} exited {process.wait()} without showing a window")
        process.wait(60)
    return elapsed * 1000


def _process_run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return (time.perf_counter() - started) * 1000


def bench_cold_start(config: BenchConfig, stats: BuildStats) -> Result:
    app = Path(sys.executable).with_name("operator-app")
    command = [str(app)] if app.exists() else [sys.executable, "-m", "operator_app"]
    command += ["--data-dir", str(config.folder)]
    env = _app_env()
    baseline = [sys.executable, "-c", "import sqlite3"]
    _until_shown(command, env)  # warm the OS file cache, as the target assumes
    _process_run(baseline)
    ours_ms, plain_ms = [], []
    for _ in range(config.cold_runs):
        ours_ms.append(_until_shown(command, env))
        plain_ms.append(_process_run(baseline))
    return Result(
        "cold_start",
        config.describe(),
        config.cold_runs,
        percentile(ours_ms, 50),
        percentile(ours_ms, 95),
        percentile(plain_ms, 95),
        'process start of python -c "import sqlite3"',
        target_p95_ms=1000,
        extra={
            "path": "operator-app --data-dir … until the window's first paint",
            "platform": env.get("QT_QPA_PLATFORM", "default"),
        },
    )


# --- bulk load -----------------------------------------------------------------------------


def _message_sample(config: BenchConfig) -> tuple[list[str], list[tuple[Any, ...]]]:
    raw = raw_connection(config.cache)
    try:
        cursor = raw.execute("SELECT * FROM messages LIMIT ?", (config.bulk_rows,))
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    finally:
        raw.close()


def bench_bulk_load(config: BenchConfig, stats: BuildStats, repeats: int = 3) -> Result:
    columns, rows = _message_sample(config)
    scratch = CACHE_ROOT / "scratch"
    as_dicts = [
        {
            c: (json.loads(v) if c == "attachments" and isinstance(v, str) else v)
            for c, v in zip(columns, row, strict=True)
        }
        for row in rows
    ]
    chunk = 50_000
    batches = [("message", as_dicts[i : i + chunk]) for i in range(0, len(as_dicts), chunk)]
    insert = f"INSERT INTO messages ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def fresh(name: str) -> Path:
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        path = scratch / name
        open_cache(path).dispose()
        return path

    def ours() -> None:
        engine = open_cache(fresh("ours.sqlite3"))
        try:
            load_rows(engine, batches, check_foreign_keys=False)
        finally:
            engine.dispose()

    def plain() -> None:
        raw = sqlite3.connect(fresh("plain.sqlite3"))
        try:
            with raw:
                raw.executemany(insert, rows)
        finally:
            raw.close()

    ours_ms, plain_ms = [], []
    for _ in range(repeats):
        ours_ms.append(ms(ours))
        plain_ms.append(ms(plain))
    shutil.rmtree(scratch, ignore_errors=True)
    n_rows = len(rows)
    return Result(
        "bulk_load",
        f"{n_rows:,} message rows from the benchmark cache",
        repeats,
        percentile(ours_ms, 50),
        percentile(ours_ms, 95),
        percentile(plain_ms, 95),
        "sqlite3 executemany of the same rows into the same (indexed) table",
        extra={
            "rows": n_rows,
            "rows_per_s": round(n_rows / (percentile(ours_ms, 50) / 1000)),
            "baseline_rows_per_s": round(n_rows / (percentile(plain_ms, 50) / 1000)),
            "build_rows": stats.rows,
            "build_s": round(stats.seconds, 1),
            "build_rows_per_s": round(stats.rows_per_s),
            "path": "cache.bulk.load_rows; build = seed_demo_cache of the whole cache",
        },
    )


BENCHMARKS: dict[str, Callable[[BenchConfig, BuildStats], Result]] = {
    "cold_start": bench_cold_start,
    "screen_pop": bench_screen_pop,
    "search_keystroke": bench_search_keystroke,
    "timeline_page": bench_timeline_page,
    "bulk_load": bench_bulk_load,
}
