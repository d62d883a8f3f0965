"""Review cases: opened by low scores, worked by supervisors, every step on the record.

Each action appends an entry to the case's ``actions`` list (what the client shows as
the case history), writes an ``audit_events`` row, and bumps the case's version; the
caller logs both in the change feed in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from operator_app.domain.enums import ReviewStatus, Role
from operator_app.domain.review_rules import (
    InvalidTransition,
    ReviewAction,
    allowed_actions,
    next_status,
)
from operator_app.server.audit import audit
from operator_app.server.changelog import PendingChange
from operator_app.server.errors import ApiProblem
from operator_app.server.models import Conversation, Customer, ReviewCase, Survey, User
from operator_app.server.policy import SurveyPolicy
from operator_app.server.security import Principal
from operator_app.server.serialize import json_datetime, snapshot

SYSTEM_ACTOR = "system"


def _entry(
    *, at: datetime, actor: str, action: str, status: str, note: str = "", **details: Any
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "at": json_datetime(at),
        "actor": actor,
        "action": action,
        "status": status,
        "note": note,
        **{key: value for key, value in details.items() if value is not None},
    }


def open_case(
    session: Session, survey: Survey, *, now: datetime
) -> tuple[ReviewCase, list[PendingChange]]:
    """A new case for a low answer to ``survey`` (the caller decided it is low)."""
    case = ReviewCase(
        id=uuid.uuid4(),
        survey_id=survey.id,
        customer_id=survey.customer_id,
        status=ReviewStatus.NEW.value,
        assignee=None,
        opened_at=now,
        resolved_at=None,
        actions=[
            _entry(
                at=now,
                actor=SYSTEM_ACTOR,
                action="opened",
                status=ReviewStatus.NEW.value,
                kind=survey.kind,
                score=survey.score,
            )
        ],
        version=1,
        updated_at=now,
    )
    session.add(case)
    changes = [
        PendingChange("review_case", case, "create"),
        audit(
            session,
            actor=SYSTEM_ACTOR,
            action="review_case.opened",
            entity="review_case",
            entity_id=case.id,
            now=now,
            details={"survey_id": str(survey.id), "kind": survey.kind, "score": survey.score},
        ),
    ]
    return case, changes


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """One supervisor action, already checked for shape by the API layer."""

    action: ReviewAction
    note: str = ""
    assignee: str | None = None  # assign: username; None = the caller
    callback_at: datetime | None = None  # plan_callback
    compensation_type: str | None = None  # compensate
    amount: Decimal | None = None
    outcome: str | None = None  # resolve
    followup_survey_id: uuid.UUID | None = None  # send_followup_survey (made by the caller)


def _fail(status: int, message: str, *, slug: str | None = None, field: str | None = None) -> None:
    errors = [{"field": field, "message": message}] if field else None
    raise ApiProblem(status, message, slug=slug, errors=errors)


def apply_action(
    session: Session,
    case: ReviewCase,
    request: ActionRequest,
    *,
    principal: Principal,
    policy: SurveyPolicy,
    now: datetime,
) -> tuple[dict[str, Any], list[PendingChange]]:
    """Apply ``request`` to ``case`` (locked by the caller). Returns the trail entry and
    the changes to log. Follow-up surveys are created by the caller (they need delivery)."""
    try:
        status = next_status(case.status, request.action)
    except InvalidTransition as error:
        _fail(409, f"Case {case.id}: {error}.", slug="invalid-transition")
    details: dict[str, Any] = {}
    action = request.action
    if action is ReviewAction.ASSIGN:
        username = request.assignee or principal.username
        user = session.scalar(
            select(User).where(
                User.username == username.strip().casefold(), User.disabled.is_(False)
            )
        )
        if user is None:
            _fail(422, f"There is no active user {username!r} to assign to.", field="assignee")
        assert user is not None
        case.assignee = user.username
        details["assignee"] = user.username
    elif case.assignee is None and action in (
        ReviewAction.PLAN_CALLBACK,
        ReviewAction.COMPENSATE,
        ReviewAction.RESOLVE,
    ):
        case.assignee = principal.username  # whoever works on a case owns it
        details["assignee"] = principal.username
    if action is ReviewAction.PLAN_CALLBACK:
        assert request.callback_at is not None
        if request.callback_at <= now:
            _fail(422, "The call back must be planned in the future.", field="callback_at")
        details["callback_at"] = json_datetime(request.callback_at)
    elif action is ReviewAction.COMPENSATE:
        details.update(_compensation(session, case, request, principal, policy))
    elif action is ReviewAction.RESOLVE:
        details["outcome"] = request.outcome
        case.resolved_at = now
    elif action is ReviewAction.SEND_FOLLOWUP_SURVEY:
        details["survey_id"] = str(request.followup_survey_id)
    case.status = status.value
    entry = _entry(
        at=now,
        actor=principal.username,
        action=action.value,
        status=status.value,
        note=request.note,
        **details,
    )
    case.actions = [*case.actions, entry]  # a new list: the JSON column sees the change
    case.version += 1
    case.updated_at = now
    audit_details = {k: v for k, v in entry.items() if k not in {"id", "at", "actor", "action"}}
    changes = [
        PendingChange("review_case", case, "update"),
        audit(
            session,
            actor=principal.username,
            action=f"review_case.{action.value}",
            entity="review_case",
            entity_id=case.id,
            now=now,
            details=audit_details,
        ),
    ]
    return entry, changes


def _compensation(
    session: Session,
    case: ReviewCase,
    request: ActionRequest,
    principal: Principal,
    policy: SurveyPolicy,
) -> dict[str, Any]:
    assert request.amount is not None and principal.role is not None
    customer = session.get(Customer, case.customer_id)
    currency = customer.currency if customer is not None else "RUB"
    limit = policy.compensation_limits.for_role(principal.role)
    if request.amount > limit:
        ask = (
            "ask an admin to grant it"
            if principal.role is Role.SUPERVISOR
            else "raise the limit in the policy first"
        )
        _fail(
            403,
            f"A compensation of {request.amount:.2f} {currency} is over your approval limit "
            f"as {principal.role.value} ({limit:.2f} {currency}); {ask}.",
            slug="over-approval-limit",
        )
    return {
        "compensation": {
            "type": request.compensation_type,
            "amount": f"{request.amount:.2f}",
            "currency": currency,
        }
    }


# --- reading ------------------------------------------------------------------------------


CASE_COLUMNS = (
    ReviewCase,
    Survey.kind,
    Survey.score,
    Survey.comment,
    Survey.channel,
    Survey.answered_at,
    Survey.conversation_id,
    Conversation.channel,
    Conversation.topic,
    Conversation.assignee,
    Customer.first_name,
    Customer.last_name,
    Customer.middle_name,
)


def case_query() -> Any:
    return (
        select(*CASE_COLUMNS)
        .join(Survey, Survey.id == ReviewCase.survey_id)
        .outerjoin(Conversation, Conversation.id == Survey.conversation_id)
        .join(Customer, Customer.id == ReviewCase.customer_id)
    )


def case_view(row: Any) -> dict[str, Any]:
    """A case as the supervisor's queue shows it: the case, the answer, who and where."""
    (case, kind, score, comment, survey_channel, answered_at, conversation_id,
     conversation_channel, topic, operator, first, last, middle) = row  # fmt: skip
    data = snapshot("review_case", case)
    data["allowed_actions"] = [a.value for a in allowed_actions(case.status)]
    data["survey"] = {
        "id": str(case.survey_id),
        "kind": kind,
        "score": score,
        "comment": comment,
        "channel": survey_channel,
        "answered_at": json_datetime(answered_at) if answered_at else None,
    }
    data["customer"] = {
        "id": str(case.customer_id),
        "name": " ".join(part for part in (first, middle, last) if part),
    }
    data["conversation"] = (
        {
            "id": str(conversation_id),
            "channel": conversation_channel,
            "topic": topic,
            "operator": operator,
        }
        if conversation_id
        else None
    )
    data["channel"] = conversation_channel or survey_channel
    return data


def load_case_view(session: Session, case_id: uuid.UUID) -> dict[str, Any] | None:
    row = session.execute(case_query().where(ReviewCase.id == case_id)).first()
    return None if row is None else case_view(row)
