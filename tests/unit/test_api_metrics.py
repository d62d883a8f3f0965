"""Dashboards' client calls against a scripted server: what they send, what they accept."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from starlette.responses import JSONResponse, Response

from operator_app.api import ApiClient, ForbiddenError, ProtocolError
from operator_app.api.metrics import (
    first_response_metrics,
    offer_metrics,
    survey_metrics,
)
from tests.e2e.loopback import Recorded, ScriptedServer, problem

SINCE = datetime(2026, 3, 1, tzinfo=UTC)
UNTIL = datetime(2026, 3, 8, 12, tzinfo=UTC)
SCORE = {"value": 80.0, "answers": 5}
ROW = {
    "key": "2026-03-02", "csat": SCORE, "nps": {"value": None, "answers": 0},
    "ces": {"value": 5.5, "answers": 2}, "answers": 7, "low_scores": 1,
    "review_cases_opened": 1, "review_cases_resolved": 1, "mean_hours_to_resolve": 3.0,
    "median_hours_to_resolve": 3.0,
}  # fmt: skip


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer().start()
    yield scripted
    scripted.stop()


@pytest.fixture
def server(shared_server: ScriptedServer) -> ScriptedServer:
    shared_server.reset()
    return shared_server


def call(server: ScriptedServer, fetch: Callable[[ApiClient], Any]) -> Any:
    async def go() -> Any:
        async with ApiClient(server.url, retries=0) as api:
            api.use_token("oat_token")
            return await fetch(api)

    return asyncio.run(go())


def test_survey_figures_are_asked_for_the_period_and_parsed(server: ScriptedServer) -> None:
    seen: list[Recorded] = []

    def answer(request: Recorded) -> Response:
        seen.append(request)
        body = {"since": SINCE.isoformat(), "until": UNTIL.isoformat(), "group_by": "week",
                "groups": [ROW], "total": {**ROW, "key": None}}  # fmt: skip
        return JSONResponse(body)

    server.on("GET", "/api/v1/metrics/surveys", answer)
    result = call(server, lambda api: survey_metrics(api, SINCE, UNTIL, "week"))
    assert dict(seen[0].query) == {
        "from": "2026-03-01T00:00:00+00:00",
        "to": "2026-03-08T12:00:00+00:00",
        "group_by": "week",
    }
    (row,) = result.groups
    assert row.key == "2026-03-02" and row.csat.value == 80.0 and row.nps.value is None
    assert row.median_hours_to_resolve == 3.0 and result.total.key is None


def test_offer_rows_are_labelled_by_rule_name_else_reason(server: ScriptedServer) -> None:
    counts = {"offers": 4, "shown": 1, "accepted": 1, "not_now": 1, "declined": 1,
              "answered": 3, "acceptance_rate": 33.33}  # fmt: skip
    body = {
        "since": "2026-03-01T00:00:00Z", "until": "2026-03-09T00:00:00Z", "total": counts,
        "by_reason": [{"reason_code": "rule:1", "rule_id": "1", "rule_name": "Warranty"} | counts,
                      {"reason_code": "abandoned_cart", "rule_id": None, "rule_name": None}
                      | counts],
        "by_operator": [{"operator": "anna"} | counts],
        "by_segment": [{"segment": "champions"} | counts],
    }  # fmt: skip
    seen: list[Recorded] = []

    def answer(request: Recorded) -> Response:
        seen.append(request)
        return JSONResponse(body)

    server.on("GET", "/api/v1/metrics/offers", answer)
    result = call(server, lambda api: offer_metrics(api, date(2026, 3, 1), date(2026, 3, 8)))
    assert dict(seen[0].query) == {"since": "2026-03-01", "until": "2026-03-08"}
    assert [r.label for r in result.by_rule] == ["Warranty", "abandoned_cart"]
    assert result.by_operator[0].label == "anna" and result.total.acceptance_rate == 33.33


@pytest.mark.parametrize(
    "body",
    [
        {"since": "x", "until": "2026-03-08T12:00:00+00:00", "groups": [], "total": {}},
        {"since": SINCE.isoformat(), "until": UNTIL.isoformat(), "groups": None},
        {"since": SINCE.isoformat(), "until": UNTIL.isoformat(), "groups": [{"key": 1}]},
    ],
)
def test_garbage_is_a_protocol_error(server: ScriptedServer, body: dict[str, Any]) -> None:
    server.on("GET", "/api/v1/metrics/first-response", lambda _r: JSONResponse(body))
    with pytest.raises(ProtocolError, match="does not understand"):
        call(server, lambda api: first_response_metrics(api, SINCE, UNTIL, "channel"))


def test_an_operator_gets_a_forbidden_error_in_words(server: ScriptedServer) -> None:
    server.on("GET", "/api/v1/metrics/surveys", lambda _r: problem(403, "Supervisors only."))
    with pytest.raises(ForbiddenError, match="Supervisors only"):
        call(server, lambda api: survey_metrics(api, SINCE, UNTIL, "day"))
