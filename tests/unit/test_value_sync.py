"""What the server's value refit syncs lands in the cache: every value figure of a customer
and the learned upsell statistics, in the exact form the server's change feed sends."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.apply import apply_changes
from operator_app.cache.db import open_cache
from operator_app.cache.repositories import CustomerRepository
from operator_app.cache.upsell_reads import load_upsell_inputs
from operator_app.domain.upsell import AcceptanceStats, OutcomeCounts
from operator_app.server.serialize import snapshot_from_mapping
from operator_app.server.upsell_stats import UPSELL_STATS_ID
from tests.e2e.builders import Feed, customer_row

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    return open_cache(tmp_path / "cache.sqlite3")


def refitted(customer_id: uuid.UUID, version: int) -> dict[str, object]:
    """The customer row as the server sends it after a refit changed its figures."""
    row = customer_row(customer_id)
    server_row = {
        **row,
        "id": customer_id,
        "birthday": None,
        "customer_since": None,
        "updated_at": NOW,
        "historical_clv": Decimal("18250.00"),
        "predicted_clv": Decimal("7410.35"),
        "p_alive": 0.82,
        "expected_purchases": 2.4,
        "value_segment": "high_value",
        "version": version,
    }
    return snapshot_from_mapping("customer", server_row)


def test_a_refitted_customer_brings_every_value_figure(cache: Engine) -> None:
    feed = Feed()
    customer = uuid.uuid4()
    apply_changes(cache, [feed.upsert("customer", customer_row(customer))], feed.seq)
    before = CustomerRepository(cache).get_card(customer)
    assert before is not None and before.customer.value.expected_purchases is None

    apply_changes(cache, [feed.upsert("customer", refitted(customer, 2))], feed.seq)

    card = CustomerRepository(cache).get_card(customer)
    assert card is not None
    value = card.customer.value
    assert value.historical_clv == Decimal("18250.00")
    assert value.predicted_clv == Decimal("7410.35")
    assert value.p_alive == pytest.approx(0.82)
    assert value.expected_purchases == pytest.approx(2.4)
    assert value.segment == "high_value"


def test_the_upsell_learning_row_lands_and_feeds_the_engine(cache: Engine) -> None:
    feed = Feed()
    anchor, other = uuid.uuid4(), uuid.uuid4()
    learned = AcceptanceStats({("successor", "loyal"): OutcomeCounts(7, 2, 1)})
    row = snapshot_from_mapping(
        "upsell_stats",
        {
            "id": UPSELL_STATS_ID,
            "computed_at": NOW,
            "acceptance": learned.to_list(),
            "co_purchases": [
                {"product_id": str(anchor), "with_product_id": str(other), "confidence": 0.4}
            ],
            "version": 3,
            "updated_at": NOW,
        },
    )
    stats = apply_changes(cache, [feed.upsert("upsell_stats", row)], feed.seq)
    assert stats.upserted == 1 and stats.skipped == 0

    inputs = load_upsell_inputs(cache, uuid.uuid4(), NOW)
    assert inputs.stats.to_list() == learned.to_list()
    (pair,) = inputs.co_purchases.with_product(anchor)
    assert (pair.product_id, pair.confidence) == (other, 0.4)


def test_an_older_learning_row_never_replaces_a_newer_one(cache: Engine) -> None:
    feed = Feed()

    def learning(version: int, accepted: int) -> dict[str, object]:
        return snapshot_from_mapping(
            "upsell_stats",
            {
                "id": UPSELL_STATS_ID,
                "computed_at": NOW,
                "acceptance": AcceptanceStats(
                    {("successor", "all"): OutcomeCounts(accepted, 1, 0)}
                ).to_list(),
                "co_purchases": [],
                "version": version,
                "updated_at": NOW,
            },
        )

    apply_changes(cache, [feed.upsert("upsell_stats", learning(5, 9))], feed.seq)
    apply_changes(cache, [feed.upsert("upsell_stats", learning(4, 1))], feed.seq)
    (row,) = load_upsell_inputs(cache, uuid.uuid4(), NOW).stats.to_list()
    assert row["accepted"] == 9
