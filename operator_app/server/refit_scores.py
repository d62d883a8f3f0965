"""Scores for every customer as flat arrays, and what counts as a change worth syncing.

:func:`analytics.scoring.score_customers` returns one object per customer; at a
million customers that list alone is a few hundred megabytes. This computes the same
figures with the same analytics functions, as arrays (a test holds the two equal).

Stored values are rounded (P(alive) to 6 decimals, expected purchases to 4, CLV to the
cent), and a customer's row is rewritten only when a value moved *materially*
(:func:`materially_changed`): the model is refitted daily and every prediction drifts
a little each day as time passes, and a million rewritten rows a day would flood every
client's change feed for no visible difference on the card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from operator_app.analytics.clv import (
    customer_lifetime_value,
    expected_purchases,
    periods_per_month,
    probability_alive,
)
from operator_app.analytics.rfm import DAYS_PER_UNIT, RFM
from operator_app.analytics.scoring import ClvModel
from operator_app.analytics.segments import (
    DEFAULT_SEGMENT_THRESHOLDS,
    SEGMENT_ORDER,
    SegmentThresholds,
    clv_quantiles,
    segment_indices,
)

FloatArray = NDArray[np.float64]

# Below these differences a new figure does not replace the stored one.
P_ALIVE_STEP = 0.01  # one percentage point
PURCHASES_STEP = 0.01  # absolute, or…
RELATIVE_STEP = 0.01  # …1 % of the stored value (expected purchases, predicted CLV)
CLV_STEP = Decimal("1.00")  # at least one unit of money
MAX_MONEY = Decimal("999999999999.99")  # numeric(14, 2)
MIN_P_ALIVE = 1e-6  # P(alive) is never exactly 0 in BG/NBD; keep it in (0, 1]

SEGMENTS: tuple[str, ...] = tuple(s.value for s in SEGMENT_ORDER)


@dataclass(frozen=True, slots=True, eq=False)
class ScoreArrays:
    """Aligned with the rows of the RFM data they were computed from."""

    p_alive: FloatArray
    expected_purchases: FloatArray
    predicted_clv: FloatArray
    segment_index: NDArray[np.int8]  # index into SEGMENTS

    def segment(self, row: int) -> str:
        return SEGMENTS[int(self.segment_index[row])]


SCORE_BLOCK = 65_536  # customers scored at once: bounds the models' temporary arrays


def score_arrays(
    model: ClvModel,
    rfm: RFM,
    thresholds: SegmentThresholds = DEFAULT_SEGMENT_THRESHOLDS,
    *,
    block: int = SCORE_BLOCK,
) -> ScoreArrays:
    """The figures of ``score_customers`` for every row of ``rfm``, as arrays.

    The model functions are element-wise, so scoring ``block`` rows at a time gives the
    same numbers while their dozens of intermediate arrays stay block-sized (at a
    million customers, whole-array scoring held over 100 MB of temporaries); only the
    CLV quantiles need the whole base, and they come after.
    """
    if rfm.unit != model.unit:
        raise ValueError(f"RFM data are in {rfm.unit}, the model in {model.unit}")
    x, tx, age, m = rfm.frequency, rfm.recency, rfm.T, rfm.monetary_value
    horizon = model.horizon_months * periods_per_month(model.unit)
    n = len(x)
    alive, purchases, clv = np.empty(n), np.empty(n), np.empty(n)
    for start in range(0, n, block):
        part = slice(start, start + block)
        alive[part] = np.clip(
            probability_alive(model.bgnbd, x[part], tx[part], age[part]), 0.0, 1.0
        )
        purchases[part] = expected_purchases(model.bgnbd, horizon, x[part], tx[part], age[part])
        value = customer_lifetime_value(
            model.bgnbd,
            model.gamma_gamma,
            x[part],
            tx[part],
            age[part],
            m[part],
            horizon=model.horizon_months,
            time_unit=model.unit,
            discount_rate=model.discount_rate,
        )
        clv[part] = np.where(np.isfinite(value), value, 0.0)
    quantiles = clv_quantiles(clv)
    idle_days = np.maximum(age - tx, 0.0) * DAYS_PER_UNIT[model.unit]
    segments = segment_indices(alive, quantiles, rfm.order_count, idle_days, thresholds)
    return ScoreArrays(alive, purchases, clv, segments)


# --- the stored form and change detection -------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValueFigures:
    """The value columns of one customer row, in their stored form."""

    historical_clv: Decimal
    predicted_clv: Decimal | None
    p_alive: float | None
    expected_purchases: float | None
    value_segment: str | None


def stored_p_alive(value: float) -> float:
    return max(round(min(value, 1.0), 6), MIN_P_ALIVE)


def stored_purchases(value: float) -> float:
    return round(max(value, 0.0), 4) if math.isfinite(value) else 0.0


def stored_money(value: float) -> Decimal:
    if not math.isfinite(value) or value <= 0:
        return Decimal("0.00")
    return min(Decimal(repr(value)).quantize(Decimal("0.01")), MAX_MONEY)


def cents_to_money(cents: int) -> Decimal:
    return min(Decimal(int(cents)).scaleb(-2), MAX_MONEY)


def _moved(old: float | None, new: float | None, step: float, relative: float = 0.0) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(new - old) >= max(step, relative * abs(old))


def materially_changed(old: ValueFigures, new: ValueFigures) -> bool:
    """Whether ``new`` should replace ``old`` (see the module docstring)."""
    if old.historical_clv != new.historical_clv or old.value_segment != new.value_segment:
        return True
    if _moved(old.p_alive, new.p_alive, P_ALIVE_STEP):
        return True
    if _moved(old.expected_purchases, new.expected_purchases, PURCHASES_STEP, RELATIVE_STEP):
        return True
    old_clv = None if old.predicted_clv is None else float(old.predicted_clv)
    new_clv = None if new.predicted_clv is None else float(new.predicted_clv)
    return _moved(old_clv, new_clv, float(CLV_STEP), RELATIVE_STEP)
