"""Phone normalisation: any way people write a number gives one E.164 form."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_app.domain.phones import (
    format_phone,
    normalize_phone,
    phone_search_keys,
    query_digits,
)

# Russian national numbers: 10 digits, area codes start with 3, 4, 8 or 9.
national_numbers = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("3489"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
separators = st.sampled_from([" ", "-", ".", "", " - "])
prefixes = st.sampled_from(["+7", "8", "7", "", "+7 ", "8 ", "+ 7", "７"])


def _grouped(national: str, groups: list[int], sep: str, brackets: bool) -> str:
    parts = []
    start = 0
    for size in groups:
        parts.append(national[start : start + size])
        start += size
    if brackets:
        parts[0] = f"({parts[0]})"
    return sep.join(parts)


@st.composite
def written_forms(draw: st.DrawFn) -> tuple[str, str]:
    national = draw(national_numbers)
    groups = draw(st.sampled_from([[10], [3, 7], [3, 3, 4], [3, 3, 2, 2], [3, 1, 2, 2, 2]]))
    body = _grouped(national, groups, draw(separators), draw(st.booleans()))
    prefix = draw(prefixes)
    if prefix in {"+ 7", "７"}:  # not how anyone writes it: keep to real habits
        prefix = "+7"
    text = draw(st.sampled_from(["", " ", "\t"])) + prefix + draw(separators) + body
    return text + draw(st.sampled_from(["", " ", "\n"])), "+7" + national


@given(written_forms())
def test_every_way_of_writing_a_russian_number_gives_the_same_e164(case: tuple[str, str]) -> None:
    text, e164 = case
    parsed = normalize_phone(text)
    assert parsed is not None, text
    assert parsed.e164 == e164
    assert parsed.extension is None


@given(
    written_forms(),
    st.sampled_from(
        [" доб. ", " доб ", " Доб.", " ext. ", " ext ", " x", "x", " #", " extension "]
    ),
    st.text(alphabet="0123456789", min_size=1, max_size=7),
)
def test_extensions_are_kept_apart_from_the_number(
    case: tuple[str, str], marker: str, extension: str
) -> None:
    text, e164 = case
    parsed = normalize_phone(text.rstrip() + marker + extension)
    assert parsed is not None
    assert parsed.e164 == e164
    assert parsed.extension == extension


@given(st.text(max_size=80))
def test_any_text_gives_a_plausible_number_or_none_never_an_exception(text: str) -> None:
    parsed = normalize_phone(text)
    assert parsed is None or re.fullmatch(r"\+[1-9]\d{6,14}", parsed.e164)


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=40))
def test_text_without_digits_is_not_a_phone(text: str) -> None:
    assert normalize_phone(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "+7 912",
        "8 912 345 67 89 12 34",
        "++79123456789",
        "7+9123456789",
        "номер",
        "+",
        "()",
        "1" * 70,
    ],
)
def test_garbage_is_none(text: str) -> None:
    assert normalize_phone(text) is None


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("tel:+79123456789", "+79123456789"),
        ("callto:89123456789", "+79123456789"),
        ("sip:+79123456789@pbx.example.com;user=phone", "+79123456789"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
    ],
)
def test_uris_and_other_countries(text: str, e164: str) -> None:
    parsed = normalize_phone(text)
    assert parsed is not None
    assert parsed.e164 == e164


def test_search_keys_cover_the_three_russian_habits() -> None:
    assert phone_search_keys("+79123456789") == ["79123456789", "89123456789", "9123456789"]
    assert phone_search_keys("+442079460958") == ["442079460958"]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("+7 912 345-67-89", "79123456789"),
        ("8(912)345", "8912345"),
        ("912345", "912345"),
        (" 9 ", "9"),
        ("９１２", "912"),  # full-width digits from some input methods
        ("иванов", None),
        ("+", None),
        ("912 abc", None),
        ("", None),
    ],
)
def test_query_digits(text: str, digits: str | None) -> None:
    assert query_digits(text) == digits


def test_format_for_display() -> None:
    assert format_phone("+79123456789") == "+7 912 345-67-89"
    assert format_phone("not a number") == "not a number"
