"""Survey requests queued offline: the ``survey`` create mutation, like POST /surveys."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.server.support import EventStream, all_changes, head_seq, mutation, send
from tests.server.surveys_support import SurveyEnv, survey_env

__all__ = ["survey_env"]


def _ask(env: SurveyEnv, conversation_id: uuid.UUID, **data: Any) -> dict[str, Any]:
    request = mutation("survey", "create", {"conversation_id": str(conversation_id), **data})
    [result] = send(env.api.operator, request)
    result["survey_id"] = request["id"]
    result["request"] = request
    return result


def test_a_queued_request_sends_the_policy_kind_once(survey_env: SurveyEnv) -> None:
    env = survey_env
    _, conversation_id = env.conversation(channel="phone", consent=[])
    since = head_seq(env.api.operator)
    result = _ask(env, conversation_id, kind=None)
    assert result["status"] == "applied", result
    info = result["info"]
    assert info["status"] == "link_only" and info["kind"] == "csat"  # the policy's default
    assert env.page(info["url"]).status_code == 200
    # The same mutation again (a replay after a lost answer) has no second effect.
    [again] = send(env.api.operator, result["request"])
    assert again["status"] == "duplicate"
    surveys = [c for c in all_changes(env.api.operator, since) if c["entity"] == "survey"]
    assert [(c["id"], c["op"]) for c in surveys] == [(result["survey_id"], "create")]
    state = env.api.operator.get(f"/surveys/{result['survey_id']}").json()
    assert state["kind"] == "csat" and state["conversation_id"] == str(conversation_id)


def test_asked_too_recently_is_refused_with_the_reason(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, first = env.conversation(channel="phone")
    assert _ask(env, first, kind="csat")["status"] == "applied"
    _, second = env.conversation(channel="webchat", customer_id=customer_id)
    refused = _ask(env, second, kind="nps")
    assert refused["status"] == "rejected"
    assert "one survey per 30 days" in refused["error"] and "from " in refused["error"]
    assert env.api.operator.get(f"/surveys/{refused['survey_id']}").status_code == 404


def test_quiet_hours_come_back_as_scheduled(survey_env: SurveyEnv) -> None:
    env = survey_env
    zone = "Asia/Vladivostok"
    local_now = env.clock().astimezone(ZoneInfo(zone))
    start = (local_now - timedelta(hours=1)).strftime("%H:%M")
    end = (local_now + timedelta(hours=2)).strftime("%H:%M")
    with env.policy(quiet_hours={"start": start, "end": end}):
        _, conversation_id = env.conversation(channel="email", timezone=zone)
        result = _ask(env, conversation_id, kind="csat")
    assert result["status"] == "applied" and result["info"]["status"] == "scheduled"
    send_at = datetime.fromisoformat(result["info"]["send_at"].replace("Z", "+00:00"))
    assert send_at > env.clock() + timedelta(hours=1)


def test_a_low_score_said_on_a_call_opens_a_case_and_tells_supervisors(
    survey_env: SurveyEnv,
) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="phone")
    with EventStream(env.api.supervisor) as stream:
        result = _ask(env, conversation_id, kind="csat", score=2)
        while (event := stream.next_event()).get("event") != "review_case_opened":
            pass
    assert result["status"] == "applied" and result["info"]["status"] == "answered"
    case_id = result["info"]["review_case_id"]
    assert event["data"]["id"] == case_id and event["data"]["score"] == 2
    case = env.api.supervisor.get(f"/review-cases/{case_id}").json()
    # The survey keeps the client's id, so the client's cached row is the server's row.
    assert case["survey"]["id"] == result["survey_id"]
    assert case["customer"]["id"] == str(customer_id)


def test_bad_survey_requests_say_which_field(survey_env: SurveyEnv) -> None:
    env = survey_env
    _, conversation_id = env.conversation(channel="phone")
    cases = [
        ({"kind": "smiley"}, "kind"),
        ({"kind": "csat", "score": 7}, "score"),
        ({"kind": "csat", "score": "5"}, "score"),
        ({"kind": "csat", "channel": "sms"}, "channel"),
    ]
    for data, field in cases:
        result = _ask(env, conversation_id, **data)
        assert result["status"] == "rejected" and field in result["error"], (data, result)
    missing = _ask(env, uuid.uuid4(), kind="csat")
    assert missing["status"] == "rejected" and "no conversation" in missing["error"]
