"""Dashboards (supervisors and admins): survey scores, first response, first-contact resolution.

Every endpoint takes ``from`` and ``to`` (ISO 8601 with a zone; default: the last 30
days up to now, at most 366 days) and ``group_by``; definitions are in
``server/survey_metrics.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from operator_app.server.auth import STAFF, require_roles
from operator_app.server.context import Context
from operator_app.server.errors import ApiProblem
from operator_app.server.policy import load_policy
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.security import Principal
from operator_app.server.survey_metrics import fcr_metrics, first_response_metrics, survey_metrics
from operator_app.server.survey_schemas import FcrMetrics, FirstResponseMetrics, SurveyMetrics

Staff = Annotated[Principal, Depends(require_roles(STAFF))]
GroupBy = Literal["operator", "channel", "day", "week"]
MAX_SPAN = timedelta(days=366)
DEFAULT_SPAN = timedelta(days=30)
router = APIRouter(prefix="/metrics", tags=["metrics"])

From = Annotated[
    AwareDatetime | None,
    Query(alias="from", description="Start (inclusive); default `to` − 30 days"),
]
To = Annotated[AwareDatetime | None, Query(alias="to", description="End (exclusive); default now")]


def _period(
    context: Context, since: datetime | None, until: datetime | None
) -> tuple[datetime, datetime]:
    end = until or context.now()
    start = since or end - DEFAULT_SPAN
    if start >= end:
        raise ApiProblem(
            422,
            "`from` must be before `to`.",
            errors=[{"field": "from", "message": "must be before to"}],
        )
    if end - start > MAX_SPAN:
        raise ApiProblem(
            422,
            "The period may span at most 366 days; ask for one year at a time.",
            errors=[{"field": "from", "message": "period longer than 366 days"}],
        )
    return start, end


@router.get(
    "/surveys",
    response_model=SurveyMetrics,
    responses=problems(*AUTHENTICATED),
    summary="CSAT / NPS / CES with answer counts, low scores, review cases and time to resolve",
)
def surveys(
    principal: Staff,
    context: Context,
    since: From = None,
    until: To = None,
    group_by: GroupBy = "channel",
) -> SurveyMetrics:
    start, end = _period(context, since, until)
    with context.db.reading() as session:
        policy = load_policy(session).policy
        groups, total = survey_metrics(session, policy, start, end, group_by)
    return SurveyMetrics(since=start, until=end, group_by=group_by, groups=groups, total=total)


@router.get(
    "/first-response",
    response_model=FirstResponseMetrics,
    responses=problems(*AUTHENTICATED),
    summary="Time to first response against each channel's SLA (policy)",
)
def first_response(
    principal: Staff,
    context: Context,
    since: From = None,
    until: To = None,
    group_by: GroupBy = "channel",
) -> FirstResponseMetrics:
    start, end = _period(context, since, until)
    with context.db.reading() as session:
        policy = load_policy(session).policy
        groups, total = first_response_metrics(session, policy, start, end, group_by, context.now())
    return FirstResponseMetrics(
        since=start, until=end, group_by=group_by, groups=groups, total=total
    )


@router.get(
    "/fcr",
    response_model=FcrMetrics,
    responses=problems(*AUTHENTICATED),
    summary="First-contact resolution: resolved with no new contact within the policy's window",
)
def first_contact_resolution(
    principal: Staff,
    context: Context,
    since: From = None,
    until: To = None,
    group_by: GroupBy = "channel",
) -> FcrMetrics:
    start, end = _period(context, since, until)
    with context.db.reading() as session:
        policy = load_policy(session).policy
        groups, total = fcr_metrics(session, policy, start, end, group_by)
    return FcrMetrics(
        since=start,
        until=end,
        group_by=group_by,
        window_days=policy.fcr_window_days,
        groups=groups,
        total=total,
    )
