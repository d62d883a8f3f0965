"""Dashboards' figures from ``GET /api/v1/metrics/...`` (supervisors and admins).

Each call returns a frozen dataclass checked field by field, so a server that sends
something else fails as a :class:`ProtocolError` with a short reason; HTTP failures
(403 for operators, offline, ...) are the client's typed :mod:`api.errors`. Shares are
percentages (0–100), ``None`` means "no data" (never 0), as in ``domain.metrics``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from operator_app.api.client import ApiClient
from operator_app.api.json_checks import JsonChecks

GroupBy = Literal["operator", "channel", "day", "week"]
Row = TypeVar("Row")


_checks = JsonChecks("dashboard figures")
_fail = _checks.fail
_object = _checks.object
_list = _checks.list
_int = _checks.integer
_number = _checks.number
_text = _checks.optional_text


def _moment(obj: dict[str, Any], key: str, what: str) -> datetime:
    try:
        return datetime.fromisoformat(str(obj.get(key)))
    except ValueError:
        raise _fail(f"{what}.{key} is not a date and time") from None


@dataclass(frozen=True, slots=True)
class Score:
    value: float | None
    answers: int

    @classmethod
    def parse(cls, obj: dict[str, Any], key: str, what: str) -> Score:
        inner = _object(obj.get(key), f"{what}.{key}")
        return cls(_number(inner, "value", what), _int(inner, "answers", what))


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One group (operator, channel, day or week; ``key`` None for the total)."""

    key: str | None
    csat: Score
    nps: Score
    ces: Score
    answers: int
    low_scores: int
    review_cases_opened: int
    review_cases_resolved: int
    mean_hours_to_resolve: float | None
    median_hours_to_resolve: float | None

    @classmethod
    def parse(cls, value: Any) -> SurveyRow:
        what = "survey metrics row"
        obj = _object(value, what)
        return cls(
            key=_text(obj, "key", what),
            csat=Score.parse(obj, "csat", what),
            nps=Score.parse(obj, "nps", what),
            ces=Score.parse(obj, "ces", what),
            answers=_int(obj, "answers", what),
            low_scores=_int(obj, "low_scores", what),
            review_cases_opened=_int(obj, "review_cases_opened", what),
            review_cases_resolved=_int(obj, "review_cases_resolved", what),
            mean_hours_to_resolve=_number(obj, "mean_hours_to_resolve", what),
            median_hours_to_resolve=_number(obj, "median_hours_to_resolve", what),
        )


@dataclass(frozen=True, slots=True)
class FirstResponseRow:
    key: str | None
    conversations: int
    responded: int
    sla_seconds: int | None
    within_sla: int
    within_sla_percent: float | None
    mean_seconds: float | None
    median_seconds: float | None
    p90_seconds: float | None

    @classmethod
    def parse(cls, value: Any) -> FirstResponseRow:
        what = "first response row"
        obj = _object(value, what)
        return cls(
            key=_text(obj, "key", what),
            conversations=_int(obj, "conversations", what),
            responded=_int(obj, "responded", what),
            sla_seconds=_checks.optional_integer(obj, "sla_seconds", what),
            within_sla=_int(obj, "within_sla", what),
            within_sla_percent=_number(obj, "within_sla_percent", what),
            mean_seconds=_number(obj, "mean_seconds", what),
            median_seconds=_number(obj, "median_seconds", what),
            p90_seconds=_number(obj, "p90_seconds", what),
        )


@dataclass(frozen=True, slots=True)
class FcrRow:
    key: str | None
    resolved: int
    first_contact: int
    fcr_percent: float | None

    @classmethod
    def parse(cls, value: Any) -> FcrRow:
        what = "FCR row"
        obj = _object(value, what)
        return cls(
            key=_text(obj, "key", what),
            resolved=_int(obj, "resolved", what),
            first_contact=_int(obj, "first_contact", what),
            fcr_percent=_number(obj, "fcr_percent", what),
        )


@dataclass(frozen=True, slots=True)
class Grouped(Generic[Row]):
    """Rows per group plus the total over the whole period [since, until)."""

    since: datetime
    until: datetime
    group_by: str
    groups: tuple[Row, ...]
    total: Row


@dataclass(frozen=True, slots=True)
class OfferRow:
    """Offer outcomes of one rule/reason, operator or segment (``label``)."""

    label: str
    offers: int
    shown: int
    accepted: int
    not_now: int
    declined: int
    answered: int
    acceptance_rate: float | None

    @classmethod
    def parse(cls, value: Any, label_key: str) -> OfferRow:
        what = "offer metrics row"
        obj = _object(value, what)
        label = _text(obj, label_key, what) or ""
        if label_key == "reason_code":
            label = _text(obj, "rule_name", what) or label
        return cls(
            label=label,
            offers=_int(obj, "offers", what),
            shown=_int(obj, "shown", what),
            accepted=_int(obj, "accepted", what),
            not_now=_int(obj, "not_now", what),
            declined=_int(obj, "declined", what),
            answered=_int(obj, "answered", what),
            acceptance_rate=_number(obj, "acceptance_rate", what),
        )


@dataclass(frozen=True, slots=True)
class OfferMetrics:
    total: OfferRow
    by_rule: tuple[OfferRow, ...]
    by_operator: tuple[OfferRow, ...]
    by_segment: tuple[OfferRow, ...]

    @classmethod
    def parse(cls, value: Any) -> OfferMetrics:
        obj = _object(value, "offer metrics")
        total = dict(_object(obj.get("total"), "offer metrics total"), label="")

        def rows(key: str, label_key: str) -> tuple[OfferRow, ...]:
            return tuple(OfferRow.parse(v, label_key) for v in _list(obj, key, "offer metrics"))

        return cls(
            total=OfferRow.parse(total, "label"),
            by_rule=rows("by_reason", "reason_code"),
            by_operator=rows("by_operator", "operator"),
            by_segment=rows("by_segment", "segment"),
        )


def _grouped(body: Any, parse: Callable[[Any], Row], what: str) -> Grouped[Row]:
    obj = _object(body, what)
    return Grouped(
        since=_moment(obj, "since", what),
        until=_moment(obj, "until", what),
        group_by=_text(obj, "group_by", what) or "",
        groups=tuple(parse(row) for row in _list(obj, "groups", what)),
        total=parse(obj.get("total")),
    )


def _period(since: datetime, until: datetime, group_by: GroupBy) -> dict[str, str]:
    return {"from": since.isoformat(), "to": until.isoformat(), "group_by": group_by}


async def survey_metrics(
    api: ApiClient, since: datetime, until: datetime, group_by: GroupBy
) -> Grouped[SurveyRow]:
    """CSAT / NPS / CES, low scores and review cases in [since, until) (aware times)."""
    body = await api.call("GET", "/metrics/surveys", params=_period(since, until, group_by))
    return _grouped(body, SurveyRow.parse, "survey metrics")


async def first_response_metrics(
    api: ApiClient, since: datetime, until: datetime, group_by: GroupBy
) -> Grouped[FirstResponseRow]:
    """Time to first response against each channel's SLA (``sla_seconds`` per channel)."""
    body = await api.call("GET", "/metrics/first-response", params=_period(since, until, group_by))
    return _grouped(body, FirstResponseRow.parse, "first response metrics")


async def fcr_metrics(
    api: ApiClient, since: datetime, until: datetime, group_by: GroupBy
) -> Grouped[FcrRow]:
    """First-contact resolution of conversations resolved in [since, until)."""
    body = await api.call("GET", "/metrics/fcr", params=_period(since, until, group_by))
    return _grouped(body, FcrRow.parse, "FCR metrics")


async def offer_metrics(api: ApiClient, first_day: date, last_day: date) -> OfferMetrics:
    """Offer acceptance by rule (its name, else the reason code), operator and segment;
    both days included (UTC)."""
    body = await api.call(
        "GET",
        "/metrics/offers",
        params={"since": first_day.isoformat(), "until": last_day.isoformat()},
    )
    return OfferMetrics.parse(body)
