"""Rendering what customers and the team receive: survey e-mails, texts, review alerts.

Templates live in ``server/templates`` (Jinja2, HTML auto-escaped): whatever a
customer or an operator typed (names, topics, comments) is text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from operator_app.domain.enums import SurveyKind
from operator_app.domain.metrics import SCORE_RANGES
from operator_app.server.survey_texts import question, text

TEMPLATES = Path(__file__).with_name("templates")
_LABELS = {"csat": "CSAT", "nps": "NPS", "ces": "CES"}


@cache
def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def scores(kind: SurveyKind | str) -> list[int]:
    low, high = SCORE_RANGES[SurveyKind(kind)]
    return list(range(low, high + 1))


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    text: str
    html: str


def survey_email(
    *,
    language: str,
    kind: str,
    customer_name: str,
    topic: str,
    url: str,
    expires_at: datetime,
    brand: str,
    reminder: bool,
) -> Email:
    about = f" ({topic})" if topic else ""
    subject = text(language, "email.reminder_subject" if reminder else "email.subject")
    values: dict[str, object] = {
        "lang": language,
        "brand": brand,
        "subject": subject,
        "greeting": (
            text(language, "email.greeting", name=customer_name)
            if customer_name
            else text(language, "email.greeting_anonymous")
        ),
        "body": (
            text(language, "email.reminder_body")
            if reminder
            else text(language, "email.body", about=about)
        ),
        "question": question(language, kind),
        "scores": scores(kind),
        "url": url,
        "button": text(language, "email.button"),
        "expires": text(language, "email.expires", date=expires_at.date().isoformat()),
        "signature": text(language, "email.signature", brand=brand),
    }
    env = templates()
    return Email(
        subject=subject,
        text=env.get_template("email.txt").render(values),
        html=env.get_template("email.html").render(values),
    )


def survey_text(*, language: str, url: str, brand: str, reminder: bool) -> str:
    return text(language, "text.reminder" if reminder else "text.survey", brand=brand, url=url)


def review_alert(
    *,
    language: str,
    kind: str,
    score: int,
    customer_name: str,
    channel: str,
    topic: str,
    comment: str,
    case_id: str,
) -> str:
    """One line for a team chat (Slack-compatible ``{"text": ...}``)."""
    where = f"{channel} · {topic}" if topic else channel
    snippet = " ".join(comment.split())
    if len(snippet) > 200:
        snippet = snippet[:199] + "…"
    return text(
        language,
        "alert",
        label=_LABELS.get(kind, kind.upper()),
        score=score,
        high=SCORE_RANGES[SurveyKind(kind)][1],
        name=customer_name or "—",
        where=where,
        comment=f": “{snippet}”" if snippet else "",
        case=case_id,
    )
