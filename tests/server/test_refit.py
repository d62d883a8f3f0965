"""The customer-value refit on a demo database, run as people run it (the CLI), then
read back through the change feed as clients see it."""

from __future__ import annotations

import contextlib
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, insert, select, update

from operator_app.analytics.rfm import rfm_from_orders
from operator_app.analytics.scoring import fit_clv_model, score_customers
from operator_app.domain.entities import Order as DomainOrder
from operator_app.domain.enums import OrderStatus
from operator_app.domain.metrics import historical_clv
from operator_app.domain.upsell import AcceptanceStats, CoPurchaseStats
from operator_app.server.app import create_app
from operator_app.server.changelog import latest_seq
from operator_app.server.cli import main
from operator_app.server.db import Database
from operator_app.server.models import AnalyticsRun, ChangeLog, Customer, Order, UpsellStats
from operator_app.server.refit import (
    STALE_AFTER,
    RefitBusy,
    RefitOptions,
    claim_run,
    run_refit,
)
from operator_app.server.refit_history import find_keys, read_order_history
from operator_app.server.refit_scores import score_arrays
from operator_app.server.upsell_stats import UPSELL_STATS_ID
from tests.server.conftest import BACKENDS, PgSchemas, _skip_without_pg
from tests.server.support import LiveServer, all_changes, client_for

DEMO_CUSTOMERS = 2000


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


@dataclass
class Refitted:
    url: str
    db: Database
    seq_before: int
    first_output: str


@pytest.fixture(scope="module", params=BACKENDS)
def refitted(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schemas: PgSchemas | None,
) -> Iterator[Refitted]:
    """A demo database (2,000 customers) after one ``analytics refit``."""
    if request.param == "postgresql":
        url = _skip_without_pg(pg_schemas).new_url().render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('refit') / 'demo.sqlite3'}"
    code, _, err = run_cli(
        "init",
        "--demo",
        "--customers",
        str(DEMO_CUSTOMERS),
        "--messages-per-customer",
        "1",
        "--database-url",
        url,
    )
    assert code == 0, err
    db = Database(url)
    with db.reading() as session:
        seq_before = latest_seq(session)
    code, out, err = run_cli("analytics", "refit", "--database-url", url)
    assert code == 0, err
    try:
        yield Refitted(url, db, seq_before, out)
    finally:
        db.dispose()


def _paid_orders(db: Database) -> list[tuple[uuid.UUID, datetime, Decimal, str]]:
    with db.reading() as session:
        return [
            tuple(row)  # type: ignore[misc]
            for row in session.execute(
                select(Order.customer_id, Order.ordered_at, Order.amount, Order.status)
            )
        ]


def test_every_buyer_gets_a_prediction_and_a_segment(refitted: Refitted) -> None:
    assert f"{DEMO_CUSTOMERS:,} customers" in refitted.first_output
    assert "model: BG/NBD" in refitted.first_output
    buyers = {cid for cid, _, amount, status in _paid_orders(refitted.db) if status == "paid"}
    with refitted.db.reading() as session:
        customers = session.scalars(select(Customer)).all()
    assert len(customers) == DEMO_CUSTOMERS
    segments = set()
    for customer in customers:
        if customer.id in buyers:
            assert customer.p_alive is not None and 0 < customer.p_alive <= 1
            assert customer.predicted_clv is not None and customer.predicted_clv >= 0
            assert customer.expected_purchases is not None and customer.expected_purchases >= 0
            assert customer.value_segment in {"new", "loyal", "high_value", "at_risk", "lost"}
            segments.add(customer.value_segment)
        else:
            assert customer.value_segment == "new"
            assert customer.p_alive is None and customer.predicted_clv is None
    assert segments == {"new", "loyal", "high_value", "at_risk", "lost"}


def test_historical_clv_is_paid_minus_refunded(refitted: Refitted) -> None:
    expected: dict[uuid.UUID, Decimal] = {}
    for cid, _, amount, status in _paid_orders(refitted.db):
        sign = {"paid": 1, "refunded": -1}.get(status, 0)
        expected[cid] = expected.get(cid, Decimal(0)) + sign * amount
    with refitted.db.reading() as session:
        stored = dict(session.execute(select(Customer.id, Customer.historical_clv)).all())
    assert any(status == "refunded" for *_, status in _paid_orders(refitted.db))
    for cid, value in stored.items():
        assert value == max(expected.get(cid, Decimal(0)), Decimal(0)), cid


def test_the_refit_and_the_domain_agree_on_historical_clv(refitted: Refitted) -> None:
    """One definition: the client's ``metrics.historical_clv`` over a customer's orders
    gives the figure the server's refit stored."""
    by_customer: dict[uuid.UUID, list[DomainOrder]] = {}
    for cid, at, amount, status in _paid_orders(refitted.db):
        by_customer.setdefault(cid, []).append(
            DomainOrder(
                id=uuid.uuid4(),
                customer_id=cid,
                number=str(len(by_customer.get(cid, ()))),
                ordered_at=at,
                amount=amount,
                currency="RUB",
                status=OrderStatus(status),
            )
        )
    with refitted.db.reading() as session:
        stored = dict(session.execute(select(Customer.id, Customer.historical_clv)).all())
    assert any(o.status is OrderStatus.REFUNDED for os in by_customer.values() for o in os)
    for cid, value in stored.items():
        assert historical_clv(by_customer.get(cid, [])) == value, cid


def test_changes_reach_clients_through_the_feed(refitted: Refitted) -> None:
    with refitted.db.reading() as session:
        run = session.scalars(select(AnalyticsRun).order_by(AnalyticsRun.started_at).limit(1)).one()
        rows = {c.id: c for c in session.scalars(select(Customer))}
    assert run.status == "succeeded" and run.trigger == "command"
    assert run.model is not None and run.model["bgnbd"]["converged"] is True
    live = LiveServer(create_app(refitted.db))
    live.start()
    try:
        with client_for(live.base_url) as anonymous:
            token = anonymous.post(
                "/auth/login", json={"username": "operator", "password": "demo"}
            ).json()["access_token"]
        with client_for(live.base_url, token) as operator:
            changes = all_changes(operator, since=refitted.seq_before)
    finally:
        live.stop()
    updates = [c for c in changes if c["entity"] == "customer"]
    assert len(updates) == run.changed > 0
    assert len({c["id"] for c in updates}) == len(updates)  # one row per changed customer
    for change in updates:
        row = rows[uuid.UUID(change["id"])]
        assert change["op"] == "update"
        assert change["data"]["version"] == row.version
        assert change["data"]["p_alive"] == row.p_alive
        assert change["data"]["value_segment"] == row.value_segment
        assert change["data"]["expected_purchases"] == row.expected_purchases
    [stats] = [c for c in changes if c["entity"] == "upsell_stats"]
    assert stats["id"] == str(UPSELL_STATS_ID)
    # The client rebuilds the engine's inputs from the row as documented.
    acceptance = AcceptanceStats.from_list(stats["data"]["acceptance"])
    assert acceptance.to_list() == stats["data"]["acceptance"]
    assert {r["segment"] for r in stats["data"]["acceptance"]} <= {
        "new",
        "loyal",
        "high_value",
        "at_risk",
        "lost",
    }
    pairs = CoPurchaseStats(
        (uuid.UUID(r["product_id"]), uuid.UUID(r["with_product_id"]), r["confidence"])
        for r in stats["data"]["co_purchases"]
    )
    first = stats["data"]["co_purchases"][0]
    assert pairs.with_product(uuid.UUID(first["product_id"]))


def test_a_second_refit_without_new_orders_appends_nothing(refitted: Refitted) -> None:
    with refitted.db.reading() as session:
        head = latest_seq(session)
    report = run_refit(refitted.db)
    assert report.customers == DEMO_CUSTOMERS
    assert report.changed == 0 and not report.upsell_stats_changed
    with refitted.db.reading() as session:
        assert latest_seq(session) == head


def test_the_streamed_history_matches_rfm_from_orders(refitted: Refitted) -> None:
    now = datetime.now(UTC)
    orders = [
        (cid, at, amount)
        for cid, at, amount, status in _paid_orders(refitted.db)
        if status == "paid" and at <= now
    ]
    reference = rfm_from_orders(orders, now, "weeks")
    with refitted.db.reading() as session:
        history = read_order_history(session.connection(), now, "weeks")
    assert history.rfm is not None and len(history.rfm) == len(reference)
    rows = history.rfm_row[find_keys(history.keys, [c.bytes for c in reference.customer_ids])]
    assert (rows >= 0).all()
    for name in ("frequency", "recency", "T", "monetary_value"):
        np.testing.assert_allclose(
            getattr(history.rfm, name)[rows], getattr(reference, name), rtol=1e-12, err_msg=name
        )
    model = fit_clv_model(reference)
    arrays = score_arrays(model, history.rfm)
    for score, row in zip(score_customers(model, reference), rows, strict=True):
        assert arrays.segment(row) == score.segment.value
        assert arrays.p_alive[row] == pytest.approx(score.p_alive, rel=1e-9)
        assert arrays.predicted_clv[row] == pytest.approx(score.predicted_clv, rel=1e-9)
        assert arrays.expected_purchases[row] == pytest.approx(score.expected_purchases, rel=1e-9)


def test_scoring_in_blocks_gives_the_whole_base_s_figures(refitted: Refitted) -> None:
    with refitted.db.reading() as session:
        history = read_order_history(session.connection(), datetime.now(UTC), "weeks")
    assert history.rfm is not None and len(history.rfm) > 50
    model = fit_clv_model(history.rfm)
    whole = score_arrays(model, history.rfm, block=len(history.rfm))
    for block in (1, 7, 50):
        blocked = score_arrays(model, history.rfm, block=block)
        for name in ("p_alive", "expected_purchases", "predicted_clv", "segment_index"):
            np.testing.assert_array_equal(
                getattr(blocked, name), getattr(whole, name), err_msg=f"{name}, block {block}"
            )


def test_a_new_order_updates_that_customer(refitted: Refitted) -> None:
    now = datetime.now(UTC)
    with refitted.db.writing() as session:
        customer = session.scalars(
            select(Customer).where(Customer.value_segment == "loyal").order_by(Customer.id)
        ).first()
        assert customer is not None
        before = (customer.version, customer.historical_clv)
        session.execute(
            insert(Order),
            [
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer.id,
                    "number": f"T-{uuid.uuid4().hex[:10]}",
                    "ordered_at": now - timedelta(hours=1),
                    "amount": Decimal("12345.67"),
                    "currency": "RUB",
                    "status": OrderStatus.PAID.value,
                    "version": 1,
                    "updated_at": now,
                }
            ],
        )
        head = latest_seq(session)
    report = run_refit(refitted.db)
    assert report.changed >= 1
    with refitted.db.reading() as session:
        after = session.get(Customer, customer.id)
        assert after is not None
        assert after.historical_clv == before[1] + Decimal("12345.67")
        assert after.version == before[0] + 1
        logged = session.scalars(
            select(ChangeLog).where(ChangeLog.seq > head, ChangeLog.entity_id == customer.id)
        ).one()
        assert json.loads(logged.data)["historical_clv"] == str(after.historical_clv)


def test_two_refits_never_run_at_once(refitted: Refitted) -> None:
    now = datetime.now(UTC)
    run_id = claim_run(refitted.db, trigger="command", now=now)
    try:
        with pytest.raises(RefitBusy, match="still running"):
            run_refit(refitted.db)
        code, _, err = run_cli("analytics", "refit", "--database-url", refitted.url)
        assert code == 1 and "still running" in err
    finally:
        # The holder "dies": once its heartbeat is stale the next run takes over.
        with refitted.db.writing() as session:
            session.execute(
                update(AnalyticsRun)
                .where(AnalyticsRun.id == run_id)
                .values(heartbeat_at=now - STALE_AFTER - timedelta(minutes=1))
            )
    report = run_refit(refitted.db, options=RefitOptions(chunk_size=700))
    assert report.customers == DEMO_CUSTOMERS
    with refitted.db.reading() as session:
        status = session.scalar(select(AnalyticsRun.status).where(AnalyticsRun.id == run_id))
        running = session.scalar(select(func.count()).where(AnalyticsRun.status == "running"))
    assert status == "abandoned" and running == 0


def test_upsell_stats_row_is_single(refitted: Refitted) -> None:
    with refitted.db.reading() as session:
        rows = session.scalars(select(UpsellStats)).all()
    assert [r.id for r in rows] == [UPSELL_STATS_ID]
    assert rows[0].acceptance and rows[0].co_purchases


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_too_little_history_updates_historical_clv_and_says_why(fresh_database_url: str) -> None:
    from operator_app.server.schema import upgrade_to_head
    from operator_app.server.seed import load_batches
    from tests.server.conftest import base_rows

    db = Database(fresh_database_url)
    try:
        upgrade_to_head(db)
        now = datetime.now(UTC)
        data = base_rows(now)
        orders: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "customer_id": data["customer_id"],
                "number": f"N-{i}",
                "ordered_at": now - timedelta(days=30 * i + 1),
                "amount": Decimal("100.00"),
                "status": "paid",
            }
            for i in range(3)
        ]
        with db.writing() as session:
            load_batches(session.connection(), [*data["batches"], ("order", orders)], now)
        code, out, err = run_cli("analytics", "refit", "--database-url", fresh_database_url)
        assert code == 1
        assert "Too little history" in err and "2 customers" in out
        with db.reading() as session:
            customer = session.get(Customer, data["customer_id"])
            other = session.get(Customer, data["other_customer_id"])
        assert customer is not None and other is not None
        assert customer.historical_clv == Decimal("300.00")  # was 1234.50, not from orders
        assert customer.p_alive is None
        assert other.value_segment == "new" and other.historical_clv == 0
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analytics"], "required"),
        (["analytics", "refit", "--horizon-months", "0"], "from 1 to 120"),
        (["analytics", "refit", "--discount-rate", "1.5"], "monthly rate"),
        (["analytics", "refit", "--discount-rate", "abc"], "a number"),
        (["serve", "--refit-at", "25:00"], "HH:MM"),
    ],
)
def test_refit_usage_mistakes(args: list[str], message: str) -> None:
    code, _, err = run_cli(*args)
    assert code == 2 and message in err


def test_only_material_moves_rewrite_a_customer() -> None:
    from operator_app.server.refit_scores import ValueFigures, materially_changed

    base = ValueFigures(Decimal("100.00"), Decimal("5000.00"), 0.8, 1.5, "loyal")

    def moved(**changes: Any) -> bool:
        fields = {
            "historical_clv": base.historical_clv,
            "predicted_clv": base.predicted_clv,
            "p_alive": base.p_alive,
            "expected_purchases": base.expected_purchases,
            "value_segment": base.value_segment,
        }
        return materially_changed(base, ValueFigures(**(fields | changes)))

    assert not moved()
    assert moved(historical_clv=Decimal("100.01"))  # money from orders: exact
    assert moved(value_segment="at_risk")
    assert not moved(p_alive=0.805) and moved(p_alive=0.79)
    assert not moved(expected_purchases=1.51) and moved(expected_purchases=1.52)
    assert not moved(predicted_clv=Decimal("5040.00")) and moved(predicted_clv=Decimal("5050.00"))
    assert moved(p_alive=None) and moved(predicted_clv=None)
