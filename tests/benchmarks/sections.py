"""The standalone benchmark scripts as ``make bench`` sections, in the common result shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.benchmarks.build import ROOT
from tests.benchmarks.measures import Result


def bench_initial_sync() -> Result:
    """Initial sync in its own process (so CPU and peak RSS are the client's own)."""
    customers = int(os.environ.get("BENCH_SYNC_CUSTOMERS", "100000"))
    page_size = os.environ.get("BENCH_SYNC_PAGE_SIZE", "2000")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.sync_bench",
            "--customers",
            str(customers),
            "--page-size",
            page_size,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(completed.stdout)
    sync, fetched = report["sync"], report["baseline_fetch_only"]
    wall_ms = sync["wall_s"] * 1000
    entities = sync.get("entities", {})
    return Result(
        "initial_sync",
        f"demo server, {customers:,} customers, {entities.get('message', 0):,} messages; "
        f"user {report['user']}, pages of {report['page_size']}",
        1,
        wall_ms,
        wall_ms,
        fetched["wall_s"] * 1000,
        "the same change pages fetched and parsed, not applied",
        extra={
            "path": "SyncEngine.sync_until_idle into an empty cache, own process",
            "wall_s": round(sync["wall_s"], 2),
            "cpu_s": round(sync["cpu_s"], 2),
            "peak_rss_mb": round(sync["peak_rss_mb"], 1),
            "changes": sync["changes"],
            "cache_mb": round(sync.get("cache_mb", 0.0), 1),
            "entities": entities,
            "baseline_cpu_s": round(fetched.get("cpu_s", 0.0), 2),
            "baseline_peak_rss_mb": round(fetched.get("peak_rss_mb", 0.0), 1),
        },
    )


def bench_upsell_rank() -> Result:
    from tests.benchmarks.bench_upsell import bench_upsell

    cards = int(os.environ.get("BENCH_UPSELL_CARDS", "3000"))
    report = bench_upsell(cards, int(os.environ.get("BENCH_SEED", "20250615")))
    rank, baseline = report["rank"], report["baseline_one_pass"]
    return Result(
        "upsell_rank",
        f"{cards:,} cards, {report['catalogue_products']} products, {report['rules']} rules",
        cards,
        rank["p50_ms"],
        rank["p95_ms"],
        baseline["p95_ms"],
        "one plain pass over the same card's rows",
        target_p95_ms=report["target_p95_ms"],
        extra={
            "path": "domain.upsell.suggest_offers per card",
            "cpu": report["rank_cpu"],
            "mean_suggestions": report["mean_suggestions"],
        },
    )


def bench_client_rss() -> Result:
    """An hour of use compressed into a scripted session on the real window, in its own
    process, on a BENCH_RSS_CUSTOMERS (default 100000) cache built like the others."""
    from tests.benchmarks.build import BenchConfig, ensure_bench_cache

    customers = int(os.environ.get("BENCH_RSS_CUSTOMERS", "100000"))
    actions = int(os.environ.get("BENCH_RSS_ACTIONS", "3600"))
    config = BenchConfig(customers=customers)
    ensure_bench_cache(config)
    completed = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.rss_bench", str(config.cache),
         "--actions", str(actions), "--every", str(max(1, actions // 36))],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(completed.stdout)
    # The table's "ms" columns carry megabytes here: p50 = after warm-up, p95 = the most.
    return Result(
        "client_rss",
        f"{customers:,}-customer cache, {actions:,} scripted actions (an hour at one a "
        "second): pops, typed searches, deep timeline scrolls, opened results",
        len(report["samples"]),
        report["warm_mb"],
        report["max_mb"],
        report["baseline_mb"],
        "an empty shown QMainWindow in the same process (MB)",
        target_p95_ms=200,
        extra={
            "unit": "MB resident (not ms)",
            "path": "MainWindow on the bench cache, offscreen, own process",
            **{k: v for k, v in report.items() if k != "samples"},
            "samples_mb": report["samples"],
            "target": "≤ 200 MB and no growth (second-half slope ≈ 0)",
        },
    )
