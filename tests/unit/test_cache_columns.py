"""Whole-column conversion of feed values: the same stored values as the row-by-row codec,
or an error so that the caller falls back to it (never a different value)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_app.cache.columns import (
    column_converter,
    date_column,
    int_column,
    money_column,
    time_column,
    uuid_column,
)
from operator_app.cache.rowcodec import CODECS

_ERRORS = (ValueError, TypeError, AttributeError, OverflowError, KeyError)


def by_rows(convert: Callable[[Any], Any], values: list[Any]) -> list[Any] | None:
    try:
        return [convert(v) for v in values]
    except _ERRORS:
        return None


def assert_agrees(
    column: Callable[[list[Any]], list[Any]], convert: Callable[[Any], Any], values: list[Any]
) -> None:
    """Either the same values as converting one by one, or an error when that fails too
    (the column form may also refuse what the row form takes: the row path runs then)."""
    expected = by_rows(convert, values)
    try:
        got = column(list(values))
    except _ERRORS:
        return
    assert expected is not None, values
    assert got == expected


def codec(entity: str, column: str) -> Any:
    return CODECS[entity].columns[column]


uuid_texts = st.uuids().map(str)
odd_uuid_texts = st.one_of(
    uuid_texts.map(str.upper),
    st.uuids().map(lambda u: u.hex),
    uuid_texts.map(lambda t: t[:-1] + " "),
    uuid_texts.map(lambda t: t[:9] + "-" + t[10:]),
    uuid_texts.map(lambda t: t.replace("-", "", 1) + "-"),
    st.text(max_size=40),
    st.none(),
)


@given(st.lists(st.one_of(uuid_texts, odd_uuid_texts), max_size=12))
def test_uuid_columns_agree_with_the_row_codec(values: list[Any]) -> None:
    assert_agrees(uuid_column, codec("message", "customer_id").to_stored, values)


def test_a_page_of_canonical_ids_is_read_in_one_pass() -> None:
    ids = [uuid.uuid4() for _ in range(500)]
    assert uuid_column([str(i) for i in ids]) == [i.bytes for i in ids]
    with pytest.raises(ValueError):
        uuid_column([str(ids[0]), "not-a-uuid-at-all-but-36-chars-long!"])


times = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
time_texts = st.one_of(
    times.map(lambda t: t.isoformat()),
    times.map(lambda t: t.isoformat().replace("+00:00", "Z")),
    times.map(lambda t: t.astimezone(datetime.now(UTC).astimezone().tzinfo).isoformat()),
    times.map(lambda t: t.replace(tzinfo=None).isoformat()),  # naive: the row path's job
    st.sampled_from(["2024-02-30T00:00:00Z", "yesterday", ""]),
    st.none(),
)


@given(st.lists(time_texts, max_size=12), st.integers(min_value=0, max_value=4))
def test_time_columns_agree_with_the_row_codec(values: list[Any], repeats: int) -> None:
    values = values + values[:1] * repeats * 3  # exercise the "mostly repeats" path too
    assert_agrees(time_column, codec("message", "sent_at").to_stored, values)


def test_repeated_times_are_converted_once_and_put_back_in_order() -> None:
    base = datetime(2026, 11, 23, 23, 13, 56, 134278, tzinfo=UTC)
    values = [(base + timedelta(seconds=i % 3)).isoformat() for i in range(30)]
    expected = [codec("message", "sent_at").to_stored(v) for v in values]
    assert time_column(values) == expected


@given(
    st.lists(
        st.one_of(
            st.dates().map(lambda d: d.isoformat()),
            st.sampled_from(["2024-13-01", "20240101", "2024-01-01T00:00:00", "soon"]),
            st.integers(),
            st.none(),
        ),
        max_size=12,
    )
)
def test_date_columns_agree_with_the_row_codec(values: list[Any]) -> None:
    assert_agrees(date_column, codec("customer", "birthday").to_stored, values)


amounts = st.one_of(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2).map(str),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3).map(str),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from(["1.00\n2.00", "+1.00", "1.5", ".50", "NaN", "1e3", "", "12.34 "]),
    st.booleans(),
    st.none(),
)


@given(st.lists(amounts, max_size=12))
def test_money_columns_agree_with_the_row_codec(values: list[Any]) -> None:
    assert_agrees(money_column, codec("order", "amount").to_stored, values)


def test_sums_as_the_server_writes_them_become_minor_units() -> None:
    assert money_column(["3490.00", "-0.50", "0.05", "12.34"]) == [349000, -50, 5, 1234]
    # A value that hides a second amount behind a line break is not read as two.
    with pytest.raises(ValueError):
        money_column(["1.00\n2.00", "3.00"])


@given(
    st.lists(st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=3)), max_size=8)
)
def test_version_columns_agree_with_the_row_codec(values: list[Any]) -> None:
    assert_agrees(int_column, codec("customer", "version").to_stored, values)


@given(
    st.lists(
        st.one_of(
            st.lists(st.text(max_size=5), max_size=3),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            st.none(),
        ),
        max_size=8,
    )
)
def test_json_columns_agree_with_the_row_codec(values: list[Any]) -> None:
    column = codec("customer", "tags")
    assert_agrees(column_converter(column), column.to_stored, values)


def test_every_column_of_every_entity_has_a_whole_column_form() -> None:
    for table in CODECS.values():
        for column in table.columns.values():
            assert column_converter(column)([]) == []
