"""Build a demo cache file: the ``demo-data`` command and the GUI's first-run demo.

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

from sqlalchemy import Table, create_engine, event, insert
from sqlalchemy.engine import Engine

from operator_app.cache.models import ENTITY_TABLES, Base, Meta
from operator_app.demo import generate

Progress = Callable[[str, int, int | None], None]
Batches = Iterator[tuple[str, list[dict[str, Any]]]]

SIDE_FILES = ("-wal", "-shm", "-journal")
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


# -- loading ---------------------------------------------------------------------------
# A plain loader over the cache schema; superseded by the cache package's bulk loader.


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA cache_size = -262144",
    ):
        cursor.execute(pragma)
    cursor.close()


def _open_new_cache(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    return engine


def _load(engine: Engine, batches: Batches, progress: Progress | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for entity, rows in batches:
            table = ENTITY_TABLES[entity]
            assert isinstance(table, Table)
            conn.execute(insert(table), rows)
            counts[entity] = counts.get(entity, 0) + len(rows)
    with engine.connect() as conn:
        if progress:
            progress("statistics", 0, 1)
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        if progress:
            progress("statistics", 1, 1)
    return counts


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
    target = Path(path)
    as_of = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    _remove_with_side_files(partial)
    clock = [0.0]
    started = time.perf_counter()
    try:
        with _collector_paused():
            engine = _open_new_cache(partial)
            try:
                rows = generate(
                    customers, seed=seed, now=as_of, messages_per_customer=messages_per_customer
                )
                counts = _load(engine, _timed(_counted(rows, customers, progress), clock), progress)
                with engine.begin() as conn:
                    conn.execute(
                        insert(Meta),
                        [
                            {"key": META_DEMO_SEED, "value": str(seed)},
                            {"key": META_DEMO_CUSTOMERS, "value": str(customers)},
                            {"key": META_DEMO_AS_OF, "value": as_of.isoformat()},
                        ],
                    )
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


# -- the command -----------------------------------------------------------------------


class _ProgressLine:
    """One status line on stderr: rewritten in place on a terminal, one line per stage
    otherwise (so logs stay readable)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.started = time.perf_counter()
        self.stage = ""
        self.last_draw = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        elapsed = now - self.started
        if total:
            text = f"{stage}: {done:,}/{total:,} ({100 * done // total}%)  {elapsed:.1f} s"
        else:
            text = f"{stage}: {done:,}  {elapsed:.1f} s"
        if self.live:
            if stage == self.stage and now - self.last_draw < 0.1 and done != total:
                return
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
            self.stream.flush()
        elif stage != self.stage:
            self.stream.write(f"{stage}…\n")
            self.stream.flush()
        self.stage = stage
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
    except OSError as exc:
        line.close()
        reason = exc.strerror or str(exc)
        err.write(f"operator-app demo-data: error: cannot write {target}: {reason}\n")
        return 1
    line.close()
    out.write(_summary(report) + "\n")
    return 0
