"""Whole columns of change-feed values → their stored form, a few C calls per column.

A feed page carries thousands of rows with the same keys. Converting them a column at
a time (one ``join`` + ``fromhex`` for all the ids of a page, a list comprehension for
times) costs a fraction of calling a converter per value. A column converter either
converts every value exactly as :mod:`operator_app.cache.rowcodec` would, or raises
(``ValueError``/``TypeError``): the caller then converts that run row by row, which
skips only the unreadable rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from operator_app.cache.rowcodec import (
    ColumnCodec,
    _date_in,
    _int_in,
    _json_in,
    _money_in,
    _time_in,
    _uuid_in,
    uuid_bytes,
)
from operator_app.cache.types import EPOCH

ColumnConverter = Callable[[list[Any]], list[Any]]

_ONE_MICRO = timedelta(microseconds=1)
_DASH_AT = (8, 13, 18, 23)
_from_iso_time = datetime.fromisoformat
_from_iso_date = date.fromisoformat
_INT_TYPES = frozenset({int, type(None)})
# One or more amounts with exactly two decimals, one a line.
_CENTS = re.compile(r"-?[0-9]+\.[0-9]{2}(?:\n-?[0-9]+\.[0-9]{2})*")


@lru_cache(maxsize=8)
def _dashes(count: int) -> str:
    return "-" * count


def uuid_column(values: list[Any]) -> list[bytes | None]:
    """Canonical 8-4-4-4-12 texts in one pass; anything else value by value."""
    count = len(values)
    try:
        joined = "".join(values)
    except TypeError:  # None (a nullable reference) or not text among them
        return [_uuid_in(v) for v in values]
    if len(joined) == 36 * count:
        dashes = _dashes(count)
        if all(joined[at::36] == dashes for at in _DASH_AT):
            # Only hex digits are left once the dashes are gone, or fromhex raises; a space
            # (which fromhex skips) would leave fewer than 16 bytes per id.
            blob = bytes.fromhex(joined.replace("-", ""))
            if len(blob) == 16 * count:
                return [blob[i : i + 16] for i in range(0, 16 * count, 16)]
    return [uuid_bytes(v) for v in values]


def _micros(values: Any) -> list[int | None]:
    # A naive time fails the subtraction (TypeError): the row path reads it as UTC.
    return [None if v is None else (_from_iso_time(v) - EPOCH) // _ONE_MICRO for v in values]


def time_column(values: list[Any]) -> list[int | None]:
    distinct = set(values)
    if len(distinct) * 2 > len(values):
        return _micros(values)
    # Mostly repeats (``updated_at`` of rows written together): convert each time once.
    stored = dict(zip(distinct, _micros(distinct), strict=True))
    return list(map(stored.__getitem__, values))


def date_column(values: list[Any]) -> list[int | None]:
    return [None if v is None else _from_iso_date(v).toordinal() for v in values]


def money_column(values: list[Any]) -> list[int | None]:
    """Sums as the server writes them ("3490.00") to minor units in one pass: all checked
    by one regex, then the point dropped; anything else (numbers, other precisions) goes
    through the exact decimal conversion."""
    try:
        joined = "\n".join(values)
    except TypeError:  # numbers or None among them
        return list(map(_money_in, values))
    if _CENTS.fullmatch(joined):
        cents: list[int | None] = list(map(int, joined.replace(".", "").split("\n")))
        if len(cents) == len(values):  # no value had a line break of its own
            return cents
    return list(map(_money_in, values))


def int_column(values: list[Any]) -> list[Any]:
    if set(map(type, values)) <= _INT_TYPES:  # bool is not an int here
        return values
    return list(map(_int_in, values))


def json_column(values: list[Any]) -> list[str]:
    return ["[]" if v == [] else _json_in(v) for v in values]


_BY_ROW_CONVERTER: dict[Callable[[Any], Any], ColumnConverter] = {
    _uuid_in: uuid_column,
    _time_in: time_column,
    _date_in: date_column,
    _json_in: json_column,
    _int_in: int_column,
    _money_in: money_column,
}


def _same(values: list[Any]) -> list[Any]:
    return values


def column_converter(column: ColumnCodec) -> ColumnConverter:
    """The whole-column form of ``column.to_stored`` (values that SQLite takes as they
    come, in the bulk sense of ``ColumnCodec.passthrough``, are passed through)."""
    if column.passthrough:
        return _same
    special = _BY_ROW_CONVERTER.get(column.to_stored)
    if special is not None:
        return special
    convert = column.to_stored
    return lambda values: list(map(convert, values))
