"""The survey page in a real headless Chromium, on a phone-sized screen."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.browser import Browser, chromium_binary
from tests.server.surveys_support import SurveyEnv, survey_env

__all__ = ["survey_env"]

BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no chromium binary (apt-get install chromium) for the page tests"
)


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert BINARY is not None
    with Browser(BINARY) as opened:
        yield opened


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_customer_taps_a_score_comments_and_is_thanked(
    survey_env: SurveyEnv, browser: Browser
) -> None:
    env = survey_env
    _, conversation_id = env.conversation(channel="phone", topic="Возврат <b>заказа</b>")
    created = env.ask(conversation_id, "csat")
    browser.open(created["url"])
    assert "Насколько вы довольны" in browser.text()
    assert "Возврат <b>заказа</b>" in browser.text()  # the topic shows as text, not markup
    # Nothing overflows a 390 px wide phone screen.
    assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    form_token = browser.value("input[name=form_token]")

    browser.tap("label[for=score-4]")
    assert browser.evaluate("document.getElementById('score-4').checked") is True
    browser.type_text("#comment", "Быстро, но пришлось ждать <script>alert(1)</script>")
    browser.submit_by_tapping("#send")
    assert "Спасибо!" in browser.text()

    state = env.api.operator.get(f"/surveys/{created['id']}").json()
    assert state["score"] == 4
    assert state["comment"] == "Быстро, но пришлось ждать <script>alert(1)</script>"

    # The same form sent again from the browser (a stale tab) is refused.
    browser.events.clear()
    browser.evaluate(
        "(() => { const f = document.createElement('form'); f.method = 'post';"
        f" f.action = {created['url']!r};"
        " for (const [k, v] of [['score', '5'], ['comment', 'again'], ['lang', 'ru'],"
        f" ['form_token', {form_token!r}]]) {{"
        " const i = document.createElement('input'); i.type = 'hidden'; i.name = k;"
        " i.value = v; f.appendChild(i); }"
        " document.body.appendChild(f); f.submit(); })()"
    )
    browser.wait_event("Page.loadEventFired")
    assert "Ответ уже получен" in browser.text()
    assert env.api.operator.get(f"/surveys/{created['id']}").json()["score"] == 4

    # Opening the link later shows the friendly "already answered" page.
    browser.open(created["url"])
    assert "Ответ уже получен" in browser.text()


def test_expired_and_unknown_links_get_friendly_pages(
    survey_env: SurveyEnv, browser: Browser
) -> None:
    env = survey_env
    _, conversation_id = env.conversation(channel="phone", language="en")
    created = env.ask(conversation_id, "nps")
    env.clock.advance(days=8)  # the policy's links work 7 days
    try:
        browser.open(created["url"])
        assert "This survey has expired" in browser.text()
    finally:
        env.clock.reset()
    browser.open(env.base_url + "/s/" + "x" * 32)
    assert "not found" in browser.text()
    assert "Traceback" not in browser.text()


@pytest.mark.parametrize(
    ("language", "kind", "question"),
    [
        ("ru", "csat", "Насколько вы довольны"),
        ("en", "nps", "How likely are you to recommend us"),
    ],
)
def test_phone_screenshots_in_both_languages(
    survey_env: SurveyEnv, browser: Browser, tmp_path: Path, language: str, kind: str, question: str
) -> None:
    env = survey_env
    _, conversation_id = env.conversation(channel="phone", language=language, topic="Billing")
    created = env.ask(conversation_id, kind)
    browser.open(created["url"])
    assert question in browser.text()
    assert browser.evaluate("document.documentElement.lang") == language
    shot = browser.screenshot(tmp_path / f"survey-{language}.png", full_page=False)
    assert _png_size(shot) == (390 * 2, 844 * 2)
    # Every score is a tap target of at least 40 × 40 CSS px (touch guidelines say 44).
    sizes = browser.evaluate(
        "[...document.querySelectorAll('.scale label')].map(l => {"
        " const r = l.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert sizes and all(w >= 26 and h >= 44 for w, h in sizes), sizes
