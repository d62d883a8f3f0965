"""POST /surveys end to end: policy, routes (e-mail, gateway, link only), answers, replays."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.server.support import all_changes, head_seq
from tests.server.surveys_support import (
    SurveyEnv,
    signature_ok,
    survey_env,
    wait_until,
)

__all__ = ["survey_env"]


def _link_in(text: str) -> str:
    return next(word for word in text.split() if "/s/" in word)


def test_email_survey_arrives_and_its_link_takes_one_answer(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="email", topic="Доставка")
    address = env.customer_email(customer_id)
    created = env.ask(conversation_id, "csat")
    assert created["status"] == "queued" and created["delivery"] == "email"
    assert created["channel"] == "email" and created["kind"] == "csat"
    assert len(created["token"]) >= 32 and created["url"].endswith("/s/" + created["token"])

    [message] = wait_until(lambda: env.smtp.to(address), what="the survey e-mail")
    assert message["Subject"].startswith("Как мы вам помогли")
    assert "care@example.com" in message["From"]
    plain = message.get_body(("plain",)).get_content()
    assert "Мария" in plain and "Доставка" in plain
    html = message.get_body(("html",)).get_content()
    link = _link_in(plain)
    assert link != created["url"]  # the e-mail carries its own link
    assert f'href="{link}?score=5"' in html  # one-tap scores in the e-mail

    answered = env.answer(link, 5, "Всё отлично")
    assert answered.status_code == 200 and "Спасибо" in answered.text
    # The e-mail may be in the mailbox a moment before its delivery is marked sent.
    state = wait_until(
        lambda: (
            (s := env.api.operator.get(f"/surveys/{created['id']}").json())["deliveries"][0][
                "status"
            ]
            == "sent"
            and s
        ),
        what="the delivery marked sent",
    )
    assert state["score"] == 5 and state["comment"] == "Всё отлично"
    [delivery] = state["deliveries"]
    assert delivery["kind"] == "email" and delivery["attempts"] == 1
    # Both links of the survey are spent: single use for the survey, not per link.
    assert env.page(created["url"]).status_code == 410
    assert env.page(link).status_code == 410


def test_the_answer_reaches_the_customer_card_through_the_change_feed(
    survey_env: SurveyEnv,
) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="phone")
    since = head_seq(env.api.operator)
    created = env.ask(conversation_id, "nps")
    env.answer(created["url"], 9)
    changes = all_changes(env.api.operator, since)
    surveys = [c for c in changes if c["entity"] == "survey" and c["id"] == created["id"]]
    assert [c["op"] for c in surveys] == ["create", "update"]
    assert surveys[-1]["data"]["score"] == 9 and surveys[-1]["data"]["token"] is None
    [customer] = [c for c in changes if c["entity"] == "customer" and c["id"] == str(customer_id)]
    assert customer["data"]["last_nps"] == 9


def test_chats_get_a_signed_gateway_message_in_their_channel(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="telegram", language="en")
    created = env.ask(conversation_id, "ces")
    assert created["delivery"] == "gateway" and created["channel"] == "telegram"
    [request] = wait_until(
        lambda: [r for r in env.webhook.at("/gateway") if r.json()["survey_id"] == created["id"]],
        what="the gateway webhook",
    )
    assert signature_ok(request)
    assert request.headers["x-operatorapp-event"] == "survey.send"
    body = request.json()
    assert body["channel"] == "telegram" and body["conversation_id"] == str(conversation_id)
    assert body["customer_id"] == str(customer_id) and body["language"] == "en"
    assert body["url"] in body["text"] and body["text"].startswith("Test care:")
    page = env.page(body["url"])
    assert page.status_code == 200 and "How easy was it" in page.text


def test_calls_go_by_sms_or_email_only_with_consent_else_link_only(survey_env: SurveyEnv) -> None:
    env = survey_env
    _, silent = env.conversation(channel="phone", consent=[])
    link_only = env.ask(silent, "csat")
    assert link_only["status"] == "link_only" and link_only["delivery"] == "none"
    assert env.page(link_only["url"]).status_code == 200
    _, texting = env.conversation(channel="phone", consent=["sms"])
    assert env.ask(texting, "csat")["delivery"] == "gateway"
    _, mailing = env.conversation(channel="other", consent=["email"])
    by_mail = env.ask(mailing, "csat")
    assert by_mail["delivery"] == "email" and by_mail["channel"] == "email"


def test_one_survey_per_customer_per_policy_period(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, first = env.conversation(channel="phone")
    env.ask(first, "csat")
    _, second = env.conversation(channel="webchat", customer_id=customer_id)
    refused = env.api.operator.post(
        "/surveys", json={"conversation_id": str(second), "kind": "nps"}
    )
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"].endswith(":survey-too-soon")
    assert "one survey per 30 days" in problem["detail"] and "from " in problem["detail"]
    with env.policy(min_days_between_surveys=0):
        assert env.ask(second, "nps")["status"] in {"queued", "link_only"}
    env.clock.advance(days=31)
    try:
        _, third = env.conversation(channel="phone", customer_id=customer_id)
        assert env.ask(third, "csat")["status"] == "link_only"
    finally:
        env.clock.reset()


def test_quiet_hours_move_the_send_to_the_morning_in_the_customers_zone(
    survey_env: SurveyEnv,
) -> None:
    env = survey_env
    zone = "Asia/Vladivostok"
    local_now = env.clock().astimezone(ZoneInfo(zone))
    start = (local_now - timedelta(hours=1)).strftime("%H:%M")
    end = (local_now + timedelta(hours=2)).replace(second=0, microsecond=0)
    with env.policy(quiet_hours={"start": start, "end": end.strftime("%H:%M")}):
        customer_id, conversation_id = env.conversation(channel="email", timezone=zone)
        created = env.ask(conversation_id, "csat")
        assert created["status"] == "scheduled"
        send_at = datetime.fromisoformat(created["send_at"].replace("Z", "+00:00"))
        assert send_at.astimezone(ZoneInfo(zone)).strftime("%H:%M") == end.strftime("%H:%M")
        assert send_at > env.clock() + timedelta(hours=1)
        address = env.customer_email(customer_id)
        # The link works at once (an operator may paste it), the e-mail waits.
        assert env.page(created["url"]).status_code == 200
        env.clock.advance(hours=1)
        assert env.smtp.to(address) == []
        env.clock.advance(hours=2)
        try:
            wait_until(lambda: env.smtp.to(address), what="the e-mail after the quiet hours")
        finally:
            env.clock.reset()


def test_the_policy_rule_picks_the_kind_and_the_delay(survey_env: SurveyEnv) -> None:
    env = survey_env
    rules = [
        {"kind": "nps", "channels": ["email"], "topics": ["тариф"], "delay_minutes": 90},
        {"kind": "ces", "channels": ["webchat"]},
    ]
    with env.policy(rules=rules):
        _, by_topic = env.conversation(channel="email", topic="Смена ТАРИФА")
        created = env.api.operator.post("/surveys", json={"conversation_id": str(by_topic)})
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["kind"] == "nps" and body["status"] == "scheduled"
        delay = datetime.fromisoformat(body["send_at"].replace("Z", "+00:00")) - env.clock()
        assert timedelta(minutes=85) < delay <= timedelta(minutes=90)
        _, uncovered = env.conversation(channel="vk", topic="Другое")
        refused = env.api.operator.post("/surveys", json={"conversation_id": str(uncovered)})
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "kind"
        assert "No survey rule" in refused.json()["detail"]


def test_bad_requests_name_the_field_and_create_nothing(survey_env: SurveyEnv) -> None:
    env = survey_env
    since = head_seq(env.api.admin)
    cases = [
        ({"conversation_id": str(uuid.uuid4()), "kind": "csat"}, "conversation_id"),
        ({"conversation_id": "not-an-id", "kind": "csat"}, "conversation_id"),
        ({"conversation_id": str(env.conversation()[1]), "kind": "smiley"}, "kind"),
        ({"conversation_id": str(env.conversation()[1]), "kind": "csat", "score": 7}, "score"),
        ({"conversation_id": str(env.conversation()[1]), "kind": "nps", "score": 11}, "score"),
        ({"conversation_id": str(env.conversation()[1]), "extra": 1}, "extra"),
    ]
    for body, field in cases:
        response = env.api.operator.post("/surveys", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    assert [c for c in all_changes(env.api.admin, since) if c["entity"] == "survey"] == []
    huge = env.api.operator.post(
        "/surveys",
        content=b'{"conversation_id": "' + b"x" * 100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413


def test_a_retry_with_the_same_id_returns_the_same_survey(survey_env: SurveyEnv) -> None:
    env = survey_env
    _, conversation_id = env.conversation(channel="phone")
    survey_id = str(uuid.uuid4())
    first = env.ask(conversation_id, "csat", id=survey_id)
    again = env.api.operator.post(
        "/surveys", json={"conversation_id": str(conversation_id), "kind": "csat", "id": survey_id}
    )
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["id"] == first["id"] == survey_id and body["replayed"] is True
    assert body["token"] != first["token"]
    assert env.page(body["url"]).status_code == 200
    clash = env.api.operator.post(
        "/surveys", json={"conversation_id": str(conversation_id), "kind": "nps", "id": survey_id}
    )
    assert clash.status_code == 409


def test_a_score_said_on_the_phone_is_recorded_at_once(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="phone")
    env.ask(conversation_id, "csat")  # asked recently: a spoken answer is still kept
    happy = env.ask(conversation_id, "csat", score=5, comment="Сказал по телефону")
    assert happy["status"] == "answered" and happy["token"] is None and happy["url"] is None
    assert happy["review_case_id"] is None
    state = env.api.supervisor.get(f"/surveys/{happy['id']}").json()
    assert state["score"] == 5 and state["channel"] == "phone" and state["deliveries"] == []
    unhappy = env.ask(conversation_id, "nps", score=3)
    case = env.api.supervisor.get(f"/review-cases/{unhappy['review_case_id']}").json()
    assert case["status"] == "new" and case["survey"]["score"] == 3
    assert case["customer"]["id"] == str(customer_id)


def test_one_reminder_at_most_and_none_after_an_answer(survey_env: SurveyEnv) -> None:
    env = survey_env
    with env.policy(reminder_after_hours=24):
        customer_id, conversation_id = env.conversation(channel="email", language="en")
        address = env.customer_email(customer_id)
        created = env.ask(conversation_id, "csat")
        wait_until(lambda: env.smtp.to(address), what="the survey e-mail")
        try:
            env.clock.advance(hours=25)
            wait_until(lambda: len(env.smtp.to(address)) == 2, what="the reminder")
            reminder = env.smtp.to(address)[1]
            assert reminder["Subject"] == "A reminder: how did we do?"
            env.clock.advance(hours=50)
            state = env.api.operator.get(f"/surveys/{created['id']}").json()
            assert [d["purpose"] for d in state["deliveries"]] == ["survey", "reminder"]
            assert len(env.smtp.to(address)) == 2
        finally:
            env.clock.reset()

        other_id, other_conversation = env.conversation(channel="email")
        other_address = env.customer_email(other_id)
        other = env.ask(other_conversation, "csat")
        [first] = wait_until(lambda: env.smtp.to(other_address), what="the survey e-mail")
        wait_until(
            lambda: len(env.api.operator.get(f"/surveys/{other['id']}").json()["deliveries"]) == 2,
            what="the reminder queued",
        )
        env.answer(_link_in(first.get_body(("plain",)).get_content()), 4)
        state = env.api.operator.get(f"/surveys/{other['id']}").json()
        assert [d["status"] for d in state["deliveries"]] == ["sent", "skipped"]


def test_the_server_sent_time_is_the_real_one(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="email")
    before = datetime.now(UTC)
    created = env.ask(conversation_id, "csat")
    wait_until(lambda: env.smtp.to(env.customer_email(customer_id)), what="the e-mail")
    state = wait_until(
        lambda: (
            (s := env.api.operator.get(f"/surveys/{created['id']}").json())["deliveries"][0][
                "status"
            ]
            == "sent"
            and s
        ),
        what="the delivery marked sent",
    )
    sent = datetime.fromisoformat(state["sent_at"].replace("Z", "+00:00"))
    assert before <= sent <= datetime.now(UTC)
