"""Rough loopback throughput and latency of the reference server (not a test).

    python -m tests.server.bench_server [--database-url URL] [--clients 50] [--seconds 8]

Starts ``operator-app-server serve`` as a child process on a fresh database filled
with synthetic customers, then drives it with concurrent asyncio clients and prints
requests/s, p50 and p95 for: ``GET /version`` (the bare round-trip baseline),
``GET /changes`` pages of 500, ``POST /mutations`` with 1 and with 20 notes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from operator_app.domain.enums import Role
from operator_app.server.accounts import create_user
from operator_app.server.db import Database
from operator_app.server.schema import upgrade_to_head
from operator_app.server.seed import load_batches

SCRIPT = Path(sys.executable).with_name("operator-app-server")
PASSWORD = "bench-password-1"


def prepare(url: str, customers: int) -> list[uuid.UUID]:
    db = Database(url)
    now = datetime.now(UTC)
    ids = [uuid.uuid4() for _ in range(customers)]
    rows = [
        {
            "id": cid,
            "first_name": f"Имя{i}",
            "last_name": f"Фамилия{i}",
            "name_key": f"фамилия{i} имя{i}",
            "phones": [f"+7916{i:07d}"],
            "emails": [f"c{i}@example.com"],
            "channel_of_origin": "phone",
            "tier": "standard",
            "tags": ["bench"],
        }
        for i, cid in enumerate(ids)
    ]
    upgrade_to_head(db)
    with db.writing() as session:
        for start in range(0, len(rows), 5000):
            load_batches(session.connection(), [("customer", rows[start : start + 5000])], now)
        create_user(session, username="bench", role=Role.OPERATOR, password=PASSWORD, now=now)
    db.dispose()
    return ids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def measure(
    name: str,
    clients: int,
    seconds: float,
    call: Callable[[httpx.AsyncClient], Awaitable[None]],
    make_client: Callable[[], httpx.AsyncClient],
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        async with make_client() as client:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    await call(client)
                except (httpx.HTTPError, AssertionError):
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    result = {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else float("nan"),
        "errors": errors,
    }
    print(
        f"{name:<28} {clients:>4} clients  {result['rps']:8.1f} req/s  "
        f"p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  errors {errors}"
    )
    return result


async def run(base_url: str, ids: list[uuid.UUID], head: int, args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=base_url) as anonymous:
        login = await anonymous.post(
            "/api/v1/auth/login", json={"username": "bench", "password": PASSWORD}
        )
        token = login.json()["access_token"]

    def make_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=base_url + "/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    async def version(client: httpx.AsyncClient) -> None:
        assert (await client.get("/version")).status_code == 200

    async def changes(client: httpx.AsyncClient) -> None:
        since = random.randrange(0, max(1, head - 500))
        response = await client.get("/changes", params={"since": since, "limit": 500})
        # Checked without decoding: the client's JSON parsing is not the server's cost.
        assert response.status_code == 200 and response.content.count(b'"seq":') == 500

    def notes(count: int) -> Callable[[httpx.AsyncClient], Awaitable[None]]:
        async def call(client: httpx.AsyncClient) -> None:
            batch = [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "note",
                    "id": str(uuid.uuid4()),
                    "op": "create",
                    "data": {"customer_id": str(random.choice(ids)), "body": "bench note"},
                }
                for _ in range(count)
            ]
            response = await client.post("/mutations", json={"mutations": batch})
            assert response.status_code == 200
            assert all(r["status"] == "applied" for r in response.json()["results"])

        return call

    for clients in args.clients:
        await measure("GET /version (baseline)", clients, args.seconds, version, make_client)
        await measure("GET /changes limit=500", clients, args.seconds, changes, make_client)
        await measure("POST /mutations 1 note", clients, args.seconds, notes(1), make_client)
        await measure("POST /mutations 20 notes", clients, args.seconds, notes(20), make_client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an EMPTY database (default: a temp SQLite file)")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        ids = prepare(url, args.customers)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "OPERATOR_APP_DATABASE_URL"}
        server = subprocess.Popen(
            [
                str(SCRIPT),
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--database-url",
                url,
            ],
            env=env,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base_url + "/api/v1/version").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"database {url.split('?')[0]}, {args.customers:,} customers in the feed")
            asyncio.run(run(base_url, ids, args.customers, args))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
