"""The token cache of one worker among several (``serve --workers N``).

Worker A disabling an account, changing a role or revoking a token must bind worker B
at once, not after B's cache entries age out. A's forget bumps a counter in the file
the workers share; B compares that counter on every lookup (a memory read) and drops
everything it remembers when it moved. A lookup B began before the change is not put
back either: following the counter bumps B's ``generation``.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from operator_app.server.security import Principal
from operator_app.server.shared_counter import ACCOUNTS, SharedCounters
from operator_app.server.token_cache import (
    DEFAULT_MAX_ENTRIES,
    DEFAULT_TTL_S,
    CachedToken,
    TokenCache,
)


class SharedTokenCache(TokenCache):
    def __init__(
        self,
        counters: SharedCounters,
        ttl_s: float = DEFAULT_TTL_S,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        super().__init__(ttl_s, max_entries)
        self._counters = counters
        self._seen = counters.value(ACCOUNTS)
        self._follow_lock = threading.Lock()

    def _follow(self) -> None:
        value = self._counters.value(ACCOUNTS)
        if value == self._seen:
            return
        with self._follow_lock:
            self._seen = value
        super().forget()

    def get(self, digest: str) -> CachedToken | None:
        self._follow()
        return super().get(digest)

    def put(
        self,
        digest: str,
        principal: Principal,
        expires_at: datetime | None,
        *,
        generation: int,
    ) -> None:
        self._follow()
        super().put(digest, principal, expires_at, generation=generation)

    def forget(self, token_id: uuid.UUID | None = None) -> None:
        """Here and in every other worker (they drop all their entries: simple and safe)."""
        with self._follow_lock:
            previous = self._seen
            self._seen = self._counters.bump(ACCOUNTS)
            missed = self._seen != previous + 1  # another worker changed accounts meanwhile
        super().forget(None if missed else token_id)
