"""Failed sign-in counting per (username, client address), in memory.

After ``allowed`` failures inside ``window`` the pair is refused until the oldest
failure leaves the window; a success clears the count. Memory is bounded: the least
recently touched keys are forgotten first. One server process keeps one count (run
several workers behind a proxy and each counts on its own).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime, timedelta

MAX_TRACKED_KEYS = 50_000


class LoginRateLimiter:
    def __init__(self, *, allowed: int, window: timedelta, clock: Callable[[], datetime]) -> None:
        self._allowed = allowed
        self._window = window
        self._clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def retry_after(self, key: tuple[str, str]) -> int | None:
        """Seconds until this pair may try again, or None when it may try now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(key, now)
            if len(failures) < self._allowed:
                return None
            wait = (failures[0] + self._window - now).total_seconds()
            return max(1, math.ceil(wait))

    def record_failure(self, key: tuple[str, str]) -> None:
        with self._lock:
            now = self._clock()
            failures = self._recent(key, now)
            failures.append(now)
            self._failures[key] = failures
            self._failures.move_to_end(key)
            while len(self._failures) > MAX_TRACKED_KEYS:
                self._failures.popitem(last=False)

    def reset(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)
