"""Server-sent events (hints for clients) and the telephony hook that produces screen pops."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse, ServerSentEvent

from operator_app.server.auth import AnyUser, Telephony
from operator_app.server.changelog import latest_seq
from operator_app.server.context import Context, ServerContext
from operator_app.server.events import HubEvent, Subscription
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import IncomingContact, IncomingContactAccepted
from operator_app.server.serialize import dumps
from operator_app.server.telephony import announce_incoming

router = APIRouter(tags=["events"])


_ENCODED_KEPT = 64


class _EncodedEvents:
    """Each hub event encoded once, not once per open stream: every ``change`` goes to
    every stream at once. Entries are matched by identity, so servers sharing a process
    (tests) never see each other's events; each dict operation is atomic under the GIL."""

    def __init__(self) -> None:
        self._recent: OrderedDict[str, tuple[HubEvent, bytes]] = OrderedDict()

    def __call__(self, event: HubEvent) -> bytes:
        kept = self._recent.get(event.id)
        if kept is not None and kept[0] is event:  # the very event, not a namesake
            return kept[1]
        encoded = ServerSentEvent(data=dumps(event.data), event=event.kind, id=event.id).encode()
        self._recent[event.id] = (event, encoded)
        if len(self._recent) > _ENCODED_KEPT:
            self._recent.popitem(last=False)
        return encoded


_sse = _EncodedEvents()


def _latest_seq(context: ServerContext) -> int:
    with context.db.reading() as session:
        return latest_seq(session)


async def _stream(
    context: ServerContext, subscription: Subscription, last_event_id: str | None
) -> AsyncIterator[ServerSentEvent | bytes]:
    hub = context.hub
    try:
        replay = hub.replay(last_event_id, subscription.username)
        if replay.stale or not last_event_id:
            # Missed hints cannot be replayed: say where the feed is; the client pulls.
            seq = await run_in_threadpool(_latest_seq, context)
            yield ServerSentEvent(data=dumps({"seq": seq, "resync": replay.stale}), event="change")
        sent = 0
        for event in replay.events:
            sent = event.number
            yield _sse(event)
        while True:
            queued = await subscription.queue.get()
            if queued is None:
                return
            if subscription.overflowed:
                subscription.overflowed = False
                seq = await run_in_threadpool(_latest_seq, context)
                yield ServerSentEvent(data=dumps({"seq": seq, "resync": True}), event="change")
            if queued.number > sent:  # replayed already when it raced the subscription
                sent = queued.number
                yield _sse(queued)
    finally:
        hub.unsubscribe(subscription)


@router.get(
    "/events",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Event stream"},
        **problems(*AUTHENTICATED),
    },
    summary="Server-sent events: `change` (new seq in the feed), `incoming_contact`",
    description="Hints only; the change feed is the truth. Resume with `Last-Event-ID`; "
    "if the server no longer holds the missed events (or restarted) the stream opens with "
    "a `change` event carrying `resync: true`. Comment lines are heartbeats.",
)
async def events(
    principal: AnyUser,
    context: Context,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=100)] = None,
) -> EventSourceResponse:
    settings = context.settings
    # Subscribed before the response starts: once a client has the headers, nothing
    # published afterwards can miss its stream.
    subscription = context.hub.subscribe(principal.username)
    return EventSourceResponse(
        _stream(context, subscription, last_event_id),
        ping=settings.event_ping_seconds,
        send_timeout=settings.event_send_timeout_seconds,
    )


@router.post(
    "/telephony/incoming",
    status_code=202,
    response_model=IncomingContactAccepted,
    responses=problems(*AUTHENTICATED),
    summary="PBX/CTI: a contact is arriving; pops the customer's card",
    description="Allowed for telephony integration tokens (`operator-app-server "
    "create-integration-token`) and admins. The phone may be in any format. Emits "
    "`incoming_contact` {phone, customer_ids, channel, operator, at} to the named "
    "operator's streams, or to every stream when no operator is named.",
)
def incoming(
    body: IncomingContact,
    principal: Telephony,
    context: Context,
) -> IncomingContactAccepted:
    return announce_incoming(
        context, phone=body.phone, channel=body.channel, operator=body.operator
    )
