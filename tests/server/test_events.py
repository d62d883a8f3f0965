"""The event stream: change hints, screen pops, resuming with Last-Event-ID, heartbeats."""

from __future__ import annotations

import uuid

from sse_starlette import ServerSentEvent

from operator_app.domain.enums import Role
from operator_app.server.events import HubEvent
from operator_app.server.routes.events import _EncodedEvents
from tests.server.conftest import ServerHandle
from tests.server.support import EventStream, mutation, send


def pop(
    server: ServerHandle, phone: str, operator: str | None = None, caller: object = "telephony"
):
    body = {"phone": phone, "channel": "phone"} | ({"operator": operator} if operator else {})
    return server.api[caller].post("/telephony/incoming", json=body)


def test_a_stream_opens_with_the_feed_position_and_hints_new_changes(server: ServerHandle) -> None:
    with EventStream(server.api.operator) as stream:
        opening = stream.next_event()
        assert opening["event"] == "change"
        assert opening["data"] == {"seq": server.head(), "resync": False}
        note = {"customer_id": str(server.data["customer_id"]), "body": "hint me"}
        [result] = send(server.api.supervisor, mutation("note", "create", note))
        assert result["status"] == "applied"
        hint = stream.next_event()
    assert hint["event"] == "change"
    assert hint["data"]["seq"] == server.head()
    assert hint["id"]


def test_telephony_pops_the_card_on_the_named_operators_stream(server: ServerHandle) -> None:
    with EventStream(server.api.operator) as mine, EventStream(server.api.supervisor) as other:
        mine.next_event(), other.next_event()  # opening hints: both streams are live
        targeted = pop(server, "8 (912) 345-67-89", operator="OP")
        assert targeted.status_code == 202, targeted.text
        accepted = targeted.json()
        assert accepted["phone"] == "+79123456789"
        assert str(server.data["customer_id"]) in accepted["customer_ids"]
        assert accepted["operator"] == "op"
        broadcast = pop(server, "+7 999 000-11-22", caller=Role.ADMIN)
        assert broadcast.status_code == 202

        first = mine.next_event()
        assert first["event"] == "incoming_contact"
        assert first["id"] == accepted["event_id"]
        assert first["data"]["phone"] == "+79123456789"
        assert first["data"]["customer_ids"] == accepted["customer_ids"]
        assert first["data"]["channel"] == "phone"
        assert mine.next_event()["data"]["phone"] == "+79990001122"
        # The supervisor's stream never saw the pop meant for "op".
        seen = other.next_event()
    assert seen["data"]["phone"] == "+79990001122"
    assert str(server.data["other_customer_id"]) in seen["data"]["customer_ids"]


def test_unknown_callers_pop_with_no_customer(server: ServerHandle) -> None:
    response = pop(server, "+44 20 7946 0958")
    assert response.status_code == 202
    assert response.json()["customer_ids"] == []
    assert response.json()["phone"] == "+442079460958"


def test_telephony_refuses_bad_phones_and_unknown_operators(server: ServerHandle) -> None:
    bad_phone = pop(server, "not a phone")
    assert bad_phone.status_code == 422
    assert bad_phone.json()["errors"][0]["field"] == "phone"
    unknown = pop(server, "+79123456789", operator="nobody")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "operator"


def test_resuming_with_last_event_id_replays_only_what_was_missed(server: ServerHandle) -> None:
    supervisor = server.api.supervisor
    with EventStream(supervisor) as stream:
        stream.next_event()
        assert pop(server, "+79990001122").status_code == 202
        last = stream.next_event()
    missed = [pop(server, "+7 999 000-11-22") for _ in range(2)]
    assert pop(server, "+79123456789", operator="op").status_code == 202  # not for supervisor
    with EventStream(supervisor, last_event_id=last["id"]) as resumed:
        replayed = [resumed.next_event(), resumed.next_event()]
        assert [e["id"] for e in replayed] == [m.json()["event_id"] for m in missed]
        assert all(e["event"] == "incoming_contact" for e in replayed)
        live = pop(server, "+79990001122").json()["event_id"]
        assert resumed.next_event()["id"] == live  # and then it carries on live


def test_a_stale_or_foreign_event_id_asks_for_a_resync(server: ServerHandle) -> None:
    for last_event_id in (
        f"{uuid.uuid4().hex[:8]}-3",
        "garbage",
        f"{server.context.hub.boot}-999999",
    ):
        with EventStream(server.api.operator, last_event_id=last_event_id) as stream:
            opening = stream.next_event()
        assert opening["event"] == "change"
        assert opening["data"]["resync"] is True
        assert opening["data"]["seq"] == server.head()


def test_events_older_than_the_ring_ask_for_a_resync(server: ServerHandle) -> None:
    with EventStream(server.api.operator) as stream:
        stream.next_event()
        assert pop(server, "+79990001122").status_code == 202
        first = stream.next_event()
    for _ in range(server.context.settings.event_ring_size + 1):
        pop(server, "+79990001122")
    with EventStream(server.api.operator, last_event_id=first["id"]) as stream:
        opening = stream.next_event()
    assert opening["event"] == "change" and opening["data"]["resync"] is True


def test_heartbeat_comments_keep_an_idle_stream_alive(server: ServerHandle) -> None:
    with EventStream(server.api.admin) as stream:
        stream.next_event()
        lines = [stream.next_line(timeout=10) for _ in range(2)]
    assert any(line.startswith(":") for line in lines)


def test_a_hub_event_is_encoded_once_for_every_stream_and_namesakes_keep_their_data() -> None:
    encode = _EncodedEvents()
    event = HubEvent(1, "aaaa-1", "change", {"seq": 7}, None)
    # Another server in the same process may hand out the same id for other data.
    namesake = HubEvent(1, "aaaa-1", "change", {"seq": 8}, None)
    once = encode(event)
    assert once == ServerSentEvent(data='{"seq":7}', event="change", id="aaaa-1").encode()
    assert encode(event) is once
    assert b'"seq":8' in encode(namesake)
    assert b'"seq":7' in encode(event)
