"""Failed sign-in counting per (username, client address), in the database.

After ``allowed`` failures inside ``window`` the pair is refused until enough of them
leave the window; a success clears the count. The count lives in ``login_failures`` so
every worker process of a server (``serve --workers N``) sees the same one. The table
stays small: each failure deletes the rows that left the window, and at most
``MAX_ROWS`` rows are kept whatever happens.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from operator_app.server.db import Database
from operator_app.server.models import LoginFailure

MAX_ROWS = 50_000


def _columns(key: tuple[str, str]) -> tuple[str, str]:
    username, client = key
    return username[:100], client[:100]  # the columns' width


class LoginRateLimiter:
    def __init__(
        self,
        db: Database,
        *,
        allowed: int,
        window: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._db = db
        self._allowed = allowed
        self._window = window
        self._clock = clock

    def _recent(self, key: tuple[str, str], now: datetime) -> list[datetime]:
        username, client = _columns(key)
        with self._db.reading() as session:
            return list(
                session.scalars(
                    select(LoginFailure.at)
                    .where(
                        LoginFailure.username == username,
                        LoginFailure.client == client,
                        LoginFailure.at > now - self._window,
                    )
                    .order_by(LoginFailure.at)
                    .limit(MAX_ROWS)
                )
            )

    def retry_after(self, key: tuple[str, str]) -> int | None:
        """Seconds until this pair may try again, or None when it may try now."""
        now = self._clock()
        failures = self._recent(key, now)
        if len(failures) < self._allowed:
            return None
        # Concurrent attempts may have recorded more than allowed: wait until enough left.
        freed_by = failures[len(failures) - self._allowed]
        wait = (freed_by + self._window - now).total_seconds()
        return max(1, math.ceil(wait))

    def record_failure(self, key: tuple[str, str]) -> None:
        username, client = _columns(key)
        now = self._clock()
        with self._db.writing() as session:
            row = LoginFailure(username=username, client=client, at=now)
            session.add(row)
            session.flush()
            session.execute(
                delete(LoginFailure).where(
                    (LoginFailure.at <= now - self._window) | (LoginFailure.id <= row.id - MAX_ROWS)
                )
            )

    def reset(self, key: tuple[str, str]) -> None:
        username, client = _columns(key)
        where = (LoginFailure.username == username, LoginFailure.client == client)
        # Most sign-ins follow no failure: look before taking the write lock.
        with self._db.reading() as session:
            if session.scalar(select(LoginFailure.id).where(*where).limit(1)) is None:
                return
        with self._db.writing() as session:
            session.execute(delete(LoginFailure).where(*where))
