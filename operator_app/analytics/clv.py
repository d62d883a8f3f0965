"""Predicted customer lifetime value: BG/NBD purchases × Gamma-Gamma spend.

Models
------
- **BG/NBD** (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
  while active a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after
  each repeat purchase they drop out for good with probability p ~ Beta(a, b).
- **Gamma-Gamma** (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"):
  each purchase's value is Gamma(p, ν) with ν ~ Gamma(q, v) per customer, independent
  of the purchase process.

Both are fitted by maximum likelihood: the log-likelihood is written in log space
(``gammaln``/``betaln``, ``logaddexp``) with its analytic gradient, maximised by
L-BFGS-B over log-parameters from several starting points, with time and money
rescaled to their means so the same bounds suit days, weeks or roubles.

Units
-----
Inputs follow the usual convention, one value per customer:

- ``frequency``: number of *repeat* purchases (purchase occasions after the first;
  several orders on one day count as one occasion when built by :func:`rfm_from_orders`);
- ``recency``: time from the first to the last purchase (0 if no repeat purchase);
- ``T``: time from the first purchase to the end of observation ("now");
- ``monetary_value``: average value of the *repeat* purchases (0 if none), in money.

``recency``, ``T`` and the prediction span ``t`` share one time unit, which is the
unit of the fitted ``alpha``. :func:`customer_lifetime_value` takes its horizon in
months and needs to know that unit (``time_unit``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import minimize
from scipy.special import expit, hyp2f1

from operator_app.analytics._inputs import (
    FloatArray,
    frequency_vector,
    monetary_vector,
    positive_number,
    rft_vectors,
)
from operator_app.analytics._likelihoods import (
    BGNBDData,
    GammaGammaData,
    bgnbd_ll_and_grad,
    bgnbd_per_customer,
    gamma_gamma_ll_and_grad,
    gamma_gamma_per_customer,
)
from operator_app.analytics.rfm import DAYS_PER_UNIT, RFM, rfm_from_orders
from operator_app.analytics.segments import (
    DEFAULT_SEGMENT_THRESHOLDS,
    CustomerSegment,
    SegmentThresholds,
    clv_quantiles,
    segment,
)

__all__ = [
    "DAYS_PER_UNIT",
    "DEFAULT_SEGMENT_THRESHOLDS",
    "RFM",
    "BGNBDParams",
    "CustomerSegment",
    "GammaGammaParams",
    "ModelFitError",
    "SegmentThresholds",
    "bgnbd_log_likelihood",
    "clv_quantiles",
    "customer_lifetime_value",
    "expected_average_value",
    "expected_purchases",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gamma_gamma_log_likelihood",
    "periods_per_month",
    "probability_alive",
    "rfm_from_orders",
    "segment",
]


class ModelFitError(ValueError):
    """The data cannot identify the model (e.g. nobody came back), or ``strict`` fit failed."""


def _check_params(kind: str, values: dict[str, float]) -> None:
    for name, value in values.items():
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise ValueError(
                f"{kind} parameter {name} must be a positive finite number, got {value!r}"
            )


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    # Strict JSON (and PostgreSQL's json type) has no NaN: an unknown likelihood is null.
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in data.items()}


def _from_json(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"Unknown {cls.__name__} field(s): {', '.join(sorted(unknown))}")
    values = dict(data)
    if values.get("log_likelihood") is None:
        values["log_likelihood"] = math.nan
    return values


@dataclass(frozen=True, slots=True)
class BGNBDParams:
    """Fitted BG/NBD parameters; ``alpha`` is in the time unit of the fitting data."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = math.nan  # total over the fitted customers
    converged: bool = True
    n_customers: int = 0
    message: str = ""

    def __post_init__(self) -> None:
        _check_params("BG/NBD", {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b})

    def to_dict(self) -> dict[str, Any]:
        return _json_safe(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BGNBDParams:
        return cls(**_from_json(cls, data))


@dataclass(frozen=True, slots=True)
class GammaGammaParams:
    """Fitted Gamma-Gamma spend parameters; ``v`` is in the money unit of the data."""

    p: float
    q: float
    v: float
    log_likelihood: float = math.nan
    converged: bool = True
    n_customers: int = 0  # customers with repeat purchases, the only ones fitted
    message: str = ""

    def __post_init__(self) -> None:
        _check_params("Gamma-Gamma", {"p": self.p, "q": self.q, "v": self.v})

    @property
    def population_mean_spend(self) -> float:
        """Expected spend per purchase of a customer we know nothing about (needs q > 1)."""
        return self.p * self.v / (self.q - 1) if self.q > 1 else math.inf

    def to_dict(self) -> dict[str, Any]:
        return _json_safe(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GammaGammaParams:
        return cls(**_from_json(cls, data))


# --- likelihoods ----------------------------------------------------------------------------


def bgnbd_log_likelihood(
    params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Per-customer BG/NBD log-likelihood (natural log) under ``params``."""
    x, tx, age = rft_vectors(frequency, recency, T)
    theta = np.array([params.r, params.alpha, params.a, params.b])
    return bgnbd_per_customer(theta, BGNBDData.of(x, tx, age, np.ones_like(x)))


def gamma_gamma_log_likelihood(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> FloatArray:
    """Per-customer Gamma-Gamma log-density of the average spend (customers with x > 0)."""
    x = frequency_vector(frequency)
    m = monetary_vector(x, monetary_value, require_positive=True)
    if (x == 0).any():
        raise ValueError("The Gamma-Gamma likelihood is defined only for frequency > 0")
    theta = np.array([params.p, params.q, params.v])
    return gamma_gamma_per_customer(theta, GammaGammaData.of(x, m, np.ones_like(x)))


# --- fitting ---------------------------------------------------------------------------------

# Bounds on log-parameters after rescaling data to unit mean: e^±12 ≈ 6e-6 … 1.6e5.
_LOG_BOUND = 12.0
_AT_BOUND = 0.5  # within this of a bound, the optimum is "at the boundary", not interior
_GRADIENT_TOLERANCE = 1e-5  # per customer, in log-parameters


@dataclass(frozen=True, slots=True)
class _Fit:
    theta: FloatArray
    log_likelihood: float
    converged: bool
    message: str


def _maximise(
    ll_and_grad: Callable[[FloatArray], tuple[float, FloatArray]],
    starts: Sequence[Sequence[float]],
    n: float,
    penalizer: float,
    names: Sequence[str],
) -> _Fit:
    """Maximise the log-likelihood over log-parameters from each start; keep the best."""

    def objective(phi: FloatArray) -> tuple[float, FloatArray]:
        theta = np.exp(phi)
        with np.errstate(all="ignore"):
            ll, grad = ll_and_grad(theta)
        if not math.isfinite(ll) or not np.all(np.isfinite(grad)):
            return math.inf, np.zeros_like(phi)
        # Mean per customer keeps the tolerances meaningful whatever the data size.
        value = -ll / n + penalizer * float(phi @ phi)
        return value, -(grad * theta) / n + 2 * penalizer * phi

    best: Any = None
    for start in starts:
        result = minimize(
            objective,
            np.log(np.asarray(start, dtype=np.float64)),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-_LOG_BOUND, _LOG_BOUND)] * len(start),
            options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-8},
        )
        if math.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    if best is None:
        raise ModelFitError("The likelihood could not be evaluated at any starting point")
    phi = best.x
    theta = np.exp(phi)
    ll, _ = ll_and_grad(theta)
    edge = _LOG_BOUND - _AT_BOUND
    at_bound = [name for name, value in zip(names, phi, strict=True) if abs(value) > edge]
    if at_bound:
        message = (
            f"parameter(s) {', '.join(at_bound)} ran to the edge of the search range: "
            "the data do not pin the model down (too few customers or no variation)"
        )
        return _Fit(theta, ll, False, message)
    # L-BFGS-B reports "ABNORMAL" when the line search cannot improve in floating point,
    # which also happens right at the optimum; a vanishing gradient is what counts.
    gradient_norm = float(np.max(np.abs(objective(phi)[1])))
    if not best.success and gradient_norm > _GRADIENT_TOLERANCE:
        return _Fit(theta, ll, False, f"optimiser stopped: {best.message}")
    return _Fit(theta, ll, True, "")


def _compress(*columns: FloatArray) -> list[FloatArray]:
    """Unique rows plus a weight column: weekly or daily RFM data repeat a lot."""
    rows, counts = np.unique(np.column_stack(columns), axis=0, return_counts=True)
    return [*(rows[:, i].copy() for i in range(rows.shape[1])), counts.astype(np.float64)]


def fit_bgnbd(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    *,
    penalizer: float = 0.0,
    strict: bool = False,
) -> BGNBDParams:
    """Maximum-likelihood BG/NBD fit.

    ``penalizer`` ≥ 0 adds ``penalizer · Σ log(θ/scale)²`` per customer, shrinking
    parameters toward moderate values on small data sets. The result's ``converged``
    is False (with a ``message``) when the optimiser failed or a parameter ran to the
    edge of the search range; with ``strict=True`` that raises :class:`ModelFitError`.
    """
    x, tx, age = rft_vectors(frequency, recency, T)
    if not (x > 0).any():
        raise ModelFitError(
            f"BG/NBD needs customers with repeat purchases; none of the {x.size} "
            "customers has frequency > 0"
        )
    if penalizer < 0 or not math.isfinite(penalizer):
        raise ValueError(f"penalizer must be ≥ 0, got {penalizer!r}")
    scale = float(age.mean()) or 1.0
    data = BGNBDData.of(*_compress(x, tx / scale, age / scale))
    rate = float(x.mean() + 1)  # purchases per unit of (scaled) time, roughly
    starts = [(1.0, 1.0 / rate, 1.0, 1.0), (0.5, 0.5 / rate, 0.5, 2.0), (2.0, 2.0 / rate, 2.0, 5.0)]
    fit = _maximise(
        lambda theta: bgnbd_ll_and_grad(theta, data),
        starts,
        float(x.size),
        penalizer,
        ("r", "alpha", "a", "b"),
    )
    r, alpha_scaled, a, b = (float(v) for v in fit.theta)
    # Undo the time scaling: λ_scaled = λ·scale, so α = α_scaled·scale; the likelihood of
    # the original data differs by the Jacobian Σ x·log(scale).
    ll = fit.log_likelihood - float(x.sum()) * math.log(scale)
    params = BGNBDParams(r, alpha_scaled * scale, a, b, ll, fit.converged, int(x.size), fit.message)
    if strict and not params.converged:
        raise ModelFitError(f"BG/NBD fit did not converge: {params.message}")
    return params


def fit_gamma_gamma(
    frequency: ArrayLike,
    monetary_value: ArrayLike,
    *,
    penalizer: float = 0.0,
    strict: bool = False,
) -> GammaGammaParams:
    """Maximum-likelihood Gamma-Gamma fit on the customers with frequency > 0.

    Customers without repeat purchases are ignored (their average is undefined);
    ``penalizer`` and ``strict`` as in :func:`fit_bgnbd`.
    """
    x = frequency_vector(frequency)
    m = monetary_vector(x, monetary_value, require_positive=True)
    repeat = x > 0
    if not repeat.any():
        raise ModelFitError(
            f"Gamma-Gamma needs customers with repeat purchases; none of the {x.size} "
            "customers has frequency > 0"
        )
    if penalizer < 0 or not math.isfinite(penalizer):
        raise ValueError(f"penalizer must be ≥ 0, got {penalizer!r}")
    x, m = x[repeat], m[repeat]
    scale = float(m.mean())
    data = GammaGammaData.of(*_compress(x, m / scale))
    starts = [(1.0, 1.0, 1.0), (2.0, 3.0, 4.0), (5.0, 5.0, 4.0), (0.5, 2.0, 1.0)]
    fit = _maximise(
        lambda theta: gamma_gamma_ll_and_grad(theta, data),
        starts,
        float(x.size),
        penalizer,
        ("p", "q", "v"),
    )
    p, q, v_scaled = (float(val) for val in fit.theta)
    # Densities of m̄ pick up a 1/scale Jacobian per customer under rescaling.
    ll = fit.log_likelihood - x.size * math.log(scale)
    params = GammaGammaParams(p, q, v_scaled * scale, ll, fit.converged, int(x.size), fit.message)
    if strict and not params.converged:
        raise ModelFitError(f"Gamma-Gamma fit did not converge: {params.message}")
    return params


# --- predictions -----------------------------------------------------------------------------


def _log_alive_odds(
    params: BGNBDParams, x: FloatArray, tx: FloatArray, age: FloatArray
) -> FloatArray:
    """log of P(dropped out)/P(alive) = log[a/(b+x-1)] + (r+x)·log[(α+T)/(α+t_x)], x > 0."""
    repeat = x > 0
    odds = (
        np.log(params.a)
        - np.log(np.where(repeat, params.b + x - 1, 1.0))
        + (params.r + x) * (np.log(params.alpha + age) - np.log(params.alpha + tx))
    )
    return np.where(repeat, odds, -np.inf)


def probability_alive(
    params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """P(customer still active at T | history). Exactly 1 for frequency 0: in BG/NBD a
    customer can only drop out right after a repeat purchase."""
    x, tx, age = rft_vectors(frequency, recency, T)
    return np.asarray(expit(-_log_alive_odds(params, x, tx, age)), dtype=np.float64)


# Below this distance from a = 1 the closed form is 0/0; interpolate across the gap instead.
_NEAR_ONE = 1e-7
_STEP = 1e-5


def _expected_given_alive(
    r: float, alpha: float, a: float, b: float, t: FloatArray, x: FloatArray, age: FloatArray
) -> FloatArray:
    """(a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z)],
    z = t/(α+T+t). Euler's transformation rewrites the bracket as
    1 - (1-z)^(a-1) · 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters do not grow with
    x, so large purchase counts cannot overflow the series."""
    if abs(a - 1) < _NEAR_ONE:
        low = _expected_given_alive(r, alpha, 1 - _STEP, b, t, x, age)
        high = _expected_given_alive(r, alpha, 1 + _STEP, b, t, x, age)
        share = (a - (1 - _STEP)) / (2 * _STEP)
        return np.asarray(low + share * (high - low), dtype=np.float64)
    log_1mz = np.log(alpha + age) - np.log(alpha + age + t)
    z = -np.expm1(log_1mz)
    series = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
    bracket = -np.expm1((a - 1) * log_1mz) - np.exp((a - 1) * log_1mz) * (series - 1)
    return np.asarray((a + b + x - 1) / (a - 1) * bracket, dtype=np.float64)


def expected_purchases(
    params: BGNBDParams, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """E[purchases in (T, T + t] | frequency, recency, T]: conditional expectation.

    ``t`` (same unit as recency/T) is one span for everybody or one per customer.
    """
    x, tx, age = rft_vectors(frequency, recency, T)
    span = np.asarray(t, dtype=np.float64)
    if span.ndim > 1 or (span.ndim == 1 and span.size not in (1, x.size)):
        raise ValueError(
            f"t must be one span or one per customer ({x.size}), got shape {span.shape}"
        )
    if not np.all(np.isfinite(span)) or np.any(span < 0):
        raise ValueError("t (the prediction span) must be finite and ≥ 0")
    span = np.broadcast_to(span, x.shape)
    alive = expit(-_log_alive_odds(params, x, tx, age))
    given_alive = _expected_given_alive(params.r, params.alpha, params.a, params.b, span, x, age)
    return np.asarray(np.maximum(given_alive, 0.0) * alive, dtype=np.float64)


def expected_average_value(
    params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike
) -> FloatArray:
    """E[spend per purchase | x repeat purchases averaging m̄] = p(v + x·m̄)/(px + q - 1).

    A weighted mean of the population mean p·v/(q-1) and the customer's own average,
    trusting the latter more the more purchases it rests on. Customers with
    frequency 0 get the population mean, which exists only for q > 1.
    """
    x = frequency_vector(frequency)
    m = monetary_vector(x, monetary_value, require_positive=True)
    p, q, v = params.p, params.q, params.v
    denominator = p * x + q - 1
    if (denominator <= 0).any():
        raise ValueError(
            f"Gamma-Gamma q = {q:g} ≤ 1 leaves the mean spend of customers without repeat "
            "purchases undefined; refit on more data"
        )
    return np.asarray(p * (v + x * m) / denominator, dtype=np.float64)


def periods_per_month(time_unit: str | float) -> float:
    """Model time units in one month: "days" → 30.44, "weeks" → 4.35, "months" → 1,
    or a positive number given directly."""
    if isinstance(time_unit, str):
        if time_unit not in DAYS_PER_UNIT:
            known = ", ".join(DAYS_PER_UNIT)
            raise ValueError(f"time_unit must be one of {known} or a number, got {time_unit!r}")
        return DAYS_PER_UNIT["months"] / DAYS_PER_UNIT[time_unit]
    return positive_number("time_unit (periods per month)", time_unit)


def customer_lifetime_value(
    bgnbd_params: BGNBDParams,
    gg_params: GammaGammaParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    monetary_value: ArrayLike,
    *,
    horizon: int = 12,
    time_unit: str | float = "weeks",
    discount_rate: float = 0.01,
) -> FloatArray:
    """Predicted CLV over the next ``horizon`` months, discounted, in money units.

    CLV = Σ_{m=1..horizon} E[spend] · (E[Y(m)] - E[Y(m-1)]) / (1 + discount_rate)^m,
    with E[Y(m)] the expected purchases in the first m months after T
    (:func:`expected_purchases`) and E[spend] from :func:`expected_average_value`.

    ``time_unit`` is the unit of recency and T ("days", "weeks", "months" or model
    periods per month as a number); ``discount_rate`` is per month (0.01 ≈ 12.7 % a
    year). Revenue, not margin: multiply by a margin rate for profit.
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of months ≥ 1, got {horizon!r}")
    if not (isinstance(discount_rate, int | float) and 0 <= discount_rate < math.inf):
        raise ValueError(f"discount_rate must be a monthly rate ≥ 0, got {discount_rate!r}")
    per_month = periods_per_month(time_unit)
    x, tx, age = rft_vectors(frequency, recency, T)
    spend = expected_average_value(gg_params, x, monetary_value)
    value = np.zeros_like(x)
    previous = np.zeros_like(x)
    for month in range(1, horizon + 1):
        cumulative = expected_purchases(bgnbd_params, month * per_month, x, tx, age)
        value += (cumulative - previous) / (1 + discount_rate) ** month
        previous = cumulative
    return np.asarray(value * spend, dtype=np.float64)
