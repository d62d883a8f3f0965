"""Offers for the card on screen, ranked from the local cache (what the assist panel shows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.db import open_cache
from operator_app.cache.outbox import pending_count, record_offer
from operator_app.cache.repositories import CustomerRepository
from operator_app.domain.upsell import Suppression
from operator_app.services.offer_advice import advise
from tests.gui.dataset import Dataset, build_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return build_dataset(tmp_path_factory.mktemp("advice") / "cache.sqlite3", filler=5)


@pytest.fixture
def engine(dataset: Dataset, tmp_path: Path) -> Engine:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(dataset.path.read_bytes())
    return open_cache(path)


def _qualify(engine: Engine, dataset: Dataset) -> None:
    key = dataset.anna.bytes
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE customers SET open_complaints = 0 WHERE id = ?", (key,))
        conn.exec_driver_sql("DELETE FROM surveys WHERE customer_id = ?", (key,))
        conn.exec_driver_sql("DELETE FROM offers WHERE customer_id = ?", (key,))


def test_reasons_in_the_operators_language_phrases_in_the_customers(
    engine: Engine, dataset: Dataset
) -> None:
    _qualify(engine, dataset)
    card = CustomerRepository(engine).get_card(dataset.anna)
    assert card is not None and card.customer.language == "ru"
    english = advise(engine, card, dataset.now, operator_lang="en")
    russian = advise(engine, card, dataset.now, operator_lang="ru")
    assert 1 <= len(english.suggestions) <= 3
    assert [s.product_id for s in english.suggestions] == [
        s.product_id for s in russian.suggestions
    ]
    for en, ru in zip(english.suggestions, russian.suggestions, strict=True):
        assert en.reason != ru.reason  # the operator reads English…
        assert en.phrase == ru.phrase  # …and says it in the customer's language


def test_an_open_complaint_withholds_offers_but_not_warnings(
    engine: Engine, dataset: Dataset
) -> None:
    card = CustomerRepository(engine).get_card(dataset.anna)  # Anna has an open complaint
    assert card is not None
    advice = advise(engine, card, dataset.now)
    assert advice.suggestions == ()
    assert Suppression.OPEN_COMPLAINT in advice.suppressed
    assert advice.warnings  # the warranty ending soon is still said


def test_an_answered_offer_is_not_made_again(engine: Engine, dataset: Dataset) -> None:
    _qualify(engine, dataset)
    card = CustomerRepository(engine).get_card(dataset.anna)
    assert card is not None
    first = advise(engine, card, dataset.now).suggestions[0]
    record_offer(
        engine,
        customer_id=dataset.anna,
        product_id=first.product_id,
        reason_code=first.reason_code,
        explanation=first.reason,
        score=first.expected_value,
        outcome="declined",
        outcome_reason="too_expensive",
        now=dataset.now,
    )
    assert pending_count(engine) == 1
    again = advise(engine, card, dataset.now).suggestions
    assert first.product_id not in {s.product_id for s in again}
