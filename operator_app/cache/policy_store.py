"""The admin's team policy as the client knows it: synced into ``policies``, read here.

The server keeps one policy document (``server/policy.py``) and sends it through the
change feed as entity ``policy``; ``cache.apply`` stores it like any synced row. Until
an admin saves one, nothing is synced and the DESIGN defaults apply (phone 30 s, chat
5 min, messengers 30 min, e-mail 4 h). A document from a newer server may carry fields
or channels this client does not know: they are ignored, never an error.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection, Engine

from operator_app.domain.enums import DEFAULT_FIRST_RESPONSE_SLA, Channel

# The single policy row's fixed id, the same on every server (``server.policy.POLICY_ID``;
# a test keeps the two equal). Read by key: the worklists must never scan.
POLICY_ID = uuid.UUID("6f706572-6174-6f72-2d70-6f6c69637931")
# The server's own bounds for an SLA (1 s … 30 days); anything else is not trusted.
_MAX_SLA_SECONDS = 30 * 86400


def read_policy(conn: Connection) -> dict[str, Any] | None:
    """The synced policy document, or ``None`` when the admin never saved one."""
    row = conn.exec_driver_sql(
        "SELECT document FROM policies WHERE id = ?", (POLICY_ID.bytes,)
    ).first()
    if row is None:
        return None
    document = row[0]
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    return document if isinstance(document, dict) else None


def load_policy(engine: Engine) -> dict[str, Any] | None:
    with engine.connect() as conn:
        return read_policy(conn)


def default_sla_seconds(channel: Channel) -> int:
    sla = DEFAULT_FIRST_RESPONSE_SLA.get(channel, DEFAULT_FIRST_RESPONSE_SLA[Channel.OTHER])
    return int(sla.total_seconds())


def sla_seconds(policy: Mapping[str, Any] | None, channel: Channel | str) -> int:
    """First-response target for ``channel``: the admin's, else the default."""
    try:
        known = Channel(channel)
    except ValueError:
        known = Channel.OTHER
    table = policy.get("first_response_sla_seconds") if policy else None
    if isinstance(table, Mapping):
        value = table.get(known.value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _MAX_SLA_SECONDS:
            return value
    return default_sla_seconds(known)
