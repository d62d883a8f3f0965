"""Dashboard figures, computed with the one definition of each metric (``domain.metrics``).

* Surveys: answers in the period, CSAT / NPS / CES with their answer counts, low scores
  (the policy's thresholds), review cases opened and resolved in the period and their
  mean time to resolve. Scores are counted in SQL (per group, kind and score), so the
  work grows with the number of groups, not of answers.
* First response: conversations opened in the period; the time to the first reply
  against the channel's SLA from the policy. The share within SLA counts replied
  conversations plus unreplied ones already past their SLA (the others are undecided).
* FCR: conversations resolved in the period whose customer did not open another one
  within the policy's ``fcr_window_days`` after the resolution.

Groups: ``operator`` (the conversation's assignee), ``channel`` (the conversation's,
else the survey's), ``day`` (UTC date), ``week`` (the UTC date of its ISO week's Monday).
Surveys also report the median time to resolve review cases (a few old cases skew the
mean).
"""

from __future__ import annotations

import statistics
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import repeat
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select
from sqlalchemy.orm import Session

from operator_app.domain.enums import ReviewStatus, SurveyKind
from operator_app.domain.metrics import ces, csat, is_low_score, median, nps, week_start
from operator_app.server.models import Conversation, ReviewCase, Survey
from operator_app.server.policy import SurveyPolicy
from operator_app.server.survey_schemas import (
    FcrRow,
    FirstResponseRow,
    ScoreSummary,
    SurveyMetricsRow,
)

GROUPS = ("operator", "channel", "day", "week")
_CHUNK = 500


def _day(session: Session, column: Any) -> ColumnElement[Any]:
    # Literals, not bound parameters: GROUP BY must repeat the selected expression exactly.
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(
            func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM-DD'")
        )
    # SQLite keeps UTC text, "YYYY-MM-DD HH:MM:SS".
    return func.substr(column, literal_column("1"), literal_column("10"))


def _survey_key(session: Session, group_by: str, time_column: Any) -> Any:
    if group_by == "operator":
        return Conversation.assignee
    if group_by == "channel":
        return func.coalesce(Conversation.channel, Survey.channel)
    return _day(session, time_column)


def _bucket(group_by: str, key: Any) -> str | None:
    """SQL groups by day for ``week`` too; the days are folded into their weeks here."""
    if group_by == "week" and key is not None:
        return week_start(date.fromisoformat(str(key))).isoformat()
    return None if key is None else str(key)


def _cases(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(ReviewCase)
        .join(Survey, Survey.id == ReviewCase.survey_id)
        .outerjoin(Conversation, Conversation.id == Survey.conversation_id)
    )


class _Scores:
    def __init__(self) -> None:
        self.histogram: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.opened = 0
        self.resolved_hours: list[float] = []

    def add(self, kind: str, score: int, count: int) -> None:
        self.histogram[kind][score] += count

    def values(self, kind: SurveyKind) -> Iterator[int]:
        for score, count in self.histogram[kind.value].items():
            yield from repeat(score, count)

    def row(self, key: str | None, policy: SurveyPolicy) -> SurveyMetricsRow:
        thresholds = policy.low_score.to_domain()
        answers = {k: sum(self.histogram[k.value].values()) for k in SurveyKind}
        low = sum(
            count
            for kind in SurveyKind
            for score, count in self.histogram[kind.value].items()
            if is_low_score(kind, score, thresholds)
        )
        hours = self.resolved_hours
        return SurveyMetricsRow(
            key=key,
            csat=ScoreSummary(
                value=csat(self.values(SurveyKind.CSAT)), answers=answers[SurveyKind.CSAT]
            ),
            nps=ScoreSummary(
                value=nps(self.values(SurveyKind.NPS)), answers=answers[SurveyKind.NPS]
            ),
            ces=ScoreSummary(
                value=ces(self.values(SurveyKind.CES)), answers=answers[SurveyKind.CES]
            ),
            answers=sum(answers.values()),
            low_scores=low,
            review_cases_opened=self.opened,
            review_cases_resolved=len(hours),
            mean_hours_to_resolve=round(statistics.fmean(hours), 2) if hours else None,
            median_hours_to_resolve=_rounded(median(hours), 2),
        )


def survey_metrics(
    session: Session, policy: SurveyPolicy, since: datetime, until: datetime, group_by: str
) -> tuple[list[SurveyMetricsRow], SurveyMetricsRow]:
    groups: dict[str | None, _Scores] = defaultdict(_Scores)
    total = _Scores()
    key = _survey_key(session, group_by, Survey.answered_at)
    answered = (
        select(key, Survey.kind, Survey.score, func.count())
        .select_from(Survey)
        .outerjoin(Conversation, Conversation.id == Survey.conversation_id)
        .where(
            Survey.answered_at >= since,
            Survey.answered_at < until,
            Survey.score.is_not(None),
        )
        .group_by(key, Survey.kind, Survey.score)
    )
    known = {k.value for k in SurveyKind}
    for group, kind, score, count in session.execute(answered):
        if kind in known:
            groups[_bucket(group_by, group)].add(kind, score, count)
            total.add(kind, score, count)
    opened_key = _survey_key(session, group_by, ReviewCase.opened_at)
    for group, count in session.execute(
        _cases(opened_key, func.count())
        .where(ReviewCase.opened_at >= since, ReviewCase.opened_at < until)
        .group_by(opened_key)
    ):
        groups[_bucket(group_by, group)].opened += count
        total.opened += count
    # Cases resolved before resolved_at existed carry their resolution in updated_at.
    resolved_at = func.coalesce(ReviewCase.resolved_at, ReviewCase.updated_at)
    resolved_key = _survey_key(session, group_by, resolved_at)
    for group, opened, resolved in session.execute(
        _cases(resolved_key, ReviewCase.opened_at, resolved_at).where(
            ReviewCase.status == ReviewStatus.RESOLVED.value,
            and_(resolved_at >= since, resolved_at < until),
        )
    ):
        opened_at, done = _aware(opened), _aware(resolved)
        hours = max((done - opened_at).total_seconds(), 0) / 3600
        groups[_bucket(group_by, group)].resolved_hours.append(hours)
        total.resolved_hours.append(hours)
    rows = [groups[k].row(k, policy) for k in sorted(groups, key=_sort_key)]
    return rows, total.row(None, policy)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _aware(value: Any) -> datetime:
    """A time read through an SQL expression, as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _sort_key(key: str | None) -> tuple[int, str]:
    return (1, "") if key is None else (0, key)


def _group_of(group_by: str, channel: str, operator: str | None, at: datetime) -> str | None:
    if group_by == "operator":
        return operator
    if group_by == "channel":
        return channel
    if group_by == "week":
        return week_start(_aware(at).astimezone(UTC).date()).isoformat()
    return _aware(at).astimezone(UTC).date().isoformat()


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return round(ordered[index], 1)


class _Responses:
    def __init__(self) -> None:
        self.conversations = 0
        self.durations: list[float] = []
        self.within = 0
        self.decided = 0

    def row(self, key: str | None, sla: int | None) -> FirstResponseRow:
        d = self.durations
        return FirstResponseRow(
            key=key,
            conversations=self.conversations,
            responded=len(d),
            sla_seconds=sla,
            within_sla=self.within,
            within_sla_percent=round(100 * self.within / self.decided, 1) if self.decided else None,
            mean_seconds=round(statistics.fmean(d), 1) if d else None,
            median_seconds=round(statistics.median(d), 1) if d else None,
            p90_seconds=_percentile(d, 0.9),
        )


def first_response_metrics(
    session: Session,
    policy: SurveyPolicy,
    since: datetime,
    until: datetime,
    group_by: str,
    now: datetime,
) -> tuple[list[FirstResponseRow], FirstResponseRow]:
    groups: dict[str | None, _Responses] = defaultdict(_Responses)
    total = _Responses()
    rows = session.execute(
        select(
            Conversation.channel,
            Conversation.assignee,
            Conversation.opened_at,
            Conversation.first_response_at,
        ).where(Conversation.opened_at >= since, Conversation.opened_at < until)
    )
    for channel, operator, opened, responded in rows:
        sla = policy.sla_seconds(channel)
        bucket = groups[_group_of(group_by, channel, operator, opened)]
        for target in (bucket, total):
            target.conversations += 1
            if responded is not None:
                seconds = max((responded - opened).total_seconds(), 0.0)
                target.durations.append(seconds)
                target.decided += 1
                target.within += seconds <= sla
            elif (now - opened).total_seconds() > sla:
                target.decided += 1
    result = [
        groups[k].row(k, policy.sla_seconds(k) if group_by == "channel" and k else None)
        for k in sorted(groups, key=_sort_key)
    ]
    return result, total.row(None, None)


def _chunks(values: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def fcr_metrics(
    session: Session, policy: SurveyPolicy, since: datetime, until: datetime, group_by: str
) -> tuple[list[FcrRow], FcrRow]:
    window = timedelta(days=policy.fcr_window_days)
    resolved = session.execute(
        select(
            Conversation.id,
            Conversation.customer_id,
            Conversation.channel,
            Conversation.assignee,
            Conversation.opened_at,
            Conversation.resolved_at,
        ).where(Conversation.resolved_at >= since, Conversation.resolved_at < until)
    ).all()
    customers = sorted({row.customer_id for row in resolved})
    openings: dict[uuid.UUID, list[tuple[datetime, uuid.UUID]]] = defaultdict(list)
    earliest = min((row.opened_at for row in resolved), default=since)
    for chunk in _chunks(customers):
        for customer_id, conversation_id, opened in session.execute(
            select(Conversation.customer_id, Conversation.id, Conversation.opened_at).where(
                Conversation.customer_id.in_(chunk),
                Conversation.opened_at >= earliest,
                Conversation.opened_at <= until + window,
            )
        ):
            openings[customer_id].append((opened, conversation_id))
    for values in openings.values():
        values.sort()
    counts: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in resolved:
        times = openings[row.customer_id]
        # Another conversation opened after this one, up to the window's end, undoes FCR.
        start = bisect_right(times, (row.opened_at, row.id))
        end = bisect_right(times, (row.resolved_at + window, uuid.UUID(int=(1 << 128) - 1)))
        came_back = any(cid != row.id for _, cid in times[start:end])
        key = _group_of(group_by, row.channel, row.assignee, row.resolved_at)
        for bucket in (counts[key], counts["\x00total"]):
            bucket[0] += 1
            bucket[1] += 0 if came_back else 1
    total = counts.pop("\x00total", [0, 0])

    def row_of(key: str | None, pair: list[int]) -> FcrRow:
        done, first = pair
        return FcrRow(
            key=key,
            resolved=done,
            first_contact=first,
            fcr_percent=round(100 * first / done, 1) if done else None,
        )

    return [row_of(k, counts[k]) for k in sorted(counts, key=_sort_key)], row_of(None, total)
