"""Admin: the survey and review policy, and the dead-letter list of failed sends."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response
from sqlalchemy import select, tuple_

from operator_app.server.audit import audit
from operator_app.server.auth import ADMINS, require_roles
from operator_app.server.context import Context
from operator_app.server.cursors import decode_time_cursor, encode_time_cursor
from operator_app.server.delivery import retry_dead
from operator_app.server.errors import ApiProblem
from operator_app.server.models import OutboundDelivery
from operator_app.server.policy import PolicyVersionMismatch, SurveyPolicy, load_policy, save_policy
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.routes.surveys import delivery_info
from operator_app.server.security import Principal
from operator_app.server.survey_runtime import Runtime
from operator_app.server.survey_schemas import DeadLetterPage, DeliveryInfo, PolicyOut
from operator_app.server.surveys import Effects

Admin = Annotated[Principal, Depends(require_roles(ADMINS))]
POLICY_MAX_BODY = 64 * 1024
router = APIRouter(prefix="/admin", tags=["admin"])


async def _policy_body_limit(
    content_length: Annotated[int | None, Header(include_in_schema=False)] = None,
) -> None:
    if content_length is not None and content_length > POLICY_MAX_BODY:
        raise ApiProblem(413, f"A policy document is at most {POLICY_MAX_BODY} bytes.")


def _etag(version: int) -> str:
    return f'"{version}"'


@router.get(
    "/policy",
    response_model=PolicyOut,
    responses=problems(*AUTHENTICATED),
    summary="The survey and review policy (ETag = its version)",
)
def get_policy(principal: Admin, context: Context, response: Response) -> PolicyOut:
    with context.db.reading() as session:
        stored = load_policy(session)
    response.headers["ETag"] = _etag(stored.version)
    return PolicyOut(
        version=stored.version,
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
        policy=stored.policy,
    )


@router.put(
    "/policy",
    response_model=PolicyOut,
    responses=problems(*AUTHENTICATED, 409, 412),
    dependencies=[Depends(_policy_body_limit)],
    summary="Replace the policy (fields left out take their defaults)",
    description="Checked field by field: a 422 lists every field at fault. Send `If-Match` "
    "with the ETag you read to make sure nobody changed it meanwhile (412 otherwise). The "
    "new version reaches every client through the change feed (entity `policy`).",
)
def put_policy(
    body: SurveyPolicy,
    principal: Admin,
    context: Context,
    runtime: Runtime,
    response: Response,
    if_match: Annotated[str | None, Header(alias="If-Match", max_length=40)] = None,
) -> PolicyOut:
    expected = None
    if if_match is not None and if_match.strip() != "*":
        text = if_match.strip().removeprefix("W/").strip('"')
        if not text.isdigit():
            raise ApiProblem(
                422,
                'If-Match must be the ETag from GET /admin/policy, such as "3".',
                errors=[{"field": "If-Match", "message": "not a policy ETag"}],
            )
        expected = int(text)
    now = context.now()
    try:
        with context.db.writing() as session:
            row, changes = save_policy(
                session, body, actor=principal.username, now=now, expected_version=expected
            )
            effects = Effects(changes=changes)
            last_seq = runtime.commit_effects(session, effects, actor=principal.username, now=now)
    except PolicyVersionMismatch as mismatch:
        raise ApiProblem(
            412,
            f"The policy changed since version {mismatch.expected} (it is at version "
            f"{mismatch.current} now); reload it and apply your edit again.",
            slug="precondition-failed",
        ) from None
    runtime.announce(effects, last_seq)
    response.headers["ETag"] = _etag(row.version)
    return PolicyOut(
        version=row.version, updated_at=row.updated_at, updated_by=row.updated_by, policy=body
    )


@router.get(
    "/dead-letters",
    response_model=DeadLetterPage,
    responses=problems(*AUTHENTICATED),
    summary="Sends that failed for good (newest first), with the last error",
)
def dead_letters(
    principal: Admin,
    context: Context,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> DeadLetterPage:
    query = select(OutboundDelivery).where(OutboundDelivery.status == "dead")
    if cursor:
        at, after_id = decode_time_cursor(cursor)
        query = query.where(
            tuple_(OutboundDelivery.updated_at, OutboundDelivery.id) < tuple_(at, after_id)
        )
    query = query.order_by(OutboundDelivery.updated_at.desc(), OutboundDelivery.id.desc())
    with context.db.reading() as session:
        rows = list(session.scalars(query.limit(limit + 1)))
    next_cursor = (
        encode_time_cursor(rows[limit - 1].updated_at, rows[limit - 1].id)
        if len(rows) > limit
        else None
    )
    return DeadLetterPage(items=[delivery_info(r) for r in rows[:limit]], next_cursor=next_cursor)


@router.post(
    "/dead-letters/{delivery_id}/retry",
    response_model=DeliveryInfo,
    responses=problems(*AUTHENTICATED, 404, 409),
    summary="Send a dead letter again (after fixing the cause): queued now, attempts reset",
)
def retry_dead_letter(
    delivery_id: uuid.UUID, principal: Admin, context: Context, runtime: Runtime
) -> DeliveryInfo:
    now = context.now()
    with context.db.writing() as session:
        was_dead = session.scalar(
            select(OutboundDelivery.status).where(OutboundDelivery.id == delivery_id)
        )
        delivery = retry_dead(session, delivery_id, now)
        if delivery is None:
            raise ApiProblem(404, f"There is no delivery {delivery_id}.")
        if was_dead != "dead":
            raise ApiProblem(
                409, f"Delivery {delivery_id} is {delivery.status}, not dead; nothing to retry."
            )
        info = delivery_info(delivery)
        change = audit(
            session,
            actor=principal.username,
            action="delivery_retried",
            entity="outbound_delivery",
            entity_id=delivery_id,
            now=now,
            details={"kind": delivery.kind, "target": delivery.target},
        )
        last_seq = runtime.commit_effects(
            session, Effects(changes=[change]), actor=principal.username, now=now
        )
    runtime.announce(Effects(wake_worker=True), last_seq)
    return info
