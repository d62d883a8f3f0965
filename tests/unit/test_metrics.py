"""Metrics as DESIGN.md defines them: CSAT, NPS, CES, low scores, RPR, historical CLV."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_app.domain.entities import Order
from operator_app.domain.enums import OrderStatus, SurveyKind
from operator_app.domain.metrics import (
    DEFAULT_LOW_SCORE,
    LowScoreThresholds,
    ces,
    csat,
    historical_clv,
    is_low_score,
    median,
    net_paid,
    nps,
    repeat_purchase_rate,
    validate_score,
    week_start,
)

csat_scores = st.lists(st.integers(1, 5), min_size=1)
nps_scores = st.lists(st.integers(0, 10), min_size=1)
ces_scores = st.lists(st.integers(1, 7), min_size=1)


# --- worked examples -------------------------------------------------------------------------


def test_csat_is_share_of_four_and_five() -> None:
    assert csat([5, 4, 3, 1]) == 50.0
    assert csat([5, 5]) == 100.0
    assert csat([1, 2, 3]) == 0.0


def test_nps_is_promoters_minus_detractors() -> None:
    # 2 promoters (9, 10), 1 passive (7), 1 detractor (6) → 50 % − 25 %
    assert nps([9, 10, 7, 6]) == 25.0
    assert nps([0, 0]) == -100.0
    assert nps([10]) == 100.0
    assert nps([7, 8]) == 0.0


def test_ces_is_mean_on_one_to_seven() -> None:
    assert ces([7, 5, 3]) == 5.0
    assert ces([1]) == 1.0


@pytest.mark.parametrize("metric", [csat, nps, ces])
def test_no_answers_means_no_data_not_zero(metric) -> None:
    assert metric([]) is None


def test_scores_accept_any_iterable() -> None:
    assert csat(iter([4, 2])) == 50.0
    assert nps(s for s in (9, 9)) == 100.0


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "bad", "message"),
    [
        (csat, [6], "CSAT score must be between 1 and 5, got 6"),
        (csat, [0], "CSAT score must be between 1 and 5, got 0"),
        (nps, [11], "NPS score must be between 0 and 10, got 11"),
        (nps, [-1], "NPS score must be between 0 and 10, got -1"),
        (ces, [8], "CES score must be between 1 and 7, got 8"),
        (csat, [4.5], "CSAT score must be a whole number 1–5, got 4.5"),
        (nps, [True], "NPS score must be a whole number 0–10, got True"),
        (ces, [None], "CES score must be a whole number 1–7, got None"),
        (csat, ["5"], "CSAT score must be a whole number 1–5, got '5'"),
    ],
)
def test_out_of_scale_scores_are_rejected_with_a_clear_message(metric, bad, message) -> None:
    with pytest.raises(ValueError, match=message):
        metric([3, *bad] if metric is not nps else [7, *bad])


def test_unknown_survey_kind_is_named() -> None:
    with pytest.raises(ValueError, match="Unknown survey kind 'csi'"):
        validate_score("csi", 3)


def test_survey_kind_accepts_strings_in_any_case() -> None:
    assert validate_score("CSAT", 5) == 5
    assert is_low_score("nps", 3)


# --- low scores ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "low", "not_low"),
    [
        (SurveyKind.CSAT, [1, 2], [3, 4, 5]),
        (SurveyKind.NPS, [0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 10]),
        (SurveyKind.CES, [1, 2, 3], [4, 5, 6, 7]),
    ],
)
def test_default_low_score_thresholds(kind, low, not_low) -> None:
    assert all(is_low_score(kind, s) for s in low)
    assert not any(is_low_score(kind, s) for s in not_low)


def test_thresholds_are_admin_policy() -> None:
    strict = LowScoreThresholds(csat=3, nps=8, ces=4)
    assert is_low_score(SurveyKind.CSAT, 3, strict)
    assert not is_low_score(SurveyKind.CSAT, 3)
    assert is_low_score(SurveyKind.NPS, 8, strict)
    assert is_low_score(SurveyKind.CES, 4, strict)


def test_thresholds_round_trip_through_policy_json() -> None:
    policy = LowScoreThresholds(csat=1, nps=5, ces=2)
    assert LowScoreThresholds.from_dict(policy.to_dict()) == policy
    assert LowScoreThresholds.from_dict({"nps": 4}) == LowScoreThresholds(nps=4)
    assert DEFAULT_LOW_SCORE.to_dict() == {"csat": 2, "nps": 6, "ces": 3}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"csat": 6}, "CSAT low-score threshold must be between 1 and 5, got 6"),
        ({"nps": -1}, "NPS low-score threshold must be between 0 and 10, got -1"),
        ({"ces": 2.5}, "CES low-score threshold must be a whole number, got 2.5"),
        ({"nsp": 3}, "Unknown low-score threshold"),
    ],
)
def test_bad_thresholds_are_rejected(data, message) -> None:
    with pytest.raises(ValueError, match=message):
        LowScoreThresholds.from_dict(data)


def test_low_score_check_validates_the_score() -> None:
    with pytest.raises(ValueError, match="CSAT score must be between 1 and 5, got 9"):
        is_low_score(SurveyKind.CSAT, 9)


# --- properties ------------------------------------------------------------------------------


@given(csat_scores)
def test_csat_is_a_percentage_counting_satisfied_answers(scores: list[int]) -> None:
    value = csat(scores)
    assert value is not None
    assert 0.0 <= value <= 100.0
    assert value == pytest.approx(100.0 * len([s for s in scores if s in (4, 5)]) / len(scores))


@given(nps_scores)
def test_nps_is_bounded(scores: list[int]) -> None:
    value = nps(scores)
    assert value is not None
    assert -100.0 <= value <= 100.0


@given(nps_scores)
def test_adding_a_promoter_never_lowers_nps(scores: list[int]) -> None:
    before = nps(scores)
    after_promoter = nps([*scores, 10])
    after_detractor = nps([*scores, 0])
    assert before is not None and after_promoter is not None and after_detractor is not None
    assert after_promoter >= before - 1e-9
    assert after_detractor <= before + 1e-9


@given(ces_scores)
def test_ces_lies_between_lowest_and_highest_answer(scores: list[int]) -> None:
    value = ces(scores)
    assert value is not None
    assert min(scores) - 1e-9 <= value <= max(scores) + 1e-9
    assert 1.0 <= value <= 7.0


@given(csat_scores)
def test_metrics_do_not_depend_on_answer_order(scores: list[int]) -> None:
    assert csat(scores) == csat(list(reversed(scores)))
    assert csat(scores) == csat(sorted(scores))


@given(
    st.sampled_from(list(SurveyKind)),
    st.integers(-5, 15),
    st.integers(0, 10),
)
def test_low_score_is_monotone_in_the_score(kind: SurveyKind, score: int, step: int) -> None:
    """If a score is not low, no higher score is low either."""
    low_bound, high_bound = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}[kind.value]
    if not low_bound <= score <= high_bound:
        with pytest.raises(ValueError):
            is_low_score(kind, score)
        return
    higher = min(score + step, high_bound)
    if not is_low_score(kind, score):
        assert not is_low_score(kind, higher)


# --- repeat purchase rate --------------------------------------------------------------------


def test_repeat_purchase_rate() -> None:
    # 4 buyers, 2 of them came back; the customer with 0 orders does not count
    assert repeat_purchase_rate([1, 2, 5, 1, 0]) == 50.0
    assert repeat_purchase_rate([0, 0]) is None
    assert repeat_purchase_rate([]) is None


@pytest.mark.parametrize("bad", [-1, 1.5, "2", None, True])
def test_repeat_purchase_rate_rejects_bad_counts(bad) -> None:
    with pytest.raises(ValueError, match="Order count must be a whole number ≥ 0"):
        repeat_purchase_rate([1, bad])


@given(st.lists(st.integers(0, 50)))
def test_repeat_purchase_rate_is_a_percentage(counts: list[int]) -> None:
    value = repeat_purchase_rate(counts)
    if not any(counts):
        assert value is None
    else:
        assert value is not None
        assert 0.0 <= value <= 100.0


# --- historical CLV --------------------------------------------------------------------------


def _order(amount: str, status: OrderStatus, currency: str = "RUB") -> Order:
    return Order(
        id=uuid.uuid4(),
        customer_id=uuid.uuid4(),
        number=f"A-{amount}",
        ordered_at=datetime(2024, 1, 1, tzinfo=UTC),
        amount=Decimal(amount),
        currency=currency,
        status=status,
    )


def test_historical_clv_is_paid_orders_minus_refunds() -> None:
    orders = [
        _order("100.50", OrderStatus.PAID),
        _order("200", OrderStatus.PAID),
        _order("80.25", OrderStatus.REFUNDED),
        _order("50", OrderStatus.CANCELLED),
        _order("70", OrderStatus.PENDING),
    ]
    assert historical_clv(orders) == Decimal("220.25")
    assert historical_clv([]) == Decimal(0)
    # a refund never takes the value below zero
    assert historical_clv([_order("10", OrderStatus.PAID), _order("25", OrderStatus.REFUNDED)]) == 0
    assert net_paid(1000, 250) == 750 and net_paid(100, 250) == 0


def test_historical_clv_refuses_to_add_currencies() -> None:
    orders = [_order("1", OrderStatus.PAID), _order("2", OrderStatus.PAID, "EUR")]
    with pytest.raises(ValueError, match="is in EUR, others in RUB"):
        historical_clv(orders)
    # a refund is counted too, so its currency must match as well
    with pytest.raises(ValueError, match="is in EUR, others in RUB"):
        historical_clv([orders[0], _order("5", OrderStatus.REFUNDED, "EUR")])
    # cancelled and pending orders are not counted, so they do not clash
    assert historical_clv([orders[0], _order("5", OrderStatus.CANCELLED, "EUR")]) == 1


# --- dashboards' buckets and medians ---------------------------------------------------------


@given(st.dates())
def test_week_start_is_the_monday_on_or_before_the_day(day: date) -> None:
    monday = week_start(day)
    assert monday.weekday() == 0
    assert 0 <= (day - monday).days <= 6
    assert monday.isocalendar()[:2] == day.isocalendar()[:2]


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1))
def test_median_splits_the_values_in_half(values: list[float]) -> None:
    middle = median(values)
    assert middle is not None
    assert min(values) <= middle <= max(values)
    assert sum(v < middle for v in values) <= len(values) // 2
    assert sum(v > middle for v in values) <= len(values) // 2
    assert median(reversed(values)) == middle


def test_median_of_nothing_is_no_data() -> None:
    assert median([]) is None
    assert median([1.0, 2.0, 3.0, 300.0]) == 2.5
