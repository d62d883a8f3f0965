"""Supervisor dashboards against the real server on loopback, seeded with demo data."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtCharts import QAbstractBarSeries, QLineSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from operator_app.api import ApiClient
from operator_app.gui import theme
from operator_app.gui.main_window import MainWindow
from operator_app.gui.supervisor.charts import day_msecs
from operator_app.gui.supervisor.dashboards import DashboardsView
from operator_app.services.dashboards import DashboardQuery
from tests.e2e.loopback import free_port
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import (
    DEMO_PASSWORD,
    live_server,
    qloop,
    run_async,
    sign_in,
    sync_window,
)

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = OFFSCREEN_NOISE

# One moment for the whole test: the view's clock and the expected figures agree.
NOW = datetime.now(UTC).replace(microsecond=0)


def _signed_in(qtbot: Any, server: ServerProcess, user: str) -> ApiClient:
    api = ApiClient(server.url)
    run_async(qtbot, api.login(user, DEMO_PASSWORD))
    return api


@pytest.fixture
def supervisor_api(
    qtbot: Any, qloop: qasync.QEventLoop, live_server: ServerProcess
) -> Iterator[ApiClient]:
    api = _signed_in(qtbot, live_server, "supervisor")
    yield api
    run_async(qtbot, api.aclose())


def _open(qtbot: Any, api: ApiClient) -> DashboardsView:
    view = DashboardsView(lambda: api, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1280, 900)
    with qtbot.waitSignal(view.loaded, timeout=30000):
        view.show()
    return view


def _close(qtbot: Any, view: DashboardsView) -> None:
    run_async(qtbot, view.aclose())


def _server(server: ServerProcess, what: str, **params: str) -> dict[str, Any]:
    """The figures as the server gives them to a supervisor, asked directly over HTTP."""
    login = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "supervisor", "password": DEMO_PASSWORD},
    )
    token = login.json()["access_token"]
    response = httpx.get(
        f"{server.url}/api/v1/metrics/{what}",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _period(query: DashboardQuery) -> dict[str, str]:
    since, until = query.period(NOW)
    return {"from": since.isoformat(), "to": until.isoformat()}


def _line_points(series: Any) -> list[tuple[float, float]]:
    assert isinstance(series, QLineSeries)
    return [(p.x(), round(p.y(), 6)) for p in series.points()]


def _choose(qtbot: Any, combo: Any, text: str) -> None:
    """Pick an entry with the keyboard, as a person tabbing through the toolbar would."""
    combo.setFocus()
    target = combo.findText(text)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def test_dashboards_show_the_servers_figures_and_export_them(
    qtbot: Any, supervisor_api: ApiClient, live_server: ServerProcess, tmp_path: Path
) -> None:
    view = _open(qtbot, supervisor_api)
    assert view.board is not None and view.board.query == DashboardQuery(30, "day", "operator")

    with qtbot.waitSignal(view.loaded, timeout=30000):
        _choose(qtbot, view.period_combo, "Last 90 days")
    query = DashboardQuery(90, "day", "operator")
    assert view.board.query == query

    trend = _server(live_server, "surveys", group_by="day", **_period(query))
    expected = [
        (day_msecs(date.fromisoformat(row["key"])), round(row["csat"]["value"], 6))
        for row in trend["groups"]
        if row["csat"]["value"] is not None
    ]
    assert expected, "the demo server should have CSAT answers in the last 90 days"
    (csat_series,) = view.csat_chart.chart.series()
    assert isinstance(csat_series, QLineSeries)
    assert _line_points(csat_series) == expected
    nps_points = [
        round(row["nps"]["value"], 6) for row in trend["groups"] if row["nps"]["value"] is not None
    ]
    assert [y for _, y in _line_points(view.nps_chart.chart.series()[0])] == nps_points

    groups = _server(live_server, "surveys", group_by="operator", **_period(query))
    (bars,) = view.groups_chart.chart.series()
    assert isinstance(bars, QAbstractBarSeries)
    csat_set = bars.barSets()[0]
    by_operator = {row["key"]: row["csat"]["value"] for row in groups["groups"]}
    shown = [csat_set.at(i) for i in range(csat_set.count())]
    assert shown[: len(by_operator)] == [v or 0.0 for v in by_operator.values()]

    responses = _server(live_server, "first-response", group_by="channel", **_period(query))
    (sla_bars,) = view.sla_chart.chart.series()
    assert isinstance(sla_bars, QAbstractBarSeries)
    sla_set = sla_bars.barSets()[0]
    within = [sla_set.at(i) for i in range(sla_set.count())]
    # Horizontal bars are listed bottom-up.
    assert within[::-1] == [row["within_sla_percent"] or 0.0 for row in responses["groups"]]

    # By week, per channel: the charts follow the choice.
    with qtbot.waitSignal(view.loaded, timeout=30000):
        _choose(qtbot, view.bucket_combo, "By week")
    with qtbot.waitSignal(view.loaded, timeout=30000):
        _choose(qtbot, view.grouping_combo, "Per channel")
    query = DashboardQuery(90, "week", "channel")
    weekly = _server(live_server, "surveys", group_by="week", **_period(query))
    assert [x for x, _ in _line_points(view.csat_chart.chart.series()[0])] == [
        day_msecs(date.fromisoformat(row["key"]))
        for row in weekly["groups"]
        if row["csat"]["value"] is not None
    ]
    assert view.groups_chart.title_label.text() == "CSAT and FCR per channel"

    # Export: the button opens a save dialog; typing a name and Enter writes the CSV.
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    dialog = view.export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.setDirectory(str(tmp_path))  # the folder the person browses to
    name_edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name_edit is not None
    target = tmp_path / "figures.csv"
    name_edit.selectAll()
    with qtbot.waitSignal(view.exported, timeout=10000) as exported:
        qtbot.keyClicks(name_edit, "figures")
        qtbot.keyClick(name_edit, Qt.Key.Key_Return)
    assert exported.args == [str(target)]
    assert "figures.csv" in view.status_label.text()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["section", "group", "metric", "value"]
    csat_rows = {
        group: value
        for section, group, metric, value in rows[1:]
        if section == "surveys_by_week" and metric == "csat_percent"
    }
    assert csat_rows == {row["key"]: _csv(row["csat"]["value"]) for row in weekly["groups"]}
    fcr = _server(live_server, "fcr", group_by="channel", **_period(query))
    assert {
        group: value
        for section, group, metric, value in rows[1:]
        if section == "fcr_by_channel" and metric == "fcr_percent"
    } == {row["key"]: _csv(row["fcr_percent"]) for row in fcr["groups"]}
    offers = _server(
        live_server,
        "offers",
        since=query.days_span(NOW)[0].isoformat(),
        until=query.days_span(NOW)[1].isoformat(),
    )
    assert ["offers_total", "", "offers", str(offers["total"]["offers"])] in rows
    _close(qtbot, view)


def _csv(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def test_an_operator_is_told_the_dashboards_are_not_for_their_role(
    qtbot: Any, qloop: qasync.QEventLoop, live_server: ServerProcess
) -> None:
    api = _signed_in(qtbot, live_server, "operator")
    view = DashboardsView(lambda: api, now=lambda: NOW)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=30000) as failed:
        view.show()
    assert "supervisors and admins" in failed.args[0]
    assert view.status_label.text() == failed.args[0]
    assert view.csat_chart.is_empty and "supervisors" in view.csat_chart.empty_label.text()
    assert not view.export_button.isEnabled()
    assert not view.busy_bar.isVisible()
    _close(qtbot, view)
    run_async(qtbot, api.aclose())


def test_offline_is_said_in_words_and_refresh_tries_again(
    qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    api = ApiClient(f"http://127.0.0.1:{free_port()}", retries=0)
    view = DashboardsView(lambda: api, now=lambda: NOW)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=30000) as failed:
        view.show()
    assert "unreachable or offline" in failed.args[0]
    with qtbot.waitSignal(view.failed, timeout=30000):
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    assert "could not be loaded" in view.status_label.text()
    _close(qtbot, view)
    run_async(qtbot, api.aclose())


def test_signed_out_asks_to_sign_in(qtbot: Any, qloop: qasync.QEventLoop) -> None:
    view = DashboardsView(lambda: None, now=lambda: NOW)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=10000) as failed:
        view.show()
    assert failed.args[0] == "Sign in to a server to see the dashboards."
    _close(qtbot, view)


def test_in_the_window_it_uses_the_signed_in_connection(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    view = DashboardsView.for_window(sync_window)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed, timeout=10000) as failed:
        view.show()
    assert failed.args[0] == "Sign in to a server to see the dashboards."
    sign_in(qtbot, sync_window, live_server.url, user="supervisor")
    with qtbot.waitSignal(view.loaded, timeout=30000):
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    assert view.board is not None and view.export_button.isEnabled()
    assert view.status_label.property("cssClass") == "muted"
    _close(qtbot, view)


def test_charts_follow_the_theme(qtbot: Any, qapp: Any, supervisor_api: ApiClient) -> None:
    view = _open(qtbot, supervisor_api)
    chart = view.csat_chart.chart
    assert chart.backgroundBrush().color().name() == theme.LIGHT.panel
    theme.apply_theme(qapp, "dark")
    assert chart.backgroundBrush().color().name() == theme.DARK.panel
    assert {axis.labelsBrush().color().name() for axis in chart.axes()} == {theme.DARK.muted}
    (series,) = chart.series()
    assert series.color().name() == theme.DARK.accent
    _close(qtbot, view)
