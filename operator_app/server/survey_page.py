"""The customer's survey page, ``/s/{token}``: one tap on a score, an optional comment.

Plain HTML that works on any phone: no scripts, no external files (inline CSS), in the
customer's language (Russian or English, switchable). The link is single use and
expires; used, expired and unknown links get a friendly page, never an error dump.
The form carries a signed anti-forgery token bound to the link. When something is
wrong with what the customer sent, the form comes back with their score and comment
still in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from operator_app.domain.enums import SurveyKind
from operator_app.domain.metrics import SCORE_RANGES
from operator_app.server.models import Conversation
from operator_app.server.survey_messages import scores, templates
from operator_app.server.survey_runtime import SurveyRuntime, get_runtime
from operator_app.server.survey_texts import LANGUAGE_NAMES, LANGUAGES, question, scale_labels, text
from operator_app.server.survey_tokens import LinkState, check_form, find_link, sign_form
from operator_app.server.surveys import MAX_COMMENT, Effects, record_answer

PAGE_MAX_BODY = 16 * 1024
CUSTOMER_ACTOR = "customer"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the link's secret must not leak to other sites
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
_HTML: dict[str, Any] = {"content": {"text/html": {}}}

router = APIRouter(tags=["survey page"])


def _preferred_language(request: Request) -> str:
    header = request.headers.get("accept-language", "").lower()
    return "ru" if header.startswith("ru") else "en"


def _language(request: Request, asked: str | None, link_language: str | None) -> str:
    if asked in LANGUAGES:
        return str(asked)
    if link_language in LANGUAGES:
        return str(link_language)
    return _preferred_language(request)


def _render(template: str, status: int, **values: Any) -> HTMLResponse:
    html = templates().get_template(template).render(**values)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def _message(
    runtime: SurveyRuntime, page: str, language: str, status: int, *lines: str
) -> HTMLResponse:
    title = text(language, f"{page}.title")
    tone = "ok" if page in {"thanks", "answered"} else "warn"
    body = list(lines) or [text(language, f"{page}.body")]
    return _render(
        "message.html",
        status,
        lang=language,
        brand=runtime.delivery.brand_name,
        title=title,
        page=page,
        tone=tone,
        lines=body,
        switch_url=None,
    )


def _closed_page(
    runtime: SurveyRuntime, state: LinkState, language: str, *, posting: bool
) -> HTMLResponse:
    if state.status == "answered":
        return _message(runtime, "answered", language, 409 if posting else 410)
    if state.status == "expired":
        return _message(runtime, "expired", language, 410)
    return _message(runtime, "unknown", language, 404)


@dataclass(frozen=True, slots=True)
class _Form:
    score: int | None = None
    comment: str = ""
    error: str | None = None


def _form_page(
    runtime: SurveyRuntime,
    state: LinkState,
    token: str,
    topic: str,
    language: str,
    form: _Form,
    status: int,
    *,
    switch: bool,
) -> HTMLResponse:
    assert state.survey is not None
    kind = SurveyKind(state.survey.kind)
    low, high = SCORE_RANGES[kind]
    low_label, high_label = scale_labels(language, kind)
    values = scores(kind)
    other = next(code for code in LANGUAGES if code != language)
    return _render(
        "survey.html",
        status,
        lang=language,
        brand=runtime.delivery.brand_name,
        title=text(language, "title"),
        question=question(language, kind),
        topic=topic,
        about=text(language, "about", topic=topic),
        error=form.error,
        action=f"/s/{token}",
        form_token=sign_form(runtime.form_key, token, runtime.now()),
        legend=text(language, "score_legend", low=low, high=high),
        scores=values,
        columns=6 if len(values) > 7 else len(values),
        selected=form.score,
        low_label=low_label,
        high_label=high_label,
        comment_label=text(language, "comment"),
        comment_hint=text(language, "comment_hint"),
        comment=form.comment,
        max_comment=MAX_COMMENT,
        send=text(language, "send"),
        privacy=text(language, "privacy"),
        switch_url=f"/s/{token}?lang={other}" if switch else None,
        other_lang=other,
        other_lang_name=LANGUAGE_NAMES[other],
    )


def _lookup(runtime: SurveyRuntime, token: str) -> tuple[LinkState, str]:
    with runtime.context.db.reading() as session:
        state = find_link(session, token, now=runtime.now())
        topic = ""
        if state.survey is not None and state.survey.conversation_id is not None:
            conversation = session.get(Conversation, state.survey.conversation_id)
            topic = conversation.topic if conversation else ""
        return state, topic


@router.get(
    "/s/{token:path}",  # any path below /s/ gets the friendly page
    response_class=HTMLResponse,
    responses={404: _HTML, 410: _HTML},
    summary="The customer's survey page (public; the link is the key)",
    description="`?lang=ru|en` switches the language; `?score=N` preselects a score (the "
    "e-mail's one-tap links). 404 unknown link, 410 expired or already answered.",
)
async def survey_page(
    token: str, request: Request, lang: str | None = None, score: str | None = None
) -> HTMLResponse:
    runtime = get_runtime(request)
    state, topic = await run_in_threadpool(_lookup, runtime, token[:200])
    language = _language(request, lang, state.link.language if state.link else None)
    if state.status != "open":
        return _closed_page(runtime, state, language, posting=False)
    assert state.survey is not None
    preselected = None
    if score is not None and score.isdigit():
        low, high = SCORE_RANGES[SurveyKind(state.survey.kind)]
        preselected = int(score) if low <= int(score) <= high else None
    form = _Form(score=preselected)
    return await run_in_threadpool(
        _form_page, runtime, state, token, topic, language, form, 200, switch=True
    )


def _clean_comment(raw: str) -> str:
    return _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _read_score(raw: str, kind: SurveyKind) -> int | None:
    if not raw.strip().isdigit() or len(raw.strip()) > 3:
        return None
    value = int(raw.strip())
    low, high = SCORE_RANGES[kind]
    return value if low <= value <= high else None


def _answer(
    runtime: SurveyRuntime, token: str, score: int, comment: str
) -> tuple[LinkState, Effects | None]:
    """Record the answer, once: the survey row is locked and checked again inside."""
    now = runtime.now()
    with runtime.context.db.writing() as session:
        state = find_link(session, token, now=now, lock=True)
        if state.status != "open":
            return state, None
        assert state.survey is not None
        effects = record_answer(
            session, state.survey, score, comment, actor=CUSTOMER_ACTOR, now=now
        )
        last_seq = runtime.commit_effects(session, effects, actor=CUSTOMER_ACTOR, now=now)
    runtime.announce(effects, last_seq)
    return state, effects


@router.post(
    "/s/{token:path}",  # any path below /s/ gets the friendly page
    response_class=HTMLResponse,
    responses={403: _HTML, 404: _HTML, 409: _HTML, 410: _HTML, 413: _HTML, 422: _HTML},
    summary="Send the survey answer (the page's form)",
    description="Form fields: `score` (on the survey's scale), `comment` (optional, at most "
    "2000 characters), and the hidden `form_token` and `lang` the page put there. 200 "
    "thank-you page; 403 the form token is missing, forged or stale (the form comes back "
    "filled in); 422 no or a wrong score, or a comment too long (likewise); 409 already "
    "answered; 410 expired; 404 unknown link; 413 body over 16 KiB.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["score", "form_token"],
                        "properties": {
                            "score": {"type": "integer", "minimum": 0, "maximum": 10},
                            "comment": {"type": "string", "maxLength": MAX_COMMENT},
                            "form_token": {"type": "string"},
                            "lang": {"type": "string", "enum": list(LANGUAGES)},
                        },
                    }
                }
            },
        }
    },
)
async def answer_survey(token: str, request: Request) -> HTMLResponse:
    runtime = get_runtime(request)
    token = token[:200]
    body = await request.body()
    if len(body) > PAGE_MAX_BODY:
        state, _ = await run_in_threadpool(_lookup, runtime, token)
        language = _language(request, None, state.link.language if state.link else None)
        return _message(runtime, "too_large", language, 413)
    try:
        fields: FormData = await request.form(max_files=0, max_fields=20)
    except Exception:  # a garbled form is the sender's problem, not a server error
        fields = FormData()
    form_token = str(fields.get("form_token") or "")
    raw_score = str(fields.get("score") or "")
    comment = _clean_comment(str(fields.get("comment") or ""))
    state, topic = await run_in_threadpool(_lookup, runtime, token)
    language = _language(
        request, str(fields.get("lang") or ""), state.link.language if state.link else None
    )
    if state.status != "open":
        return _closed_page(runtime, state, language, posting=True)
    assert state.survey is not None
    kind = SurveyKind(state.survey.kind)
    score = _read_score(raw_score, kind)
    low, high = SCORE_RANGES[kind]

    def again(error: str, status: int) -> HTMLResponse:
        form = _Form(score=score, comment=comment, error=error)
        return _form_page(runtime, state, token, topic, language, form, status, switch=False)

    if check_form(runtime.form_key, token, form_token, runtime.now()) is not None:
        return await run_in_threadpool(again, text(language, "error.form"), 403)
    if len(comment) > MAX_COMMENT:
        return await run_in_threadpool(
            again, text(language, "error.comment_long", limit=MAX_COMMENT), 422
        )
    if score is None:
        key = "error.score_missing" if not raw_score.strip() else "error.score_invalid"
        return await run_in_threadpool(again, text(language, key, low=low, high=high), 422)
    final, effects = await run_in_threadpool(_answer, runtime, token, score, comment)
    if effects is None:
        return _closed_page(runtime, final, language, posting=True)
    lines = [text(language, "thanks.body")]
    if effects.opened_cases:
        lines.append(text(language, "thanks.low"))
    return _message(runtime, "thanks", language, 200, *lines)
