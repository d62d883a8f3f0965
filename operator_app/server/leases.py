"""Jobs that must run in one worker process only, decided through the database.

:func:`hold_lease` keeps a renewable lease (the demo traffic simulator: whoever holds it
runs the ticks; when that worker dies, another takes over once the lease runs out).
:func:`claim_slot` lets exactly one caller have each occurrence of a scheduled job (the
daily refit at 03:00 on a given day), whoever asks first.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from operator_app.server.db import Database
from operator_app.server.models import WorkerLease


def new_holder_id() -> str:
    """Names this app instance (host, process, and a random part for apps sharing one)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def hold_lease(db: Database, name: str, holder: str, *, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease ``name`` until ``now + ttl``; False while another holds it."""
    try:
        with db.writing() as session:
            lease = session.get(WorkerLease, name, with_for_update=True)
            if lease is None:
                session.add(WorkerLease(name=name, holder=holder, until=now + ttl))
                return True
            if lease.holder != holder and lease.until > now:
                return False
            lease.holder = holder
            lease.until = now + ttl
            return True
    except IntegrityError:  # another worker created the row at the same moment
        return False


def release_lease(db: Database, name: str, holder: str, *, now: datetime) -> None:
    with db.writing() as session:
        lease = session.get(WorkerLease, name, with_for_update=True)
        if lease is not None and lease.holder == holder:
            lease.until = now


def claim_slot(db: Database, name: str, holder: str, *, slot: datetime) -> bool:
    """True for the one caller that moves ``name`` on to ``slot``; later callers get False."""
    try:
        with db.writing() as session:
            row = session.get(WorkerLease, name, with_for_update=True)
            if row is None:
                session.add(WorkerLease(name=name, holder=holder, until=slot))
                return True
            if row.until >= slot:
                return False
            row.holder = holder
            row.until = slot
            return True
    except IntegrityError:
        return False
