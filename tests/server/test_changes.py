"""The change feed: ordered, gap-free paging, role scope, JSON-friendly snapshots."""

from __future__ import annotations

import threading
import uuid
from decimal import Decimal

from operator_app.domain.enums import Role
from tests.server.conftest import ServerHandle, utc
from tests.server.support import all_changes, client_for, mutation, new_customer, send


def test_pages_are_ordered_and_gap_free(server: ServerHandle) -> None:
    client = server.api.operator
    start = server.head()
    customer_id = new_customer(client)
    note_ids = [uuid.uuid4() for _ in range(23)]
    send(
        client,
        *(
            mutation(
                "note",
                "create",
                {"customer_id": str(customer_id), "body": f"n{i}"},
                entity_id=note_id,
            )
            for i, note_id in enumerate(note_ids)
        ),
    )
    seen: list[int] = []
    since = start
    pages = 0
    while True:
        page = client.get("/changes", params={"since": since, "limit": 5}).json()
        pages += 1
        assert len(page["changes"]) <= 5
        seqs = [c["seq"] for c in page["changes"]]
        assert seqs == sorted(seqs) and all(s > since for s in seqs)
        if page["changes"]:
            assert page["next"] == seqs[-1]
        seen += seqs
        since = page["next"]
        if not page["has_more"]:
            break
    assert pages == 5  # 24 changes (customer + 23 notes) in pages of 5
    assert len(seen) == len(set(seen)) == 24
    every = all_changes(server.api.admin, since=start)
    operator_visible = [c["seq"] for c in every if c["entity"] not in {"user", "audit_event"}]
    assert seen == operator_visible
    noted = [uuid.UUID(c["id"]) for c in all_changes(client, since=start) if c["entity"] == "note"]
    assert noted == note_ids  # in the order they were applied


def test_nothing_is_skipped_while_writers_commit_concurrently(server: ServerHandle) -> None:
    """A reader paging during concurrent writes ends with exactly the log's content."""
    start = server.head()
    customer_id = new_customer(server.api.operator)
    errors: list[BaseException] = []

    def write(token: str) -> None:
        try:
            with client_for(server.base_url, token) as client:
                for i in range(10):
                    data = {"customer_id": str(customer_id), "body": f"concurrent {i}"}
                    [result] = send(client, mutation("note", "create", data))
                    assert result["status"] == "applied"
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(server.new_token(Role.OPERATOR),)) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    reader = server.api.supervisor
    collected: list[dict] = []
    since = start
    finished = False
    while True:
        page = reader.get("/changes", params={"since": since, "limit": 3}).json()
        collected += page["changes"]
        since = page["next"]
        if not page["has_more"]:
            if finished:
                break
            if not any(t.is_alive() for t in threads):
                finished = True  # one more round after the last commit
    for thread in threads:
        thread.join()
    assert not errors, errors
    truth = all_changes(server.api.supervisor, since=start)
    assert [c["seq"] for c in collected] == [c["seq"] for c in truth]
    assert sum(1 for c in truth if c["entity"] == "note") == 60


def test_role_scope_hides_admin_entities(server: ServerHandle) -> None:
    start = server.head()
    username = server.add_user(Role.OPERATOR)  # writes a user row and an audit row
    admin = all_changes(server.api.admin, since=start)
    assert {c["entity"] for c in admin} == {"user", "audit_event"}
    user_row = next(c for c in admin if c["entity"] == "user")["data"]
    assert user_row["username"] == username
    assert "password_hash" not in user_row
    for role in (Role.OPERATOR, Role.SUPERVISOR):
        page = server.api[role].get("/changes", params={"since": start}).json()
        assert page["changes"] == []
        assert page["next"] == start and page["has_more"] is False


def test_snapshots_are_json_friendly_and_complete(server: ServerHandle) -> None:
    changes = all_changes(server.api.operator)
    customer = next(
        c
        for c in changes
        if c["entity"] == "customer" and c["id"] == str(server.data["customer_id"])
    )
    data = customer["data"]
    assert customer["op"] == "create"
    assert data["id"] == str(server.data["customer_id"])
    assert data["historical_clv"] == "1234.50"
    assert Decimal(data["historical_clv"]) == Decimal("1234.5")
    assert data["phones"] == ["+79123456789"]
    assert data["version"] == 1
    assert utc(data["updated_at"]).tzinfo is not None and data["updated_at"].endswith("Z")
    assert data["customer_since"].count("-") == 2  # a plain ISO date
    conversation = next(c for c in changes if c["id"] == str(server.data["conversation_id"]))
    assert conversation["data"]["opened_at"].endswith("Z")


def test_bad_paging_parameters_are_refused(server: ServerHandle) -> None:
    client = server.api.operator
    for params in ({"since": -1}, {"since": "x"}, {"limit": 0}, {"limit": "many"}):
        response = client.get("/changes", params=params)
        assert response.status_code == 422, params
        body = response.json()
        assert body["type"] == "urn:operator-app:problem:validation-failed"
        assert body["errors"][0]["field"] in {"since", "limit"}
    big = client.get("/changes", params={"limit": 100_000}).json()
    assert len(big["changes"]) <= server.context.settings.changes_max_limit
