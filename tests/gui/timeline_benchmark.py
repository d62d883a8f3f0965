"""Timeline scroll cost: one page of 50 fetched (DB thread) and laid out and painted.

    QT_QPA_PLATFORM=offscreen python -m tests.gui.timeline_benchmark [--messages 100000]

Builds a cache where one customer has ``--messages`` messages, opens the timeline in a
real view and keeps fetching pages the way scrolling does. Each sample runs from
``fetchMore()`` to the new rows being laid out and the viewport repainted, so it
includes the keyset query, the hop between threads, the model insert and the
delegate's painting. The raw ``sqlite3`` keyset query for the same page is measured
beside it as the baseline. Prints JSON; ``run()`` returns the same numbers.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.cache.repositories import CustomerRepository
from operator_app.cache.types import to_micros
from operator_app.gui import theme
from operator_app.gui.db_worker import DbWorker
from operator_app.gui.models.timeline import TimelineModel
from operator_app.gui.widgets.timeline_delegate import setup_timeline_view

BODIES = [
    "Здравствуйте! Заказ до сих пор не пришёл, подскажите, где он сейчас?",
    "Проверил: заказ передан курьеру, доставка завтра до 18:00.",
    "Можно ли продлить гарантию на ноутбук? Срок скоро заканчивается, а он мне очень нужен "
    "для работы, поэтому хотелось бы понять условия и стоимость продления заранее.",
]


def build(path: Path, messages: int) -> uuid.UUID:
    rng = random.Random(3)
    now = datetime.now(UTC)
    customer = uuid.uuid4()
    conversations = [uuid.uuid4() for _ in range(max(1, messages // 50))]
    engine = open_cache(path)

    def batches():  # type: ignore[no-untyped-def]
        yield (
            "customer",
            [
                {
                    "id": customer,
                    "first_name": "Анна",
                    "last_name": "Иванова",
                    "channel_of_origin": "phone",
                    "tier": "gold",
                    "phones": ["+79123456789"],
                }
            ],
        )
        yield (
            "conversation",
            [
                {
                    "id": cid,
                    "customer_id": customer,
                    "channel": rng.choice(["phone", "whatsapp"]),
                    "status": "resolved",
                    "topic": "Доставка",
                    "assignee": None,
                    "opened_at": now - timedelta(days=3000),
                    "first_response_at": None,
                    "resolved_at": None,
                    "next_follow_up_at": None,
                    "last_inbound_at": None,
                    "last_outbound_at": None,
                }
                for cid in conversations
            ],
        )
        for start in range(0, messages, 50_000):
            yield (
                "message",
                [
                    {
                        "id": uuid.uuid4(),
                        "conversation_id": conversations[i % len(conversations)],
                        "customer_id": customer,
                        "direction": "in" if i % 2 else "out",
                        "author": "Анна Иванова" if i % 2 else "Оператор",
                        "body": BODIES[i % len(BODIES)],
                        "sent_at": now - timedelta(minutes=7 * i),
                        "attachments": [],
                    }
                    for i in range(start, min(messages, start + 50_000))
                ],
            )

    load_rows(engine, batches())
    engine.dispose()
    return customer


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run(messages: int = 100_000, pages: int = 200) -> dict[str, Any]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "light")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        customer = build(path, messages)
        engine = open_cache(path)
        worker = DbWorker(engine)
        model = TimelineModel(worker, page_size=50)
        view = QTableView()
        setup_timeline_view(view)
        view.setModel(model)
        view.resize(760, 520)
        view.show()
        loop = QEventLoop()
        model.page_loaded.connect(lambda _n: loop.quit())
        model.set_customer(customer)
        QTimer.singleShot(5000, loop.quit)
        loop.exec()
        gui: list[float] = []
        fetch: list[float] = []
        gui_cpu: list[float] = []
        show: list[float] = []
        for _ in range(pages):
            while model.is_loading:
                app.processEvents()
            if not model.canFetchMore():
                break
            first_new = model.rowCount()
            cpu_start = time.thread_time()
            start = time.perf_counter()
            model.fetchMore()
            loop.exec()  # until page_loaded
            fetched = time.perf_counter()
            # Show the new page the way scrolling does: its rows laid out and painted.
            view.scrollTo(model.index(first_new), QTableView.ScrollHint.PositionAtTop)
            view.viewport().repaint()
            done = time.perf_counter()
            gui_cpu.append((time.thread_time() - cpu_start) * 1000)
            gui.append((done - start) * 1000)
            fetch.append((fetched - start) * 1000)
            show.append((done - fetched) * 1000)
        worker.close()
        query_cpu = _query_cpu(
            engine, customer, [model.key(r) for r in range(49, model.rowCount(), 50)]
        )
        raw_ms = _raw_baseline(
            path, customer, [model.key(r) for r in range(49, model.rowCount(), 50)]
        )
        engine.dispose()
    return {
        "timeline_page_ms_p95": round(p95(gui), 3),
        "timeline_page_ms_median": round(statistics.median(gui), 3),
        "fetch_ms_p95": round(p95(fetch), 3),
        "layout_paint_ms_p95": round(p95(show), 3),
        "gui_thread_cpu_ms_p95": round(p95(gui_cpu), 3),
        "query_cpu_ms_p95": round(p95(query_cpu), 3),
        "page_cpu_ms_p95": round(p95([a + b for a, b in zip(gui_cpu, query_cpu, strict=False)]), 3),
        "raw_sqlite_page_ms_p95": round(p95(raw_ms), 3),
        "pages": len(gui),
        "messages": messages,
    }


def _query_cpu(
    engine: Any, customer: uuid.UUID, cursors: list[tuple[datetime, uuid.UUID]]
) -> list[float]:
    """CPU time of the repository's own page query (what the DB thread spends)."""
    repo = CustomerRepository(engine)
    samples = []
    for cursor in [None, *cursors[:-1]]:
        start = time.thread_time()
        repo.timeline_page(customer, cursor, 50)
        samples.append((time.thread_time() - start) * 1000)
    return samples


def _raw_baseline(
    path: Path, customer: uuid.UUID, cursors: list[tuple[datetime, uuid.UUID]]
) -> list[float]:
    conn = sqlite3.connect(path)
    sql = (
        "SELECT id, sent_at, author, body, direction FROM messages WHERE customer_id = ? "
        "AND (sent_at, id) < (?, ?) ORDER BY sent_at DESC, id DESC LIMIT 50"
    )
    samples = []
    for at, item_id in cursors:
        start = time.perf_counter()
        conn.execute(sql, (customer.bytes, to_micros(at), item_id.bytes)).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.messages, args.pages), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
