"""Initial sync of the demo data set into an empty cache: wall, CPU, peak RSS.

    python -m tests.benchmarks.sync_bench --customers 20000 [--page-size 2000]

The server database is seeded once per size under ``.bench-cache/`` and reused. It
signs in as the demo ``admin`` by default (the widest feed). The client runs in its
own process so its CPU time and peak RSS are its own. Beside it, a
baseline in the same run: the same pages fetched and parsed but not applied (what the
network and the server cost), so the ratio survives a noisy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"


def _usage() -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024
        if sys.platform != "darwin"
        else usage.ru_maxrss / 2**20,
    }


async def _client(
    server: str, data_dir: Path, page_size: int, apply: bool, user: str
) -> dict[str, Any]:
    from operator_app.api import ApiClient, Session

    started = time.perf_counter()
    before = _usage()
    async with ApiClient(server, retries=3) as api:
        session = Session(api, user)
        await session.sign_in("demo")
        if not apply:  # baseline: download and parse every page, write nothing
            since, changes = 0, 0
            while True:
                page = await api.changes(since, page_size)
                changes += len(page.changes)
                since = page.next
                if not page.has_more:
                    break
            return {"changes": changes, "wall_s": time.perf_counter() - started, **_delta(before)}
        from operator_app.cache.db import open_cache
        from operator_app.cache.sync_state import entity_counts
        from operator_app.sync import SyncEngine

        engine = open_cache(data_dir / "cache.sqlite3")
        sync = SyncEngine(engine, session, listen_events=False, page_size=page_size)
        try:
            report = await sync.sync_until_idle()
        finally:
            await sync.aclose()
        wall = time.perf_counter() - started
        counts = entity_counts(engine)
        engine.dispose()
        size = sum(p.stat().st_size for p in data_dir.iterdir() if p.is_file())
        return {
            "changes": report.pulled,
            "wall_s": wall,
            **_delta(before),
            "cache_mb": size / 2**20,
            "entities": counts,
        }


def _delta(before: dict[str, float]) -> dict[str, float]:
    after = _usage()
    return {"cpu_s": after["cpu_s"] - before["cpu_s"], "peak_rss_mb": after["peak_rss_mb"]}


def _server_db(customers: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"server-{customers}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("operator-app-server")),
                "init",
                "--demo",
                "--customers",
                str(customers),
                "--database-url",
                f"sqlite:///{partial}",
            ],
            check=True,
        )
        partial.rename(path)
        print(
            f"seeded {customers:,} customers in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    return path


def _run_child(mode: str, server: str, page_size: int, data_dir: Path, user: str) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.sync_bench",
            "--child",
            mode,
            "--server",
            server,
            "--page-size",
            str(page_size),
            "--data-dir",
            str(data_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--child", choices=["sync", "baseline"])
    parser.add_argument("--server")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--user", default="admin", help="demo account (password: demo)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    if args.child:
        result = asyncio.run(
            _client(args.server, args.data_dir, args.page_size, args.child == "sync", args.user)
        )
        print(json.dumps(result))
        return

    sys.path.insert(0, str(ROOT))
    from tests.e2e.server_process import ServerProcess

    db = _server_db(args.customers)
    with tempfile.TemporaryDirectory() as folder:
        server = ServerProcess(Path(folder) / "server")
        server.db_path = db
        server.database_url = f"sqlite:///{db}"
        server.start()
        try:
            data_dir = Path(folder) / "client"
            data_dir.mkdir()
            measured = _run_child("sync", server.url, args.page_size, data_dir, args.user)
            baseline = (
                {"wall_s": float("nan")}
                if args.skip_baseline
                else _run_child("baseline", server.url, args.page_size, Path(folder), args.user)
            )
        finally:
            server.stop()
    report = {
        "benchmark": "initial_sync",
        "customers": args.customers,
        "user": args.user,
        "page_size": args.page_size,
        "sync": measured,
        "baseline_fetch_only": baseline,
        "ratio_wall": measured["wall_s"] / baseline["wall_s"],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
