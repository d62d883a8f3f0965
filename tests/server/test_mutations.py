"""Mutations: exactly-once effects, merge vs conflict, append-only records, validation."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest

from operator_app.domain.enums import Role
from operator_app.server.serialize import json_datetime
from tests.server.conftest import ServerHandle, utc
from tests.server.support import all_changes, client_for, mutation, new_customer, send


def _changes_for(server: ServerHandle, since: int, entity_id: uuid.UUID) -> list[dict[str, Any]]:
    return [c for c in all_changes(server.api.admin, since=since) if c["id"] == str(entity_id)]


def test_the_same_batch_twice_has_one_effect(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = new_customer(client)
    start = server.head()
    note_id, other_note_id = uuid.uuid4(), uuid.uuid4()
    batch = [
        mutation(
            "note",
            "create",
            {"customer_id": str(customer_id), "body": "called back"},
            entity_id=note_id,
        ),
        mutation("customer", "update", {"tags": ["vip"]}, entity_id=customer_id, base_version=1),
        mutation(
            "note",
            "create",
            {"customer_id": str(customer_id), "body": "second"},
            entity_id=other_note_id,
        ),
    ]
    first = send(client, *batch)
    assert [r["status"] for r in first] == ["applied", "applied", "applied"]
    head_after_first = server.head()
    second = send(client, *batch)
    assert [r["status"] for r in second] == ["duplicate", "duplicate", "duplicate"]
    assert [r["version"] for r in second] == [r["version"] for r in first]
    assert server.head() == head_after_first  # nothing new in the log
    assert len(_changes_for(server, start, note_id)) == 1
    assert len(_changes_for(server, start, customer_id)) == 1


def test_concurrent_replays_apply_once(server: ServerHandle) -> None:
    customer_id = new_customer(server.api.operator)
    start = server.head()
    note_id = uuid.uuid4()
    same = mutation(
        "note", "create", {"customer_id": str(customer_id), "body": "once"}, entity_id=note_id
    )
    statuses: list[str] = []
    barrier = threading.Barrier(6)

    def replay(token: str) -> None:
        with client_for(server.base_url, token) as client:
            barrier.wait()
            [result] = send(client, same)
            statuses.append(result["status"])

    threads = [
        threading.Thread(target=replay, args=(server.new_token(Role.OPERATOR),)) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["applied"] + ["duplicate"] * 5
    assert len(_changes_for(server, start, note_id)) == 1


def test_a_mutation_id_cannot_be_reused_for_another_change(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = new_customer(client)
    mutation_id = uuid.uuid4()
    note = {"customer_id": str(customer_id), "body": "x"}
    [first] = send(client, mutation("note", "create", note, mutation_id=mutation_id))
    [other] = send(client, mutation("note", "create", note, mutation_id=mutation_id))
    assert first["status"] == "applied"
    assert other["status"] == "rejected"
    assert "already used" in other["error"]


def test_edits_of_different_fields_merge(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = new_customer(client)
    [a] = send(
        client,
        mutation("customer", "update", {"tags": ["vip"]}, entity_id=customer_id, base_version=1),
    )
    # Another operator edited e-mails on version 1 too: no overlap, so both stay.
    [b] = send(
        server.api.supervisor,
        mutation(
            "customer",
            "update",
            {"emails": ["Petr@Example.COM"]},
            entity_id=customer_id,
            base_version=1,
        ),
    )
    assert (a["status"], a["version"]) == ("applied", 2)
    assert (b["status"], b["version"]) == ("applied", 3)
    row = client.get(f"/customers/{customer_id}").json()
    assert row["tags"] == ["vip"]
    assert row["emails"] == ["Petr@example.com"]
    assert row["version"] == 3


def test_edits_of_the_same_field_conflict_with_both_values_available(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = new_customer(client, phones=["+79161112233"])
    [a] = send(
        client,
        mutation(
            "customer",
            "update",
            {"phones": ["+79161112233", "89162223344"]},
            entity_id=customer_id,
            base_version=1,
        ),
    )
    assert a["status"] == "applied"
    start = server.head()
    [b] = send(
        server.api.supervisor,
        mutation(
            "customer",
            "update",
            {"phones": ["+79165556677"], "tags": ["new"]},
            entity_id=customer_id,
            base_version=1,
        ),
    )
    assert b["status"] == "conflict"
    assert b["conflicts"] == ["phones"]
    assert b["version"] == 2
    assert b["current"]["phones"] == ["+79161112233", "+79162223344"]
    assert b["current"]["version"] == 2
    assert "phones" in b["error"]
    assert server.head() == start  # a conflict changes nothing, not even the other field
    assert client.get(f"/customers/{customer_id}").json()["tags"] == []
    # The operator chose: resend on the current version, and it applies.
    [c] = send(
        server.api.supervisor,
        mutation(
            "customer",
            "update",
            {"phones": ["+79165556677"]},
            entity_id=customer_id,
            base_version=2,
        ),
    )
    assert (c["status"], c["version"]) == ("applied", 3)


def test_setting_the_value_the_server_already_has_is_not_a_conflict(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = new_customer(client)
    send(
        client,
        mutation(
            "customer", "update", {"consent_marketing": True}, entity_id=customer_id, base_version=1
        ),
    )
    [same] = send(
        server.api.admin,
        mutation(
            "customer", "update", {"consent_marketing": True}, entity_id=customer_id, base_version=1
        ),
    )
    assert (same["status"], same["version"]) == ("applied", 2)


def test_customer_edits_keep_phone_lookup_and_name_key_in_step(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = new_customer(client, phones=["+79031234567"])
    send(
        client,
        mutation(
            "customer",
            "update",
            {"phones": ["8 (903) 765-43-21"], "last_name": "Ёжиков"},
            entity_id=customer_id,
            base_version=1,
        ),
    )
    row = client.get(f"/customers/{customer_id}").json()
    assert row["phones"] == ["+79037654321"]
    assert row["name_key"].startswith("ежиков")
    found = client.get("/customers", params={"q": "89037654321"}).json()["items"]
    assert [r["id"] for r in found] == [str(customer_id)]
    assert client.get("/customers", params={"q": "+79031234567"}).json()["items"] == []


def test_append_only_records_never_conflict(server: ServerHandle) -> None:
    client = server.api.operator
    conversation_id = server.data["conversation_id"]
    customer_id = server.data["customer_id"]
    # The conversation moves on (another operator resolves it)...
    before = next(c for c in reversed(all_changes(client)) if c["id"] == str(conversation_id))
    version = before["data"]["version"]
    [resolved] = send(
        server.api.supervisor,
        mutation(
            "conversation",
            "update",
            {"status": "resolved"},
            entity_id=conversation_id,
            base_version=version,
        ),
    )
    assert resolved["status"] == "applied"
    # ...and replies/notes made offline on an old version still go in.
    sent_at = server.clock() - timedelta(minutes=5)
    reply, note, offer = (
        mutation(
            "message",
            "create",
            {
                "conversation_id": str(conversation_id),
                "body": "Готово!",
                "sent_at": json_datetime(sent_at),
            },
            base_version=1,
        ),
        mutation(
            "note", "create", {"customer_id": str(customer_id), "body": "offline"}, base_version=7
        ),
        mutation(
            "offer",
            "create",
            {
                "customer_id": str(customer_id),
                "reason_code": "upgrade",
                "outcome": "declined",
                "outcome_reason": "expensive",
                "product_id": str(server.data["product_id"]),
                "score": 0.7,
            },
        ),
    )
    start = server.head()
    results = send(client, reply, note, offer)
    assert [r["status"] for r in results] == ["applied"] * 3
    changes = all_changes(server.api.admin, since=start)
    message = next(c for c in changes if c["id"] == reply["id"])["data"]
    assert message["direction"] == "out"
    assert message["author"] == "Test operator"
    assert message["customer_id"] == str(customer_id)
    assert utc(message["sent_at"]) == sent_at
    conversation = [c for c in changes if c["id"] == str(conversation_id)][-1]["data"]
    assert conversation["status"] == "resolved"  # untouched by the reply
    assert conversation["version"] == version + 2  # resolved, then stamped by the reply
    assert conversation["last_outbound_at"] == message["sent_at"]
    offer_row = next(c for c in changes if c["id"] == offer["id"])["data"]
    assert offer_row["by_user"] == "op"


def test_conversation_update_stamps_resolution_and_checks_assignee(server: ServerHandle) -> None:
    client = server.api.operator
    conversation_id = server.data["conversation_id"]
    latest = [c for c in all_changes(client) if c["id"] == str(conversation_id)][-1]["data"]
    follow_up = json_datetime(server.clock() + timedelta(days=1))
    [result] = send(
        client,
        mutation(
            "conversation",
            "update",
            {"status": "pending", "next_follow_up_at": follow_up, "assignee": "sup"},
            entity_id=conversation_id,
            base_version=latest["version"],
        ),
    )
    assert result["status"] == "applied", result
    row = [c for c in all_changes(client) if c["id"] == str(conversation_id)][-1]["data"]
    assert (row["status"], row["assignee"], row["resolved_at"]) == ("pending", "sup", None)
    assert utc(row["next_follow_up_at"]) == utc(follow_up)
    [unknown] = send(
        client,
        mutation(
            "conversation",
            "update",
            {"assignee": "ghost"},
            entity_id=conversation_id,
            base_version=row["version"],
        ),
    )
    assert unknown["status"] == "rejected"
    assert "ghost" in unknown["error"]


def test_customer_create_from_an_unknown_caller(server: ServerHandle) -> None:
    client = server.api.operator
    customer_id = uuid.uuid4()
    [created] = send(
        client,
        mutation(
            "customer",
            "create",
            {"phones": ["8 912 765 43 21"], "channel_of_origin": "phone"},
            entity_id=customer_id,
        ),
    )
    assert (created["status"], created["version"]) == ("applied", 1)
    row = client.get(f"/customers/{customer_id}").json()
    assert row["phones"] == ["+79127654321"]
    assert row["tier"] == "standard"
    [again] = send(
        client, mutation("customer", "create", {"phones": ["+79127654321"]}, entity_id=customer_id)
    )
    assert again["status"] == "rejected"
    assert "already exists" in again["error"]


CUSTOMER = "customer-placeholder"


@pytest.mark.parametrize(
    ("entity", "op", "data", "base_version", "message"),
    [
        ("planet", "create", {}, None, "unknown entity"),
        ("product", "update", {"name": "x"}, 1, "cannot be changed"),
        ("note", "delete", {}, None, "not supported"),
        ("note", "create", {"customer_id": CUSTOMER, "body": "x", "mood": "happy"}, None, "'mood'"),
        ("note", "create", {"customer_id": CUSTOMER}, None, "needs body"),
        ("note", "create", {"customer_id": CUSTOMER, "body": 42}, None, "body: expected text"),
        ("note", "create", {"customer_id": CUSTOMER, "body": "x" * 10_001}, None, "at most 10000"),
        ("note", "create", {"customer_id": CUSTOMER, "body": "   "}, None, "must not be empty"),
        ("note", "create", {"customer_id": "not-an-id", "body": "x"}, None, "not an id"),
        (
            "note",
            "create",
            {"customer_id": str(uuid.UUID(int=1)), "body": "x"},
            None,
            "no customer",
        ),
        (
            "note",
            "create",
            {"customer_id": CUSTOMER, "body": "x", "created_at": "2024-01-01T10:00:00"},
            None,
            "no time zone",
        ),
        ("customer", "update", {"phones": ["+79161234567", "12"]}, 1, "'12' is not a phone"),
        ("customer", "update", {"emails": ["nope"]}, 1, "not an e-mail"),
        ("customer", "update", {"consent_marketing": "yes"}, 1, "true or false"),
        ("customer", "update", {"consent_channels": ["pigeon"]}, 1, "not one of"),
        ("customer", "update", {"first_name": "a\x00b"}, 1, "control characters"),
        ("customer", "update", {"tags": ["x"] * 51}, 1, "at most 50"),
        ("customer", "update", {"language": "Russian"}, 1, "language code"),
        ("customer", "update", {"tier": "platinum"}, 1, "'tier'"),
        ("customer", "update", {"tags": ["a"]}, None, "needs base_version"),
        ("customer", "update", {"tags": ["a"]}, 99, "newer than the server"),
        ("customer", "create", {"tags": ["a"]}, None, "needs a name, a phone"),
        ("conversation", "update", {"status": "closed"}, 1, "not one of"),
    ],
)
def test_invalid_mutations_are_rejected_with_a_reason(
    server: ServerHandle,
    entity: str,
    op: str,
    data: dict[str, Any],
    base_version: int | None,
    message: str,
) -> None:
    customer_id = server.data["other_customer_id"]
    data = {k: (str(customer_id) if v == CUSTOMER else v) for k, v in data.items()}
    target = customer_id if entity == "customer" and op == "update" else uuid.uuid4()
    if entity == "conversation":
        target = server.data["conversation_id"]
    start = server.head()
    [result] = send(
        server.api.operator, mutation(entity, op, data, entity_id=target, base_version=base_version)
    )
    assert result["status"] == "rejected", result
    assert message in result["error"]
    assert server.head() == start


def test_a_rejected_mutation_does_not_stop_the_rest_of_the_batch(server: ServerHandle) -> None:
    customer_id = server.data["other_customer_id"]
    good = mutation("note", "create", {"customer_id": str(customer_id), "body": "ok"})
    bad = mutation("note", "create", {"customer_id": str(customer_id)})
    statuses = [
        r["status"]
        for r in send(
            server.api.operator,
            good,
            bad,
            good | {"mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4())},
        )
    ]
    assert statuses == ["applied", "rejected", "applied"]


def test_future_client_times_are_pulled_back_to_now(server: ServerHandle) -> None:
    customer_id = server.data["other_customer_id"]
    future = json_datetime(server.clock() + timedelta(days=3))
    note = mutation(
        "note", "create", {"customer_id": str(customer_id), "body": "skewed", "created_at": future}
    )
    start = server.head()
    send(server.api.operator, note)
    row = next(c for c in all_changes(server.api.admin, since=start) if c["id"] == note["id"])
    assert utc(row["data"]["created_at"]) <= server.clock()


def test_malformed_envelopes_and_oversized_batches_are_422(server: ServerHandle) -> None:
    client = server.api.operator
    bad = client.post("/mutations", json={"mutations": [{"entity": "note"}]})
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"mutations.0.mutation_id", "mutations.0.id", "mutations.0.op"} <= fields
    limit = server.context.settings.max_mutations_per_request
    many = [mutation("note", "create", {}) for _ in range(limit + 1)]
    too_many = client.post("/mutations", json={"mutations": many})
    assert too_many.status_code == 422
    assert "At most" in too_many.json()["detail"]
