"""``make bench``: performance figures beside same-run baselines → bench-results.json.

    python -m tests.benchmarks.run                   # everything, 1M customers / 10M messages
    BENCH_CUSTOMERS=100000 python -m tests.benchmarks.run      # a smaller, faster run
    python -m tests.benchmarks.run screen_pop search_keystroke  # some benchmarks only

Knobs (environment): BENCH_CUSTOMERS, BENCH_MESSAGES_PER_CUSTOMER, BENCH_WHALE_MESSAGES,
BENCH_SEED, BENCH_SAMPLES, BENCH_COLD_RUNS, BENCH_BULK_ROWS. The cache is built once per
setting into .bench-cache/ (git-ignored) and reused; delete that folder to rebuild.

Sections, all by default; BENCH_ONLY=sync,server runs some only:

- cache: the benchmarks above on the big local cache (needs the cache build);
- sync: initial sync of BENCH_SYNC_CUSTOMERS (default 100000) demo customers from a real
  server into an empty cache, wall / CPU / peak RSS (the server DB is seeded once and kept);
- server: change_propagation, server_concurrency (desktop clients at a stated pace, the
  target's case) and server_saturation (the same clients flat out: capacity in req/s)
  against a real server on loopback (BENCH_SERVER_CUSTOMERS, BENCH_PROPAGATION_SAMPLES,
  BENCH_SERVER_CLIENTS, BENCH_SERVER_TIME_LIMIT_S; BENCH_SERVER_THINK_MS is one
  client's tick in server_concurrency, default 1000, and BENCH_SERVER_DURATION_S how
  long it runs, default 20; BENCH_SERVER_REQUESTS is each client's request count in
  server_saturation, default 10; BENCH_SERVER_LOAD_PROCESSES spreads the clients over
  that many processes, default 2);
- upsell: offer ranking per card (BENCH_UPSELL_CARDS);
- rss: client memory over an hour of scripted use on the real window
  (BENCH_RSS_CUSTOMERS, default 100000, its own cache build; BENCH_RSS_ACTIONS, default
  3600); the row's ms columns hold MB: p50 after warm-up, p95 the most;
- refit: the customer-value refit (``analytics refit``) on BENCH_REFIT_CUSTOMERS (default
  1000000) customers' synthetic order history, first run and "nothing new" run, wall / CPU /
  peak RSS (the seeded server DB is built once into .bench-cache/, about 2 GB at 1M).

Results of benchmarks that did not run this time are kept from the previous file.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from operator_app import __version__
from tests.benchmarks.build import ROOT, BenchConfig, ensure_bench_cache
from tests.benchmarks.gui_measures import bench_screen_pop_painted
from tests.benchmarks.measures import BENCHMARKS as CORE
from tests.benchmarks.measures import Result
from tests.benchmarks.refit_bench import bench_refit
from tests.benchmarks.sections import bench_client_rss, bench_initial_sync, bench_upsell_rank
from tests.benchmarks.server_measures import (
    ServerBenchConfig,
    bench_change_propagation,
    bench_server_concurrency,
    bench_server_saturation,
)

BENCHMARKS = dict(CORE)
BENCHMARKS["screen_pop_painted"] = bench_screen_pop_painted
CACHE_BENCHMARKS = list(BENCHMARKS)

# Sections that need no big local cache: each runs on its own (some give several results).
STANDALONE: dict[str, Callable[[], Result | list[Result]]] = {
    "initial_sync": bench_initial_sync,
    "change_propagation": lambda: bench_change_propagation(ServerBenchConfig.from_env()),
    "server_concurrency": lambda: bench_server_concurrency(ServerBenchConfig.from_env()),
    "server_saturation": lambda: bench_server_saturation(ServerBenchConfig.from_env()),
    "upsell_rank": bench_upsell_rank,
    "client_rss": bench_client_rss,
    "refit": bench_refit,
}
SECTIONS: dict[str, list[str]] = {
    "cache": CACHE_BENCHMARKS,
    "sync": ["initial_sync"],
    "server": ["change_propagation", "server_concurrency", "server_saturation"],
    "upsell": ["upsell_rank"],
    "rss": ["client_rss"],
    "refit": ["refit"],
}
KNOWN = [*CACHE_BENCHMARKS, *STANDALONE]

RESULTS_FILE = ROOT / "bench-results.json"


def table(results: list[Result]) -> str:
    header = ("benchmark", "n", "p50 ms", "p95 ms", "target", "baseline p95", "ratio")
    rows = [
        (
            r.name,
            str(r.n),
            f"{r.p50_ms:.2f}",
            f"{r.p95_ms:.2f}",
            "—" if r.target_p95_ms is None else f"≤ {r.target_p95_ms:g}",
            f"{r.baseline_p95_ms:.2f}",
            f"{r.ratio:.1f}×",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.name}: {r.data}; baseline = {r.baseline}" for r in results]
    bulk = [r for r in results if r.name == "bulk_load"]
    if bulk:
        extra = bulk[0].extra
        notes.append(
            f"  bulk_load: {extra['rows_per_s']:,} rows/s vs {extra['baseline_rows_per_s']:,} "
            f"rows/s plain; whole build {extra['build_rows']:,} rows in {extra['build_s']} s "
            f"({extra['build_rows_per_s']:,} rows/s)"
        )
    for r in results:
        if r.name in ("refit", "refit_again"):
            e = r.extra
            notes.append(
                f"  {r.name}: {e['wall_s']} s wall, {e['cpu_s']} s CPU, peak RSS "
                f"{e['peak_rss_mb']} MB, {e['customers_per_s']:,} customers/s, "
                f"{e['changed']:,} rewritten; baseline {r.baseline_p95_ms / 1000:.2f} s wall, "
                f"{e['baseline_cpu_s']} s CPU, {e['baseline_peak_rss_mb']} MB"
            )
    return "\n".join([*lines, "", *notes])


def selected(argv: list[str]) -> list[str] | str:
    """The benchmarks to run, or an error message."""
    if argv:
        unknown = [n for n in argv if n not in KNOWN]
        if unknown:
            return f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(KNOWN)}"
        return argv
    only = [s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()]
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        return f"unknown BENCH_ONLY section(s): {', '.join(unknown)}; known: {', '.join(SECTIONS)}"
    return [name for section in (only or list(SECTIONS)) for name in SECTIONS[section]]


def merged(results: list[Result]) -> list[dict[str, object]]:
    """This run's results, after the previous file's results of benchmarks not run now."""
    fresh = {r.name for r in results}
    kept: list[dict[str, object]] = []
    if RESULTS_FILE.exists():
        try:
            previous = json.loads(RESULTS_FILE.read_text()).get("results", [])
        except (ValueError, AttributeError):
            previous = []
        kept = [r for r in previous if isinstance(r, dict) and r.get("name") not in fresh]
    return [*kept, *(r.to_json() for r in results)]


def main(argv: list[str] | None = None) -> int:
    names = selected(list(sys.argv[1:] if argv is None else argv))
    if isinstance(names, str):
        print(names, file=sys.stderr)
        return 2
    config = BenchConfig.from_env()
    needs_cache = any(n in CACHE_BENCHMARKS for n in names)
    stats = ensure_bench_cache(config) if needs_cache else None
    results: list[Result] = []
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        if name in STANDALONE:
            produced = STANDALONE[name]()
            results.extend(produced if isinstance(produced, list) else [produced])
        else:
            assert stats is not None
            results.append(BENCHMARKS[name](config, stats))
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    document = {
        "app_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "config": config.__dict__,
        "server_config": ServerBenchConfig.from_env().__dict__,
        "results": merged(results),
    }
    RESULTS_FILE.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nwritten to {Path(RESULTS_FILE).name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
