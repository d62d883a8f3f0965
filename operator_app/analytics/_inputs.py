"""Input checks shared by the CLV models: array-likes in, float arrays out, or a clear error.

Every message names the offending input and the first bad customer (its index), so
the refit job's log says exactly which row to look at.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

# Relative slack for recency ≤ T: both often come from the same float arithmetic.
_ROUNDING = 1e-9


def as_vector(name: str, values: ArrayLike) -> FloatArray:
    """One-dimensional, finite float array (a scalar becomes one element)."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers") from None
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one value per customer (a 1-D array), got shape {array.shape}"
        )
    bad = ~np.isfinite(array)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} contains NaN or infinite values (first at index {index})")
    return array


def _first(mask: NDArray[np.bool_]) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _same_length(**arrays: FloatArray) -> int:
    lengths = {name: a.size for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} {n}" for name, n in lengths.items())
        raise ValueError(f"Inputs must have one value per customer; lengths differ: {listed}")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError("No customers: inputs are empty")
    return n


def _non_negative(name: str, array: FloatArray) -> None:
    index = _first(array < 0)
    if index is not None:
        raise ValueError(f"{name} must be ≥ 0 (index {index}: {array[index]:g})")


def frequency_vector(frequency: ArrayLike) -> FloatArray:
    """Repeat-purchase counts: whole numbers ≥ 0."""
    x = as_vector("frequency", frequency)
    _non_negative("frequency", x)
    index = _first(x != np.round(x))
    if index is not None:
        raise ValueError(
            f"frequency must be whole numbers of repeat purchases (index {index}: {x[index]:g})"
        )
    return x


def rft_vectors(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Validated (frequency, recency, T) in the BG/NBD convention.

    frequency = repeat purchases, recency = time of the last purchase since the first,
    T = time since the first purchase, recency and T in the same unit.
    """
    x = frequency_vector(frequency)
    tx = as_vector("recency", recency)
    age = as_vector("T", T)
    _same_length(frequency=x, recency=tx, T=age)
    _non_negative("recency", tx)
    _non_negative("T", age)
    index = _first(tx > age * (1 + _ROUNDING) + _ROUNDING)
    if index is not None:
        raise ValueError(
            "recency (time of the last purchase) cannot exceed T (time since the first "
            f"purchase) (index {index}: recency {tx[index]:g}, T {age[index]:g})"
        )
    index = _first((x == 0) & (tx > 0))
    if index is not None:
        raise ValueError(
            "a customer with no repeat purchases (frequency 0) must have recency 0 "
            f"(index {index}: recency {tx[index]:g})"
        )
    return x, np.minimum(tx, age), age


def monetary_vector(
    frequency: FloatArray, monetary_value: ArrayLike, *, require_positive: bool
) -> FloatArray:
    """Average spend per repeat purchase, one per customer, ≥ 0.

    ``require_positive``: customers with repeat purchases must have spent something,
    because the Gamma-Gamma model works with the logarithm of their average.
    """
    m = as_vector("monetary_value", monetary_value)
    _same_length(frequency=frequency, monetary_value=m)
    _non_negative("monetary_value", m)
    if require_positive:
        index = _first((frequency > 0) & (m <= 0))
        if index is not None:
            raise ValueError(
                "monetary_value must be > 0 for customers with repeat purchases "
                f"(index {index}: frequency {frequency[index]:g}, monetary_value 0)"
            )
    return m


def positive_number(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number
