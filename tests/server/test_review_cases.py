"""Low scores open review cases; supervisors work them; every step is on the record."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from operator_app.domain.enums import Role
from tests.server.support import EventStream, all_changes, head_seq
from tests.server.surveys_support import SurveyEnv, signature_ok, survey_env, wait_until

__all__ = ["survey_env"]


def _case(env: SurveyEnv, **options: Any) -> dict[str, Any]:
    """A case opened by a low score said on a call (returns the case as listed)."""
    kind = options.pop("kind", "csat")
    score = options.pop("score", 1)
    _, conversation_id = env.conversation(**options)
    created = env.ask(conversation_id, kind, score=score, comment="Плохо")
    assert created["review_case_id"], created
    case: dict[str, Any] = env.api.supervisor.get(
        f"/review-cases/{created['review_case_id']}"
    ).json()
    return case


def _act(env: SurveyEnv, case_id: str, caller: Any = Role.SUPERVISOR, **body: Any) -> Any:
    return env.api[caller].post(f"/review-cases/{case_id}/actions", json=body)


def _next_event(stream: EventStream, kind: str) -> dict[str, Any]:
    while True:
        event = stream.next_event()
        if event.get("event") == kind:
            return event


def test_a_low_answer_opens_a_case_that_supervisors_hear_about(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="webchat", topic="Оплата")
    created = env.ask(conversation_id, "csat")
    since_staff, since_operator = head_seq(env.api.supervisor), head_seq(env.api.operator)
    with EventStream(env.api.supervisor) as supervisor, EventStream(env.api.operator) as operator:
        answer = env.answer(created["url"], 1, "Никто не помог")
        assert answer.status_code == 200 and "Мы разберёмся" in answer.text
        event = _next_event(supervisor, "review_case_opened")["data"]
        assert event["customer_id"] == str(customer_id) and event["score"] == 1
        assert event["kind"] == "csat" and event["channel"] == "webchat"
        assert event["operator"] == "op" and event["customer_name"] == "Мария Тестова"
        # Operators' streams never carry it: the next public event arrives first.
        marker = env.ask(env.conversation()[1], "csat")
        seen = []
        while True:
            item = operator.next_event()
            seen.append(item.get("event"))
            if item.get("event") == "change" and item["data"]["seq"] >= head_seq(env.api.admin):
                break
        assert "review_case_opened" not in seen and marker

    listed = env.api.supervisor.get("/review-cases", params={"status": "new", "limit": 200})
    [case] = [c for c in listed.json()["items"] if c["id"] == event["id"]]
    assert case["survey"]["comment"] == "Никто не помог" and case["channel"] == "webchat"
    assert case["conversation"]["topic"] == "Оплата" and case["customer"]["name"]
    assert case["allowed_actions"][0] == "assign"

    staff_changes = all_changes(env.api.supervisor, since_staff)
    entities = {
        (c["entity"], c["op"]) for c in staff_changes if c["data"] and c["id"] == case["id"]
    }
    assert ("review_case", "create") in entities
    assert not [
        c for c in all_changes(env.api.operator, since_operator) if c["entity"] == "review_case"
    ]

    [alert] = wait_until(
        lambda: [
            r for r in env.webhook.at("/alerts/T000/B000/secret") if case["id"] in r.json()["text"]
        ],
        what="the review alert",
    )
    assert signature_ok(alert)
    assert set(alert.json()) == {"text", "review_case_id"}
    assert "CSAT 1/5" in alert.json()["text"] and "Никто не помог" in alert.json()["text"]


def test_a_case_from_assignment_to_resolution_with_a_complete_trail(survey_env: SurveyEnv) -> None:
    env = survey_env
    case = _case(env, channel="phone")
    case_id = case["id"]
    since = head_seq(env.api.admin)

    assigned = _act(env, case_id, action="assign", note="Беру")
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["case"]["status"] == "assigned"
    assert assigned.json()["case"]["assignee"] == "sup"

    past = (env.clock() - timedelta(hours=1)).isoformat()
    refused = _act(env, case_id, action="plan_callback", callback_at=past)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "callback_at"
    tomorrow = (env.clock() + timedelta(days=1)).isoformat()
    planned = _act(env, case_id, action="plan_callback", callback_at=tomorrow)
    assert planned.json()["case"]["status"] == "callback_planned"

    within = _act(env, case_id, action="compensate", type="discount", amount="500.00")
    assert within.status_code == 200, within.text
    assert within.json()["entry"]["compensation"] == {
        "type": "discount",
        "amount": "500.00",
        "currency": "RUB",
    }
    version = within.json()["case"]["version"]
    over = _act(env, case_id, action="compensate", type="refund", amount="5000")
    assert over.status_code == 403
    assert over.json()["type"].endswith(":over-approval-limit")
    assert "1000.00 RUB" in over.json()["detail"] and "ask an admin" in over.json()["detail"]
    assert env.api.supervisor.get(f"/review-cases/{case_id}").json()["version"] == version
    by_admin = _act(env, case_id, Role.ADMIN, action="compensate", type="refund", amount="5000")
    assert by_admin.status_code == 200, by_admin.text

    resolved = _act(env, case_id, action="resolve", outcome="recovered", note="Клиент доволен")
    body = resolved.json()["case"]
    assert body["status"] == "resolved" and body["resolved_at"]
    assert body["allowed_actions"] == ["note", "send_followup_survey"]
    for late in (
        {"action": "compensate", "type": "gift", "amount": "10"},
        {"action": "assign"},
        {"action": "resolve", "outcome": "recovered"},
    ):
        response = _act(env, case_id, **late)
        assert response.status_code == 409, late
        assert response.json()["type"].endswith(":invalid-transition")
        assert "already resolved" in response.json()["detail"]
    assert _act(env, case_id, action="note", note="Позвонить через месяц").status_code == 200
    followup = _act(env, case_id, action="send_followup_survey")
    assert followup.status_code == 200, followup.text
    survey = followup.json()["survey"]
    assert survey["kind"] == "csat" and survey["url"]  # the once-per-30-days rule yields here

    trail = env.api.supervisor.get(f"/review-cases/{case_id}").json()["actions"]
    assert [(a["action"], a["actor"]) for a in trail] == [
        ("opened", "system"),
        ("assign", "sup"),
        ("plan_callback", "sup"),
        ("compensate", "sup"),
        ("compensate", "adm"),
        ("resolve", "sup"),
        ("note", "sup"),
        ("send_followup_survey", "sup"),
    ]
    assert trail[-1]["survey_id"] == survey["id"] and trail[5]["outcome"] == "recovered"
    audit = [
        c["data"]["action"]
        for c in all_changes(env.api.admin, since)
        if c["entity"] == "audit_event" and c["data"]["entity_id"] == case_id
    ]
    assert audit == [
        "review_case.assign",
        "review_case.plan_callback",
        "review_case.compensate",
        "review_case.compensate",
        "review_case.resolve",
        "review_case.note",
        "review_case.send_followup_survey",
    ]
    versions = [
        c["data"]["version"]
        for c in all_changes(env.api.supervisor, since)
        if c["entity"] == "review_case" and c["id"] == case_id
    ]
    assert versions == list(range(2, 9))


def test_assigning_to_someone_else_and_acting_on_a_stale_version(survey_env: SurveyEnv) -> None:
    env = survey_env
    case = _case(env)
    other = env.add_user(Role.SUPERVISOR)
    assigned = _act(env, case["id"], action="assign", assignee=other.upper(), base_version=1)
    assert assigned.status_code == 200 and assigned.json()["case"]["assignee"] == other
    stale = _act(env, case["id"], action="note", note="x", base_version=1)
    assert stale.status_code == 409 and "version 1" in stale.json()["detail"]
    nobody = _act(env, case["id"], action="assign", assignee="no-such-user")
    assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "assignee"


def test_malformed_actions_are_refused_with_field_errors(survey_env: SurveyEnv) -> None:
    env = survey_env
    case_id = _case(env)["id"]
    bad = [
        {"action": "escalate"},
        {"action": "compensate", "type": "cash", "amount": "10"},
        {"action": "compensate", "type": "gift", "amount": "-5"},
        {"action": "compensate", "type": "gift", "amount": "1.234"},
        {"action": "resolve"},
        {"action": "resolve", "outcome": "happy"},
        {"action": "plan_callback", "callback_at": "2030-01-01T10:00:00"},  # no zone
        {"action": "note", "note": ""},
        {"action": "note", "note": "x" * 2001},
        {"action": "assign", "surprise": True},
    ]
    for body in bad:
        response = _act(env, case_id, **body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"], body
    assert _act(env, str(uuid.uuid4()), action="note", note="x").status_code == 404
    for caller in (Role.OPERATOR,):
        assert _act(env, case_id, caller, action="note", note="x").status_code == 403
        assert env.api[caller].get("/review-cases").status_code == 403


def test_the_queue_filters_and_pages_without_gaps_or_repeats(survey_env: SurveyEnv) -> None:
    env = survey_env
    operator = f"op{secrets.token_hex(3)}"
    made = [
        _case(env, channel="phone", assignee=operator, kind="csat", score=1),
        _case(env, channel="email", assignee=operator, kind="csat", score=2),
        _case(env, channel="webchat", assignee=operator, kind="nps", score=6),
        _case(env, channel="webchat", assignee=operator, kind="nps", score=0),
        _case(env, channel="phone", assignee=operator, kind="ces", score=3),
    ]
    _act(env, made[0]["id"], action="assign")

    def ids(**params: Any) -> list[str]:
        response = env.api.supervisor.get("/review-cases", params={"operator": operator, **params})
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["items"]]

    newest_first = [c["id"] for c in reversed(made)]
    assert ids() == newest_first
    assert ids(channel=["webchat"]) == [made[3]["id"], made[2]["id"]]
    assert set(ids(channel=["phone", "email"])) == {made[0]["id"], made[1]["id"], made[4]["id"]}
    assert ids(kind="nps", max_score=3) == [made[3]["id"]]
    assert set(ids(min_score=2, max_score=3)) == {made[1]["id"], made[4]["id"]}
    assert ids(assignee="me") == [made[0]["id"]]
    assert made[0]["id"] not in ids(assignee="none") and len(ids(assignee="none")) == 4
    assert ids(status=["assigned"]) == [made[0]["id"]]
    assert ids(min_age_hours=1) == []
    env.clock.advance(hours=2)
    try:
        assert ids(min_age_hours=1) == newest_first
    finally:
        env.clock.reset()

    pages, cursor = [], None
    while True:
        params: dict[str, Any] = {"operator": operator, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = env.api.supervisor.get("/review-cases", params=params).json()
        pages.append([c["id"] for c in body["items"]])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for page in pages for i in page] == newest_first
    broken = env.api.supervisor.get("/review-cases", params={"cursor": "bm90IGEgY3Vyc29y"})
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "cursor"
