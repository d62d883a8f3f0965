"""``GET /metrics/customers`` on a hand-built order history whose answers are known."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from operator_app.server.cohorts import month_index, month_text
from operator_app.server.seed import load_batches
from tests.server.conftest import BACKENDS, PgSchemas, ServerHandle, _skip_without_pg, _start

# Cohort month offsets from the current month (0 = this month) and, per customer, the
# months of their paid orders (as (month offset, day)), other orders, and P(alive).
PEOPLE: dict[str, dict[str, Any]] = {
    # cohort -2: retention [100, 50, 50], RPR 75 %, P(alive) .9 .2 .5 and one unscored
    "A": {"paid": [(-2, 10), (-1, 10)], "p": 0.9},
    "B": {"paid": [(-2, 5)], "p": 0.2},
    "C": {"paid": [(-2, 3), (-2, 20), (0, 2)], "p": 0.5},
    "D": {"paid": [(-2, 1), (-1, 1), (0, 1)], "other": [(-1, 2, "refunded"), (0, 3, "pending")]},
    # cohort -1: retention [100, 50], RPR 50 %
    "E": {"paid": [(-1, 4)], "p": 0.1},
    "F": {"paid": [(-1, 6), (0, 7)], "p": 0.25},
    # cohort 0
    "G": {"paid": [(0, 1)], "p": 1.0},
    # cohort -14: outside the default 12 months, inside 15
    "H": {"paid": [(-14, 9), (0, 9)], "p": 0.6},
    # no paid order: in no cohort
    "I": {"other": [(-3, 1, "refunded")], "p": 0.7},
    "J": {"other": [(0, 4, "pending")]},
}


def _when(now: datetime, offset: int, day: int) -> datetime:
    index = now.year * 12 + now.month - 1 + offset
    return datetime(index // 12, index % 12 + 1, day, 9, 0, tzinfo=UTC)


def _rows(now: datetime) -> list[tuple[str, list[dict[str, Any]]]]:
    customers, orders = [], []
    tag = uuid.uuid4().hex[:6]
    for name, facts in PEOPLE.items():
        cid = uuid.uuid4()
        customers.append(
            {
                "id": cid,
                "first_name": name,
                "last_name": f"Cohort{tag}",
                "name_key": f"cohort{tag} {name.lower()}",
                "channel_of_origin": "phone",
                "tier": "standard",
                "p_alive": facts.get("p"),
            }
        )
        orders_of = [(o, d, "paid") for o, d in facts.get("paid", [])] + facts.get("other", [])
        for offset, day, status in orders_of:
            orders.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": cid,
                    "number": f"C-{uuid.uuid4().hex[:12]}",
                    "ordered_at": _when(now, offset, day),
                    "amount": Decimal("100.00"),
                    "status": status,
                }
            )
    return [("customer", customers), ("order", orders)]


@pytest.fixture(scope="module", params=BACKENDS)
def cohort_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schemas: PgSchemas | None,
) -> Iterator[ServerHandle]:
    """A server of its own (cohorts count every order) whose clock reads the 15th, noon."""
    if request.param == "postgresql":
        url: Any = _skip_without_pg(pg_schemas).new_url()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('cohorts') / 'server.sqlite3'}"
    for handle in _start(request.param, url):
        real = handle.clock()
        handle.clock.advance(seconds=(real.replace(day=15, hour=12) - real).total_seconds())
        now = handle.clock()
        with handle.db.writing() as session:
            load_batches(session.connection(), _rows(now), now)
        yield handle


def _metrics(server: ServerHandle, **params: Any) -> dict[str, Any]:
    response = server.api.supervisor.get("/metrics/customers", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_cohorts_retention_rpr_and_churn(cohort_server: ServerHandle) -> None:
    data = _metrics(cohort_server)
    now = cohort_server.clock()
    this_month = now.year * 12 + now.month - 1
    assert data["months"] == 12 and data["at_risk_below"] == 0.3
    cohorts = {c["cohort"]: c for c in data["cohorts"]}
    assert list(cohorts) == [month_text(this_month + k) for k in (-2, -1, 0)]
    first, second, third = cohorts.values()
    assert first["customers"] == 4 and first["repeat_customers"] == 3 and first["rpr"] == 75.0
    assert first["retention"] == [100.0, 50.0, 50.0]
    assert first["customers_scored"] == 3
    assert first["mean_p_alive"] == pytest.approx(0.5333, abs=1e-4)
    assert first["expected_churn"] == pytest.approx(46.67, abs=0.01)
    assert first["at_risk_share"] == pytest.approx(33.33, abs=0.01)
    assert second["retention"] == [100.0, 50.0] and second["rpr"] == 50.0
    assert second["expected_churn"] == pytest.approx(82.5) and second["at_risk_share"] == 100.0
    assert third["retention"] == [100.0] and third["rpr"] == 0.0
    assert third["expected_churn"] == 0.0 and third["at_risk_share"] == 0.0
    total = data["total"]
    assert total["customers"] == 8 and total["repeat_customers"] == 5 and total["rpr"] == 62.5
    assert total["customers_scored"] == 7
    assert total["mean_p_alive"] == pytest.approx(3.55 / 7, abs=1e-4)
    assert total["expected_churn"] == pytest.approx(100 * (1 - 3.55 / 7), abs=0.01)
    assert total["at_risk_share"] == pytest.approx(300 / 7, abs=0.01)
    assert data["model"] is None  # no refit has run on this server


def test_a_longer_window_reaches_older_cohorts(cohort_server: ServerHandle) -> None:
    data = _metrics(cohort_server, months=15)
    oldest = data["cohorts"][0]
    now = cohort_server.clock()
    assert month_index(oldest["cohort"]) == now.year * 12 + now.month - 1 - 14
    assert oldest["retention"] == [100.0] + [0.0] * 13 + [100.0]
    assert oldest["customers"] == 1 and oldest["rpr"] == 100.0


@pytest.mark.parametrize("months", [0, 121, "x"])
def test_bad_window_is_a_field_error(cohort_server: ServerHandle, months: object) -> None:
    response = cohort_server.api.admin.get("/metrics/customers", params={"months": months})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "months"


def test_operators_may_not_read_dashboards(cohort_server: ServerHandle) -> None:
    assert cohort_server.api.operator.get("/metrics/customers").status_code == 403
