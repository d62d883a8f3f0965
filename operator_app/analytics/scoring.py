"""One call for the server's refit job: orders → fitted models → a score per customer.

    rfm = rfm_from_orders(paid_orders, now, unit="weeks")
    model = fit_clv_model(rfm)                 # may raise ModelFitError: keep the old model
    for score in score_customers(model, rfm):  # value strip: predicted CLV, P(alive), segment
        ...

The model is plain data (:meth:`ClvModel.to_dict`), so the job can store it and score
new customers later without refitting.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from operator_app.analytics.clv import (
    BGNBDParams,
    GammaGammaParams,
    ModelFitError,
    customer_lifetime_value,
    expected_average_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    periods_per_month,
    probability_alive,
)
from operator_app.analytics.rfm import DAYS_PER_UNIT, RFM
from operator_app.analytics.segments import (
    DEFAULT_SEGMENT_THRESHOLDS,
    CustomerSegment,
    SegmentThresholds,
    clv_quantiles,
    segment,
)

# Below these counts a fit says more about noise than about customers.
MIN_CUSTOMERS = 20
MIN_REPEAT_CUSTOMERS = 10


@dataclass(frozen=True, slots=True)
class ClvModel:
    bgnbd: BGNBDParams
    gamma_gamma: GammaGammaParams
    unit: str  # time unit of recency/T and of bgnbd.alpha
    horizon_months: int = 12
    discount_rate: float = 0.01  # per month

    def to_dict(self) -> dict[str, Any]:
        return {
            "bgnbd": self.bgnbd.to_dict(),
            "gamma_gamma": self.gamma_gamma.to_dict(),
            "unit": self.unit,
            "horizon_months": self.horizon_months,
            "discount_rate": self.discount_rate,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClvModel:
        return cls(
            BGNBDParams.from_dict(data["bgnbd"]),
            GammaGammaParams.from_dict(data["gamma_gamma"]),
            data["unit"],
            data["horizon_months"],
            data["discount_rate"],
        )


@dataclass(frozen=True, slots=True)
class CustomerScore:
    customer_id: Hashable
    p_alive: float
    expected_purchases: float  # over the horizon
    expected_spend: float  # per purchase
    predicted_clv: float  # discounted revenue over the horizon
    clv_quantile: float
    segment: CustomerSegment


def fit_clv_model(
    rfm: RFM,
    *,
    horizon_months: int = 12,
    discount_rate: float = 0.01,
    penalizer: float = 0.001,
) -> ClvModel:
    """Fit both models; raise :class:`ModelFitError` if the data cannot support them.

    A small default ``penalizer`` keeps small or lopsided bases (a new shop, a demo)
    from running parameters to infinity; with thousands of customers its pull is
    negligible.
    """
    repeaters = int((rfm.frequency > 0).sum())
    if len(rfm) < MIN_CUSTOMERS or repeaters < MIN_REPEAT_CUSTOMERS:
        raise ModelFitError(
            f"Too little history to predict CLV: {len(rfm)} customers, {repeaters} with "
            f"repeat purchases (need {MIN_CUSTOMERS} and {MIN_REPEAT_CUSTOMERS})"
        )
    bgnbd = fit_bgnbd(rfm.frequency, rfm.recency, rfm.T, penalizer=penalizer, strict=True)
    gamma_gamma = fit_gamma_gamma(
        rfm.frequency, rfm.monetary_value, penalizer=penalizer, strict=True
    )
    if gamma_gamma.q <= 1:
        raise ModelFitError(
            f"Gamma-Gamma q = {gamma_gamma.q:.3g} ≤ 1: spend is too dispersed to value "
            "customers without repeat purchases"
        )
    model = ClvModel(bgnbd, gamma_gamma, rfm.unit, horizon_months, discount_rate)
    periods_per_month(model.unit)  # validates the unit before anyone stores the model
    return model


def score_customers(
    model: ClvModel,
    rfm: RFM,
    thresholds: SegmentThresholds = DEFAULT_SEGMENT_THRESHOLDS,
) -> list[CustomerScore]:
    """Score every customer of ``rfm`` (which must use the model's time unit)."""
    if rfm.unit != model.unit:
        raise ValueError(f"RFM data are in {rfm.unit}, the model in {model.unit}")
    x, tx, age, m = rfm.frequency, rfm.recency, rfm.T, rfm.monetary_value
    horizon = model.horizon_months * periods_per_month(model.unit)
    alive = probability_alive(model.bgnbd, x, tx, age)
    purchases = expected_purchases(model.bgnbd, horizon, x, tx, age)
    spend = expected_average_value(model.gamma_gamma, x, m)
    clv = customer_lifetime_value(
        model.bgnbd,
        model.gamma_gamma,
        x,
        tx,
        age,
        m,
        horizon=model.horizon_months,
        time_unit=model.unit,
        discount_rate=model.discount_rate,
    )
    quantiles = clv_quantiles(clv)
    idle_days = np.maximum(age - tx, 0.0) * DAYS_PER_UNIT[model.unit]
    orders = rfm.order_count
    scores = []
    for i, customer_id in enumerate(rfm.customer_ids):
        p = min(max(float(alive[i]), 0.0), 1.0)
        q = float(quantiles[i])
        scores.append(
            CustomerScore(
                customer_id=customer_id,
                p_alive=p,
                expected_purchases=float(purchases[i]),
                expected_spend=float(spend[i]),
                predicted_clv=float(clv[i]) if math.isfinite(clv[i]) else 0.0,
                clv_quantile=q,
                segment=segment(p, q, int(orders[i]), float(idle_days[i]), thresholds),
            )
        )
    return scores
