"""Dashboard metrics over a small hand-made history whose figures are worked out by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from operator_app.domain.enums import Role
from operator_app.server.models import ReviewCase, Survey
from tests.server.surveys_support import SurveyEnv, survey_env

__all__ = ["survey_env"]

DAY1 = datetime(2020, 6, 1, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
PERIOD = {"from": "2020-06-01T00:00:00Z", "to": "2020-06-03T00:00:00Z"}


def _at(day: datetime, hours: float) -> datetime:
    return day + timedelta(hours=hours)


def _survey(
    env: SurveyEnv, conversation_id: uuid.UUID, customer_id: uuid.UUID, kind: str,
    score: int, answered: datetime,
) -> uuid.UUID:  # fmt: skip
    survey_id = uuid.uuid4()
    with env.db.writing() as session:
        session.add(
            Survey(
                id=survey_id, customer_id=customer_id, conversation_id=conversation_id,
                kind=kind, channel="email", token=None, sent_at=answered - timedelta(hours=1),
                score=score, comment="", answered_at=answered, version=1, updated_at=answered,
            )
        )  # fmt: skip
    return survey_id


def _case(
    env: SurveyEnv, survey_id: uuid.UUID, customer_id: uuid.UUID, opened: datetime,
    resolved: datetime | None,
) -> None:  # fmt: skip
    with env.db.writing() as session:
        session.add(
            ReviewCase(
                id=uuid.uuid4(), survey_id=survey_id, customer_id=customer_id,
                status="resolved" if resolved else "new", assignee=None, opened_at=opened,
                resolved_at=resolved, actions=[], version=1, updated_at=resolved or opened,
            )
        )  # fmt: skip


@pytest.fixture(scope="module")
def history(survey_env: SurveyEnv) -> dict[str, str]:
    """Two operators, two channels, two days in June 2020 (no other test writes there)."""
    env = survey_env
    m1, m2 = f"m1{uuid.uuid4().hex[:6]}", f"m2{uuid.uuid4().hex[:6]}"
    x, a = env.conversation(
        channel="webchat", assignee=m1, opened_at=_at(DAY1, 10),
        first_response_at=_at(DAY1, 10 + 2 / 60), resolved_at=_at(DAY1, 11),
    )  # fmt: skip
    # The same customer is back half an hour later: A was not resolved at first contact.
    _, b = env.conversation(
        channel="webchat", assignee=m1, customer_id=x, opened_at=_at(DAY1, 10.5),
        first_response_at=_at(DAY1, 10.5 + 10 / 60), resolved_at=_at(DAY1, 12),
    )  # fmt: skip
    y, c = env.conversation(
        channel="email", assignee=m2, opened_at=_at(DAY2, 9),
        first_response_at=_at(DAY2, 10), resolved_at=_at(DAY2, 15),
    )  # fmt: skip
    z, d = env.conversation(channel="email", assignee=m2, opened_at=_at(DAY2, 9))
    _survey(env, a, x, "csat", 5, _at(DAY1, 11.5))
    low_csat = _survey(env, b, x, "csat", 2, _at(DAY1, 12.5))
    _case(env, low_csat, x, _at(DAY1, 12.5), _at(DAY2, 12.5))
    _survey(env, c, y, "nps", 10, _at(DAY2, 15.5))
    _survey(env, c, y, "ces", 7, _at(DAY2, 15.6))
    low_nps = _survey(env, d, z, "nps", 6, _at(DAY2, 16))
    _case(env, low_nps, z, _at(DAY2, 16), None)
    return {"m1": m1, "m2": m2}


def _get(env: SurveyEnv, what: str, **params: Any) -> dict[str, Any]:
    response = env.api.supervisor.get(f"/metrics/{what}", params={**PERIOD, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_key(body: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {row["key"]: row for row in body["groups"]}


def test_survey_metrics_by_channel_operator_and_day(
    survey_env: SurveyEnv, history: dict[str, str]
) -> None:
    by_channel = _get(survey_env, "surveys", group_by="channel")
    rows = _by_key(by_channel)
    assert set(rows) == {"webchat", "email"}
    webchat, email = rows["webchat"], rows["email"]
    assert webchat["csat"] == {"value": 50.0, "answers": 2}
    assert webchat["low_scores"] == 1 and webchat["review_cases_opened"] == 1
    assert webchat["review_cases_resolved"] == 1 and webchat["mean_hours_to_resolve"] == 24.0
    assert webchat["median_hours_to_resolve"] == 24.0
    assert email["nps"] == {"value": 0.0, "answers": 2} and email["ces"] == {
        "value": 7.0,
        "answers": 1,
    }
    assert email["csat"] == {"value": None, "answers": 0}
    assert email["low_scores"] == 1 and email["review_cases_opened"] == 1
    assert email["review_cases_resolved"] == 0 and email["mean_hours_to_resolve"] is None
    assert email["median_hours_to_resolve"] is None
    total = by_channel["total"]
    assert total["answers"] == 5 and total["low_scores"] == 2 and total["key"] is None

    operators = _by_key(_get(survey_env, "surveys", group_by="operator"))
    assert operators[history["m1"]]["csat"]["value"] == 50.0
    assert operators[history["m2"]]["nps"]["answers"] == 2

    days = _by_key(_get(survey_env, "surveys", group_by="day"))
    assert days["2020-06-01"]["answers"] == 2 and days["2020-06-02"]["answers"] == 3
    # The case is counted on the day it opened, its resolution on the day it was resolved.
    assert days["2020-06-01"]["review_cases_opened"] == 1
    assert days["2020-06-02"]["review_cases_resolved"] == 1


def test_first_response_against_each_channels_sla(
    survey_env: SurveyEnv, history: dict[str, str]
) -> None:
    body = _get(survey_env, "first-response", group_by="channel")
    rows = _by_key(body)
    webchat, email = rows["webchat"], rows["email"]
    assert webchat["sla_seconds"] == 300 and email["sla_seconds"] == 4 * 3600
    assert (webchat["conversations"], webchat["responded"], webchat["within_sla"]) == (2, 2, 1)
    assert webchat["within_sla_percent"] == 50.0
    assert webchat["mean_seconds"] == 360.0 and webchat["median_seconds"] == 360.0
    assert (email["conversations"], email["responded"], email["within_sla"]) == (2, 1, 1)
    # The unanswered e-mail is long past its SLA: it counts against.
    assert email["within_sla_percent"] == 50.0
    assert body["total"]["conversations"] == 4 and body["total"]["within_sla_percent"] == 50.0
    operators = _by_key(_get(survey_env, "first-response", group_by="operator"))
    assert operators[history["m1"]]["p90_seconds"] == 600.0


def test_first_contact_resolution(survey_env: SurveyEnv, history: dict[str, str]) -> None:
    body = _get(survey_env, "fcr", group_by="channel")
    rows = _by_key(body)
    assert rows["webchat"] == {
        "key": "webchat",
        "resolved": 2,
        "first_contact": 1,
        "fcr_percent": 50.0,
    }
    assert rows["email"]["fcr_percent"] == 100.0
    assert body["total"]["resolved"] == 3 and body["total"]["fcr_percent"] == 66.7
    assert body["window_days"] == 7
    days = _by_key(_get(survey_env, "fcr", group_by="day"))
    assert days["2020-06-01"]["resolved"] == 2 and days["2020-06-02"]["resolved"] == 1


def test_periods_are_checked_and_operators_are_refused(survey_env: SurveyEnv) -> None:
    supervisor = survey_env.api.supervisor
    for params in (
        {"from": "2020-06-03T00:00:00Z", "to": "2020-06-01T00:00:00Z"},
        {"from": "2018-01-01T00:00:00Z", "to": "2020-01-01T00:00:00Z"},
        {"from": "2020-06-01T00:00:00"},  # no zone
        {"group_by": "weekday"},
    ):
        response = supervisor.get("/metrics/surveys", params=params)
        assert response.status_code == 422, params
        assert response.json()["errors"]
    empty = supervisor.get("/metrics/surveys", params={"from": "2001-01-01T00:00:00Z",
                                                        "to": "2001-02-01T00:00:00Z"})  # fmt: skip
    assert empty.json()["groups"] == [] and empty.json()["total"]["csat"]["value"] is None
    for what in ("surveys", "first-response", "fcr"):
        assert survey_env.api[Role.OPERATOR].get(f"/metrics/{what}").status_code == 403
        assert survey_env.api.admin.get(f"/metrics/{what}").status_code == 200


def test_by_week_folds_the_days_into_their_monday(
    survey_env: SurveyEnv, history: dict[str, str]
) -> None:
    # 2020-06-01 is a Monday: both days fall in one week, keyed by that Monday.
    weeks = _get(survey_env, "surveys", group_by="week")
    assert [row["key"] for row in weeks["groups"]] == ["2020-06-01"]
    week = weeks["groups"][0]
    assert week["answers"] == 5 and week["low_scores"] == 2
    assert week["review_cases_opened"] == 2 and week["review_cases_resolved"] == 1
    assert week["csat"] == weeks["total"]["csat"] and week["nps"] == weeks["total"]["nps"]
    assert week["median_hours_to_resolve"] == 24.0
    responses = _get(survey_env, "first-response", group_by="week")
    assert [(r["key"], r["conversations"]) for r in responses["groups"]] == [("2020-06-01", 4)]
    fcr = _get(survey_env, "fcr", group_by="week")
    assert [(r["key"], r["resolved"], r["first_contact"]) for r in fcr["groups"]] == [
        ("2020-06-01", 3, 2)
    ]
    # A period crossing into the next week gets a second bucket keyed by its Monday.
    later = survey_env.api.supervisor.get(
        "/metrics/surveys",
        params={"from": "2020-05-25T00:00:00Z", "to": "2020-06-08T00:00:00Z", "group_by": "week"},
    ).json()
    assert all(date.fromisoformat(row["key"]).weekday() == 0 for row in later["groups"])


def test_median_time_to_resolve_is_not_pulled_by_one_old_case(survey_env: SurveyEnv) -> None:
    env = survey_env
    day = datetime(2020, 8, 3, tzinfo=UTC)
    period = {"from": "2020-08-03T00:00:00Z", "to": "2020-08-20T00:00:00Z"}
    for hours_to_resolve in (1, 2, 3, 300):
        customer, conversation = env.conversation(channel="sms", opened_at=day)
        survey = _survey(env, conversation, customer, "csat", 1, _at(day, 1))
        _case(env, survey, customer, _at(day, 1), _at(day, 1 + hours_to_resolve))
    total = env.api.supervisor.get("/metrics/surveys", params=period).json()["total"]
    assert total["review_cases_resolved"] == 4 and total["low_scores"] == 4
    assert total["median_hours_to_resolve"] == 2.5
    assert total["mean_hours_to_resolve"] == 76.5
