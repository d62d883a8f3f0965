"""Search-as-you-type on a small hand-built cache: what an operator types finds the customer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from operator_app.cache import fts
from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache, write_transaction
from operator_app.cache.fts import index_customers, match_expression
from operator_app.cache.repositories import CustomerRepository
from tests.unit.cache_samples import (
    ELKIN,
    IVANOV,
    IVANOVA,
    NOW,
    PETROV,
    SEMENOV,
    SMITH,
    customer,
    sample_cache,
    uid,
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = sample_cache(tmp_path_factory.mktemp("search"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def repo(engine: Engine) -> CustomerRepository:
    return CustomerRepository(engine)


def ids(repo: CustomerRepository, query: str) -> list[object]:
    return [summary.id for summary in repo.search(query)]


@pytest.mark.parametrize("query", ["иванов", "ИВАНОВ", "ИвАнОв", "иван", "Ив", "и"])
def test_cyrillic_is_case_insensitive(repo: CustomerRepository, query: str) -> None:
    found = ids(repo, query)
    assert IVANOV in found
    assert IVANOVA in found


@pytest.mark.parametrize("query", ["Ёлкин", "елкин", "ЕЛКИН", "ёлк", "Пётр Ёлкин", "ПЕТР ЕЛКИН"])
def test_yo_and_ye_find_each_other(repo: CustomerRepository, query: str) -> None:
    assert ids(repo, query) == [ELKIN]


@pytest.mark.parametrize("query", ["Пётр", "петр"])
def test_last_name_prefix_hits_come_before_other_word_hits(
    repo: CustomerRepository, query: str
) -> None:
    assert ids(repo, query) == [PETROV, ELKIN]  # Петров by last name, then Пётр Ёлкин


def test_ye_stored_is_found_by_yo_typed(repo: CustomerRepository) -> None:
    assert ids(repo, "Семёнов") == [SEMENOV]


def test_results_are_sorted_by_name(repo: CustomerRepository) -> None:
    names = [s.display_name for s in repo.search("ива")]
    # Last names starting with "ива" in name order, then other words (a patronymic).
    assert names == ["Иванов Иван Иванович", "Иванова Мария", "Ёлкин Пётр Иванович"]


def test_first_name_and_middle_name_match_too(repo: CustomerRepository) -> None:
    assert ids(repo, "мария") == [IVANOVA]
    assert set(ids(repo, "иванович")) == {ELKIN, IVANOV}
    assert ids(repo, "иван мар") == [IVANOVA]  # every word must match
    assert ids(repo, "иванов иван")[0] == IVANOV  # the name as written comes first


@pytest.mark.parametrize(
    "query",
    [
        "+7 912 345-67-89",
        "+79123456789",
        "89123456789",
        "9123456789",
        "8 (912) 345-67-89",
        "8-912-345-67-89",
        "7 912 3456789",
        "912.345.67.89",
        "+7 (912) 345 67 89 доб. 12",
        "912345",
        "8(912)345",
        "+7912",
        "8912",
    ],
)
def test_every_phone_format_finds_the_same_customer(repo: CustomerRepository, query: str) -> None:
    assert ids(repo, query) == [ELKIN]


def test_second_phone_and_foreign_phone(repo: CustomerRepository) -> None:
    assert ids(repo, "8 495 123-45-67") == [IVANOV]
    assert ids(repo, "+44 7911 123456") == [SMITH]
    assert ids(repo, "+447911") == [SMITH]


def test_phone_prefix_lists_every_match(repo: CustomerRepository) -> None:
    assert set(ids(repo, "903")) == {IVANOV, IVANOVA}
    assert set(ids(repo, "8 903")) == {IVANOV, IVANOVA}


@pytest.mark.parametrize(
    "query",
    [
        "petr",
        "elkin",
        "petr.elkin",
        "petr.elkin@mail.ru",
        "petr.elkin@",
        "petrelkin",
        "PETR.ELKIN@MAIL.RU",
    ],
)
def test_email_fragments(repo: CustomerRepository, query: str) -> None:
    assert ids(repo, query) == [ELKIN]


def test_email_domain_words(repo: CustomerRepository) -> None:
    assert ids(repo, "yandex") == [SEMENOV]
    assert ids(repo, "maria_iv") == [IVANOVA]
    assert ids(repo, "anna smith") == [SMITH]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ORD-2024-0001", ELKIN),
        ("ord-2024-0001", ELKIN),
        ("ORD-2025", ELKIN),
        ("20250002", ELKIN),
        ("100-777", PETROV),
        ("100777", PETROV),
        ("GAR-55/17", SEMENOV),
        ("гар", None),
        ("gar-55", SEMENOV),
        ("SUB-900", ELKIN),
        ("sub900", ELKIN),
    ],
)
def test_order_and_contract_numbers(repo: CustomerRepository, query: str, expected: object) -> None:
    assert ids(repo, query) == ([expected] if expected else [])


def test_exact_number_comes_before_name_matches(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "c.db")
    load_rows(
        engine,
        [
            (
                "customer",
                [
                    customer(1, "Аааев", "Борис", phones=["+79001112233"]),
                    customer(2, "Яшин", "Лев", phones=["+79001112234"]),
                ],
            ),
            (
                "order",
                [
                    {
                        "id": uid(9),
                        "customer_id": uid(2),
                        "number": "9001112233",
                        "ordered_at": NOW,
                        "amount": 1,
                        "status": "paid",
                    }
                ],
            ),
        ],
    )
    repo = CustomerRepository(engine)
    # Customer 1's phone and customer 2's order number are both "9001112233".
    assert set(ids(repo, "9001112233")) == {uid(1), uid(2)}
    assert ids(repo, "+79001112234") == [uid(2)]
    engine.dispose()


def test_limit_and_blank_queries(repo: CustomerRepository) -> None:
    assert len(repo.search("и", limit=1)) == 1
    assert repo.search("и", limit=0) == []
    assert repo.search("") == []
    assert repo.search("   \t\n") == []


def test_summary_fields(repo: CustomerRepository) -> None:
    (elkin,) = repo.search("елкин")
    assert elkin.display_name == "Ёлкин Пётр Иванович"
    assert elkin.phone == "+79123456789"
    assert elkin.email == "petr.elkin@mail.ru"
    assert elkin.tier.value == "gold"
    assert elkin.has_open_contact  # webchat conversation 501 is open
    (semenov,) = repo.search("семенов")
    assert not semenov.has_open_contact  # only a resolved one


NASTY = [
    '"',
    '""',
    "'",
    "*",
    "**",
    "-",
    "--",
    "+",
    "^",
    ":",
    "(",
    ")",
    "()",
    "{}",
    "[]",
    "\\",
    "NEAR",
    "NEAR(a b)",
    'NEAR("иванов" "иван", 2)',
    "OR",
    "AND",
    "NOT",
    "a OR b",
    "иванов OR",
    "NOT иванов",
    "иванов AND",
    "terms:иванов",
    "- иванов",
    "^иванов",
    "иванов*",
    '"иванов"',
    "(иванов)",
    "иванов)",
    "😀",
    "👨‍👩‍👧",
    "и",
    "1",
    "a" * 10_000,
    "иванов " * 2000,
    "!!!",
    "?!.,;",
    "\x00",
    "иванов\x00",
    "\x00иванов",
    "\u200b",
    "\ud7ff",
    "%",
    "_",
    "%_%",
    "' OR 1=1 --",
    '"; DROP TABLE customers; --',
]


@pytest.mark.parametrize("query", NASTY)
def test_nasty_input_never_raises(repo: CustomerRepository, query: str) -> None:
    results = repo.search(query)
    assert len(results) <= 50


@pytest.mark.parametrize(
    "query", ['"иванов"', "иванов*", "(иванов)", "-иванов", "^иванов", "иванов\x00"]
)
def test_search_syntax_in_input_is_just_text(repo: CustomerRepository, query: str) -> None:
    assert IVANOV in ids(repo, query)


def test_boolean_words_are_words(repo: CustomerRepository) -> None:
    # AND of plain words: "or"/"not" match nobody here, and nothing is negated or OR-ed.
    assert ids(repo, "иванов OR петров") == []
    assert ids(repo, "NOT иванов") == []


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(repo: CustomerRepository, text: str) -> None:
    assert len(repo.search(text, limit=10)) <= 10


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_every_match_expression_is_valid_fts5(text: str) -> None:
    expression = match_expression(text)
    if expression is None:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='ascii', detail=none, prefix='1 2 3 4')"
    )
    conn.execute("INSERT INTO t VALUES ('иванов 79123456789 mail ru')")
    conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    conn.close()


def test_incremental_index_follows_changes(tmp_path: Path) -> None:
    engine = sample_cache(tmp_path)
    repo = CustomerRepository(engine)
    with write_transaction(engine) as conn:
        conn.exec_driver_sql(
            "UPDATE customers SET last_name = 'Зимин', phones = '[\"+79990000000\"]' WHERE id = ?",
            (PETROV.bytes,),
        )
        conn.exec_driver_sql(
            "INSERT INTO orders(id, customer_id, number, ordered_at, amount, currency, status,"
            " version) VALUES (?, ?, 'NEW-42', 0, 0, 'RUB', 'paid', 1)",
            (uid(399).bytes, SEMENOV.bytes),
        )
        conn.exec_driver_sql("DELETE FROM customers WHERE id = ?", (SMITH.bytes,))
        index_customers(conn, [PETROV, SEMENOV, SMITH])
    assert ids(repo, "петров") == []
    assert ids(repo, "зимин") == [PETROV]
    assert ids(repo, "зимин с") == [PETROV]  # name_key follows the new name
    assert [s.id for s in repo.find_by_phone("8 999 000-00-00")] == [PETROV]
    assert repo.find_by_phone("+79260000001") == []  # the old phone is gone
    assert ids(repo, "new-42") == [SEMENOV]
    assert ids(repo, "new") == [SEMENOV]
    assert ids(repo, "smith") == []
    assert ids(repo, "yandex") == [SEMENOV]  # the rest of the document is still there
    engine.dispose()


def test_find_by_phone_is_exact(repo: CustomerRepository) -> None:
    assert [s.id for s in repo.find_by_phone("8 (912) 345-67-89")] == [ELKIN]
    assert [s.id for s in repo.find_by_phone("tel:+79123456789")] == [ELKIN]
    assert repo.find_by_phone("912345") == []
    assert repo.find_by_phone("не номер") == []


def test_bulk_loaded_customers_are_searchable_in_a_second_load(tmp_path: Path) -> None:
    engine = sample_cache(tmp_path)
    load_rows(engine, [("customer", [customer(150, "Новиков", "Олег", phones=["89995554433"])])])
    repo = CustomerRepository(engine)
    assert ids(repo, "новик") == [uid(150)]
    assert ids(repo, "+7 999 555-44-33") == [uid(150)]
    assert ids(repo, "елкин") == [ELKIN]
    engine.dispose()


@pytest.mark.parametrize("candidates", [1, 2, 3, 4000])
def test_long_words_find_the_same_whatever_the_candidate_budget(
    repo: CustomerRepository, monkeypatch: pytest.MonkeyPatch, candidates: int
) -> None:
    monkeypatch.setattr(fts, "CANDIDATES", candidates)
    assert set(ids(repo, "иванович")) == {ELKIN, IVANOV}
    assert ids(repo, "мария") == [IVANOVA]
    assert ids(repo, "elkin petr") == [ELKIN]
    assert ids(repo, "yandex") == [SEMENOV]
    assert ids(repo, "912345") == [ELKIN]
    assert ids(repo, "ивановиченко") == []
