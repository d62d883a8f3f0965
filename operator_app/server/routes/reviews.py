"""The supervisors' low-score review queue and its actions (supervisors and admins only)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime
from sqlalchemy import func, tuple_

from operator_app.domain.enums import Channel, ReviewStatus, SurveyKind
from operator_app.domain.review_rules import ReviewAction
from operator_app.server.auth import STAFF, require_roles
from operator_app.server.context import Context
from operator_app.server.cursors import decode_time_cursor, encode_time_cursor
from operator_app.server.errors import ApiProblem
from operator_app.server.models import Conversation, ReviewCase, Survey
from operator_app.server.policy import load_policy
from operator_app.server.reviews import (
    ActionRequest,
    apply_action,
    case_query,
    case_view,
    load_case_view,
)
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.routes.surveys import created_view, small_body
from operator_app.server.security import Principal
from operator_app.server.survey_runtime import Runtime
from operator_app.server.survey_schemas import (
    AssignAction,
    CompensateAction,
    FollowupAction,
    PlanCallbackAction,
    ResolveAction,
    ReviewActionIn,
    ReviewActionResult,
    ReviewCasePage,
)
from operator_app.server.surveys import Effects, create_survey

Staff = Annotated[Principal, Depends(require_roles(STAFF))]
router = APIRouter(prefix="/review-cases", tags=["review cases"])
MAX_PAGE = 200


@router.get(
    "",
    response_model=ReviewCasePage,
    responses=problems(*AUTHENTICATED),
    summary="Review cases, newest first, with filters; keyset pages via `next_cursor`",
    description="`assignee=me` is the caller, `assignee=none` the unassigned cases; "
    "`operator` is who handled the conversation; `channel` is the conversation's channel; "
    "`min_age_hours` keeps cases open at least that long (for stale-case views).",
)
def list_cases(
    principal: Staff,
    context: Context,
    status: Annotated[list[ReviewStatus] | None, Query()] = None,
    channel: Annotated[list[Channel] | None, Query()] = None,
    kind: Annotated[SurveyKind | None, Query()] = None,
    operator: Annotated[str | None, Query(max_length=100)] = None,
    assignee: Annotated[str | None, Query(max_length=100)] = None,
    min_score: Annotated[int | None, Query(ge=0, le=10)] = None,
    max_score: Annotated[int | None, Query(ge=0, le=10)] = None,
    opened_after: Annotated[AwareDatetime | None, Query()] = None,
    opened_before: Annotated[AwareDatetime | None, Query()] = None,
    min_age_hours: Annotated[int | None, Query(ge=0, le=24 * 365)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> ReviewCasePage:
    page_size = min(limit, MAX_PAGE)
    query = case_query()
    if status:
        query = query.where(ReviewCase.status.in_([s.value for s in status]))
    if channel:
        where = func.coalesce(Conversation.channel, Survey.channel)
        query = query.where(where.in_([c.value for c in channel]))
    if kind is not None:
        query = query.where(Survey.kind == kind.value)
    if operator:
        query = query.where(Conversation.assignee == operator.strip().casefold())
    if assignee:
        who = assignee.strip().casefold()
        if who == "none":
            query = query.where(ReviewCase.assignee.is_(None))
        else:
            query = query.where(ReviewCase.assignee == (principal.username if who == "me" else who))
    if min_score is not None:
        query = query.where(Survey.score >= min_score)
    if max_score is not None:
        query = query.where(Survey.score <= max_score)
    if opened_after is not None:
        query = query.where(ReviewCase.opened_at >= opened_after)
    if opened_before is not None:
        query = query.where(ReviewCase.opened_at < opened_before)
    if min_age_hours is not None:
        query = query.where(ReviewCase.opened_at <= context.now() - timedelta(hours=min_age_hours))
    if cursor:
        opened, after_id = decode_time_cursor(cursor)
        query = query.where(tuple_(ReviewCase.opened_at, ReviewCase.id) < tuple_(opened, after_id))
    query = query.order_by(ReviewCase.opened_at.desc(), ReviewCase.id.desc()).limit(page_size + 1)
    with context.db.reading() as session:
        rows = session.execute(query).all()
    items = [case_view(row) for row in rows[:page_size]]
    next_cursor = None
    if len(rows) > page_size:
        last = rows[page_size - 1][0]
        next_cursor = encode_time_cursor(last.opened_at, last.id)
    return ReviewCasePage(items=items, next_cursor=next_cursor)


@router.get(
    "/{case_id}",
    responses=problems(*AUTHENTICATED, 404),
    summary="One review case with its history (`actions`) and `allowed_actions`",
)
def get_case(case_id: uuid.UUID, principal: Staff, context: Context) -> dict[str, object]:
    with context.db.reading() as session:
        view = load_case_view(session, case_id)
    if view is None:
        raise ApiProblem(404, f"There is no review case {case_id}.")
    return view


def _action_request(body: ReviewActionIn, followup_id: uuid.UUID | None) -> ActionRequest:
    request = ActionRequest(action=ReviewAction(body.action), note=body.note.strip())
    if isinstance(body, AssignAction):
        return ActionRequest(action=request.action, note=request.note, assignee=body.assignee)
    if isinstance(body, PlanCallbackAction):
        return ActionRequest(action=request.action, note=request.note, callback_at=body.callback_at)
    if isinstance(body, CompensateAction):
        return ActionRequest(
            action=request.action,
            note=request.note,
            compensation_type=body.type.value,
            amount=body.amount,
        )
    if isinstance(body, ResolveAction):
        return ActionRequest(action=request.action, note=request.note, outcome=body.outcome.value)
    if isinstance(body, FollowupAction):
        return ActionRequest(
            action=request.action, note=request.note, followup_survey_id=followup_id
        )
    return request


@router.post(
    "/{case_id}/actions",
    response_model=ReviewActionResult,
    responses=problems(*AUTHENTICATED, 404, 409),
    dependencies=[Depends(small_body)],
    summary="Act on a case: assign, plan_callback, compensate, resolve, send_followup_survey, note",
    description="Every action is appended to the case's `actions`, to the audit trail and to "
    "the change feed. A resolved case takes only `note` and `send_followup_survey` (409 "
    "`invalid-transition` otherwise). `compensate` over the caller's approval limit (policy "
    "`compensation_limits`) answers 403 `over-approval-limit`. With `base_version`, a case "
    "someone changed since answers 409. A follow-up survey ignores the once-per-N-days rule "
    "(it is part of the recovery) but respects quiet hours.",
)
def act(
    case_id: uuid.UUID,
    body: ReviewActionIn,
    principal: Staff,
    context: Context,
    runtime: Runtime,
    request: Request,
) -> ReviewActionResult:
    now = context.now()
    link_base = runtime.link_base(request)
    created = None
    with context.db.writing() as session:
        case = session.get(ReviewCase, case_id, with_for_update=True)
        if case is None:
            raise ApiProblem(404, f"There is no review case {case_id}.")
        if body.base_version is not None and body.base_version != case.version:
            raise ApiProblem(
                409,
                f"Someone acted on this case since version {body.base_version} (it is at "
                f"version {case.version} now); reload it and try again.",
            )
        policy = load_policy(session).policy
        effects = Effects()
        if isinstance(body, FollowupAction):
            survey = session.get(Survey, case.survey_id)
            if survey is None or survey.conversation_id is None:
                raise ApiProblem(
                    422,
                    "This case's survey belongs to no conversation, so there is nothing to "
                    "follow up on; ask the customer from their next conversation.",
                )
            created = create_survey(
                session,
                conversation_id=survey.conversation_id,
                kind=body.kind or SurveyKind(survey.kind),
                actor=principal.username,
                now=now,
                settings=runtime.delivery,
                link_base=link_base,
                enforce_frequency=False,
            )
            effects.merge(created.effects)
        entry, changes = apply_action(
            session,
            case,
            _action_request(body, created.survey.id if created else None),
            principal=principal,
            policy=policy,
            now=now,
        )
        effects.changes += changes
        last_seq = runtime.commit_effects(session, effects, actor=principal.username, now=now)
    runtime.announce(effects, last_seq)
    with context.db.reading() as session:
        view = load_case_view(session, case_id)
    assert view is not None
    return ReviewActionResult(
        case=view, entry=entry, survey=created_view(created, link_base) if created else None
    )
