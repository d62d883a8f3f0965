"""``make bench``: performance figures beside same-run baselines → bench-results.json.

    python -m tests.benchmarks.run                   # everything, 1M customers / 10M messages
    BENCH_CUSTOMERS=100000 python -m tests.benchmarks.run      # a smaller, faster run
    python -m tests.benchmarks.run screen_pop search_keystroke  # some benchmarks only

Knobs (environment): BENCH_CUSTOMERS, BENCH_MESSAGES_PER_CUSTOMER, BENCH_WHALE_MESSAGES,
BENCH_SEED, BENCH_SAMPLES, BENCH_COLD_RUNS, BENCH_BULK_ROWS. The cache is built once per
setting into .bench-cache/ (git-ignored) and reused; delete that folder to rebuild.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from operator_app import __version__
from tests.benchmarks.build import ROOT, BenchConfig, ensure_bench_cache
from tests.benchmarks.gui_measures import bench_screen_pop_painted
from tests.benchmarks.measures import BENCHMARKS as CORE
from tests.benchmarks.measures import Result

BENCHMARKS = dict(CORE)
BENCHMARKS["screen_pop_painted"] = bench_screen_pop_painted

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
    return "\n".join([*lines, "", *notes])


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    config = BenchConfig.from_env()
    stats = ensure_bench_cache(config)
    results: list[Result] = []
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        started = time.perf_counter()
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
        "results": [r.to_json() for r in results],
    }
    RESULTS_FILE.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nwritten to {Path(RESULTS_FILE).name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
