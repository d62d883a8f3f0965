"""Audit trail: security-relevant actions (sign-ins, accounts, personal data) as rows.

Audit rows are entities like any other: they reach admins through the change feed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from operator_app.server.changelog import PendingChange
from operator_app.server.models import AuditEvent


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> PendingChange:
    """Add an audit row to the session; append the returned change with the others."""
    event = AuditEvent(
        id=uuid.uuid4(),
        at=now,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=details or {},
        version=1,
        updated_at=now,
    )
    session.add(event)
    return PendingChange("audit_event", event, "create")
