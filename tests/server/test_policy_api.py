"""The admin policy: stored, validated field by field, versioned, synced to every client;
and the pure rules behind it (quiet hours, review-case transitions)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest

from operator_app.domain.enums import ReviewStatus
from operator_app.domain.quiet_hours import QuietHours, next_send_time, parse_clock
from operator_app.domain.review_rules import (
    InvalidTransition,
    ReviewAction,
    allowed_actions,
    next_status,
)
from operator_app.server.db import Database
from operator_app.server.policy import DEFAULT_POLICY, POLICY_ID, load_policy
from operator_app.server.schema import upgrade_to_head
from tests.server.support import all_changes, head_seq
from tests.server.surveys_support import BASELINE_POLICY, SurveyEnv, survey_env

__all__ = ["survey_env"]


def test_an_admin_reads_and_replaces_the_policy_and_clients_get_it(survey_env: SurveyEnv) -> None:
    env = survey_env
    current = env.api.admin.get("/admin/policy")
    assert current.status_code == 200
    version = current.json()["version"]
    assert current.headers["etag"] == f'"{version}"' and current.json()["updated_by"] == "adm"
    since = head_seq(env.api.operator)
    document = {
        **BASELINE_POLICY,
        "rules": [{"kind": "nps", "channels": ["email", "phone"], "delay_minutes": 30}],
        "low_score": {"csat": 3, "nps": 5, "ces": 2},
        "compensation_limits": {"supervisor": "250.50", "admin": 5000},
        "first_response_sla_seconds": {"webchat": 120},
    }
    try:
        saved = env.api.admin.put(
            "/admin/policy", json=document, headers={"If-Match": f'"{version}"'}
        )
        assert saved.status_code == 200, saved.text
        body = saved.json()
        assert body["version"] == version + 1 and saved.headers["etag"] == f'"{version + 1}"'
        policy = body["policy"]
        assert policy["compensation_limits"] == {"supervisor": "250.50", "admin": "5000"}
        # Channels left out keep their default SLA.
        assert policy["first_response_sla_seconds"]["webchat"] == 120
        assert policy["first_response_sla_seconds"]["email"] == 4 * 3600

        [change] = [c for c in all_changes(env.api.operator, since) if c["entity"] == "policy"]
        assert change["id"] == str(POLICY_ID) and change["data"]["version"] == version + 1
        assert change["data"]["document"]["low_score"] == {"csat": 3, "nps": 5, "ces": 2}

        # The same document again changes nothing.
        same = env.api.admin.put("/admin/policy", json=document)
        assert same.json()["version"] == version + 1
        stale = env.api.admin.put(
            "/admin/policy", json=document, headers={"If-Match": f'"{version}"'}
        )
        assert stale.status_code == 412 and "reload it" in stale.json()["detail"]

        # The thresholds now decide: CSAT 3 is low, NPS 6 is not.
        _, conversation_id = env.conversation(channel="phone")
        assert env.ask(conversation_id, "csat", score=3)["review_case_id"]
        assert env.ask(conversation_id, "nps", score=6)["review_case_id"] is None
    finally:
        env.api.admin.put("/admin/policy", json=BASELINE_POLICY)
    audit = [
        c["data"]
        for c in all_changes(env.api.admin, since)
        if c["entity"] == "audit_event" and c["data"]["action"] == "policy_updated"
    ]
    assert audit and audit[0]["actor"] == "adm"


@pytest.mark.parametrize(
    ("document", "fields"),
    [
        ({"low_score": {"csat": 9, "nps": -1}}, {"low_score.csat", "low_score.nps"}),
        ({"quiet_hours": {"start": "25:00", "end": "9"}}, {"quiet_hours.start", "quiet_hours.end"}),
        ({"quiet_hours": {"start": "21:00", "end": "21:00"}}, {"quiet_hours"}),
        ({"languages": ["de"], "default_language": "de"}, {"languages", "default_language"}),
        ({"languages": ["en"], "default_language": "ru"}, {"default_language"}),
        ({"rules": [{"kind": "smiley"}]}, {"rules.0.kind"}),
        ({"rules": [{"kind": "csat", "channels": ["pigeon"]}]}, {"rules.0.channels.0"}),
        ({"rules": [{"kind": "csat", "delay_minutes": -5}]}, {"rules.0.delay_minutes"}),
        ({"compensation_limits": {"supervisor": "-1"}}, {"compensation_limits.supervisor"}),
        ({"min_days_between_surveys": 1000}, {"min_days_between_surveys"}),
        ({"first_response_sla_seconds": {"phone": 0}}, {"first_response_sla_seconds.phone"}),
        ({"reminder_after_hours": 0}, {"reminder_after_hours"}),
        ({"surprise": True}, {"surprise"}),
    ],
)
def test_a_bad_policy_is_refused_naming_every_field(
    survey_env: SurveyEnv, document: dict[str, Any], fields: set[str]
) -> None:
    before = survey_env.api.admin.get("/admin/policy").json()
    response = survey_env.api.admin.put("/admin/policy", json=document)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {e["field"] for e in problem["errors"]} == fields, problem
    assert all(
        e["message"] and not e["message"].startswith("Value error") for e in problem["errors"]
    )
    assert survey_env.api.admin.get("/admin/policy").json() == before


def test_policy_requests_too_big_or_malformed_are_refused(survey_env: SurveyEnv) -> None:
    admin = survey_env.api.admin
    big = admin.put(
        "/admin/policy",
        content=b'{"rules": [' + b'{"kind": "csat"},' * 6000 + b'{"kind": "csat"}]}',
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413
    broken = admin.put(
        "/admin/policy", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    weird_etag = admin.put("/admin/policy", json=BASELINE_POLICY, headers={"If-Match": "abc"})
    assert weird_etag.status_code == 422


def test_a_fresh_server_applies_the_documented_defaults(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        upgrade_to_head(db)
        with db.reading() as session:
            stored = load_policy(session)
    finally:
        db.dispose()
    assert stored.version == 0 and stored.policy == DEFAULT_POLICY
    policy = stored.policy
    assert policy.low_score.to_domain().to_dict() == {"csat": 2, "nps": 6, "ces": 3}
    assert (policy.quiet_hours.start, policy.quiet_hours.end) == ("21:00", "09:00")  # type: ignore[union-attr]
    assert policy.sla_seconds("phone") == 30 and policy.sla_seconds("email") == 4 * 3600
    assert policy.language_for("en-US") == "en" and policy.language_for("uk") == "ru"


# --- the pure rules -----------------------------------------------------------------------


NIGHT = QuietHours(time(21), time(9))


@pytest.mark.parametrize(
    ("utc", "zone", "expected"),
    [
        # 20:59 in Moscow: not yet quiet.
        ("2026-03-10T17:59:00", "Europe/Moscow", "2026-03-10T17:59:00"),
        # 23:30 in Moscow: waits for 09:00 the next morning (06:00 UTC).
        ("2026-03-10T20:30:00", "Europe/Moscow", "2026-03-11T06:00:00"),
        # 03:00 in Moscow: waits for 09:00 the same morning.
        ("2026-03-11T00:00:00", "Europe/Moscow", "2026-03-11T06:00:00"),
        # The same moment is midday in Vladivostok: sent at once.
        ("2026-03-11T00:00:00", "Asia/Vladivostok", "2026-03-11T00:00:00"),
        # An unknown zone falls back to Moscow time.
        ("2026-03-11T00:00:00", "Mars/Olympus", "2026-03-11T06:00:00"),
        # New York across the spring DST change: 09:00 EDT is 13:00 UTC.
        ("2026-03-08T04:00:00", "America/New_York", "2026-03-08T13:00:00"),
    ],
)
def test_quiet_hours_hold_messages_until_the_local_morning(
    utc: str, zone: str, expected: str
) -> None:
    at = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert next_send_time(at, zone, NIGHT) == datetime.fromisoformat(expected).replace(tzinfo=UTC)
    assert next_send_time(at, zone, None) == at


def test_daytime_quiet_hours_and_clock_parsing() -> None:
    lunch = QuietHours(time(13), time(14))
    at = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)  # 13:30 in Moscow
    assert next_send_time(at, "Europe/Moscow", lunch) == datetime(2026, 5, 1, 11, tzinfo=UTC)
    assert parse_clock("07:05") == time(7, 5)
    for bad in ("7:05", "24:00", "+1:00", "ab:cd", "12:60", ""):
        with pytest.raises(ValueError):
            parse_clock(bad)
    with pytest.raises(ValueError):
        QuietHours(time(9), time(9))
    with pytest.raises(ValueError):
        next_send_time(datetime(2026, 1, 1), "Europe/Moscow", lunch)  # naive


def test_review_case_transitions() -> None:
    assert next_status(ReviewStatus.NEW, ReviewAction.ASSIGN) is ReviewStatus.ASSIGNED
    assert next_status("callback_planned", "assign") is ReviewStatus.CALLBACK_PLANNED
    assert next_status("new", "compensate") is ReviewStatus.COMPENSATED
    assert next_status("compensated", "plan_callback") is ReviewStatus.CALLBACK_PLANNED
    assert next_status("assigned", "note") is ReviewStatus.ASSIGNED
    assert next_status("new", "resolve") is ReviewStatus.RESOLVED
    assert next_status("resolved", "send_followup_survey") is ReviewStatus.RESOLVED
    for action in ("assign", "plan_callback", "compensate", "resolve"):
        with pytest.raises(InvalidTransition, match="already resolved"):
            next_status("resolved", action)
    assert allowed_actions("resolved") == (ReviewAction.NOTE, ReviewAction.SEND_FOLLOWUP_SURVEY)
    assert len(allowed_actions("new")) == len(ReviewAction)
