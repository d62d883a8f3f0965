"""The two halves of sync: the change feed (pull) and mutations (push)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from operator_app.server.auth import AnyUser
from operator_app.server.changelog import read_page, visible_entities
from operator_app.server.context import Context
from operator_app.server.errors import ApiProblem
from operator_app.server.mutations import apply_mutation
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import ChangesPage, MutationsRequest, MutationsResponse
from operator_app.server.survey_runtime import Runtime

router = APIRouter(tags=["sync"])


@router.get(
    "/changes",
    response_model=ChangesPage,
    responses=problems(*AUTHENTICATED),
    summary="Changes after `since`, oldest first; no gaps for the caller's role",
    description="Pages are ordered by `seq`. Keep `next` as the cursor (store it with the "
    "applied page) and ask again while `has_more`. `limit` above the server's maximum is "
    "lowered to it. Entities the role may not read are left out.",
)
def changes(
    principal: AnyUser,
    context: Context,
    since: Annotated[
        int, Query(ge=0, description="Last seq already applied (0 = from the start)")
    ] = 0,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> Response:
    settings = context.settings
    page_size = min(limit or settings.changes_default_limit, settings.changes_max_limit)
    assert principal.role is not None
    with context.db.single_read() as conn:
        items, last_seq, has_more = read_page(
            conn, since=since, limit=page_size, entities=visible_entities(principal.role)
        )
    # Snapshots are stored as JSON text: spliced in instead of decoded and re-encoded.
    next_seq = since if last_seq is None else last_seq
    more = "true" if has_more else "false"
    body = f'{{"changes":[{",".join(items)}],"next":{next_seq},"has_more":{more}}}'
    return Response(content=body.encode("utf-8"), media_type="application/json")


@router.post(
    "/mutations",
    response_model=MutationsResponse,
    responses=problems(*AUTHENTICATED),
    summary="Apply local changes; one result per mutation, in order",
    description="Each mutation is applied in its own transaction and is idempotent by "
    "`mutation_id`: sent again, it answers `duplicate` and has no second effect. "
    "`conflict` carries the server's current row and the fields in conflict; `rejected` "
    "carries a readable reason. Supported: note/message/offer create, conversation "
    "update, customer create/update, survey create (a survey request, or with `score` an "
    "answer said on a call; like `POST /surveys`, and `info` tells its status, send time and "
    "link).",
)
def mutations(
    body: MutationsRequest,
    principal: AnyUser,
    context: Context,
    runtime: Runtime,
    request: Request,
) -> MutationsResponse:
    limit = context.settings.max_mutations_per_request
    if len(body.mutations) > limit:
        raise ApiProblem(
            422,
            f"At most {limit} mutations per request (got {len(body.mutations)}); send the rest "
            "in the next request.",
            errors=[{"field": "mutations", "message": f"at most {limit} entries"}],
        )
    link_base = runtime.link_base(request)
    applied = [
        apply_mutation(context, principal, mutation, runtime=runtime, link_base=link_base)
        for mutation in body.mutations
    ]
    last_seq = max((a.last_seq for a in applied if a.last_seq is not None), default=None)
    context.announce_change(last_seq)
    for item in applied:
        if item.effects is not None:
            runtime.announce(item.effects, None)  # review cases opened, sends to wake
    return MutationsResponse(results=[a.result for a in applied])
