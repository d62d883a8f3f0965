"""Supervisor dashboards without Qt: the period asked for, the figures fetched, the CSV.

:class:`DashboardQuery` turns "last 30 days, by week, per operator" into the server's
periods; :func:`load_dashboard` fetches everything one screen shows in parallel; and
:func:`dashboard_csv_rows` / :func:`write_dashboard_csv` export exactly those figures
in a locale-neutral CSV (dot decimals, ISO dates, no thousands separators) that any
spreadsheet reads the same way whatever the exporting user's language.
"""

from __future__ import annotations

import asyncio
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from operator_app.api.client import ApiClient
from operator_app.api.metrics import (
    FcrRow,
    FirstResponseRow,
    Grouped,
    OfferMetrics,
    OfferRow,
    SurveyRow,
    fcr_metrics,
    first_response_metrics,
    offer_metrics,
    survey_metrics,
)

Bucket = Literal["day", "week"]
Grouping = Literal["operator", "channel"]
PERIOD_DAYS = (7, 30, 90)
CSV_HEADER = ("section", "group", "metric", "value")


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    """The last ``days`` UTC days (today included), over time ``bucket`` by bucket,
    compared ``grouping`` by grouping."""

    days: int = 30
    bucket: Bucket = "day"
    grouping: Grouping = "operator"

    def __post_init__(self) -> None:
        if not 1 <= self.days <= 366:
            raise ValueError(f"A dashboard period is 1–366 days, not {self.days}")

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """[since, until): from midnight UTC ``days − 1`` days ago up to ``now``."""
        today = now.astimezone(UTC).date()
        first = today - timedelta(days=self.days - 1)
        return datetime.combine(first, time(0), tzinfo=UTC), now.astimezone(UTC)

    def days_span(self, now: datetime) -> tuple[date, date]:
        """The same period as whole days (offers are counted by day)."""
        since, until = self.period(now)
        return since.date(), until.date()


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything one screen of dashboards shows, for one query at one moment."""

    query: DashboardQuery
    since: datetime
    until: datetime
    trend: Grouped[SurveyRow]  # by bucket (day or week)
    groups: Grouped[SurveyRow]  # by operator or channel
    first_response: Grouped[FirstResponseRow]  # always by channel: each has its own SLA
    fcr: Grouped[FcrRow]  # by operator or channel
    fcr_trend: Grouped[FcrRow]  # by bucket
    offers: OfferMetrics


async def load_dashboard(api: ApiClient, query: DashboardQuery, now: datetime) -> Dashboard:
    """All figures of ``query``, fetched in parallel; the first failure is raised as the
    client's typed ApiError (the others are cancelled)."""
    since, until = query.period(now)
    first_day, last_day = query.days_span(now)
    trend, groups, first_response, fcr, fcr_trend, offers = await asyncio.gather(
        survey_metrics(api, since, until, query.bucket),
        survey_metrics(api, since, until, query.grouping),
        first_response_metrics(api, since, until, "channel"),
        fcr_metrics(api, since, until, query.grouping),
        fcr_metrics(api, since, until, query.bucket),
        offer_metrics(api, first_day, last_day),
    )
    return Dashboard(query, since, until, trend, groups, first_response, fcr, fcr_trend, offers)


# --- CSV ------------------------------------------------------------------------------------


def csv_number(value: float | int | None) -> str:
    """Locale-neutral: ``66.7``, ``12``, ``-5.25``; empty for "no data" (never 0)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _survey_rows(section: str, rows: tuple[SurveyRow, ...]) -> Iterator[tuple[str, ...]]:
    for row in rows:
        key = row.key or ""
        for metric, value in (
            ("csat_percent", row.csat.value),
            ("csat_answers", row.csat.answers),
            ("nps", row.nps.value),
            ("nps_answers", row.nps.answers),
            ("ces", row.ces.value),
            ("ces_answers", row.ces.answers),
            ("low_scores", row.low_scores),
            ("review_cases_opened", row.review_cases_opened),
            ("review_cases_resolved", row.review_cases_resolved),
            ("median_hours_to_resolve", row.median_hours_to_resolve),
        ):
            yield section, key, metric, csv_number(value)


def _offer_rows(section: str, rows: tuple[OfferRow, ...]) -> Iterator[tuple[str, ...]]:
    for row in rows:
        for metric, value in (
            ("offers", row.offers),
            ("accepted", row.accepted),
            ("declined", row.declined),
            ("not_now", row.not_now),
            ("acceptance_percent", row.acceptance_rate),
        ):
            yield section, row.label, metric, csv_number(value)


def dashboard_csv_rows(board: Dashboard) -> list[tuple[str, ...]]:
    """One row per figure shown: (section, group, metric, value), header first.

    A long ("tidy") table rather than one wide one, because the sections have different
    columns; a spreadsheet's pivot turns it into any shape. ``group`` is the operator's
    user name, the channel code, the bucket's first day (ISO), the rule's name or the
    segment code; empty for the period's total."""
    query = board.query
    rows: list[tuple[str, ...]] = [CSV_HEADER]
    rows += [
        ("period", "", "from", board.since.isoformat()),
        ("period", "", "to", board.until.isoformat()),
        ("period", "", "bucket", query.bucket),
        ("period", "", "grouping", query.grouping),
    ]
    rows += _survey_rows("surveys_total", (board.trend.total,))
    rows += _survey_rows(f"surveys_by_{query.bucket}", board.trend.groups)
    rows += _survey_rows(f"surveys_by_{query.grouping}", board.groups.groups)
    for fr in (*board.first_response.groups, board.first_response.total):
        section = "first_response_by_channel" if fr.key else "first_response_total"
        for metric, value in (
            ("conversations", fr.conversations),
            ("sla_seconds", fr.sla_seconds),
            ("within_sla", fr.within_sla),
            ("within_sla_percent", fr.within_sla_percent),
            ("median_seconds", fr.median_seconds),
        ):
            rows.append((section, fr.key or "", metric, csv_number(value)))
    for name, grouped in (
        (f"fcr_by_{query.grouping}", board.fcr),
        (f"fcr_by_{query.bucket}", board.fcr_trend),
    ):
        for fcr in grouped.groups:
            rows += [
                (name, fcr.key or "", "resolved", csv_number(fcr.resolved)),
                (name, fcr.key or "", "first_contact", csv_number(fcr.first_contact)),
                (name, fcr.key or "", "fcr_percent", csv_number(fcr.fcr_percent)),
            ]
    total = board.fcr.total
    rows += [
        ("fcr_total", "", "resolved", csv_number(total.resolved)),
        ("fcr_total", "", "fcr_percent", csv_number(total.fcr_percent)),
    ]
    rows += _offer_rows("offers_total", (board.offers.total,))
    rows += _offer_rows("offers_by_rule", board.offers.by_rule)
    rows += _offer_rows("offers_by_operator", board.offers.by_operator)
    rows += _offer_rows("offers_by_segment", board.offers.by_segment)
    return rows


def write_dashboard_csv(path: Path, board: Dashboard) -> int:
    """Write the CSV atomically (a half-written file never replaces a good one); returns
    the number of data rows. UTF-8 with a BOM so spreadsheets read Cyrillic names right."""
    rows = dashboard_csv_rows(board)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(rows) - 1
