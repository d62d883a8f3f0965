"""The customer a demo screenshot opens: one with an open contact and a full card."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from operator_app.cache.db import open_cache
from operator_app.cache.repositories import CustomerRepository
from operator_app.services.demo_seed import seed_demo_cache
from operator_app.services.showcase import cache_has_customers, pick_showcase_customer


def test_empty_cache_has_nobody_to_show(tmp_path: Path) -> None:
    engine = open_cache(tmp_path / "empty.sqlite3")
    try:
        assert pick_showcase_customer(engine) is None
        assert not cache_has_customers(engine)
    finally:
        engine.dispose()


def test_demo_showcase_has_an_open_contact_and_a_full_card(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    seed_demo_cache(path, 400, seed=5, now=datetime(2026, 3, 1, tzinfo=UTC))
    engine = open_cache(path)
    try:
        assert cache_has_customers(engine)
        chosen = pick_showcase_customer(engine)
        assert chosen is not None
        assert pick_showcase_customer(engine) == chosen  # the same picture every time
        repo = CustomerRepository(engine)
        card = repo.get_card(chosen)
        assert card is not None
        assert card.open_conversations
        assert card.orders or card.coverages
        assert len(repo.timeline_page(chosen, limit=50)) >= 10
    finally:
        engine.dispose()
