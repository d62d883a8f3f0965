"""Request and response models of the survey, review, policy and metrics endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from operator_app.domain.enums import SurveyKind
from operator_app.domain.review_rules import CompensationType, ReviewOutcome
from operator_app.server.policy import SurveyPolicy
from operator_app.server.surveys import MAX_COMMENT


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- surveys ------------------------------------------------------------------------------


class SurveyRequest(_Strict):
    conversation_id: uuid.UUID
    kind: SurveyKind | None = Field(
        default=None, description="csat | nps | ces; left out: the policy's rule decides."
    )
    id: uuid.UUID | None = Field(
        default=None,
        description="Your own id for the new survey. Sending the same request again (after "
        "a lost answer, from an offline queue) returns that survey with a fresh link "
        "instead of making a second one.",
    )
    score: int | None = Field(
        default=None,
        ge=0,
        le=10,
        description="A score the customer said out loud (e.g. on a call): the survey is "
        "recorded as answered at once, nothing is sent, and a low score opens a review case.",
    )
    comment: str = Field(default="", max_length=MAX_COMMENT)


SurveyStatus = Literal["queued", "scheduled", "link_only", "answered"]


class SurveyCreated(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    conversation_id: uuid.UUID | None
    kind: SurveyKind
    channel: str = Field(description="Where the customer receives it (or where it was said).")
    status: SurveyStatus = Field(
        description="queued: goes out now; scheduled: waits for `send_at` (delay or quiet "
        "hours); link_only: no e-mail or gateway route, share `url` yourself; answered: a "
        "score given out loud was recorded."
    )
    send_at: datetime
    delivery: Literal["email", "gateway", "none"]
    token: str | None = Field(description="The link's secret; shown once, stored hashed.")
    url: str | None
    expires_at: datetime | None
    replayed: bool = False
    review_case_id: uuid.UUID | None = None


class DeliveryInfo(BaseModel):
    id: uuid.UUID
    kind: str
    purpose: str
    status: Literal["pending", "sent", "dead", "skipped"]
    target: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str
    created_at: datetime
    updated_at: datetime
    survey_id: uuid.UUID | None = None


class SurveyInfo(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    conversation_id: uuid.UUID | None
    kind: SurveyKind
    channel: str
    sent_at: datetime
    score: int | None
    comment: str
    answered_at: datetime | None
    deliveries: list[DeliveryInfo]


class DeadLetterPage(BaseModel):
    items: list[DeliveryInfo]
    next_cursor: str | None = None


# --- review cases ---------------------------------------------------------------------------


class _Action(_Strict):
    note: str = Field(default="", max_length=MAX_COMMENT)
    base_version: int | None = Field(
        default=None,
        ge=1,
        description="The case version you acted on; if someone acted since, 409 instead.",
    )


class AssignAction(_Action):
    action: Literal["assign"]
    assignee: str | None = Field(
        default=None, max_length=100, description="Username; left out: yourself."
    )


class PlanCallbackAction(_Action):
    action: Literal["plan_callback"]
    callback_at: AwareDatetime


class CompensateAction(_Action):
    action: Literal["compensate"]
    type: CompensationType
    amount: Annotated[Decimal, Field(gt=0, le=10_000_000, decimal_places=2)] = Field(
        description="In the customer's currency; at most your role's approval limit."
    )


class ResolveAction(_Action):
    action: Literal["resolve"]
    outcome: ReviewOutcome


class FollowupAction(_Action):
    action: Literal["send_followup_survey"]
    kind: SurveyKind | None = Field(default=None, description="Default: the case's survey kind.")


class NoteAction(_Action):
    action: Literal["note"]
    note: str = Field(min_length=1, max_length=MAX_COMMENT)


ReviewActionIn = Annotated[
    AssignAction
    | PlanCallbackAction
    | CompensateAction
    | ResolveAction
    | FollowupAction
    | NoteAction,
    Field(discriminator="action"),
]


class ReviewActionResult(BaseModel):
    case: dict[str, Any] = Field(description="The case after the action (as in the list).")
    entry: dict[str, Any] = Field(description="The entry appended to the case's history.")
    survey: SurveyCreated | None = None


class ReviewCasePage(BaseModel):
    items: list[dict[str, Any]] = Field(
        description="Cases newest first: the case row plus survey, customer, conversation, "
        "channel and allowed_actions."
    )
    next_cursor: str | None = None


# --- policy ----------------------------------------------------------------------------------


class PolicyOut(BaseModel):
    version: int = Field(description="0 while no admin has saved a policy (defaults apply).")
    updated_at: datetime | None
    updated_by: str
    policy: SurveyPolicy


# --- metrics ---------------------------------------------------------------------------------


class ScoreSummary(BaseModel):
    value: float | None = Field(
        description="CSAT %, NPS −100…100, or CES mean 1–7; null = no data."
    )
    answers: int


class SurveyMetricsRow(BaseModel):
    key: str | None = Field(
        description="Operator username, channel, day (YYYY-MM-DD, UTC), or week (its "
        "Monday, YYYY-MM-DD)."
    )
    csat: ScoreSummary
    nps: ScoreSummary
    ces: ScoreSummary
    answers: int
    low_scores: int
    review_cases_opened: int
    review_cases_resolved: int
    mean_hours_to_resolve: float | None
    median_hours_to_resolve: float | None = Field(
        description="Median hours from opening to resolution of the cases resolved."
    )


class SurveyMetrics(BaseModel):
    since: datetime
    until: datetime
    group_by: str
    groups: list[SurveyMetricsRow]
    total: SurveyMetricsRow


class FirstResponseRow(BaseModel):
    key: str | None
    conversations: int
    responded: int
    sla_seconds: int | None = Field(description="The channel's SLA (group_by=channel only).")
    within_sla: int
    within_sla_percent: float | None
    mean_seconds: float | None
    median_seconds: float | None
    p90_seconds: float | None


class FirstResponseMetrics(BaseModel):
    since: datetime
    until: datetime
    group_by: str
    groups: list[FirstResponseRow]
    total: FirstResponseRow


class FcrRow(BaseModel):
    key: str | None
    resolved: int
    first_contact: int
    fcr_percent: float | None


class FcrMetrics(BaseModel):
    since: datetime
    until: datetime
    group_by: str
    window_days: int
    groups: list[FcrRow]
    total: FcrRow
