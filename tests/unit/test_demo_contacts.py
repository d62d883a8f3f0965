"""The demo's conversations, messages, surveys and review cases."""

from __future__ import annotations

import collections
import re
import uuid
from typing import Any

import pytest

from operator_app.demo import DEMO_USERS, REFERENCE_NOW, generate
from operator_app.domain.enums import DEFAULT_FIRST_RESPONSE_SLA, Channel
from operator_app.domain.review_rules import ReviewAction, ReviewOutcome

LOW = {"csat": 2, "nps": 6, "ces": 3}
Rows = dict[str, list[dict[str, Any]]]


def collect(customers: int, **kwargs: Any) -> Rows:
    rows: Rows = collections.defaultdict(list)
    for entity, batch in generate(customers, **kwargs):
        rows[entity].extend(batch)
    return rows


@pytest.fixture(scope="module")
def rows() -> Rows:
    return collect(1500)


def is_hanging(conversation: dict[str, Any]) -> bool:
    last_in, last_out = conversation["last_inbound_at"], conversation["last_outbound_at"]
    if conversation["status"] != "open" or last_in is None:
        return False
    if last_out is not None and last_out >= last_in:
        return False
    return REFERENCE_NOW - last_in > DEFAULT_FIRST_RESPONSE_SLA[Channel(conversation["channel"])]


def test_every_channel_is_used(rows: Rows) -> None:
    assert {c["channel"] for c in rows["conversation"]} == {str(ch) for ch in Channel}


def test_most_conversations_are_resolved_and_some_are_live(rows: Rows) -> None:
    statuses = collections.Counter(c["status"] for c in rows["conversation"])
    total = sum(statuses.values())
    assert statuses["resolved"] / total > 0.9
    assert statuses["open"] >= 20 and statuses["pending"] >= 10
    hanging = [c for c in rows["conversation"] if is_hanging(c)]
    assert len(hanging) >= 10
    assert len({c["channel"] for c in hanging}) >= 4


def test_some_follow_ups_are_due_today(rows: Rows) -> None:
    today = REFERENCE_NOW.date()
    due = [
        c
        for c in rows["conversation"]
        if c["next_follow_up_at"] and c["next_follow_up_at"].date() == today
    ]
    assert len(due) >= 5
    assert all(c["status"] != "resolved" for c in due)


def test_conversation_times_are_consistent(rows: Rows) -> None:
    for c in rows["conversation"]:
        assert c["opened_at"] <= REFERENCE_NOW
        if c["status"] == "resolved":
            assert c["resolved_at"] is not None and c["opened_at"] <= c["resolved_at"]
        else:
            assert c["resolved_at"] is None
        if c["first_response_at"] is not None:
            assert c["first_response_at"] >= c["opened_at"]


def test_assignees_are_demo_users_and_some_contacts_are_unassigned(rows: Rows) -> None:
    usernames = {u.username for u in DEMO_USERS}
    live = [c for c in rows["conversation"] if c["status"] != "resolved"]
    assert {c["assignee"] for c in rows["conversation"]} - {None} <= usernames
    assert any(c["assignee"] == "operator" for c in live)
    assert any(c["assignee"] is None for c in live)


def test_messages_belong_to_their_conversations(rows: Rows) -> None:
    conversations = {c["id"]: c for c in rows["conversation"]}
    by_conversation: dict[uuid.UUID, list[dict[str, Any]]] = collections.defaultdict(list)
    for m in rows["message"]:
        conversation = conversations[m["conversation_id"]]
        assert m["customer_id"] == conversation["customer_id"]
        assert m["body"]
        by_conversation[m["conversation_id"]].append(m)
    assert set(by_conversation) == set(conversations)
    for conversation_id, messages in by_conversation.items():
        c = conversations[conversation_id]
        inbound = [m["sent_at"] for m in messages if m["direction"] == "in"]
        outbound = [m["sent_at"] for m in messages if m["direction"] == "out"]
        assert c["last_inbound_at"] == (max(inbound) if inbound else None)
        assert c["last_outbound_at"] == (max(outbound) if outbound else None)
        assert min(m["sent_at"] for m in messages) == c["opened_at"]


def test_messages_are_in_the_customers_language(rows: Rows) -> None:
    language = {c["id"]: c["language"] for c in rows["customer"]}
    cyrillic = re.compile("[а-яё]", re.IGNORECASE)
    for m in rows["message"][:5000]:
        if language[m["customer_id"]] == "en":
            assert not cyrillic.search(m["body"]), m["body"]
        elif m["direction"] == "in":
            assert cyrillic.search(m["body"]), m["body"]
    assert "{" not in "".join(m["body"] for m in rows["message"])


def test_messages_alternate_and_span_years(rows: Rows) -> None:
    directions = collections.Counter(m["direction"] for m in rows["message"])
    assert directions["in"] > 0 and directions["out"] > 0
    agents = {u.name for u in DEMO_USERS}
    assert {m["author"] for m in rows["message"] if m["direction"] == "out"} <= agents
    times = [m["sent_at"] for m in rows["message"]]
    assert (max(times) - min(times)).days > 3 * 365
    assert max(times) <= REFERENCE_NOW
    assert any(m["attachments"] for m in rows["message"])


@pytest.mark.parametrize("per_customer", [3, 10])
def test_message_volume_follows_the_requested_average(per_customer: int) -> None:
    rows = collect(400, messages_per_customer=per_customer)
    average = len(rows["message"]) / 400
    assert per_customer * 0.85 < average < per_customer * 1.2


def test_low_scores_are_a_realistic_minority_and_open_review_cases(rows: Rows) -> None:
    surveys = rows["survey"]
    answered = [s for s in surveys if s["score"] is not None]
    low = [s for s in answered if s["score"] <= LOW[s["kind"]]]
    assert {s["kind"] for s in surveys} == {"csat", "nps", "ces"}
    assert 0.07 < len(low) / len(answered) < 0.18
    assert any(s["score"] is None and s["answered_at"] is None for s in surveys)
    cases = rows["review_case"]
    assert {c["survey_id"] for c in cases} == {s["id"] for s in low}
    assert {"new", "resolved"} <= {c["status"] for c in cases}
    for case in cases:
        assert len(case["actions"]) == case["version"] - 1
        assert (case["assignee"] is None) == (case["status"] == "new")
    audited = collections.Counter(e["entity_id"] for e in rows["audit_event"])
    assert all(audited[c["id"]] == len(c["actions"]) for c in cases)


def test_review_histories_are_written_as_the_server_writes_them(rows: Rows) -> None:
    """The app reads a case's history by the server's action names ("assign", not the
    status "assigned"); the demo's made-up histories must read the same."""
    actions = [a for c in rows["review_case"] for a in c["actions"]]
    assert {a["action"] for a in actions} <= {a.value for a in ReviewAction}
    assert {"assign", "plan_callback", "resolve"} <= {a["action"] for a in actions}
    for entry in actions:
        if entry["action"] == "compensate":
            assert {"type", "amount", "currency"} <= set(entry["compensation"])
        if entry["action"] == "resolve":
            assert entry["outcome"] in {o.value for o in ReviewOutcome}


def test_surveys_follow_resolved_conversations(rows: Rows) -> None:
    conversations = {c["id"]: c for c in rows["conversation"]}
    for s in rows["survey"]:
        conversation = conversations[s["conversation_id"]]
        assert conversation["status"] == "resolved"
        assert s["sent_at"] >= conversation["resolved_at"]
        assert s["customer_id"] == conversation["customer_id"]
        assert s["answered_at"] is None or s["sent_at"] <= s["answered_at"] <= REFERENCE_NOW
        assert s["channel"] not in ("phone", "other")


def test_customers_carry_their_latest_scores(rows: Rows) -> None:
    latest: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    for s in rows["survey"]:
        key = (s["customer_id"], s["kind"])
        if s["answered_at"] and (
            key not in latest or s["answered_at"] >= latest[key]["answered_at"]
        ):
            latest[key] = s
    for c in rows["customer"]:
        csat = latest.get((c["id"], "csat"))
        nps = latest.get((c["id"], "nps"))
        assert c["last_csat"] == (csat["score"] if csat else None)
        assert c["last_nps"] == (nps["score"] if nps else None)


def test_open_complaints_are_counted(rows: Rows) -> None:
    complaints = collections.Counter(
        c["customer_id"]
        for c in rows["conversation"]
        if c["status"] != "resolved"
        and c["topic"] in ("Жалоба на обслуживание", "Service complaint")
    )
    for c in rows["customer"]:
        assert c["open_complaints"] == complaints.get(c["id"], 0)


def test_notes_are_written_by_the_team(rows: Rows) -> None:
    names = {u.name for u in DEMO_USERS}
    assert rows["note"]
    assert all(n["author"] in names and n["body"] for n in rows["note"])
