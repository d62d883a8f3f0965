"""Dashboards' period arithmetic and CSV export, without Qt and without a server."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_app.api.metrics import (
    FcrRow,
    FirstResponseRow,
    Grouped,
    OfferMetrics,
    OfferRow,
    Score,
    SurveyRow,
)
from operator_app.services.dashboards import (
    CSV_HEADER,
    Dashboard,
    DashboardQuery,
    csv_number,
    dashboard_csv_rows,
    write_dashboard_csv,
)

NOW = datetime(2026, 3, 15, 13, 30, tzinfo=UTC)


def survey_row(key: str | None, csat: float | None, low: int) -> SurveyRow:
    return SurveyRow(
        key=key, csat=Score(csat, 4), nps=Score(-12.5, 8), ces=Score(None, 0), answers=12,
        low_scores=low, review_cases_opened=low, review_cases_resolved=1,
        mean_hours_to_resolve=3.25, median_hours_to_resolve=2.5,
    )  # fmt: skip


def offer_row(label: str, rate: float | None) -> OfferRow:
    return OfferRow(label, offers=10, shown=2, accepted=3, not_now=1, declined=4, answered=8,
                    acceptance_rate=rate)  # fmt: skip


def grouped(rows: tuple[Any, ...], total: Any, by: str) -> Grouped[Any]:
    return Grouped(since=NOW, until=NOW, group_by=by, groups=rows, total=total)


WEEK_BY_OPERATOR = DashboardQuery(7, "day", "operator")


def board(query: DashboardQuery = WEEK_BY_OPERATOR) -> Dashboard:
    since, until = query.period(NOW)
    frt = FirstResponseRow("webchat", 10, 9, 300, 7, 77.8, 200.0, 150.5, 400.0)
    frt_total = FirstResponseRow(None, 10, 9, None, 7, 77.8, 200.0, 150.5, 400.0)
    return Dashboard(
        query=query, since=since, until=until,
        trend=grouped((survey_row("2026-03-14", 75.0, 1), survey_row("2026-03-15", None, 0)),
                      survey_row(None, 75.0, 1), query.bucket),
        groups=grouped((survey_row("анна", 87.5, 2),), survey_row(None, 75.0, 1), query.grouping),
        first_response=grouped((frt,), frt_total, "channel"),
        fcr=grouped((FcrRow("анна", 3, 2, 66.7),), FcrRow(None, 3, 2, 66.7), query.grouping),
        fcr_trend=grouped((FcrRow("2026-03-14", 3, 2, 66.7),), FcrRow(None, 3, 2, 66.7), "day"),
        offers=OfferMetrics(offer_row("", 37.5), (offer_row("Warranty, 1 234 ₽", 37.5),),
                            (offer_row("анна", None),), (offer_row("champions", 12.25),)),
    )  # fmt: skip


def test_period_is_whole_utc_days_up_to_now() -> None:
    since, until = DashboardQuery(7).period(NOW)
    assert since == datetime(2026, 3, 9, tzinfo=UTC) and until == NOW
    assert DashboardQuery(30).days_span(NOW) == (date(2026, 2, 14), date(2026, 3, 15))
    with pytest.raises(ValueError, match="1–366"):
        DashboardQuery(0)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (0, "0"), (12, "12"), (66.7, "66.7"), (-12.5, "-12.5"), (2.0, "2"),
     (1234567.25, "1234567.25"), (1 / 3, "0.333333")],
)  # fmt: skip
def test_numbers_are_locale_neutral(value: float | int | None, text: str) -> None:
    assert csv_number(value) == text


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_numbers_read_back_as_the_same_figure(value: float) -> None:
    text = csv_number(value)
    assert "," not in text and " " not in text and "e" not in text
    assert float(text) == pytest.approx(value, abs=1e-6)


def test_rows_hold_every_figure_shown_with_no_data_left_empty() -> None:
    rows = dashboard_csv_rows(board())
    assert rows[0] == CSV_HEADER
    index = {(s, g, m): v for s, g, m, v in rows[1:]}
    assert index["period", "", "from"] == "2026-03-09T00:00:00+00:00"
    assert index["period", "", "grouping"] == "operator"
    assert index["surveys_by_day", "2026-03-14", "csat_percent"] == "75"
    assert index["surveys_by_day", "2026-03-15", "csat_percent"] == ""  # no data, not 0
    assert index["surveys_by_operator", "анна", "low_scores"] == "2"
    assert index["surveys_by_operator", "анна", "median_hours_to_resolve"] == "2.5"
    assert index["surveys_total", "", "nps"] == "-12.5"
    assert index["first_response_by_channel", "webchat", "within_sla_percent"] == "77.8"
    assert index["first_response_by_channel", "webchat", "sla_seconds"] == "300"
    assert index["fcr_by_operator", "анна", "fcr_percent"] == "66.7"
    assert index["fcr_by_day", "2026-03-14", "resolved"] == "3"
    assert index["offers_by_rule", "Warranty, 1 234 ₽", "acceptance_percent"] == "37.5"
    assert index["offers_by_operator", "анна", "acceptance_percent"] == ""
    assert index["offers_by_segment", "champions", "acceptance_percent"] == "12.25"
    assert len(index) == len(rows) - 1  # no figure written twice


def test_weekly_by_channel_names_its_sections_after_the_query() -> None:
    sections = {row[0] for row in dashboard_csv_rows(board(DashboardQuery(90, "week", "channel")))}
    assert {"surveys_by_week", "surveys_by_channel", "fcr_by_channel", "fcr_by_week"} <= sections
    assert "surveys_by_operator" not in sections


def test_file_reads_back_with_the_csv_module_and_commas_quoted(tmp_path: Path) -> None:
    path = tmp_path / "dashboards.csv"
    count = write_dashboard_csv(path, board())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read UTF-8 names right
    with path.open(encoding="utf-8-sig", newline="") as handle:
        back = [tuple(row) for row in csv.reader(handle)]
    assert back == dashboard_csv_rows(board())
    assert count == len(back) - 1
    assert '"Warranty, 1 234 ₽"' in raw.decode("utf-8-sig")
    assert not list(tmp_path.glob("*.partial"))


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "dashboards.csv"
    path.write_text("previous", encoding="utf-8")
    broken = board()
    object.__setattr__(broken, "offers", None)  # a bug mid-export
    with pytest.raises(AttributeError):
        write_dashboard_csv(path, broken)
    assert path.read_text(encoding="utf-8") == "previous"
    assert not list(tmp_path.glob("*.partial"))
