"""Announcing an arriving contact (a screen pop): shared by the telephony hook and the
demo traffic simulator, so simulated calls take exactly the real path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from operator_app.domain.enums import Channel
from operator_app.domain.phones import normalize_phone
from operator_app.server.context import ServerContext
from operator_app.server.errors import ApiProblem
from operator_app.server.models import CustomerPhone, User
from operator_app.server.schemas import IncomingContactAccepted
from operator_app.server.serialize import json_datetime


def announce_incoming(
    context: ServerContext, *, phone: str, channel: Channel, operator: str | None
) -> IncomingContactAccepted:
    """Publish ``incoming_contact`` for ``phone``; 422 problems for a bad phone or operator."""
    parsed = normalize_phone(phone)
    if parsed is None:
        raise ApiProblem(
            422,
            f"{phone[:64]!r} is not a phone number.",
            errors=[{"field": "phone", "message": "not a phone number"}],
        )
    operator = operator.strip().casefold() if operator else None
    with context.db.reading() as session:
        if (
            operator is not None
            and session.scalar(
                select(User.id).where(User.username == operator, User.disabled.is_(False))
            )
            is None
        ):
            raise ApiProblem(
                422,
                f"There is no active operator {operator!r}.",
                errors=[{"field": "operator", "message": "unknown user"}],
            )
        customer_ids = list(
            session.scalars(
                select(CustomerPhone.customer_id)
                .where(CustomerPhone.e164 == parsed.e164)
                .order_by(CustomerPhone.customer_id)
                .limit(20)
            )
        )
    payload: dict[str, Any] = {
        "phone": parsed.e164,
        "extension": parsed.extension,
        "customer_ids": [str(c) for c in customer_ids],
        "channel": channel.value,
        "operator": operator,
        "at": json_datetime(context.now()),
    }
    event = context.hub.publish(
        "incoming_contact",
        payload,
        audience=frozenset({operator}) if operator else None,
    )
    return IncomingContactAccepted(
        event_id=event.id,
        phone=parsed.e164,
        customer_ids=customer_ids,
        channel=channel,
        operator=operator,
    )
