"""Benchmarks against a real reference server process on loopback (not tests).

- change_propagation: client A adds a note → client B's cache has it (both real
  ``SyncEngine`` instances with their own caches and their event streams running).
  Baseline: a bare HTTP round trip (``GET /api/v1/version``), interleaved in the same run.
- server_concurrency: many desktop apps at once, modelled on the real sync engine at a
  stated, generous pace (:data:`CLIENT_MODEL`). Baseline: ``GET /version`` at the same
  concurrency and pace. The target is about this one.
- server_saturation: the same number of clients flat out (no pause) with the old heavy
  mix — feed pages at random deep offsets, searches, notes — for capacity: the answer
  is ``requests_per_s`` at saturation, beside ``GET /version`` flat out.

The clients run in their own processes (``load_worker``), never in the server's or in
this one; ``server_cpu_s`` is the server's own CPU time for the measured part.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from operator_app.api import ApiClient, Session
from operator_app.api.tokens import TokenStore
from operator_app.cache.db import open_cache
from operator_app.sync import SyncEngine
from operator_app.sync.events import DataChanged
from tests.benchmarks.build import ROOT
from tests.benchmarks.measures import Result, percentile
from tests.e2e.server_process import ServerProcess

DEMO_PASSWORD = "demo"  # the demo accounts operator / supervisor / admin


@dataclass(frozen=True)
class ServerBenchConfig:
    customers: int = 300
    propagation_samples: int = 40
    clients: int = 200
    requests_per_client: int = 10  # server_saturation
    time_limit_s: float = 120.0
    think_ms: float = 1000.0  # server_concurrency: one client's tick (jittered ±50%)
    duration_s: float = 20.0  # server_concurrency: how long the clients run
    search_every_s: float = 5.0  # server_concurrency: one search per this, on average
    note_every_s: float = 30.0  # server_concurrency: one note per this, on average
    poll_interval_s: float = 30.0  # as the real engine: pull at least this often
    page: int = 1000  # as the real engine's page size
    load_processes: int = 2  # load-generator processes the clients are spread over

    @classmethod
    def from_env(cls) -> ServerBenchConfig:
        env = os.environ
        return cls(
            customers=int(env.get("BENCH_SERVER_CUSTOMERS", cls.customers)),
            propagation_samples=max(
                30, int(env.get("BENCH_PROPAGATION_SAMPLES", cls.propagation_samples))
            ),
            clients=int(env.get("BENCH_SERVER_CLIENTS", cls.clients)),
            requests_per_client=int(env.get("BENCH_SERVER_REQUESTS", cls.requests_per_client)),
            time_limit_s=float(env.get("BENCH_SERVER_TIME_LIMIT_S", cls.time_limit_s)),
            think_ms=max(1.0, float(env.get("BENCH_SERVER_THINK_MS", cls.think_ms))),
            duration_s=float(env.get("BENCH_SERVER_DURATION_S", cls.duration_s)),
            load_processes=int(env.get("BENCH_SERVER_LOAD_PROCESSES", cls.load_processes)),
        )


def _memory_tokens(url: str, user: str) -> TokenStore:
    # A benchmark must neither read nor leave tokens in the user's keyring.
    store = TokenStore(url, user)
    store.persistent = False
    return store


def demo_server(folder: Path, customers: int) -> ServerProcess:
    return ServerProcess(folder / "server").init(demo_customers=customers).start()


# --- change propagation ----------------------------------------------------------------------


class _Client:
    """One signed-in app: API client, own cache, sync engine with its event stream."""

    def __init__(self, url: str, user: str, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.api = ApiClient(url, retries=3)
        self.session = Session(self.api, user, tokens=_memory_tokens(url, user))
        self.engine = open_cache(folder / "cache.sqlite3")
        self.sync = SyncEngine(self.engine, self.session, page_size=2000)
        self.notes_changed = asyncio.Event()
        self.sync.bus.subscribe(self._on_event)

    def _on_event(self, event: object) -> None:
        if isinstance(event, DataChanged) and "note" in event.entities:
            self.notes_changed.set()

    async def __aenter__(self) -> _Client:
        await self.api.__aenter__()
        await self.session.sign_in(DEMO_PASSWORD)
        await self.sync.sync_until_idle()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.sync.aclose()
        await self.api.__aexit__(None, None, None)
        self.engine.dispose()

    def customer_ids(self) -> set[bytes]:
        with self.engine.connect() as conn:
            return {bytes(r[0]) for r in conn.exec_driver_sql("SELECT id FROM customers")}

    def has_note(self, note_id: uuid.UUID) -> bool:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT 1 FROM notes WHERE id = ?", (note_id.bytes,)
            ).fetchone()
        return row is not None

    async def wait_for_note(self, note_id: uuid.UUID, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while True:
            self.notes_changed.clear()
            if await self.sync.db.run(lambda _engine: self.has_note(note_id), self.engine):
                return
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"note {note_id} did not reach the second client")
            try:
                await asyncio.wait_for(self.notes_changed.wait(), remaining)
            except TimeoutError:
                continue


async def _propagation(url: str, folder: Path, samples: int) -> tuple[list[float], list[float]]:
    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(_Client(url, "operator", folder / "a"))
        b = await stack.enter_async_context(_Client(url, "supervisor", folder / "b"))
        bare = await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=10))
        shared = sorted(a.customer_ids() & b.customer_ids())
        if not shared:
            raise RuntimeError("the two demo accounts share no customer")
        a.sync.start()
        b.sync.start()
        await asyncio.sleep(1.0)  # let both event streams connect before the first sample
        rng = random.Random(7)
        ours, theirs = [], []
        for i in range(samples + 3):  # the first three warm up
            customer = uuid.UUID(bytes=rng.choice(shared))
            started = time.perf_counter()
            note = await a.sync.add_note(customer, f"propagation {i}")
            await b.wait_for_note(note.id, timeout=30)
            took = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            response = await bare.get("/api/v1/version")
            response.raise_for_status()
            base = (time.perf_counter() - started) * 1000
            if i >= 3:
                ours.append(took)
                theirs.append(base)
            await asyncio.sleep(0.05)  # let A's own pull of the echo settle
    return ours, theirs


def bench_change_propagation(config: ServerBenchConfig) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = demo_server(folder, config.customers)
        try:
            ours, theirs = asyncio.run(_propagation(server.url, folder, config.propagation_samples))
        finally:
            server.stop()
    return Result(
        "change_propagation",
        f"demo server, {config.customers:,} customers; operator → supervisor",
        len(ours),
        percentile(ours, 50),
        percentile(ours, 95),
        percentile(theirs, 95),
        "bare HTTP round trip GET /api/v1/version on the same server",
        target_p95_ms=1000,
        extra={
            "path": "A: SyncEngine.add_note → push; server event; B: SSE hint → pull → cache row",
            "max_ms": round(max(ours), 3),
        },
    )


# --- many clients at once --------------------------------------------------------------------

CLIENT_MODEL = """\
Each simulated client is one desktop app (operator_app/sync/engine.py) signed in as the
demo operator: it holds one event stream (GET /events) open the whole time, and every
tick (think_ms, jittered ±50%) it
- pulls GET /changes?since=<its own cursor>&limit=<page> when a `change` hint came since
  its last pull (or poll_interval_s passed), advancing the cursor from `next` and
  repeating while `has_more` — a client near the head of the feed, as a running app is;
- searches GET /customers?q=<name prefix> with probability tick/search_every_s;
- posts one note (POST /mutations) with probability tick/note_every_s.
With the defaults (tick 1 s, a search every 5 s, a note every 30 s) that is about one
request a second per client: several times busier than a real operator, who searches
every minute or so and writes a few notes an hour. Every note hints all the streams,
so nearly every tick pulls (small pages: the few changes since the last pull)."""


@dataclass
class _Load:
    latencies_ms: list[float]
    by_kind: dict[str, list[float]]
    errors: int
    seconds: float
    error_kinds: dict[str, int]
    cpu_s: float  # the load generators' own CPU time
    stream_events: int


async def _prepare(url: str) -> dict[str, Any]:
    """Sign in once and read the whole feed: its head and the customers in it."""
    async with httpx.AsyncClient(base_url=url + "/api/v1", timeout=30) as http:
        login = await http.post(
            "/auth/login", json={"username": "operator", "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        token = login.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        customers: list[dict[str, Any]] = []
        since = 0
        while True:
            response = await http.get(
                "/changes", params={"since": since, "limit": 100_000}, headers=headers
            )
            response.raise_for_status()
            page = response.json()
            customers += [c for c in page["changes"] if c["entity"] == "customer"]
            since = page["next"]
            if not page["has_more"]:
                break
    ids = [c["id"] for c in customers]
    names = [c["data"]["last_name"][:4] for c in customers if c["data"].get("last_name")]
    if not ids or not names:
        raise RuntimeError("the demo feed holds no customers")
    return {"url": url, "token": token, "head": int(since), "ids": ids, "names": names}


def _drive(
    shared: dict[str, Any], config: ServerBenchConfig, mix: str, folder: Path, **pace: Any
) -> _Load:
    """The clients spread over ``config.load_processes`` load-generator processes;
    ``pace`` goes into each worker's spec (think_ms, requests_per_client, …)."""
    processes = max(1, min(config.load_processes, config.clients))
    start_at = time.time() + 3.0  # every worker imports and connects before this instant
    workers: list[subprocess.Popen[bytes]] = []
    for k in range(processes):
        spec = {
            **shared,
            **pace,
            "mix": mix,
            "client_numbers": list(range(k, config.clients, processes)),
            "time_limit_s": config.time_limit_s,
            "start_at": start_at,
        }
        path = folder / f"load-{mix}-{k}.json"
        path.write_text(json.dumps(spec))
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.benchmarks.load_worker", str(path)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
            )
        )
    reports = []
    for worker in workers:
        out, _ = worker.communicate(timeout=config.time_limit_s + 60)
        if worker.returncode != 0:
            raise RuntimeError(f"a load generator failed with exit code {worker.returncode}")
        reports.append(json.loads(out))
    by_kind: dict[str, list[float]] = {}
    error_kinds: dict[str, int] = {}
    for report in reports:
        for kind, values in report["latencies_ms"].items():
            by_kind.setdefault(kind, []).extend(values)
        for label, count in report["errors"].items():
            error_kinds[label] = error_kinds.get(label, 0) + count
    latencies = [v for values in by_kind.values() for v in values]
    seconds = max(r["finished_at"] for r in reports) - start_at
    return _Load(
        latencies,
        by_kind,
        sum(error_kinds.values()),
        seconds,
        error_kinds,
        sum(r["cpu_s"] for r in reports),
        sum(r["stream_events"] for r in reports),
    )


def _process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measured(
    config: ServerBenchConfig, baseline_pace: dict[str, Any], mix: str, pace: dict[str, Any]
) -> tuple[_Load, _Load, float]:
    """Baseline load, then the load under test, on one fresh demo server; and the
    server's CPU seconds for the load under test."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = demo_server(folder, config.customers)
        try:
            assert server.process is not None
            shared = asyncio.run(_prepare(server.url))
            baseline = _drive(shared, config, "version", folder, **baseline_pace)
            cpu_before = _process_cpu_s(server.process.pid)
            load = _drive(shared, config, mix, folder, **pace)
            server_cpu_s = _process_cpu_s(server.process.pid) - cpu_before
        finally:
            server.stop()
    return baseline, load, server_cpu_s


def _figures(load: _Load, baseline: _Load, server_cpu_s: float) -> dict[str, Any]:
    done = len(load.latencies_ms)
    return {
        "errors": load.errors,
        "error_kinds": load.error_kinds,
        "baseline_errors": baseline.errors,
        "requests_per_s": round(done / load.seconds, 1),
        "baseline_requests_per_s": round(len(baseline.latencies_ms) / baseline.seconds, 1),
        "requests_by_kind": {k: len(v) for k, v in load.by_kind.items()},
        "p50_ms_by_kind": {k: round(percentile(v, 50), 3) for k, v in load.by_kind.items()},
        "p95_ms_by_kind": {k: round(percentile(v, 95), 3) for k, v in load.by_kind.items()},
        "server_cpu_s": round(server_cpu_s, 2),
        "server_cpu_ms_per_request": round(server_cpu_s * 1000 / done, 3) if done else None,
        "load_generator_cpu_s": round(load.cpu_s, 2),
    }


def bench_server_concurrency(config: ServerBenchConfig) -> Result:
    """The target's case: ``config.clients`` desktop apps at the pace of :data:`CLIENT_MODEL`."""
    ticks = max(1, round(config.duration_s * 1000 / config.think_ms))
    tick_s = config.think_ms / 1000
    pace = {
        "think_ms": config.think_ms,
        "duration_s": config.duration_s,
        "search_p": min(1.0, tick_s / config.search_every_s),
        "note_p": min(1.0, tick_s / config.note_every_s),
        "poll_interval_s": config.poll_interval_s,
        "page": config.page,
    }
    baseline, load, server_cpu_s = _measured(
        config, {"think_ms": config.think_ms, "requests_per_client": ticks}, "client", pace
    )
    extra: dict[str, Any] = {
        "clients": config.clients,
        "load_processes": config.load_processes,
        "profile": "client",
        "tick_ms": config.think_ms,
        "duration_s": config.duration_s,
        "search_every_s": config.search_every_s,
        "note_every_s": config.note_every_s,
        "poll_interval_s": config.poll_interval_s,
        "page": config.page,
        **_figures(load, baseline, server_cpu_s),
        "stream_change_events": load.stream_events,
        "note": CLIENT_MODEL,
    }
    return Result(
        "server_concurrency",
        f"demo server, {config.customers:,} customers; {config.clients} desktop clients, "
        f"one request a second each (about); event streams open",
        len(load.latencies_ms),
        percentile(load.latencies_ms, 50),
        percentile(load.latencies_ms, 95),
        percentile(baseline.latencies_ms, 95),
        f"GET /api/v1/version by {config.clients} clients, one per tick of the same pace",
        target_p95_ms=100,
        extra=extra,
    )


def bench_server_saturation(config: ServerBenchConfig) -> Result:
    """Capacity: every client flat out with the heavy mix; ``requests_per_s`` is the figure."""
    pace = {"think_ms": 0.0, "requests_per_client": config.requests_per_client}
    baseline, load, server_cpu_s = _measured(config, pace, "saturation", pace)
    figures = _figures(load, baseline, server_cpu_s)
    extra: dict[str, Any] = {
        "clients": config.clients,
        "requests_per_client": config.requests_per_client,
        "load_processes": config.load_processes,
        "profile": "saturation",
        **figures,
        "capacity_ratio": round(figures["baseline_requests_per_s"] / figures["requests_per_s"], 2)
        if figures["requests_per_s"]
        else None,
        "mix": "40% GET /changes?since=<random over the whole feed>&limit=200, "
        "40% GET /customers?q=, 20% POST /mutations (1 note); no pause",
        "note": "flat out on purpose: latency here is queueing; the figure is requests_per_s "
        "(capacity), and capacity_ratio is GET /version's rate over it",
    }
    return Result(
        "server_saturation",
        f"demo server, {config.customers:,} customers; {config.clients} clients flat out",
        len(load.latencies_ms),
        percentile(load.latencies_ms, 50),
        percentile(load.latencies_ms, 95),
        percentile(baseline.latencies_ms, 95),
        f"the same count of GET /api/v1/version by {config.clients} clients flat out",
        extra=extra,
    )
