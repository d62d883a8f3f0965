"""The survey page over plain HTTP: bad links, forged and replayed forms, bad input."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.server.surveys_support import SurveyEnv, form_token, make_link, survey_env

__all__ = ["survey_env"]


def _link(env: SurveyEnv, kind: str = "csat", **options: object) -> dict[str, str]:
    _, conversation_id = env.conversation(channel="phone", **options)  # type: ignore[arg-type]
    return env.ask(conversation_id, kind)


def _score(env: SurveyEnv, survey_id: str) -> int | None:
    value: int | None = env.api.operator.get(f"/surveys/{survey_id}").json()["score"]
    return value


@pytest.mark.parametrize(
    "token",
    [
        "A" * 32,  # well-formed, unknown
        "short",
        "has spaces and ünïcode in it......",
        "x" * 150,
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ],
)
def test_unknown_or_malformed_links_get_a_friendly_404(survey_env: SurveyEnv, token: str) -> None:
    for method in ("GET", "POST"):
        response = httpx.request(
            method, f"{survey_env.base_url}/s/{token}", data={"score": "5"}, timeout=15
        )
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "Survey not found" in response.text or "Опрос не найден" in response.text
        assert "Traceback" not in response.text and "<script>" not in response.text


def test_pages_carry_protective_headers(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    response = survey_env.page(created["url"])
    assert response.status_code == 200
    headers = response.headers
    assert headers["cache-control"] == "no-store"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "form-action 'self'" in headers["content-security-policy"]
    assert "<script" not in response.text and "http" not in response.text.split("<body>")[1]


def test_language_follows_the_customer_and_can_be_switched(survey_env: SurveyEnv) -> None:
    english = _link(survey_env, language="en-GB")
    page = survey_env.page(english["url"])
    assert '<html lang="en">' in page.text and "How satisfied are you" in page.text
    switched = survey_env.page(english["url"] + "?lang=ru")
    assert '<html lang="ru">' in switched.text and "Насколько вы довольны" in switched.text
    unknown_language = _link(survey_env, language="de")  # not offered: the default (ru)
    assert "Насколько вы довольны" in survey_env.page(unknown_language["url"]).text


def test_score_links_from_the_email_preselect_but_do_not_answer(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    page = survey_env.page(created["url"] + "?score=4")
    assert 'id="score-4" value="4" checked' in page.text
    assert '" checked' not in survey_env.page(created["url"] + "?score=9").text
    assert _score(survey_env, created["id"]) is None


def test_expired_links_are_refused_kindly(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    page = survey_env.page(created["url"])
    survey_env.clock.advance(days=7, minutes=1)
    try:
        expired = survey_env.page(created["url"])
        assert expired.status_code == 410 and "Срок опроса истёк" in expired.text
        late = httpx.post(
            created["url"], data={"score": "5", "form_token": form_token(page.text)}, timeout=15
        )
        assert late.status_code == 410
    finally:
        survey_env.clock.reset()
    assert _score(survey_env, created["id"]) is None


def test_forged_and_foreign_form_tokens_are_refused_and_the_answer_kept(
    survey_env: SurveyEnv,
) -> None:
    env = survey_env
    created = _link(env)
    _, other_token = make_link(env)
    foreign = form_token(env.page(f"{env.base_url}/s/{other_token}").text)
    genuine = form_token(env.page(created["url"]).text)
    issued, _, signature = genuine.partition(".")
    forged = [
        "",
        "garbage",
        foreign,  # signed, but for another survey's link
        f"{int(issued) + 1}.{signature}",  # the time changed under the signature
        f"{issued}.{signature[:-2]}AA",
    ]
    for value in forged:
        response = httpx.post(
            created["url"],
            data={"score": "2", "comment": "Долго ждал ответа", "form_token": value},
            timeout=15,
        )
        assert response.status_code == 403, value
        assert "Долго ждал ответа" in response.text  # what the customer typed is still there
        assert 'id="score-2" value="2" checked' in response.text
        assert "слишком долго" in response.text
    assert _score(env, created["id"]) is None
    # The re-rendered form carries a fresh token that works.
    retry = httpx.post(
        created["url"],
        data={"score": "2", "comment": "Долго ждал ответа", "form_token": genuine},
        timeout=15,
    )
    assert retry.status_code == 200
    assert _score(env, created["id"]) == 2


def test_a_form_left_open_too_long_comes_back_filled_in(survey_env: SurveyEnv) -> None:
    env = survey_env
    created = _link(env)
    stale = form_token(env.page(created["url"]).text)
    env.clock.advance(hours=13)
    try:
        response = httpx.post(
            created["url"], data={"score": "5", "comment": "ok", "form_token": stale}, timeout=15
        )
        assert response.status_code == 403 and "ok</textarea>" in response.text
        fresh = form_token(response.text)
        accepted = httpx.post(
            created["url"], data={"score": "5", "comment": "ok", "form_token": fresh}, timeout=15
        )
        assert accepted.status_code == 200
    finally:
        env.clock.reset()


@pytest.mark.parametrize(
    ("kind", "score", "message"),
    [
        ("csat", None, "Выберите оценку"),
        ("csat", "", "Выберите оценку"),
        ("csat", "6", "от 1 до 5"),
        ("csat", "0", "от 1 до 5"),
        ("nps", "11", "от 0 до 10"),
        ("nps", "-1", "от 0 до 10"),
        ("ces", "3.5", "от 1 до 7"),
        ("ces", "abc", "от 1 до 7"),
        ("ces", "99999999999999999999", "от 1 до 7"),
    ],
)
def test_wrong_scores_come_back_with_the_comment_kept(
    survey_env: SurveyEnv, kind: str, score: str | None, message: str
) -> None:
    created = _link(survey_env, kind)
    comment = "Оператор <b>грубил</b> & <script>alert('x')</script>"
    response = survey_env.answer(created["url"], score, comment)
    assert response.status_code == 422
    assert message in response.text
    # The comment comes back escaped: text in the box, never markup on the page.
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text
    assert "<script>" not in response.text and "<b>грубил" not in response.text
    assert _score(survey_env, created["id"]) is None


def test_a_comment_over_the_limit_is_refused_but_not_lost(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    long_comment = "Очень подробно. " * 130  # about 2080 characters
    response = survey_env.answer(created["url"], 3, long_comment)
    assert response.status_code == 422 and "2000" in response.text
    assert long_comment.strip() in response.text
    assert _score(survey_env, created["id"]) is None


def test_bodies_of_100_kb_are_refused_with_413(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    page = survey_env.page(created["url"])
    response = httpx.post(
        created["url"],
        data={"score": "5", "form_token": form_token(page.text), "comment": "x" * 100_000},
        timeout=15,
    )
    assert response.status_code == 413
    assert "Слишком длинный ответ" in response.text
    assert _score(survey_env, created["id"]) is None


def test_html_in_the_comment_is_stored_as_typed(survey_env: SurveyEnv) -> None:
    created = _link(survey_env, "nps")
    comment = '<img src=x onerror="alert(1)">\r\nвторая строка\x00'
    assert survey_env.answer(created["url"], 10, comment).status_code == 200
    stored = survey_env.api.operator.get(f"/surveys/{created['id']}").json()["comment"]
    assert stored == '<img src=x onerror="alert(1)">\nвторая строка'


def test_a_replayed_answer_is_refused(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    page = survey_env.page(created["url"])
    data = {"score": "5", "comment": "first", "form_token": form_token(page.text)}
    assert httpx.post(created["url"], data=data, timeout=15).status_code == 200
    replay = httpx.post(created["url"], data={**data, "score": "1"}, timeout=15)
    assert replay.status_code == 409 and "Ответ уже получен" in replay.text
    again = survey_env.page(created["url"])
    assert again.status_code == 410 and "Ответ уже получен" in again.text
    assert _score(survey_env, created["id"]) == 5


def test_simultaneous_answers_record_exactly_one(survey_env: SurveyEnv) -> None:
    created = _link(survey_env)
    token = form_token(survey_env.page(created["url"]).text)
    statuses: list[int] = []
    start = threading.Barrier(6)

    def send(score: int) -> None:
        start.wait()
        response = httpx.post(
            created["url"], data={"score": str(score), "form_token": token}, timeout=30
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=(score,)) for score in range(1, 6)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 409, 409, 409, 409]
    state = survey_env.api.supervisor.get(f"/surveys/{created['id']}").json()
    assert state["score"] in range(1, 6)
    cases = survey_env.api.supervisor.get("/review-cases", params={"limit": 200}).json()["items"]
    assert len([c for c in cases if c["survey"]["id"] == created["id"]]) <= 1


def test_access_logs_never_show_a_survey_links_secret() -> None:
    import logging

    from operator_app.server.serving import DropQueryStrings

    secret = "Zx9" * 11
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/s/{secret}?lang=en", "1.1", 200),
        None,
    )
    assert DropQueryStrings().filter(record)
    assert secret not in record.getMessage() and "/s/***" in record.getMessage()
