"""Surveys after resolved conversations, and review cases for the low scores.

About a tenth of answers are low (CSAT ≤ 2, NPS ≤ 6, CES ≤ 3, the default review
thresholds); a contact that breached its SLA or was a complaint is more than twice as
likely to score low. Older review cases are closed, recent ones are still being worked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from operator_app.demo.commerce import CustomerFacts, cumulative, pick
from operator_app.demo.texts import (
    HIGH_SCORE_COMMENTS,
    LOW_SCORE_COMMENTS,
    MIDDLE_SCORE_COMMENTS,
    REVIEW_ACTION_NOTES,
)
from operator_app.demo.users import SUPERVISOR
from operator_app.demo.world import DAY, Row, World, to_datetime
from operator_app.domain.enums import Channel, ReviewStatus, SurveyKind

SURVEY_SHARE = 0.3  # of resolved conversations
ANSWER_SHARE = 0.6
LOW_SHARE, LOW_SHARE_AFTER_TROUBLE = 0.09, 0.25

_KINDS = cumulative(((SurveyKind.CSAT, 60), (SurveyKind.NPS, 25), (SurveyKind.CES, 15)))
# kind → (cumulative low scores, cumulative other scores, highest low score)
_SCORES: dict[SurveyKind, tuple[Any, Any, int]] = {
    SurveyKind.CSAT: (cumulative(((1, 45), (2, 55))), cumulative(((3, 12), (4, 30), (5, 58))), 2),
    SurveyKind.NPS: (
        cumulative(((0, 8), (1, 4), (2, 5), (3, 8), (4, 10), (5, 25), (6, 40))),
        cumulative(((7, 18), (8, 22), (9, 27), (10, 33))),
        6,
    ),
    SurveyKind.CES: (
        cumulative(((1, 30), (2, 35), (3, 35))),
        cumulative(((4, 12), (5, 20), (6, 30), (7, 38))),
        3,
    ),
}
# Surveys go out where the customer can answer a link; calls and visits get a text.
_SURVEY_CHANNEL = {Channel.PHONE: Channel.SMS, Channel.OTHER: Channel.SMS}


@dataclass(slots=True)
class ContactOutcome:
    """The customer's latest answered CSAT and NPS, for the value strip."""

    last_csat: int | None = None
    last_csat_ts: int = 0
    last_nps: int | None = None
    last_nps_ts: int = 0


def add_survey(
    world: World,
    facts: CustomerFacts,
    lang: str,
    channel: Channel,
    conversation_id: uuid.UUID,
    resolved_ts: int,
    troubled: bool,
    outcome: ContactOutcome,
    rows: dict[str, list[Row]],
) -> None:
    rnd = world.rnd
    if rnd() >= SURVEY_SHARE:
        return
    sent = resolved_ts + 300 + int(rnd() * 7200)
    if sent >= world.now_ts:
        return
    kind = pick(_KINDS, rnd())
    answered: int | None = sent + 120 + int(rnd() ** 2 * 2 * DAY)
    if rnd() >= ANSWER_SHARE or answered is None or answered > world.now_ts:
        answered = None
    score = None
    comment = ""
    if answered is not None:
        lows, others, _ = _SCORES[kind]
        low = rnd() < (LOW_SHARE_AFTER_TROUBLE if troubled else LOW_SHARE)
        score = pick(lows if low else others, rnd())
        comment = _comment(world, lang, low, score, kind)
        if kind is SurveyKind.CSAT and answered >= outcome.last_csat_ts:
            outcome.last_csat, outcome.last_csat_ts = score, answered
        elif kind is SurveyKind.NPS and answered >= outcome.last_nps_ts:
            outcome.last_nps, outcome.last_nps_ts = score, answered
    survey_id = world.new_id()
    rows["survey"].append(
        {
            "id": survey_id,
            "customer_id": facts.id,
            "conversation_id": conversation_id,
            "kind": str(kind),
            "channel": str(_SURVEY_CHANNEL.get(channel, channel)),
            "token": f"{world.rng.getrandbits(128):032x}",
            "sent_at": to_datetime(sent),
            "score": score,
            "comment": comment,
            "answered_at": to_datetime(answered) if answered is not None else None,
            "version": 1,
            "updated_at": to_datetime(answered if answered is not None else sent),
        }
    )
    if answered is not None and score is not None and score <= _SCORES[kind][2]:
        _review_case(world, facts, lang, survey_id, answered, rows)


def _comment(world: World, lang: str, low: bool, score: int, kind: SurveyKind) -> str:
    rnd = world.rnd
    texts: tuple[str, ...]
    if low:
        texts, share = LOW_SCORE_COMMENTS[lang], 0.75
    elif (kind is SurveyKind.CSAT and score == 3) or (kind is SurveyKind.NPS and score in (7, 8)):
        texts, share = MIDDLE_SCORE_COMMENTS[lang], 0.2
    else:
        texts, share = HIGH_SCORE_COMMENTS[lang], 0.25
    return texts[int(rnd() * len(texts))] if rnd() < share else ""


# status → the actions that led to it, in order
_STEPS: dict[ReviewStatus, tuple[ReviewStatus, ...]] = {
    ReviewStatus.NEW: (),
    ReviewStatus.ASSIGNED: (ReviewStatus.ASSIGNED,),
    ReviewStatus.CALLBACK_PLANNED: (ReviewStatus.ASSIGNED, ReviewStatus.CALLBACK_PLANNED),
    ReviewStatus.COMPENSATED: (
        ReviewStatus.ASSIGNED,
        ReviewStatus.CALLBACK_PLANNED,
        ReviewStatus.COMPENSATED,
    ),
    ReviewStatus.RESOLVED: (
        ReviewStatus.ASSIGNED,
        ReviewStatus.CALLBACK_PLANNED,
        ReviewStatus.RESOLVED,
    ),
}
_OLD = cumulative(((ReviewStatus.RESOLVED, 70), (ReviewStatus.COMPENSATED, 30)))
_RECENT = cumulative(
    (
        (ReviewStatus.NEW, 10),
        (ReviewStatus.ASSIGNED, 25),
        (ReviewStatus.CALLBACK_PLANNED, 30),
        (ReviewStatus.COMPENSATED, 15),
        (ReviewStatus.RESOLVED, 20),
    )
)
_NEW = cumulative(
    ((ReviewStatus.NEW, 55), (ReviewStatus.ASSIGNED, 30), (ReviewStatus.CALLBACK_PLANNED, 15))
)


# A status step as the server's audit trail writes it: the action's name and details.
_STEP_ACTIONS: dict[ReviewStatus, tuple[str, dict[str, Any]]] = {
    ReviewStatus.ASSIGNED: ("assign", {}),
    ReviewStatus.CALLBACK_PLANNED: ("plan_callback", {}),
    ReviewStatus.COMPENSATED: (
        "compensate",
        {"compensation": {"type": "bonus_points", "amount": "1000.00", "currency": "RUB"}},
    ),
    ReviewStatus.RESOLVED: ("resolve", {"outcome": "recovered"}),
}


def _review_case(
    world: World,
    facts: CustomerFacts,
    lang: str,
    survey_id: uuid.UUID,
    opened: int,
    rows: dict[str, list[Row]],
) -> None:
    rnd = world.rnd
    age = world.now_ts - opened
    table = _OLD if age > 21 * DAY else _RECENT if age > 3 * DAY else _NEW
    status: ReviewStatus = pick(table, rnd())
    case_id = world.new_id()
    actor = SUPERVISOR.username
    actions: list[dict[str, Any]] = []
    t = opened
    # Each step follows the previous one within hours to a couple of days.
    span = min(max(age, 60), 2 * DAY)
    for step in _STEPS[status]:
        t = min(t + 60 + int(rnd() * span / 3), world.now_ts)
        at: datetime = to_datetime(t)
        note = REVIEW_ACTION_NOTES[str(step)][lang]
        action, details = _STEP_ACTIONS[step]
        actions.append(
            {
                "id": str(uuid.uuid5(case_id, str(step))),
                "at": at.isoformat(),
                "actor": actor,
                "action": action,
                "status": str(step),
                "note": note,
                **({"assignee": actor} if step is ReviewStatus.ASSIGNED else details),
            }
        )
        rows["audit_event"].append(
            {
                "id": world.new_id(),
                "at": at,
                "actor": actor,
                "action": f"review_case.{action}",
                "entity": "review_case",
                "entity_id": case_id,
                "details": {"status": str(step), "note": note},
            }
        )
    rows["review_case"].append(
        {
            "id": case_id,
            "survey_id": survey_id,
            "customer_id": facts.id,
            "status": str(status),
            "assignee": None if status is ReviewStatus.NEW else actor,
            "opened_at": to_datetime(opened),
            "actions": actions,
            "version": 1 + len(actions),
            "updated_at": to_datetime(t),
        }
    )
