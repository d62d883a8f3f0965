"""Folding and word splitting shared by the search index and the search box."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from operator_app.domain.text import fold, name_key, words


def test_fold_is_case_insensitive_for_cyrillic_and_treats_yo_as_ye() -> None:
    assert fold("ЁЛКИН") == fold("Ёлкин") == fold("елкин") == "елкин"
    assert fold("Семёнов") == fold("СЕМЕНОВ")
    assert fold("Йошкар-Ола") == "йошкар-ола"  # й is its own letter, not и


def test_words_are_letters_and_digits_only() -> None:
    assert words("Ёлкин, Пётр (VIP)!") == ["елкин", "петр", "vip"]
    assert words("ivan_petrov@mail.ru") == ["ivan", "petrov", "mail", "ru"]
    assert words("ORD-2024/001") == ["ord", "2024", "001"]
    assert words("😀 -- ** \x00") == []


def test_decomposed_letters_are_composed_first() -> None:
    decomposed = unicodedata.normalize("NFD", "Йога Ёж")
    assert words(decomposed) == ["йога", "еж"]


def test_name_key_orders_last_first_middle() -> None:
    assert name_key("Ёлкин", "Пётр", "Иванович") == "елкин петр иванович"
    assert name_key("Smith", "Anna") == "smith anna"
    assert name_key("", "", "") == ""


@given(st.text(max_size=200))
def test_words_never_contain_separators(text: str) -> None:
    for word in words(text):
        assert word
        assert all(ch.isalnum() for ch in word)
        assert word == fold(word)
