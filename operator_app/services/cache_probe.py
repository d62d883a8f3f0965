"""Questions about the cache asked before the window is on screen.

Plain SQL on purpose: the ORM models cost start-up a few hundred milliseconds and are
loaded by the DB thread instead, while the window is being painted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def cache_has_customers(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM customers LIMIT 1").first() is not None
