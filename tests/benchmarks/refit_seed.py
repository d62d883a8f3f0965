"""A server database with N customers' order history, fast enough for a 1M-customer bench.

    python -m tests.benchmarks.refit_seed --customers 1000000 [--seed S] [--out PATH]

The demo generator writes whole customers (contacts, messages, surveys) through the
ORM-shaped loader and takes over an hour at a million; the refit only reads customers,
orders and order lines. So the schema comes from the real ``operator-app-server init``
(the Alembic migrations) and those three tables (plus the catalogue and
``customer_phones``) are filled with plain ``sqlite3`` ``executemany``, in the exact
stored forms the server's column types use (ids as 32 hex digits, money as integer
cents, UTC wall-time text).

Purchases follow the models the refit fits, so the fit is meaningful: each buyer's
purchase rate λ ~ Gamma(r, α), dropout after each repeat purchase with probability
p ~ Beta(a, b) (BG/NBD), and order values Gamma(p, ν) with ν ~ Gamma(q, v)
(Gamma-Gamma). Orders are inserted in date order with time-ordered (v7-style) ids,
as a shop's database would have them. Everything is drawn from one seeded generator;
dates count back from the anchor day (the build day unless given), so the same seed
and anchor give the same file. Seeded rows get no change-log entries: the refit never
reads them, and the sync benchmark has its own demo database.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from operator_app.demo.catalog import CATALOG

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"
CHUNK = 50_000  # rows per executemany

# "True" parameters of the simulated shop (time in weeks, money in roubles).
BGNBD = {"r": 0.6, "alpha": 25.0, "a": 0.8, "b": 2.5}
GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "v": 4000.0}  # mean spend p·v/(q-1) = 8,000 ₽
HISTORY_WEEKS = 156  # first purchases spread over three years
NO_ORDER_SHARE = 0.1  # customers who never bought (leads)
MAX_REPEATS = 150
CANCELLED_SHARE, REFUNDED_SHARE = 0.03, 0.02
LINES_PER_ORDER = ((1, 0.70), (2, 0.22), (3, 0.08))
WEEK_S = 7 * 86_400

FIRST = ("Анна", "Мария", "Елена", "Ольга", "Иван", "Алексей", "Дмитрий", "Сергей")
LAST = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов")
MIDDLE = ("Ивановна", "Петрович", "Сергеевна", "Алексеевич", "Андреевна")
CHANNELS = ("phone", "email", "webchat", "whatsapp", "telegram", "vk", "instagram", "sms")
TIERS = ("standard", "standard", "standard", "silver", "gold")


@dataclass(frozen=True)
class SeedStats:
    customers: int
    orders: int
    order_lines: int
    rows: int
    seconds: float
    cpu_s: float  # this process only; on a busy machine rows per CPU second say more

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def rows_per_cpu_s(self) -> float:
        return self.rows / self.cpu_s if self.cpu_s else 0.0


def ids_v7(rng: np.random.Generator, millis: NDArray[np.int64]) -> list[str]:
    """Time-ordered UUIDs (48-bit ms, version 7, random tail) as the 32 hex digits SQLite
    stores; ``millis`` ascending gives ascending ids."""
    n = len(millis)
    raw = np.empty((n, 16), dtype=np.uint8)
    raw[:, :6] = millis.astype(">u8").view(np.uint8).reshape(n, 8)[:, 2:]
    raw[:, 6:] = rng.integers(0, 256, size=(n, 10), dtype=np.uint8)
    raw[:, 6] = 0x70 | (raw[:, 6] & 0x0F)
    raw[:, 8] = 0x80 | (raw[:, 8] & 0x3F)
    text = raw.tobytes().hex()
    return [text[i : i + 32] for i in range(0, 32 * n, 32)]


def timestamps(seconds: NDArray[np.int64]) -> list[str]:
    """Epoch seconds → SQLAlchemy's SQLite DATETIME text (UTC wall time)."""
    iso = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return [f"{s[:10]} {s[11:]}.000000" for s in iso.tolist()]


def days(seconds: NDArray[np.int64]) -> list[str]:
    moments = seconds.astype("datetime64[s]").astype("datetime64[D]")
    return np.datetime_as_string(moments, unit="D").tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class History:
    """One row per order, in date order; ``customer`` indexes the customer arrays."""

    customer: NDArray[np.int64]
    at: NDArray[np.int64]  # epoch seconds
    cents: NDArray[np.int64]
    status: NDArray[np.int8]  # 0 paid, 1 cancelled, 2 refunded


def simulate(rng: np.random.Generator, n: int, end: int) -> tuple[NDArray[np.int64], History]:
    """BG/NBD purchases and Gamma-Gamma values; returns each customer's since (epoch s)."""
    buyer = rng.random(n) >= NO_ORDER_SHARE
    first = end - (rng.random(n) * HISTORY_WEEKS * WEEK_S).astype(np.int64)
    age = (end - first) / WEEK_S  # T, weeks
    rate = rng.gamma(BGNBD["r"], 1 / BGNBD["alpha"], n)
    dropout = rng.beta(BGNBD["a"], BGNBD["b"], n)
    nu = rng.gamma(GAMMA_GAMMA["q"], 1 / GAMMA_GAMMA["v"], n)
    who = [np.flatnonzero(buyer)]
    when = [np.zeros(len(who[0]))]
    active = who[0]
    t = np.zeros(n)
    for _ in range(MAX_REPEATS):
        if not len(active):
            break
        t[active] += rng.exponential(1.0, len(active)) / rate[active]
        active = active[t[active] <= age[active]]
        who.append(active)
        when.append(t[active].copy())
        active = active[rng.random(len(active)) >= dropout[active]]
    customer = np.concatenate(who)
    at = first[customer] + (np.concatenate(when) * WEEK_S).astype(np.int64)
    order = np.argsort(at, kind="stable")
    customer, at = customer[order], at[order]
    roubles = rng.gamma(GAMMA_GAMMA["p"], 1.0, len(customer)) / nu[customer]
    cents = np.maximum(np.round(roubles, 0).astype(np.int64), 1) * 100
    u = rng.random(len(customer))
    status = np.where(u < CANCELLED_SHARE, 1, np.where(u < CANCELLED_SHARE + REFUNDED_SHARE, 2, 0))
    since = np.where(buyer, first, end - (rng.random(n) * 30 * 86_400).astype(np.int64))
    return since, History(customer, at, cents, status.astype(np.int8))


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    # A throwaway build: no journal, no fsync; the file is renamed into place when done.
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=2"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _chunks(n: int) -> Iterator[slice]:
    for start in range(0, n, CHUNK):
        yield slice(start, min(start + CHUNK, n))


def _insert(connection: sqlite3.Connection, table: str, columns: Sequence[str], rows: Any) -> None:
    marks = ", ".join("?" * len(columns))
    connection.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
        rows,
    )


CUSTOMER_COLUMNS = (
    *("id", "first_name", "last_name", "middle_name", "name_key", "phones", "emails"),
    *("language", "timezone", "birthday", "customer_since", "channel_of_origin", "tier"),
    *("segment", "tags", "consent_channels", "consent_marketing", "historical_clv"),
    *("open_complaints", "currency", "version", "updated_at"),
)


def _customers(
    connection: sqlite3.Connection, rng: np.random.Generator, since: NDArray[np.int64]
) -> list[str]:
    """Insert customers in order of arrival; their ids, indexed like ``since``."""
    n = len(since)
    order = np.argsort(since, kind="stable")
    ids_sorted = ids_v7(rng, since[order] * 1000)
    ids = [""] * n
    for position, index in enumerate(order.tolist()):
        ids[index] = ids_sorted[position]
    first, last, middle = (rng.integers(0, len(x), n) for x in (FIRST, LAST, MIDDLE))
    channel, tier = rng.integers(0, len(CHANNELS), n), rng.integers(0, len(TIERS), n)
    marketing = rng.random(n) < 0.6
    born = since - rng.integers(18 * 365, 70 * 365, n) * 86_400
    for part in _chunks(n):
        rows_index = order[part]
        since_text, born_text = days(since[rows_index]), days(born[rows_index])
        stamps = timestamps(since[rows_index])
        rows = []
        for k, i in enumerate(rows_index.tolist()):
            f, la, m = FIRST[first[i]], LAST[last[i]], MIDDLE[middle[i]]
            number = part.start + k  # phones in arrival order: appends to their index
            rows.append(
                (
                    ids[i], f, la, m, f"{la} {f} {m}".lower(),
                    f'["+7916{number:07d}"]', f'["c{number}@example.com"]', "ru", "Europe/Moscow",
                    born_text[k], since_text[k], CHANNELS[channel[i]], TIERS[tier[i]],
                    "consumer", "[]", '["phone", "email", "sms"]', int(marketing[i]),
                    0, 0, "RUB", 1, stamps[k],
                )
            )  # fmt: skip
        _insert(connection, "customers", CUSTOMER_COLUMNS, rows)
        _insert(
            connection,
            "customer_phones",
            ("e164", "customer_id"),
            ((f"+7916{part.start + k:07d}", ids[i]) for k, i in enumerate(rows_index.tolist())),
        )
    return ids


ORDER_COLUMNS = (
    *("id", "customer_id", "number", "ordered_at", "amount", "currency", "status"),
    *("version", "updated_at"),
)


def _products(connection: sqlite3.Connection, rng: np.random.Generator, stamp: str) -> list[str]:
    ids = ids_v7(rng, np.arange(len(CATALOG), dtype=np.int64) + 1_600_000_000_000)
    by_sku = dict(zip((item.sku for item in CATALOG), ids, strict=True))
    _insert(
        connection,
        "products",
        ("id", "sku", "name", "category", "price", "successor_id", "version", "updated_at"),
        [
            (
                by_sku[item.sku],
                item.sku,
                item.name,
                item.category,
                int(item.price * 100),
                by_sku.get(item.successor_sku or ""),
                1,
                stamp,
            )
            for item in CATALOG
        ],
    )
    return ids


def _orders(
    connection: sqlite3.Connection,
    rng: np.random.Generator,
    history: History,
    customer_ids: list[str],
    product_ids: list[str],
) -> int:
    """Orders with their lines (1–3, co-bought products correlated); lines inserted."""
    statuses = ("paid", "cancelled", "refunded")
    sizes, weights = zip(*LINES_PER_ORDER, strict=True)
    catalogue = len(product_ids)
    popularity = rng.dirichlet(np.full(catalogue, 0.5))
    lines_total = 0
    for part in _chunks(len(history.at)):
        at = history.at[part]
        order_ids = ids_v7(rng, at * 1000)
        stamps = timestamps(at)
        who = history.customer[part].tolist()
        cents = history.cents[part]
        status = history.status[part].tolist()
        _insert(
            connection,
            "orders",
            ORDER_COLUMNS,
            (
                (oid, customer_ids[c], f"SO-{part.start + k + 1:09d}", stamp, amount, "RUB",
                 statuses[s], 1, stamp)
                for k, (oid, c, stamp, amount, s) in enumerate(
                    zip(order_ids, who, stamps, cents.tolist(), status, strict=True)
                )
            ),
        )  # fmt: skip
        count = rng.choice(np.array(sizes), size=len(at), p=np.array(weights))
        owner = np.repeat(np.arange(len(at)), count)
        slot = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
        product = rng.choice(catalogue, size=len(at), p=popularity)[owner]
        # Second and third lines: often the "next" product (an accessory), else any.
        companion = np.where(
            rng.random(len(owner)) < 0.6,
            (product + slot) % catalogue,
            rng.choice(catalogue, size=len(owner), p=popularity),
        )
        product = np.where(slot == 0, product, companion)
        share = rng.random(len(owner)) + 0.2
        share /= np.bincount(owner, weights=share)[owner]
        amount = np.floor(share * cents[owner] / 100).astype(np.int64) * 100
        amount[slot == 0] += cents - np.bincount(owner, weights=amount).astype(np.int64)
        line_ids = ids_v7(rng, at[owner] * 1000)
        _insert(
            connection,
            "order_lines",
            ("id", "order_id", "product_id", "quantity", "amount", "version", "updated_at"),
            (
                (lid, order_ids[o], product_ids[p], 1, a, 1, stamps[o])
                for lid, o, p, a in zip(
                    line_ids, owner.tolist(), product.tolist(), amount.tolist(), strict=True
                )
            ),
        )
        lines_total += len(owner)
    return lines_total


def seed_refit_db(path: Path, customers: int, *, seed: int, anchor: date) -> SeedStats:
    """Create ``path`` (must not exist) with the real schema and the synthetic history."""
    subprocess.run(
        [
            str(Path(sys.executable).with_name("operator-app-server")),
            "init",
            "--database-url",
            f"sqlite:///{path}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    started, cpu = time.perf_counter(), time.process_time()
    rng = np.random.default_rng(seed)
    end = int(datetime.combine(anchor, datetime.min.time(), UTC).timestamp())
    since, history = simulate(rng, customers, end)
    connection = _connect(path)
    try:
        # Secondary indexes are built once at the end (sorting beats a million random
        # inserts), from the migrations' own DDL.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('customers', 'customer_phones', 'orders', 'order_lines')"
        ).fetchall()
        connection.execute("BEGIN")
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        stamp = timestamps(np.array([end - 5 * 365 * 86_400]))[0]
        product_ids = _products(connection, rng, stamp)
        customer_ids = _customers(connection, rng, since)
        lines = _orders(connection, rng, history, customer_ids, product_ids)
        for _, sql in indexes:
            connection.execute(sql)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")  # what the server runs with
    finally:
        connection.close()
    orders = len(history.at)
    rows = customers * 2 + orders + lines + len(product_ids)
    return SeedStats(
        customers,
        orders,
        lines,
        rows,
        round(time.perf_counter() - started, 2),
        round(time.process_time() - cpu, 2),
    )


def anchor_day(text: str | None) -> date:
    return date.fromisoformat(text) if text else datetime.now(UTC).date() - timedelta(days=1)


def cached_db(customers: int, *, seed: int) -> tuple[Path, SeedStats | None]:
    """The seeded database for this size and seed under .bench-cache/, built if missing."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"refit-{customers}-{seed}.sqlite3"
    if path.exists():
        return path, None
    partial = path.with_suffix(".partial")
    for stale in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    stats = seed_refit_db(partial, customers, seed=seed, anchor=anchor_day(None))
    partial.rename(path)
    return path, stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20250615)
    parser.add_argument("--anchor", help="last day of the history (YYYY-MM-DD; default yesterday)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.out.exists():
        raise SystemExit(f"{args.out} exists")
    stats = seed_refit_db(args.out, args.customers, seed=args.seed, anchor=anchor_day(args.anchor))
    print(json.dumps(seed_summary(stats)))


def seed_summary(stats: SeedStats) -> dict[str, float]:
    return {
        **stats.__dict__,
        "rows_per_s": round(stats.rows_per_s),
        "rows_per_cpu_s": round(stats.rows_per_cpu_s),
    }


if __name__ == "__main__":
    main()
