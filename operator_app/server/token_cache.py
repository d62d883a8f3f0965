"""A short-lived, in-process memory of bearer tokens already checked against the database.

Every API request carries a token; looking it up means a database session, a join of
tokens and users, and ORM objects — more work than most requests themselves. Here a
token that resolved to a principal is remembered for a few seconds, keyed by its
SHA-256 (never the secret itself), so a busy client costs one lookup per ``ttl``.

Safety:

- expiry is still checked on every request against the server clock;
- only accepted tokens are remembered; a rejected token is looked up each time;
- :meth:`TokenCache.forget` (logout, after its commit) drops a token at once, and a
  lookup that began before the forget cannot put the old answer back (``generation``);
- any committed UPDATE or DELETE of ``users`` or ``tokens`` through this process's
  database (a disabled account, a changed role, a revoked token) forgets every entry
  (:func:`forget_on_account_writes`);
- changes made by another process (another worker, the command line) are seen after at
  most ``ttl`` seconds.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event

from operator_app.server.security import Principal

DEFAULT_TTL_S = 10.0
DEFAULT_MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class CachedToken:
    principal: Principal
    expires_at: datetime | None  # the token's own expiry (server time)
    checked_at: float  # monotonic seconds: when the database said yes


class TokenCache:
    def __init__(
        self,
        ttl_s: float = DEFAULT_TTL_S,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._entries: OrderedDict[str, CachedToken] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0  # bumped by every forget

    def get(self, digest: str) -> CachedToken | None:
        """The remembered answer for a token hash, if it is still fresh."""
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            if self._monotonic() - entry.checked_at >= self.ttl_s:
                del self._entries[digest]
                return None
            self._entries.move_to_end(digest)
            return entry

    def put(
        self,
        digest: str,
        principal: Principal,
        expires_at: datetime | None,
        *,
        generation: int,
    ) -> None:
        """Remember an accepted token; ``generation`` is :attr:`generation` read before
        the database lookup began (a forget since then wins over this answer)."""
        with self._lock:
            if generation != self.generation:
                return
            self._entries[digest] = CachedToken(principal, expires_at, self._monotonic())
            self._entries.move_to_end(digest)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, token_id: uuid.UUID | None = None) -> None:
        """Drop one token (by its id), or every token when ``token_id`` is None."""
        with self._lock:
            self.generation += 1
            if token_id is None:
                self._entries.clear()
                return
            stale = [d for d, e in self._entries.items() if e.principal.token_id == token_id]
            for digest in stale:
                del self._entries[digest]


_ACCOUNT_WRITE = re.compile(r'^\s*(UPDATE|DELETE\s+FROM)\s+"?(users|tokens)\b', re.IGNORECASE)
_TOUCHED = "operator_app.accounts_touched"
_COMMITTED = "operator_app.accounts_committed"


def forget_on_account_writes(engine: Engine, cache: TokenCache) -> None:
    """Forget every remembered token once a transaction on ``engine`` that changed
    ``users`` or ``tokens`` rows has committed (whatever code path made the change).

    The forget happens when the connection goes back to the pool, i.e. after the
    database commit: a lookup racing with the commit either began before the forget (its
    answer is dropped by the generation check) or reads the committed rows.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _ACCOUNT_WRITE.match(statement):
            conn.info[_TOUCHED] = True

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        if conn.info.pop(_TOUCHED, False):
            conn.info[_COMMITTED] = True

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        conn.info.pop(_TOUCHED, None)

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_COMMITTED, False):
            cache.forget()
