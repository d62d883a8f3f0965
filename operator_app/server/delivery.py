"""The outbound queue: claim what is due, send it, retry with backoff, dead-letter it.

Rows of ``outbound_deliveries`` are claimed with a lease (``lease_until``, and the
claim's own id in ``lease_claim``) so two workers never send the same row at once: the
claim is one locked transaction (``BEGIN IMMEDIATE`` on SQLite, ``FOR UPDATE SKIP LOCKED``
on PostgreSQL), and just before sending a worker checks that its claim still holds and
renews it (a batch that took longer than the lease may have been claimed by another
worker meanwhile). A worker that dies mid-send leaves the lease to run out and the row
is tried again (at-least-once: receivers deduplicate on the ``X-OperatorApp-Delivery``
id). Links are minted when a survey is actually sent, so no
link secret waits in the queue. Nothing is held locked while talking to the network.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from operator_app.domain.quiet_hours import next_send_time
from operator_app.server import changelog
from operator_app.server.changelog import PendingChange
from operator_app.server.db import Database
from operator_app.server.delivery_settings import DeliverySettings
from operator_app.server.mailer import (
    DeliveryFailure,
    PermanentFailure,
    build_message,
    send_email,
)
from operator_app.server.models import Conversation, Customer, OutboundDelivery, Survey
from operator_app.server.policy import load_policy
from operator_app.server.survey_messages import survey_email, survey_text
from operator_app.server.survey_tokens import mint_token
from operator_app.server.surveys import Route, enqueue_survey_delivery
from operator_app.server.webhooks import post_json

log = logging.getLogger(__name__)


def backoff(settings: DeliverySettings, attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: doubling, capped, with jitter (±50 %)."""
    base = settings.retry_base_seconds * 2 ** max(attempts - 1, 0)
    seconds = min(settings.retry_max_seconds, base) * random.uniform(0.5, 1.0)
    return timedelta(seconds=seconds)


@dataclass(frozen=True, slots=True)
class Claim:
    token: uuid.UUID
    ids: list[uuid.UUID]


def claim_due(db: Database, *, now: datetime, lease: timedelta, limit: int = 20) -> Claim:
    token = uuid.uuid4()
    with db.writing() as session:
        query = (
            select(OutboundDelivery.id)
            .where(
                OutboundDelivery.status == "pending",
                OutboundDelivery.next_attempt_at <= now,
                or_(OutboundDelivery.lease_until.is_(None), OutboundDelivery.lease_until < now),
            )
            .order_by(OutboundDelivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list(session.scalars(query))
        if ids:
            session.execute(
                update(OutboundDelivery)
                .where(OutboundDelivery.id.in_(ids))
                .values(lease_until=now + lease, lease_claim=token)
            )
    return Claim(token, ids)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A message ready to go out, made in a committed transaction (its link works)."""

    delivery_id: uuid.UUID
    kind: str
    event: str
    email: tuple[str, str, str, str] | None = None  # to, subject, text, html
    webhook: dict[str, Any] | None = None


class Skip(Exception):
    """No longer worth sending (answered, expired); the reason goes on the row."""


def _survey_message(
    session: Session,
    delivery: OutboundDelivery,
    settings: DeliverySettings,
    now: datetime,
) -> Prepared:
    survey = session.get(Survey, delivery.survey_id) if delivery.survey_id else None
    if survey is None:
        raise Skip("the survey no longer exists")
    if survey.answered_at is not None:
        raise Skip("answered before it was sent")
    policy = load_policy(session).policy
    payload = delivery.payload
    reminder = delivery.purpose == "reminder"
    language = str(payload.get("language") or policy.default_language)
    valid = timedelta(days=policy.link_valid_days)
    token = mint_token(session, survey.id, language=language, now=now, valid=valid)
    url = f"{payload['link_base']}/s/{token}"
    event = "survey.reminder" if reminder else "survey.send"
    if delivery.kind == "email":
        customer = session.get(Customer, survey.customer_id)
        conversation = (
            session.get(Conversation, survey.conversation_id) if survey.conversation_id else None
        )
        email = survey_email(
            language=language,
            kind=survey.kind,
            customer_name=customer.first_name if customer else "",
            topic=conversation.topic if conversation else "",
            url=url,
            expires_at=now + valid,
            brand=settings.brand_name,
            reminder=reminder,
        )
        return Prepared(
            delivery.id,
            "email",
            event,
            email=(payload["to"], email.subject, email.text, email.html),
        )
    body = {
        "type": event,
        "survey_id": str(survey.id),
        "kind": survey.kind,
        "channel": payload["channel"],
        "to": payload["to"],
        "conversation_id": payload.get("conversation_id"),
        "customer_id": payload.get("customer_id"),
        "language": language,
        "url": url,
        "text": survey_text(
            language=language, url=url, brand=settings.brand_name, reminder=reminder
        ),
        "expires_at": (now + valid).isoformat(),
    }
    return Prepared(delivery.id, "gateway", event, webhook=body)


def prepare(
    db: Database,
    delivery_id: uuid.UUID,
    settings: DeliverySettings,
    now: datetime,
    claim: uuid.UUID | None = None,
) -> Prepared | None:
    """Make the message for a claimed delivery; None when there is nothing to send (or,
    with ``claim``, when that claim no longer holds the row)."""
    with db.writing() as session:
        delivery = session.get(OutboundDelivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.status != "pending":
            return None
        if claim is not None:
            if delivery.lease_claim != claim or (
                delivery.lease_until is None or delivery.lease_until <= now
            ):
                log.info("delivery %s: the claim ran out before sending", delivery.id)
                return None
            delivery.lease_until = now + timedelta(seconds=settings.lease_seconds)
        if delivery.kind == "review_alert":
            return Prepared(
                delivery.id, "review_alert", "review_case.opened", webhook=delivery.payload
            )
        try:
            return _survey_message(session, delivery, settings, now)
        except Skip as skip:
            delivery.status = "skipped"
            delivery.last_error = str(skip)
            delivery.lease_until = None
            delivery.lease_claim = None
            delivery.updated_at = now
            return None


def send(prepared: Prepared, settings: DeliverySettings, now: datetime) -> None:
    """Raises :class:`DeliveryFailure` (temporary or permanent) when it does not go out."""
    if prepared.kind == "email":
        if settings.smtp is None:
            raise PermanentFailure("e-mail is not configured (OPERATOR_APP_SMTP_HOST)")
        assert prepared.email is not None
        to, subject, text, html = prepared.email
        send_email(
            settings.smtp,
            build_message(settings.smtp, to=to, subject=subject, text=text, html=html),
        )
        return
    url = settings.gateway_url if prepared.kind == "gateway" else settings.review_webhook_url
    if not url:
        name = "GATEWAY_URL" if prepared.kind == "gateway" else "REVIEW_WEBHOOK_URL"
        raise PermanentFailure(f"the webhook is not configured (OPERATOR_APP_{name})")
    assert prepared.webhook is not None
    post_json(
        url,
        prepared.webhook,
        event=prepared.event,
        delivery_id=prepared.delivery_id,
        secret=settings.webhook_secret,
        now=now,
        timeout=settings.http_timeout_seconds,
    )


def settle(
    db: Database,
    delivery_id: uuid.UUID,
    settings: DeliverySettings,
    now: datetime,
    failure: DeliveryFailure | None,
) -> int | None:
    """Record the attempt's outcome; returns the change-log seq when survey rows changed."""
    with db.writing() as session:
        # Lock order as when a customer answers: the survey first, then its deliveries.
        survey_id = session.scalar(
            select(OutboundDelivery.survey_id).where(OutboundDelivery.id == delivery_id)
        )
        if survey_id is not None:
            session.get(Survey, survey_id, with_for_update=True)
        delivery = session.get(OutboundDelivery, delivery_id, with_for_update=True)
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.lease_until = None
        delivery.lease_claim = None
        delivery.updated_at = now
        changes: list[PendingChange] = []
        if failure is None:
            if delivery.status == "pending":
                delivery.status = "sent"
            delivery.sent_at = now
            delivery.last_error = ""
            if delivery.purpose == "survey":
                changes = _after_survey_sent(session, delivery, now)
        else:
            delivery.last_error = str(failure)[:1000]
            if delivery.status == "pending":
                permanent = isinstance(failure, PermanentFailure)
                if permanent or delivery.attempts >= settings.max_attempts:
                    delivery.status = "dead"
                    log.warning(
                        "delivery %s dead after %d attempt(s): %s",
                        delivery.id,
                        delivery.attempts,
                        delivery.last_error,
                    )
                else:
                    delivery.next_attempt_at = now + backoff(settings, delivery.attempts)
        return changelog.append(session, changes, actor="delivery", at=now)


def _after_survey_sent(
    session: Session, delivery: OutboundDelivery, now: datetime
) -> list[PendingChange]:
    """The survey's real send time, and its one reminder if the policy wants one."""
    survey = session.get(Survey, delivery.survey_id, with_for_update=True)
    if survey is None:
        return []
    changes: list[PendingChange] = []
    if survey.answered_at is None and survey.sent_at != now:
        survey.sent_at = now
        survey.version += 1
        survey.updated_at = now
        changes.append(PendingChange("survey", survey, "update"))
    policy = load_policy(session).policy
    if policy.reminder_after_hours is None or survey.answered_at is not None:
        return changes
    already = session.scalar(
        select(OutboundDelivery.id).where(
            OutboundDelivery.survey_id == survey.id, OutboundDelivery.purpose == "reminder"
        )
    )
    if already is None:
        customer = session.get(Customer, survey.customer_id)
        at = next_send_time(
            now + timedelta(hours=policy.reminder_after_hours),
            customer.timezone if customer else None,
            policy.quiet(),
        )
        payload = delivery.payload
        enqueue_survey_delivery(
            session,
            survey,
            Route(delivery.kind, str(payload["channel"]), str(payload["to"])),
            language=str(payload.get("language") or policy.default_language),
            at=at,
            now=now,
            link_base=str(payload["link_base"]),
            purpose="reminder",
        )
    return changes


def run_one(
    db: Database,
    delivery_id: uuid.UUID,
    settings: DeliverySettings,
    now: datetime,
    claim: uuid.UUID | None = None,
) -> int | None:
    prepared = prepare(db, delivery_id, settings, now, claim)
    if prepared is None:
        return None
    failure: DeliveryFailure | None = None
    try:
        send(prepared, settings, now)
    except DeliveryFailure as error:
        failure = error
    except Exception as error:  # a bug must not wedge the queue: count it as an attempt
        log.exception("delivery %s failed unexpectedly", delivery_id)
        failure = DeliveryFailure(f"unexpected error ({type(error).__name__})")
    return settle(db, delivery_id, settings, now, failure)


def retry_dead(session: Session, delivery_id: uuid.UUID, now: datetime) -> OutboundDelivery | None:
    """Put a dead letter back in the queue, due now, with a fresh count of attempts."""
    delivery = session.get(OutboundDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.status != "dead":
        return delivery
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.lease_until = None
    delivery.lease_claim = None
    delivery.updated_at = now
    return delivery
