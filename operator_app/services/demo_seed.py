"""Build a demo cache file: the ``demo-data`` command and the GUI's first-run demo.

Rows come from :mod:`operator_app.demo` and go into the cache through its bulk loader,
which also builds the indexes and the search index.

The cache is built in a temporary file next to the target and renamed over it only
when complete, so an interrupted build (Ctrl+C, a crash, a full disk) never leaves a
half-filled file that looks like a finished cache.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from operator_app.cache.bulk import BulkLoadError, load_rows
from operator_app.cache.db import CacheError, open_cache, write_transaction
from operator_app.cache.schema import set_meta
from operator_app.demo import generate
from operator_app.services.datadir import cache_path, demo_data_dir, prepare_data_dir

Progress = Callable[[str, int, int | None], None]
Batches = Iterator[tuple[str, list[dict[str, Any]]]]

SIDE_FILES = ("-wal", "-shm", "-journal")
DEMO_CUSTOMERS = 20_000  # the size of the demo the window opens on first run
META_DEMO_SEED = "demo_seed"
META_DEMO_CUSTOMERS = "demo_customers"
META_DEMO_AS_OF = "demo_as_of"


class DemoSeedError(Exception):
    """The demo cache could not be built; ``str(error)`` is a sentence for the user."""


@dataclass(frozen=True)
class SeedReport:
    path: Path
    customers: int
    seed: int
    as_of: datetime
    rows: dict[str, int] = field(default_factory=dict)
    generate_seconds: float = 0.0  # producing the rows
    load_seconds: float = 0.0  # writing them, building indexes and search
    size_bytes: int = 0

    @property
    def total_seconds(self) -> float:
        return self.generate_seconds + self.load_seconds


# -- building --------------------------------------------------------------------------


def _timed(batches: Batches, clock: list[float]) -> Batches:
    """Pass batches through, adding the time spent producing them to ``clock[0]``."""
    while True:
        started = time.perf_counter()
        try:
            batch = next(batches)
        except StopIteration:
            clock[0] += time.perf_counter() - started
            return
        clock[0] += time.perf_counter() - started
        yield batch


def _counted(batches: Batches, customers: int, progress: Progress | None) -> Batches:
    done = 0
    for entity, rows in batches:
        yield entity, rows
        if entity == "customer":
            done += len(rows)
            if progress:
                progress("customers", done, customers)


def _after_generation(progress: Progress | None) -> Progress | None:
    """The loader's own stages, minus its per-batch "load <entity>" reports: while rows
    are coming in, the customer count already says how far the build is."""
    if progress is None:
        return None

    def report(stage: str, done: int, total: int | None) -> None:
        if not stage.startswith("load "):
            progress(stage, done, total)

    return report


def _remove_with_side_files(path: Path) -> None:
    for name in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # Millions of fresh rows and no reference cycles among them: the cyclic collector
    # would rescan them again and again for nothing (a fifth of the build time).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def seed_demo_cache(
    path: Path,
    customers: int,
    *,
    seed: int = 42,
    messages_per_customer: int = 10,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Write a demo cache with ``customers`` customers to ``path``, replacing any file there.

    ``now`` is the moment the demo is "as of" (default: the current minute), so open
    conversations wait and follow-ups fall due relative to the time it is opened.
    ``progress(stage, done, total)`` hears ``"customers"`` while rows are produced and
    the loader's stages after that.
    """
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    target = Path(path)
    as_of = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    _remove_with_side_files(partial)
    clock = [0.0]
    started = time.perf_counter()
    try:
        with _collector_paused():
            engine = open_cache(partial)
            try:
                rows = generate(
                    customers, seed=seed, now=as_of, messages_per_customer=messages_per_customer
                )
                batches = _timed(_counted(rows, customers, progress), clock)
                counts = load_rows(engine, batches, _after_generation(progress))
                with write_transaction(engine) as conn:
                    set_meta(conn, META_DEMO_SEED, str(seed))
                    set_meta(conn, META_DEMO_CUSTOMERS, str(customers))
                    set_meta(conn, META_DEMO_AS_OF, as_of.isoformat())
            finally:
                engine.dispose()
        # A stale WAL of an earlier file at ``target`` must not be replayed into this one.
        for suffix in SIDE_FILES:
            with contextlib.suppress(FileNotFoundError):
                target.with_name(target.name + suffix).unlink()
        os.replace(partial, target)
    except BaseException:
        _remove_with_side_files(partial)
        raise
    total = time.perf_counter() - started
    return SeedReport(
        path=target,
        customers=customers,
        seed=seed,
        as_of=as_of,
        rows=counts,
        generate_seconds=clock[0],
        load_seconds=max(total - clock[0], 0.0),
        size_bytes=target.stat().st_size,
    )


def ensure_demo_cache(
    base: Path | None = None,
    *,
    customers: int = DEMO_CUSTOMERS,
    progress: Progress | None = None,
) -> Path:
    """The demo's cache file inside ``base`` (default: the per-user data folder), seeded
    first if it is not there yet. Raises ``DataDirError`` when the folder is unusable."""
    path = cache_path(prepare_data_dir(demo_data_dir(base)))
    if not path.exists():
        seed_demo_cache(path, customers, progress=progress)
    return path


# -- the command -----------------------------------------------------------------------


class _ProgressLine:
    """One status line on stderr, rewritten in place on a terminal. Elsewhere (a log, a
    pipe) a line per stage and per tenth of a long stage, so logs stay readable."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.started = time.perf_counter()
        self.stage = ""
        self.last_draw = 0.0
        self.width = 0
        self.tenth = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        elapsed = now - self.started
        if total:
            text = f"{stage}: {done:,}/{total:,} ({100 * done // total}%)  {elapsed:.1f} s"
        else:
            text = f"{stage}: {done:,}  {elapsed:.1f} s"
        new_stage = stage != self.stage
        self.stage = stage
        if self.live:
            if new_stage or done == total or now - self.last_draw >= 0.1:
                self.stream.write("\r" + text.ljust(self.width))
                self.stream.flush()
                self.width = len(text)
                self.last_draw = now
            return
        tenth = 10 * done // total if total else 0
        if new_stage or (tenth > self.tenth and now - self.last_draw >= 5):
            self.stream.write(text + "\n")
            self.stream.flush()
            self.tenth = tenth
            self.last_draw = now

    def close(self) -> None:
        if self.live and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _check_target(path: Path, force: bool) -> Path:
    target = Path(os.path.abspath(path.expanduser()))
    parent = target.parent
    if target.is_dir():
        raise DemoSeedError(f"{target} is a folder; give the path of the cache file to create.")
    if target.exists() and not force:
        raise DemoSeedError(f"{target} already exists; add --force to replace it.")
    if not parent.is_dir():
        raise DemoSeedError(f"The folder {parent} does not exist; create it first.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DemoSeedError(f"The folder {parent} is not writable.")
    probe = parent / f".{target.name}.{os.getpid()}.probe"
    try:
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DemoSeedError(f"Cannot write to the folder {parent}: {reason}.") from exc
    return target


def _summary(report: SeedReport) -> str:
    width = max(len(entity) for entity in report.rows) if report.rows else 0
    lines = [
        f"Demo cache written to {report.path}",
        f"  seed {report.seed}, as of {report.as_of:%Y-%m-%d %H:%M} UTC, "
        f"{report.size_bytes / 2**20:,.1f} MiB",
    ]
    for entity, count in sorted(report.rows.items(), key=lambda item: -item[1]):
        lines.append(f"  {entity.ljust(width)}  {count:>12,}")
    lines.append(
        f"  generated in {report.generate_seconds:.1f} s, loaded in {report.load_seconds:.1f} s, "
        f"total {report.total_seconds:.1f} s"
    )
    return "\n".join(lines)


def run_demo_data_command(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """``operator-app demo-data``: 0 on success, 1 with a message on stderr otherwise."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    customers = args.customers
    if not isinstance(customers, int) or customers <= 0:
        err.write(
            f"operator-app demo-data: error: --customers must be above zero, got {customers}\n"
        )
        return 2
    try:
        target = _check_target(Path(args.out), bool(args.force))
    except DemoSeedError as exc:
        err.write(f"operator-app demo-data: error: {exc}\n")
        return 1
    line = _ProgressLine(err)
    try:
        report = seed_demo_cache(
            target,
            customers,
            seed=args.seed,
            messages_per_customer=args.messages_per_customer,
            now=getattr(args, "now", None),
            progress=line,
        )
    except KeyboardInterrupt:
        line.close()
        err.write("operator-app demo-data: interrupted; nothing was written.\n")
        return 130
    except (CacheError, BulkLoadError) as exc:
        line.close()
        err.write(f"operator-app demo-data: error: {exc}\n")
        return 1
    except OSError as exc:
        line.close()
        reason = exc.strerror or str(exc)
        err.write(f"operator-app demo-data: error: cannot write {target}: {reason}\n")
        return 1
    line.close()
    out.write(_summary(report) + "\n")
    return 0
