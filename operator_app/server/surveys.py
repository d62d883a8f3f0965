"""Asking customers how it went: creating surveys, choosing how they travel, recording answers.

Everything here runs inside the caller's write transaction and returns the change-log
entries and the after-commit effects (events, worker wake-ups) to the caller, so the
survey, its link, its delivery, the answer and any review case commit together.

Delivery: a reply in the conversation's own channel when it is a chat, messenger or
SMS (through the channel gateway) or e-mail; calls and visits get a text message or an
e-mail where the customer agreed to that channel. Without a usable route the survey
is *link only*: the operator shares the returned link (in a chat, read out on a call).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from operator_app.domain.enums import Channel, SurveyKind
from operator_app.domain.metrics import is_low_score, validate_score
from operator_app.domain.quiet_hours import next_send_time
from operator_app.server.audit import audit
from operator_app.server.changelog import PendingChange
from operator_app.server.delivery_settings import DeliverySettings
from operator_app.server.errors import ApiProblem
from operator_app.server.models import (
    Conversation,
    Customer,
    OutboundDelivery,
    ReviewCase,
    Survey,
)
from operator_app.server.policy import SurveyPolicy, load_policy
from operator_app.server.reviews import open_case
from operator_app.server.survey_tokens import mint_token

MAX_COMMENT = 2000
_MESSAGING = frozenset(
    {
        Channel.WEBCHAT,
        Channel.WHATSAPP,
        Channel.TELEGRAM,
        Channel.VK,
        Channel.INSTAGRAM,
        Channel.SMS,
    }
)


@dataclass(frozen=True, slots=True)
class Route:
    kind: str  # email | gateway
    channel: str  # the channel the customer receives it on
    target: str  # address or phone, for people reading the dead-letter list


@dataclass
class Effects:
    """What to do once the transaction has committed."""

    changes: list[PendingChange] = field(default_factory=list)
    opened_cases: list[ReviewCase] = field(default_factory=list)
    wake_worker: bool = False

    def merge(self, other: Effects) -> None:
        self.changes += other.changes
        self.opened_cases += other.opened_cases
        self.wake_worker = self.wake_worker or other.wake_worker


@dataclass
class CreatedSurvey:
    survey: Survey
    status: str  # queued | scheduled | link_only | answered
    token: str | None
    expires_at: datetime | None
    delivery: str  # email | gateway | none
    effects: Effects
    replayed: bool = False
    review_case_id: uuid.UUID | None = None


def _first(values: list[Any]) -> str | None:
    return str(values[0]) if values else None


def choose_route(
    conversation: Conversation | None, customer: Customer, settings: DeliverySettings
) -> Route | None:
    email = _first(customer.emails)
    phone = _first(customer.phones)
    channel = conversation.channel if conversation is not None else ""
    # A reply where the customer wrote to us needs no separate consent.
    if channel in _MESSAGING and settings.gateway_url:
        return Route("gateway", channel, phone or f"conversation {conversation.id}")  # type: ignore[union-attr]
    if channel == Channel.EMAIL and settings.smtp and email:
        return Route("email", Channel.EMAIL.value, email)
    consent = {str(c) for c in customer.consent_channels}
    if Channel.SMS in consent and phone and settings.gateway_url:
        return Route("gateway", Channel.SMS.value, phone)
    if Channel.EMAIL in consent and email and settings.smtp:
        return Route("email", Channel.EMAIL.value, email)
    return None


def _problem_field(status: int, field_name: str, message: str, slug: str | None = None) -> None:
    raise ApiProblem(
        status,
        message[0].upper() + message[1:] + ".",
        slug=slug,
        errors=[{"field": field_name, "message": message}],
    )


def _check_frequency(
    session: Session, customer: Customer, policy: SurveyPolicy, now: datetime
) -> None:
    days = policy.min_days_between_surveys
    if days <= 0:
        return
    last = session.scalar(
        select(func.max(Survey.sent_at)).where(
            Survey.customer_id == customer.id, Survey.sent_at > now - timedelta(days=days)
        )
    )
    if last is not None:
        allowed = (last + timedelta(days=days)).date().isoformat()
        raise ApiProblem(
            409,
            f"This customer was already asked for feedback on {last.date().isoformat()}; the "
            f"policy allows one survey per {days} days, so the next one is possible from "
            f"{allowed}.",
            slug="survey-too-soon",
        )


def _check_replay(existing: Survey, conversation_id: uuid.UUID, kind: SurveyKind | None) -> None:
    if existing.conversation_id != conversation_id or (kind and existing.kind != kind):
        raise ApiProblem(
            409, f"Survey {existing.id} already exists for another conversation or kind."
        )


def create_survey(
    session: Session,
    *,
    conversation_id: uuid.UUID,
    kind: SurveyKind | None,
    actor: str,
    now: datetime,
    settings: DeliverySettings,
    link_base: str,
    survey_id: uuid.UUID | None = None,
    score: int | None = None,
    comment: str = "",
    enforce_frequency: bool = True,
) -> CreatedSurvey:
    """A survey for the conversation's customer, sent by the policy's rules, or — with
    ``score`` — an answer the customer gave out loud, recorded at once."""
    stored = load_policy(session).policy
    if survey_id is not None:
        existing = session.get(Survey, survey_id)
        if existing is not None:
            _check_replay(existing, conversation_id, kind)
            return _replayed(session, existing, stored, now)
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        _problem_field(422, "conversation_id", f"there is no conversation {conversation_id}")
    assert conversation is not None
    # Locked: two requests for one customer cannot both pass the frequency check.
    customer = session.get(Customer, conversation.customer_id, with_for_update=True)
    assert customer is not None
    rule = stored.rule_for(conversation.channel, conversation.topic)
    if kind is None:
        if rule is None:
            _problem_field(
                422,
                "kind",
                f"no survey rule of the policy covers {conversation.channel} contacts about "
                f"{conversation.topic or 'this topic'}; choose csat, nps or ces",
            )
        assert rule is not None
        kind = rule.kind
    if score is not None:
        return _record_spoken(
            session, conversation, customer, kind, score, comment, actor, now, survey_id
        )
    if enforce_frequency:
        _check_frequency(session, customer, stored, now)
    delay = timedelta(minutes=rule.delay_minutes if rule else 0)
    send_at = next_send_time(now + delay, customer.timezone, stored.quiet())
    route = choose_route(conversation, customer, settings)
    survey = Survey(
        id=survey_id or uuid.uuid4(),
        customer_id=customer.id,
        conversation_id=conversation.id,
        kind=kind.value,
        channel=route.channel if route else conversation.channel,
        token=None,  # links live hashed in survey_tokens
        sent_at=send_at,
        score=None,
        comment="",
        answered_at=None,
        version=1,
        updated_at=now,
    )
    session.add(survey)
    session.flush()
    language = stored.language_for(customer.language)
    valid = (send_at - now) + timedelta(days=stored.link_valid_days)
    token = mint_token(session, survey.id, language=language, now=now, valid=valid)
    effects = Effects(changes=[PendingChange("survey", survey, "create")])
    if route is not None:
        enqueue_survey_delivery(
            session, survey, route, language=language, at=send_at, now=now, link_base=link_base
        )
        effects.wake_worker = True
    effects.changes.append(
        audit(
            session,
            actor=actor,
            action="survey_requested",
            entity="survey",
            entity_id=survey.id,
            now=now,
            details={"kind": kind.value, "delivery": route.kind if route else "none"},
        )
    )
    status = "scheduled" if send_at > now else ("queued" if route else "link_only")
    return CreatedSurvey(
        survey, status, token, now + valid, route.kind if route else "none", effects
    )


def _replayed(
    session: Session, survey: Survey, policy: SurveyPolicy, now: datetime
) -> CreatedSurvey:
    """The same request again (a retry after a lost answer): a fresh link, nothing else."""
    if survey.answered_at is not None:
        return CreatedSurvey(survey, "answered", None, None, "none", Effects(), replayed=True)
    customer = session.get(Customer, survey.customer_id)
    language = policy.language_for(customer.language if customer else None)
    valid = timedelta(days=policy.link_valid_days)
    token = mint_token(session, survey.id, language=language, now=now, valid=valid)
    delivery = session.scalar(
        select(OutboundDelivery.kind).where(
            OutboundDelivery.survey_id == survey.id, OutboundDelivery.purpose == "survey"
        )
    )
    status = "scheduled" if survey.sent_at > now else ("queued" if delivery else "link_only")
    return CreatedSurvey(
        survey, status, token, now + valid, delivery or "none", Effects(), replayed=True
    )


def enqueue_survey_delivery(
    session: Session,
    survey: Survey,
    route: Route,
    *,
    language: str,
    at: datetime,
    now: datetime,
    link_base: str,
    purpose: str = "survey",
) -> OutboundDelivery:
    delivery = OutboundDelivery(
        id=uuid.uuid4(),
        kind=route.kind,
        purpose=purpose,
        survey_id=survey.id,
        target=route.target[:300],
        payload={
            "channel": route.channel,
            "to": route.target,
            "language": language,
            "conversation_id": str(survey.conversation_id) if survey.conversation_id else None,
            "customer_id": str(survey.customer_id),
            "link_base": link_base,
        },
        status="pending",
        attempts=0,
        next_attempt_at=at,
        lease_until=None,
        last_error="",
        created_at=now,
        updated_at=now,
        sent_at=None,
    )
    session.add(delivery)
    return delivery


def _record_spoken(
    session: Session,
    conversation: Conversation,
    customer: Customer,
    kind: SurveyKind,
    score: int,
    comment: str,
    actor: str,
    now: datetime,
    survey_id: uuid.UUID | None = None,
) -> CreatedSurvey:
    try:
        validate_score(kind, score)
    except ValueError as error:
        _problem_field(422, "score", str(error))
    survey = Survey(
        id=survey_id or uuid.uuid4(),
        customer_id=customer.id,
        conversation_id=conversation.id,
        kind=kind.value,
        channel=conversation.channel,
        token=None,
        sent_at=now,
        score=None,
        comment="",
        answered_at=None,
        version=1,
        updated_at=now,
    )
    session.add(survey)
    session.flush()
    effects = Effects(changes=[PendingChange("survey", survey, "create")])
    effects.merge(record_answer(session, survey, score, comment, actor=actor, now=now, fresh=True))
    effects.changes.append(
        audit(
            session,
            actor=actor,
            action="survey_recorded",
            entity="survey",
            entity_id=survey.id,
            now=now,
            details={"kind": kind.value, "score": score, "said_on": conversation.channel},
        )
    )
    case = effects.opened_cases[0] if effects.opened_cases else None
    return CreatedSurvey(
        survey, "answered", None, None, "none", effects, review_case_id=case.id if case else None
    )


def record_answer(
    session: Session,
    survey: Survey,
    score: int,
    comment: str,
    *,
    actor: str,
    now: datetime,
    fresh: bool = False,
) -> Effects:
    """The customer's answer, in the caller's transaction: the survey row, the customer's
    last score, pending sends cancelled, and a review case when the score is low.

    ``score`` must be on the survey's scale (``ValueError`` otherwise). ``fresh``: the
    survey row was created in this transaction (its create entry already carries it).
    """
    validate_score(survey.kind, score)
    if len(comment) > MAX_COMMENT:
        raise ValueError(f"a comment may have at most {MAX_COMMENT} characters")
    policy = load_policy(session).policy
    survey.score = score
    survey.comment = comment
    survey.answered_at = now
    if not fresh:
        survey.version += 1
        survey.updated_at = now
    effects = Effects()
    if not fresh:
        effects.changes.append(PendingChange("survey", survey, "update"))
    customer = session.get(Customer, survey.customer_id, with_for_update=True)
    if customer is not None and survey.kind in (SurveyKind.CSAT, SurveyKind.NPS):
        if survey.kind == SurveyKind.CSAT:
            customer.last_csat = score
        else:
            customer.last_nps = score
        customer.version += 1
        customer.updated_at = now
        effects.changes.append(PendingChange("customer", customer, "update"))
    # A scheduled send or a reminder for an answered survey would only annoy.
    session.execute(
        update(OutboundDelivery)
        .where(OutboundDelivery.survey_id == survey.id, OutboundDelivery.status == "pending")
        .values(status="skipped", updated_at=now, last_error="answered before it was sent")
    )
    if is_low_score(survey.kind, score, policy.low_score.to_domain()):
        case, changes = open_case(session, survey, now=now)
        effects.changes += changes
        effects.opened_cases.append(case)
    return effects
