"""Cache benchmark: load a big synthetic cache, then time the hot read paths.

    python -m tests.benchmarks.cache_bench --customers 1000000 --messages 10000000 \
        --path /tmp/bench-cache.db

Prints one JSON document: load time per stage, and p50/p95 (ms) of search by prefix
length (names, phones, e-mails), phone lookup, card, timeline pages and worklists,
each beside a baseline: the bare sqlite3 query behind it on the same file.
The file is left in place when ``--keep`` is given (reuse it with ``--reuse``).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.cache.fts import match_expression
from operator_app.cache.repositories import CustomerRepository, WorklistRepository
from operator_app.domain.text import name_key

LAST = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Мартынов",
    "Ефимов",
    "Федотов",
    "Щербаков",
    "Назаров",
    "Калинин",
    "Исаев",
    "Чернышёв",
    "Быков",
    "Маслов",
    "Родионов",
    "Коновалов",
    "Лазарев",
    "Воронин",
    "Климов",
    "Филатов",
    "Пономарёв",
    "Голубев",
    "Кудрявцев",
    "Прохоров",
    "Наумов",
    "Потапов",
    "Журавлёв",
    "Овчинников",
    "Трофимов",
    "Леонов",
]
FIRST_M = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Никита",
    "Матвей",
    "Роман",
    "Егор",
    "Арсений",
    "Иван",
    "Денис",
    "Евгений",
    "Даниил",
    "Тимофей",
    "Владислав",
    "Игорь",
    "Владимир",
    "Павел",
    "Руслан",
    "Марк",
    "Константин",
    "Тимур",
    "Олег",
    "Ярослав",
    "Антон",
    "Николай",
    "Глеб",
    "Данила",
    "Савелий",
    "Вадим",
    "Степан",
    "Юрий",
    "Богдан",
    "Артур",
    "Семён",
    "Макар",
    "Лев",
    "Виктор",
    "Елисей",
    "Виталий",
    "Вячеслав",
    "Захар",
    "Мирон",
    "Дамир",
    "Георгий",
    "Давид",
    "Платон",
    "Анатолий",
    "Григорий",
    "Демид",
    "Данил",
    "Станислав",
    "Василий",
    "Фёдор",
    "Родион",
    "Леонид",
    "Одиссей",
    "Валерий",
    "Святослав",
]
FIRST_F = [
    "Анастасия",
    "Мария",
    "Анна",
    "Виктория",
    "Екатерина",
    "Наталья",
    "Марина",
    "Полина",
    "Софья",
    "Дарья",
    "Алиса",
    "Ксения",
    "Александра",
    "Елена",
    "Ольга",
    "Татьяна",
    "Ирина",
    "Юлия",
    "Светлана",
    "Алёна",
    "Вероника",
    "Варвара",
    "Елизавета",
    "Кристина",
    "Валерия",
    "Милана",
    "Ульяна",
    "Василиса",
    "Арина",
    "Ева",
]
TRANSLIT = str.maketrans(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "abvgdeejziiklmnoprstufhccss_y_eua",
)
DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru")
CHANNELS = ("phone", "email", "webchat", "whatsapp", "telegram", "vk", "instagram", "sms")
NOW = datetime(2025, 6, 1, tzinfo=UTC)
BATCH = 50_000


def rid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128))


def latin(text: str) -> str:
    return text.lower().translate(TRANSLIT).replace("_", "")


class Synthetic:
    """Deterministic synthetic rows, streamed in batches (constant memory)."""

    def __init__(self, customers: int, messages: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.customers = customers
        self.messages = messages
        self.customer_ids: list[uuid.UUID] = []
        self.phones: list[str] = []
        self.heavy_customer: uuid.UUID | None = None

    def batches(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        yield from self._customers()
        products = [
            {
                "id": rid(self.rng),
                "sku": f"SKU-{i:05d}",
                "name": f"Товар {i}",
                "category": "c",
                "price": Decimal(100 + i),
            }
            for i in range(500)
        ]
        yield "product", products
        yield from self._orders([p["id"] for p in products])
        yield from self._conversations_and_messages()

    def _customers(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        rng = self.rng
        rows: list[dict[str, Any]] = []
        for i in range(self.customers):
            female = rng.random() < 0.5
            last = rng.choice(LAST) + ("а" if female else "")
            first = rng.choice(FIRST_F if female else FIRST_M)
            middle = rng.choice(FIRST_M).rstrip("йь") + ("овна" if female else "ович")
            phone = f"+79{rng.randrange(10**9):09d}"
            cid = rid(rng)
            self.customer_ids.append(cid)
            self.phones.append(phone)
            rows.append(
                {
                    "id": cid,
                    "first_name": first,
                    "last_name": last,
                    "middle_name": middle,
                    "name_key": name_key(last, first, middle),
                    "phones": [phone],
                    "emails": [f"{latin(first)}.{latin(last)}{i % 1000}@{rng.choice(DOMAINS)}"],
                    "channel_of_origin": rng.choice(CHANNELS),
                    "tier": "standard",
                    "birthday": None,
                    "customer_since": None,
                    "updated_at": NOW,
                }
            )
            if len(rows) == BATCH:
                yield "customer", rows
                rows = []
        if rows:
            yield "customer", rows

    def _orders(self, products: list[uuid.UUID]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        rng = self.rng
        orders: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        coverages: list[dict[str, Any]] = []
        for n in range(self.customers * 2):
            oid = rid(rng)
            cid = self.customer_ids[rng.randrange(self.customers)]
            orders.append(
                {
                    "id": oid,
                    "customer_id": cid,
                    "number": f"ORD-{n + 100000:08d}",
                    "ordered_at": NOW - timedelta(seconds=rng.randrange(3 * 365 * 86400)),
                    "amount": Decimal(rng.randrange(100, 100000)),
                    "status": "paid",
                }
            )
            lines.append(
                {
                    "id": rid(rng),
                    "order_id": oid,
                    "product_id": rng.choice(products),
                    "quantity": 1,
                    "amount": Decimal(100),
                }
            )
            if n % 5 == 0:
                coverages.append(
                    {
                        "id": rid(rng),
                        "customer_id": cid,
                        "product_id": rng.choice(products),
                        "kind": "warranty",
                        "contract_number": f"CT-{n:09d}",
                        "starts": NOW.date(),
                        "ends": NOW.date() + timedelta(days=365),
                    }
                )
            if len(orders) == BATCH:
                yield "order", orders
                yield "order_line", lines
                yield "coverage", coverages
                orders, lines, coverages = [], [], []
        if orders:
            yield "order", orders
            yield "order_line", lines
            yield "coverage", coverages

    def _conversations_and_messages(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        rng = self.rng
        heavy = self.customer_ids[0]
        self.heavy_customer = heavy
        heavy_messages = min(100_000, self.messages // 10)
        per_conversation = 5
        conversations: list[dict[str, Any]] = []
        messages: list[dict[str, Any]] = []
        made = 0
        while made < self.messages:
            cid = (
                heavy if made < heavy_messages else self.customer_ids[rng.randrange(self.customers)]
            )
            conv = rid(rng)
            opened = NOW - timedelta(seconds=rng.randrange(3 * 365 * 86400))
            status = "open" if rng.random() < 0.02 else "resolved"
            last_in = opened + timedelta(seconds=per_conversation * 60)
            conversations.append(
                {
                    "id": conv,
                    "customer_id": cid,
                    "channel": rng.choice(CHANNELS),
                    "status": status,
                    "topic": "Вопрос",
                    "assignee": f"op{rng.randrange(50)}",
                    "opened_at": opened,
                    "last_inbound_at": last_in,
                    "last_outbound_at": last_in - timedelta(seconds=30)
                    if rng.random() < 0.5
                    else None,
                }
            )
            for k in range(per_conversation):
                messages.append(
                    {
                        "id": rid(rng),
                        "conversation_id": conv,
                        "customer_id": cid,
                        "direction": "in" if k % 2 == 0 else "out",
                        "author": "x",
                        "body": "Здравствуйте, у меня вопрос по заказу",
                        "attachments": [],
                        "sent_at": opened + timedelta(seconds=60 * k),
                    }
                )
            made += per_conversation
            if len(messages) >= BATCH:
                yield "conversation", conversations
                yield "message", messages
                conversations, messages = [], []
        if messages:
            yield "conversation", conversations
            yield "message", messages


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50": round(statistics.median(samples), 3),
        "p95": round(samples[int(len(samples) * 0.95) - 1], 3),
        "max": round(samples[-1], 3),
    }


def measure_queries(
    path: Path, phones: list[str], heavy: uuid.UUID, rng: random.Random
) -> dict[str, Any]:
    engine = open_cache(path)
    repo = CustomerRepository(engine)
    worklists = WorklistRepository(engine)
    raw = sqlite3.connect(path)
    out: dict[str, Any] = {}
    names = [f"{rng.choice(LAST)} {rng.choice(FIRST_M)}" for _ in range(200)]
    firsts = [rng.choice(FIRST_M + FIRST_F) for _ in range(200)]
    emails = [f"{latin(rng.choice(FIRST_M))}.{latin(rng.choice(LAST))}" for _ in range(200)]
    sample_phones = [rng.choice(phones) for _ in range(200)]
    for length in (1, 2, 3, 4, 5, 6, 8, 12):
        row: dict[str, Any] = {}
        queries = iter(n.lower()[:length] for n in names * 10)
        row["last_name"] = timed(lambda q=queries: repo.search(next(q)), 200)
        queries = iter(n.lower()[:length] for n in firsts * 10)
        row["first_name"] = timed(lambda q=queries: repo.search(next(q)), 200)
        queries = iter(e[:length] for e in emails * 10)
        row["email"] = timed(lambda q=queries: repo.search(next(q)), 200)
        queries = iter(p[2 : 2 + length] for p in sample_phones * 10)
        row["phone_national"] = timed(lambda q=queries: repo.search(next(q)), 200)
        keys = iter(n.lower()[:length] for n in names * 10)
        row["baseline_name_key_range"] = timed(
            lambda k=keys: raw.execute(
                "SELECT id FROM customers WHERE name_key >= ?1 AND name_key < ?1 || 'я' "
                "ORDER BY name_key LIMIT 50",
                (next(k),),
            ).fetchall(),
            200,
        )
        fts_q = iter(e[:length] for e in emails * 10)
        row["baseline_fts"] = timed(
            lambda k=fts_q: raw.execute(
                "SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT 50",
                (match_expression(next(k)),),
            ).fetchall(),
            200,
        )
        out[f"search_len_{length}"] = row
    mixed = iter(f"{n} {p[2:6]}" for n, p in zip(names * 10, sample_phones * 10, strict=True))
    out["search_name_and_phone"] = timed(lambda: repo.search(next(mixed)), 200)
    formats = iter(
        [f"+7 {p[2:5]} {p[5:8]}-{p[8:10]}-{p[10:]}" for p in sample_phones]
        + [f"8({p[2:5]}){p[5:]}" for p in sample_phones] * 5
    )
    out["search_full_phone_formatted"] = timed(lambda: repo.search(next(formats)), 200)
    numbers = iter(f"ORD-{rng.randrange(100000, 100000 + len(phones) * 2):08d}" for _ in range(400))
    out["search_order_number"] = timed(lambda: repo.search(next(numbers)), 200)
    nasty = iter(['"', "NEAR(", "*", "a" * 10000, "-", "😀", "OR AND NOT"] * 100)
    out["search_nasty"] = timed(lambda: repo.search(next(nasty)), 200)
    lookups = iter([f"8 ({p[2:5]}) {p[5:8]}-{p[8:10]}-{p[10:]}" for p in sample_phones] * 10)
    out["find_by_phone"] = timed(lambda: repo.find_by_phone(next(lookups)), 500)
    e164 = iter(sample_phones * 10)
    out["baseline_phone_pk"] = timed(
        lambda: raw.execute(
            "SELECT customer_id FROM customer_phones WHERE e164 = ?", (next(e164),)
        ).fetchall(),
        500,
    )
    customer_ids = [
        r[0] for r in raw.execute("SELECT id FROM customers ORDER BY random() LIMIT 300")
    ]
    ids = iter(uuid.UUID(bytes=b) for b in customer_ids * 3)
    out["get_card"] = timed(lambda: repo.get_card(next(ids)), 300)
    ids = iter(uuid.UUID(bytes=b) for b in customer_ids * 3)
    out["screen_pop_card_plus_first_page"] = timed(
        lambda: (lambda c: (repo.get_card(c), repo.timeline_page(c, limit=50)))(next(ids)), 300
    )
    ids = iter(uuid.UUID(bytes=b) for b in customer_ids * 3)
    out["timeline_first_page"] = timed(lambda: repo.timeline_page(next(ids), limit=50), 300)

    cursor: list[Any] = [None]

    def heavy_page() -> None:
        page = repo.timeline_page(heavy, before=cursor[0], limit=50)
        cursor[0] = (page[-1].at, page[-1].id) if page else None

    out["timeline_heavy_customer_walk"] = timed(heavy_page, 1000)
    out["baseline_heavy_messages_page"] = timed(
        lambda: raw.execute(
            "SELECT id, sent_at, body FROM messages WHERE customer_id = ? "
            "ORDER BY sent_at DESC, id DESC LIMIT 50",
            (heavy.bytes,),
        ).fetchall(),
        300,
    )
    out["hanging"] = timed(lambda: worklists.hanging(NOW), 50)
    out["open_contacts"] = timed(lambda: worklists.open_contacts("op7"), 50)
    out["follow_ups_due"] = timed(lambda: worklists.follow_ups_due(NOW), 50)
    raw.close()
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--generate-only", action="store_true", help="time the generator alone")
    args = parser.parse_args()
    if args.generate_only:
        start = time.perf_counter()
        rows = sum(len(batch) for _, batch in Synthetic(args.customers, args.messages).batches())
        print(json.dumps({"rows": rows, "generate_seconds": round(time.perf_counter() - start, 1)}))
        return
    result: dict[str, Any] = {"customers": args.customers, "messages": args.messages}
    data = Synthetic(args.customers, args.messages)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.path}{suffix}").unlink(missing_ok=True)
        stages: dict[str, float] = {}
        last = [time.perf_counter(), "start"]

        def progress(stage: str, done: int, total: int | None) -> None:
            now = time.perf_counter()
            stages[stage] = stages.get(stage, 0.0) + now - last[0]
            last[0] = now

        generating = [0.0]

        def timed_batches() -> Iterator[tuple[str, list[dict[str, Any]]]]:
            batches = data.batches()
            while True:
                began = time.perf_counter()
                batch = next(batches, None)
                generating[0] += time.perf_counter() - began
                last[0] += time.perf_counter() - began  # keep generation out of the stages
                if batch is None:
                    return
                yield batch

        start = time.perf_counter()
        cpu = time.process_time()
        engine = open_cache(args.path)
        counts = load_rows(engine, timed_batches(), progress)
        engine.dispose()
        result["load_seconds"] = round(time.perf_counter() - start - generating[0], 1)
        result["load_cpu_seconds_with_generation"] = round(time.process_time() - cpu, 1)
        result["generation_seconds"] = round(generating[0], 1)
        result["load_stages_seconds"] = {k: round(v, 1) for k, v in stages.items()}
        result["rows"] = counts
        result["file_mb"] = round(args.path.stat().st_size / 2**20)
    else:
        for _ in data._customers():
            pass
        data.heavy_customer = data.customer_ids[0]
    assert data.heavy_customer is not None
    result["queries_ms"] = measure_queries(
        args.path, data.phones, data.heavy_customer, random.Random(11)
    )
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
