"""From orders to RFM summaries, value segments, and the refit job's scoring."""

from __future__ import annotations

import math
import random
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import rankdata

from operator_app.analytics.clv import (
    BGNBDParams,
    CustomerSegment,
    ModelFitError,
    SegmentThresholds,
    clv_quantiles,
    probability_alive,
    rfm_from_orders,
    segment,
)
from operator_app.analytics.scoring import ClvModel, fit_clv_model, score_customers
from operator_app.analytics.segments import SEGMENT_ORDER, segment_indices

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


# --- RFM -------------------------------------------------------------------------------------


def test_rfm_from_orders_summarises_each_customer() -> None:
    orders = [
        ("anna", at(70), Decimal("100")),
        ("anna", at(42), Decimal("30")),
        ("anna", at(14), Decimal("50.5")),
        ("boris", at(21), 999),
    ]
    rfm = rfm_from_orders(orders, NOW, unit="weeks")
    assert rfm.customer_ids == ("anna", "boris")
    assert rfm.frequency.tolist() == [2, 0]
    assert rfm.recency.tolist() == pytest.approx([8.0, 0.0])
    assert rfm.T.tolist() == pytest.approx([10.0, 3.0])
    # the first purchase is not part of the average spend
    assert rfm.monetary_value.tolist() == pytest.approx([40.25, 0.0])
    assert rfm.order_count.tolist() == [3, 1]
    assert rfm.days_since_last_purchase.tolist() == pytest.approx([14.0, 21.0])
    assert len(rfm) == 2


def test_orders_on_one_day_are_one_purchase() -> None:
    day = datetime(2025, 1, 10, 9, tzinfo=UTC)
    orders = [("c", day, 10), ("c", day + timedelta(hours=5), 15), ("c", at(1), 8)]
    rfm = rfm_from_orders(orders, NOW, unit="days")
    assert rfm.frequency.tolist() == [1]
    assert rfm.monetary_value.tolist() == [8.0]


def test_days_are_utc_days() -> None:
    moscow = timezone(timedelta(hours=3))
    # 01:30 in Moscow on the 11th is still the 10th in UTC: same day as the other order
    orders = [
        ("c", datetime(2025, 1, 10, 12, tzinfo=UTC), 10),
        ("c", datetime(2025, 1, 11, 1, 30, tzinfo=moscow), 10),
    ]
    assert rfm_from_orders(orders, NOW).frequency.tolist() == [0]


def test_units_and_plain_dates() -> None:
    orders = [("c", date(2025, 1, 1), 5), ("c", date(2025, 1, 31), 5)]
    days = rfm_from_orders(orders, date(2025, 3, 2), unit="days")
    months = rfm_from_orders(orders, date(2025, 3, 2), unit="months")
    assert days.recency.tolist() == [30.0]
    assert days.T.tolist() == [60.0]
    assert months.T.tolist() == pytest.approx([60 / 30.4375])


def test_zero_amount_orders_are_not_purchases() -> None:
    orders = [("c", at(10), 50), ("c", at(5), 0), ("gift-only", at(3), 0)]
    rfm = rfm_from_orders(orders, NOW)
    assert rfm.customer_ids == ("c",)
    assert rfm.frequency.tolist() == [0]


def test_rfm_does_not_depend_on_row_order() -> None:
    ids = [uuid.UUID(int=i) for i in range(5)]
    rng = random.Random(3)
    orders = [(rng.choice(ids), at(rng.randint(0, 400)), rng.randint(1, 500)) for _ in range(60)]
    a = rfm_from_orders(orders, NOW)
    rng.shuffle(orders)
    b = rfm_from_orders(orders, NOW)
    assert a.customer_ids == b.customer_ids == tuple(sorted(a.customer_ids))
    for name in ("frequency", "recency", "T", "monetary_value"):
        assert getattr(a, name).tolist() == pytest.approx(getattr(b, name).tolist(), rel=1e-12)


@pytest.mark.parametrize(
    ("orders", "message"),
    [
        ([("c", at(-1), 10)], r"Order of customer c is dated 2025-03-02, after now \(2025-03-01\)"),
        ([("c", at(1), -5)], r"Order amount of customer c must be ≥ 0"),
        ([("c", at(1), math.nan)], r"Order amount of customer c must be ≥ 0"),
        ([("c", at(1), "12")], r"Order amount of customer c must be a number, got '12'"),
        ([("c", "2025-01-01", 10)], r"Order date of customer c must be a date or datetime"),
        ([("c", at(1))], r"Order row 0 must be \(customer_id, ordered_at, amount\)"),
        ([], r"No orders with a positive amount"),
    ],
)
def test_bad_orders_are_rejected_clearly(orders, message) -> None:
    with pytest.raises(ValueError, match=message):
        rfm_from_orders(orders, NOW)


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError, match="unit must be one of days, weeks, months"):
        rfm_from_orders([("c", at(1), 1)], NOW, unit="years")


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 1000), st.integers(1, 10_000)),
        min_size=1,
        max_size=60,
    )
)
def test_rfm_output_is_valid_model_input(rows) -> None:
    """Whatever the orders, the summary satisfies the models' input rules."""
    orders = [(cid, at(days), amount) for cid, days, amount in rows]
    rfm = rfm_from_orders(orders, NOW, unit="weeks")
    assert np.all(rfm.frequency >= 0)
    assert np.all(rfm.recency <= rfm.T)
    assert np.all(rfm.recency[rfm.frequency == 0] == 0)
    assert np.all(rfm.monetary_value[rfm.frequency > 0] > 0)
    assert int(rfm.order_count.sum()) == len({(cid, days) for cid, days, _ in rows})
    # the models accept it
    probability_alive(BGNBDParams(1, 1, 1, 1), rfm.frequency, rfm.recency, rfm.T)


# --- segments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p_alive", "quantile", "orders", "idle_days", "expected"),
    [
        (1.0, 0.5, 0, 0, CustomerSegment.NEW),  # never bought
        (1.0, 0.3, 1, 10, CustomerSegment.NEW),  # bought once, recently
        (1.0, 0.3, 1, 200, CustomerSegment.AT_RISK),  # bought once, never came back
        (1.0, 0.3, 1, 400, CustomerSegment.LOST),
        (0.9, 0.95, 6, 400, CustomerSegment.LOST),  # a year of silence beats a high P(alive)
        (0.1, 0.95, 6, 30, CustomerSegment.LOST),
        (0.3, 0.95, 6, 30, CustomerSegment.AT_RISK),  # valuable but slipping: a save
        (0.9, 0.95, 6, 30, CustomerSegment.HIGH_VALUE),
        (0.9, 0.8, 6, 30, CustomerSegment.HIGH_VALUE),
        (0.9, 0.79, 6, 30, CustomerSegment.LOYAL),
    ],
)
def test_segment_rules(p_alive, quantile, orders, idle_days, expected) -> None:
    assert segment(p_alive, quantile, orders, idle_days) is expected


def test_segment_thresholds_are_configurable() -> None:
    lenient = SegmentThresholds(lost_after_days=800, at_risk_p_alive=0.2)
    assert segment(0.3, 0.5, 4, 500, lenient) is CustomerSegment.LOYAL
    with pytest.raises(ValueError, match="lost_p_alive must not exceed at_risk_p_alive"):
        SegmentThresholds(lost_p_alive=0.6, at_risk_p_alive=0.5)
    with pytest.raises(ValueError, match="high_value_quantile must be between 0 and 1"):
        SegmentThresholds(high_value_quantile=80)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1.5, 0.5, 1, 0), "p_alive must be between 0 and 1"),
        ((0.5, -0.1, 1, 0), "clv_quantile must be between 0 and 1"),
        ((0.5, 0.5, -1, 0), "order_count must be a whole number ≥ 0"),
        ((0.5, 0.5, 2.5, 0), "order_count must be a whole number ≥ 0"),
        ((0.5, 0.5, 2, -3), "days_since_last_purchase must be a number of days ≥ 0"),
    ],
)
def test_segment_rejects_bad_input(args, message) -> None:
    with pytest.raises(ValueError, match=message):
        segment(*args)


_EDGES = [0.0, 0.15, 0.5, 0.8, 1.0]  # the default thresholds and the ends of the range
_DAY_EDGES = [0.0, 180.0, 365.0]


@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(_EDGES), st.floats(0, 1)),
            st.one_of(st.sampled_from(_EDGES), st.floats(0, 1)),
            st.integers(0, 5),
            st.one_of(st.sampled_from(_DAY_EDGES), st.floats(0, 2000)),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(
        [SegmentThresholds(), SegmentThresholds(lost_after_days=800, at_risk_p_alive=0.2)]
    ),
)
def test_segment_indices_are_segment_for_every_customer(rows, thresholds) -> None:
    p, q, orders, days = (np.array(column) for column in zip(*rows, strict=True))
    indices = segment_indices(p, q, orders.astype(np.int64), days, thresholds)
    expected = [segment(*row, thresholds) for row in rows]
    assert [SEGMENT_ORDER[i] for i in indices] == expected


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (0, 1.5, "p_alive out of range at index 1"),
        (0, math.nan, "p_alive out of range at index 1"),
        (1, -0.1, "clv_quantile out of range at index 1"),
        (2, -1, "order_count out of range at index 1"),
        (3, -3.0, "days_since_last_purchase out of range at index 1"),
        (3, math.inf, "days_since_last_purchase out of range at index 1"),
    ],
)
def test_segment_indices_reject_what_segment_rejects(column, value, message) -> None:
    columns = [np.array([0.5, 0.5]), np.array([0.5, 0.5]), np.array([2, 2]), np.array([9.0, 9.0])]
    columns[column][1] = value
    with pytest.raises(ValueError, match=message):
        segment_indices(*columns)


@given(st.lists(st.sampled_from([0.0, 1.5, 2.0, 7.25]) | st.floats(0, 1e9), max_size=80))
def test_clv_quantiles_rank_ties_like_scipy(values) -> None:
    if not values:
        assert clv_quantiles(values).size == 0
        return
    expected = (rankdata(values, method="average") - 0.5) / len(values)
    assert clv_quantiles(values).tolist() == expected.tolist()


def test_clv_quantiles() -> None:
    assert clv_quantiles([10, 30, 20, 40]).tolist() == pytest.approx([0.125, 0.625, 0.375, 0.875])
    # a flat base has no high-value customers
    assert clv_quantiles([5, 5, 5]).tolist() == [0.5, 0.5, 0.5]


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=50))
def test_clv_quantiles_keep_order_and_bounds(values) -> None:
    q = clv_quantiles(values)
    assert np.all((q > 0) & (q < 1))
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(q[order]) >= 0)


# --- the refit job's path --------------------------------------------------------------------


def shop_orders(n_customers: int, seed: int):
    """A small shop: customers buy every few weeks at their own pace, some stop."""
    rng = np.random.default_rng(seed)
    orders = []
    for i in range(n_customers):
        customer = uuid.UUID(int=i + 1)
        first = float(rng.uniform(30, 700))
        gap = float(rng.gamma(2.0, 30.0))
        stop = float(rng.uniform(0, first))
        typical = float(rng.gamma(3.0, 800.0))
        day = first
        while day >= stop:
            orders.append((customer, at(day), Decimal(str(round(rng.gamma(6.0, typical / 6), 2)))))
            day -= float(rng.exponential(gap))
    return orders


@pytest.fixture(scope="module")
def shop():
    rfm = rfm_from_orders(shop_orders(600, seed=5), NOW, unit="weeks")
    return rfm, fit_clv_model(rfm)


def test_fit_and_score_a_customer_base(shop) -> None:
    rfm, model = shop
    assert model.bgnbd.converged and model.gamma_gamma.converged
    scores = score_customers(model, rfm)
    assert [s.customer_id for s in scores] == list(rfm.customer_ids)
    for s in scores:
        assert 0.0 <= s.p_alive <= 1.0
        assert s.predicted_clv >= 0.0
        assert s.expected_purchases >= 0.0
        assert s.expected_spend > 0.0
        assert s.segment in set(CustomerSegment)
    assert {s.segment for s in scores} >= {
        CustomerSegment.LOYAL,
        CustomerSegment.HIGH_VALUE,
        CustomerSegment.LOST,
    }
    high = [s for s in scores if s.segment is CustomerSegment.HIGH_VALUE]
    assert all(s.clv_quantile >= 0.8 for s in high)


def test_frequent_recent_buyers_are_worth_more_than_lapsed_ones(shop) -> None:
    rfm, model = shop
    scores = {s.customer_id: s for s in score_customers(model, rfm)}
    idle = rfm.days_since_last_purchase
    recent_regulars = [
        cid for i, cid in enumerate(rfm.customer_ids) if rfm.frequency[i] >= 5 and idle[i] < 30
    ]
    lapsed = [cid for i, cid in enumerate(rfm.customer_ids) if idle[i] > 300]
    assert recent_regulars and lapsed
    assert np.mean([scores[c].predicted_clv for c in recent_regulars]) > 3 * np.mean(
        [scores[c].predicted_clv for c in lapsed]
    )


def test_model_round_trips_through_json_dicts(shop) -> None:
    rfm, model = shop
    restored = ClvModel.from_dict(model.to_dict())
    assert restored == model
    assert [s.predicted_clv for s in score_customers(restored, rfm)] == [
        s.predicted_clv for s in score_customers(model, rfm)
    ]


def test_too_little_history_is_refused_so_the_old_model_stays() -> None:
    rfm = rfm_from_orders(shop_orders(8, seed=1), NOW)
    with pytest.raises(ModelFitError, match="Too little history to predict CLV: 8 customers"):
        fit_clv_model(rfm)


def test_scoring_refuses_mixed_time_units(shop) -> None:
    _, model = shop
    in_days = rfm_from_orders(shop_orders(30, seed=2), NOW, unit="days")
    with pytest.raises(ValueError, match="RFM data are in days, the model in weeks"):
        score_customers(model, in_days)
