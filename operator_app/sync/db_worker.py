"""The one thread that touches SQLite for the sync engine (and may be shared by the GUI).

Slow SQLite work must never run on the event loop; one worker thread also means one
writer, so local edits, pulled pages and push results never race each other.

A full disk surfaces as :class:`CacheFullError` with a sentence for the user: the write
that hit it was rolled back whole, so the cache and its outbox are as they were.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from operator_app.cache.db import DISK_FULL_MESSAGE, CacheFullError, is_disk_full

T = TypeVar("T")


def _calling(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        if is_disk_full(exc):
            raise CacheFullError(DISK_FULL_MESSAGE) from exc
        raise


class DbWorker:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="operator-app-db")

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(_calling, fn, *args, **kwargs)
        )

    def close(self) -> None:
        self._executor.shutdown(wait=True)
