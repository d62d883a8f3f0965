"""Asking a customer for a score: ``POST /surveys`` (operators too), and its state."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from sqlalchemy import select

from operator_app.domain.enums import SurveyKind
from operator_app.server.auth import AnyUser
from operator_app.server.context import Context
from operator_app.server.errors import ApiProblem
from operator_app.server.models import OutboundDelivery, Survey
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.survey_runtime import Runtime
from operator_app.server.survey_schemas import (
    DeliveryInfo,
    SurveyCreated,
    SurveyInfo,
    SurveyRequest,
)
from operator_app.server.surveys import CreatedSurvey, create_survey

SMALL_BODY = 32 * 1024


async def small_body(
    content_length: Annotated[int | None, Header(include_in_schema=False)] = None,
) -> None:
    """These requests are a few hundred bytes; anything far larger is refused unread."""
    if content_length is not None and content_length > SMALL_BODY:
        raise ApiProblem(
            413,
            f"The request body is larger than {SMALL_BODY} bytes; a comment may have "
            "at most 2000 characters.",
        )


router = APIRouter(prefix="/surveys", tags=["surveys"], dependencies=[Depends(small_body)])


def created_view(created: CreatedSurvey, link_base: str) -> SurveyCreated:
    survey = created.survey
    return SurveyCreated(
        id=survey.id,
        customer_id=survey.customer_id,
        conversation_id=survey.conversation_id,
        kind=SurveyKind(survey.kind),
        channel=survey.channel,
        status=created.status,  # type: ignore[arg-type]
        send_at=survey.sent_at,
        delivery=created.delivery,  # type: ignore[arg-type]
        token=created.token,
        url=f"{link_base}/s/{created.token}" if created.token else None,
        expires_at=created.expires_at,
        replayed=created.replayed,
        review_case_id=created.review_case_id,
    )


@router.post(
    "",
    status_code=201,
    response_model=SurveyCreated,
    responses=problems(*AUTHENTICATED, 409),
    summary="Ask the conversation's customer for a CSAT/NPS/CES score, or record one said aloud",
    description="Follows the admin policy: the kind (when left out) and delay come from the "
    "first matching rule; at most one survey per customer per `min_days_between_surveys` "
    "(else 409 `survey-too-soon`); quiet hours in the customer's time zone move the send "
    "to their end (`status: scheduled`). The link (`url`, single use, expiring) is returned "
    "in every case, so it can also be pasted into a chat. With `score` the answer the "
    "customer gave on a call is recorded at once (no limit applies: the answer exists); a "
    "low score opens a review case. Answers 201, or 200 for a replay of the same `id`.",
)
def request_survey(
    body: SurveyRequest,
    principal: AnyUser,
    context: Context,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> SurveyCreated:
    now = context.now()
    link_base = runtime.link_base(request)
    with context.db.writing() as session:
        created = create_survey(
            session,
            conversation_id=body.conversation_id,
            kind=body.kind,
            actor=principal.username,
            now=now,
            settings=runtime.delivery,
            link_base=link_base,
            survey_id=body.id,
            score=body.score,
            comment=body.comment,
        )
        last_seq = runtime.commit_effects(
            session, created.effects, actor=principal.username, now=now
        )
    runtime.announce(created.effects, last_seq)
    if created.replayed:
        response.status_code = 200
    return created_view(created, link_base)


@router.get(
    "/{survey_id}",
    response_model=SurveyInfo,
    responses=problems(*AUTHENTICATED, 404),
    summary="A survey and how its sends went (queued, sent, failed, skipped)",
)
def survey_state(survey_id: uuid.UUID, principal: AnyUser, context: Context) -> SurveyInfo:
    with context.db.reading() as session:
        survey = session.get(Survey, survey_id)
        if survey is None:
            raise ApiProblem(404, f"There is no survey {survey_id}.")
        deliveries = session.scalars(
            select(OutboundDelivery)
            .where(OutboundDelivery.survey_id == survey_id)
            .order_by(OutboundDelivery.created_at, OutboundDelivery.id)
        )
        return SurveyInfo(
            id=survey.id,
            customer_id=survey.customer_id,
            conversation_id=survey.conversation_id,
            kind=SurveyKind(survey.kind),
            channel=survey.channel,
            sent_at=survey.sent_at,
            score=survey.score,
            comment=survey.comment,
            answered_at=survey.answered_at,
            deliveries=[delivery_info(d) for d in deliveries],
        )


def delivery_info(delivery: OutboundDelivery) -> DeliveryInfo:
    return DeliveryInfo(
        id=delivery.id,
        kind=delivery.kind,
        purpose=delivery.purpose,
        status=delivery.status,  # type: ignore[arg-type]
        target=delivery.target,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        sent_at=delivery.sent_at,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
        survey_id=delivery.survey_id,
    )
