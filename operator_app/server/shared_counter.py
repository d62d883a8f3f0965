"""Counters in a small memory-mapped file shared by the worker processes of one ``serve``.

A read costs a few hundred nanoseconds and no database trip, so a worker can check on
every request whether another worker changed something it caches (accounts and tokens),
or every few milliseconds whether another worker published an event. Increments take an
``flock`` so concurrent bumps are never lost; reads take no lock (a torn read can only
look like a change, which costs a needless refresh, never a missed one).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import struct
from pathlib import Path

SLOTS = 8
_SLOT = struct.Struct("<Q")
ACCOUNTS = 0  # users or tokens changed: every worker drops its token cache
EVENTS = 1  # an event was published: every worker reads the event table now

try:
    import fcntl

    SUPPORTED = True
except ImportError:  # pragma: no cover - Windows: workers fall back to the database alone
    SUPPORTED = False


def create_counter_file(path: Path) -> Path:
    path.write_bytes(b"\0" * (_SLOT.size * SLOTS))
    return path


class SharedCounters:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR)
        self._map = mmap.mmap(self._fd, _SLOT.size * SLOTS)

    def value(self, slot: int) -> int:
        return int(_SLOT.unpack_from(self._map, slot * _SLOT.size)[0])

    def bump(self, slot: int) -> int:
        """Add one and return the new value."""
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            value = self.value(slot) + 1
            _SLOT.pack_into(self._map, slot * _SLOT.size, value)
            return value
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with contextlib.suppress(BufferError, ValueError):
            self._map.close()
        with contextlib.suppress(OSError):
            os.close(self._fd)
