"""The customer-value refit on a big order history: wall, CPU, peak RSS, customers/s.

    python -m tests.benchmarks.refit_bench --customers 1000000

On a copy of the seeded database (:mod:`refit_seed`, cached under ``.bench-cache/``)
the real ``operator-app-server analytics refit`` runs twice in a child process: the
first refit rewrites every customer (the seed leaves the value columns empty), the
second finds nothing new. CPU time and peak RSS are the child's own (``wait4``).
Baseline, same run and same file: a plain ``sqlite3`` scan that aggregates the same
orders per customer (``GROUP BY customer_id``) and fetches the result — reading the
history with no model, no scoring and no writing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.refit_seed import CACHE, ROOT, cached_db, seed_summary

if TYPE_CHECKING:  # the measures module loads Qt; the baseline child must stay small
    from tests.benchmarks.measures import Result

SERVER = Path(sys.executable).with_name("operator-app-server")
BASELINE_SQL = (
    "SELECT customer_id, count(*), min(ordered_at), max(ordered_at), sum(amount) "
    "FROM orders WHERE status IN ('paid', 'refunded') GROUP BY customer_id"
)


def run_child(command: list[str]) -> dict[str, Any]:
    """Run ``command`` under :mod:`child_usage`: wall, own CPU time, peak RSS, stdout."""
    launched = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.child_usage", *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(launched.stdout)
    if report.pop("returncode") != 0:
        raise RuntimeError(f"{command[0]} failed: {report['output']}")
    return report


def refit(path: Path) -> dict[str, Any]:
    measured = run_child([str(SERVER), "analytics", "refit", "--database-url", f"sqlite:///{path}"])
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT customers, changed, details FROM analytics_runs "
            "ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    customers, changed, details = row[0], row[1], json.loads(row[2])
    return {
        **measured,
        "customers": customers,
        "changed": changed,
        "customers_per_s": round(customers / measured["wall_s"]),
        "phases_s": details.get("seconds", {}),
    }


def baseline_scan(path: Path) -> dict[str, int]:
    """The child side of the baseline: aggregate and fetch every customer's orders."""
    with sqlite3.connect(path) as connection:
        customers = orders = 0
        for _, count, _, _, _ in connection.execute(BASELINE_SQL):
            customers += 1
            orders += count
    return {"customers": customers, "orders": orders}


def measure(customers: int, seed: int) -> dict[str, Any]:
    source, seeded = cached_db(customers, seed=seed)
    work = CACHE / f"refit-work-{customers}.sqlite3"
    try:
        shutil.copyfile(source, work)
        baseline = run_child(
            [sys.executable, "-m", "tests.benchmarks.refit_bench", "--baseline", str(work)]
        )
        first = refit(work)
        again = refit(work)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
    counts = json.loads(baseline.pop("output"))
    return {
        "customers": customers,
        "seed": seed,
        "seeded": None if seeded is None else seed_summary(seeded),
        "first": first,
        "again": again,
        "baseline": {**baseline, **counts},
    }


def results(report: dict[str, Any]) -> list[Result]:
    from tests.benchmarks.measures import Result

    baseline = report["baseline"]
    base_ms = baseline["wall_s"] * 1000
    data = (
        f"{report['customers']:,} customers, {baseline['orders']:,} paid/refunded orders "
        "(synthetic BG/NBD + Gamma-Gamma history), SQLite"
    )
    described = "plain sqlite3 GROUP BY customer_id over the same orders, fetched"
    out = []
    for name, key, what in (
        ("refit", "first", "first refit (every customer rewritten)"),
        ("refit_again", "again", "second refit, nothing new"),
    ):
        run = report[key]
        wall_ms = run["wall_s"] * 1000
        extra = {k: v for k, v in run.items() if k != "output"}
        extra |= {
            "path": f"operator-app-server analytics refit, own process: {what}",
            "baseline_cpu_s": baseline["cpu_s"],
            "baseline_peak_rss_mb": baseline["peak_rss_mb"],
        }
        if key == "first" and report.get("seeded"):
            extra["seeded"] = report["seeded"]
        out.append(Result(name, data, 1, wall_ms, wall_ms, base_ms, described, extra=extra))
    return out


def bench_refit() -> list[Result]:
    customers = int(os.environ.get("BENCH_REFIT_CUSTOMERS", "1000000"))
    seed = int(os.environ.get("BENCH_SEED", "20250615"))
    report = measure(customers, seed)
    print(json.dumps(report, indent=2, ensure_ascii=False), file=sys.stderr)
    return results(report)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20250615)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        print(json.dumps(baseline_scan(args.baseline)))
        return
    print(json.dumps(measure(args.customers, args.seed), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
