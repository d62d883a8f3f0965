"""Applying change-feed pages to the cache: atomic with the cursor, idempotent, version-aware,
and never clobbering the operator's unpushed edits."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache import apply as apply_module
from operator_app.cache.apply import apply_changes, read_cursor
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import pending_count, update_customer
from tests.e2e.builders import Feed, conversation_row, customer_row, message_row


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    return open_cache(tmp_path / "cache.sqlite3")


def scalar(engine: Engine, sql: str, *params: object) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql, params).scalar()


def test_page_lands_with_its_cursor_and_derived_lookups(cache: Engine) -> None:
    feed = Feed()
    customer, conversation = uuid.uuid4(), uuid.uuid4()
    page = [
        feed.upsert("customer", customer_row(customer, phones=["+79123456789", "+79001112233"])),
        feed.upsert("conversation", conversation_row(conversation, customer)),
        feed.upsert("message", message_row(uuid.uuid4(), conversation, customer)),
    ]
    stats = apply_changes(cache, page, feed.seq)
    assert stats.upserted == 3 and stats.skipped == 0
    assert read_cursor(cache) == 3
    assert (
        scalar(cache, "SELECT count(*) FROM customer_phones WHERE customer_id = ?", customer.bytes)
        == 2
    )
    assert scalar(cache, "SELECT name_key FROM customers") == "петров иван"
    assert scalar(cache, "SELECT historical_clv FROM customers") == 123450
    assert scalar(cache, "SELECT body FROM messages") == "Здравствуйте"


def test_replaying_a_page_changes_nothing(cache: Engine) -> None:
    feed = Feed()
    customer = uuid.uuid4()
    page = [feed.upsert("customer", customer_row(customer))]
    apply_changes(cache, page, 1)
    apply_changes(cache, page, 1)
    assert scalar(cache, "SELECT count(*) FROM customers") == 1
    assert scalar(cache, "SELECT count(*) FROM customer_phones") == 1


def test_an_older_version_never_rolls_a_row_back(cache: Engine) -> None:
    feed = Feed()
    customer = uuid.uuid4()
    apply_changes(
        cache, [feed.upsert("customer", customer_row(customer, version=3, tier="gold"))], 1
    )
    apply_changes(
        cache, [feed.upsert("customer", customer_row(customer, version=2, tier="silver"))], 2
    )
    assert scalar(cache, "SELECT tier FROM customers") == "gold"
    assert read_cursor(cache) == 2


def test_deletes_remove_rows_and_their_phone_lookups(cache: Engine) -> None:
    feed = Feed()
    customer = uuid.uuid4()
    apply_changes(cache, [feed.upsert("customer", customer_row(customer))], 1)
    apply_changes(cache, [feed.delete("customer", customer)], 2)
    assert scalar(cache, "SELECT count(*) FROM customers") == 0
    assert scalar(cache, "SELECT count(*) FROM customer_phones") == 0


def test_a_failure_mid_page_keeps_the_old_cursor_so_the_page_repeats(
    cache: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = Feed()
    apply_changes(cache, [feed.upsert("customer", customer_row(uuid.uuid4()))], 1)
    page = [feed.upsert("customer", customer_row(uuid.uuid4())) for _ in range(3)]

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(apply_module, "refresh_customer_lookups", crash)
    with pytest.raises(RuntimeError):
        apply_changes(cache, page, feed.seq)
    assert read_cursor(cache) == 1
    assert scalar(cache, "SELECT count(*) FROM customers") == 1
    monkeypatch.undo()
    apply_changes(cache, page, feed.seq)
    assert read_cursor(cache) == feed.seq
    assert scalar(cache, "SELECT count(*) FROM customers") == 4


def test_unreadable_rows_are_skipped_and_the_rest_applied(cache: Engine) -> None:
    feed = Feed()
    good, bad, worse = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    page = [
        feed.upsert("customer", customer_row(bad, birthday="not a date")),
        feed.upsert("customer", customer_row(good)),
        feed.upsert("customer", customer_row(worse, first_name={"not": "text"})),
        feed.upsert("mystery", {"id": str(uuid.uuid4())}),
    ]
    stats = apply_changes(cache, page, feed.seq)
    assert stats.skipped == 3
    assert scalar(cache, "SELECT count(*) FROM customers") == 1
    assert read_cursor(cache) == feed.seq


def test_a_child_whose_parent_comes_in_a_later_page_is_kept(cache: Engine) -> None:
    feed = Feed()
    customer, conversation = uuid.uuid4(), uuid.uuid4()
    apply_changes(cache, [feed.upsert("conversation", conversation_row(conversation, customer))], 1)
    apply_changes(cache, [feed.upsert("customer", customer_row(customer))], 2)
    assert scalar(cache, "SELECT count(*) FROM conversations") == 1
    assert scalar(cache, "PRAGMA foreign_keys") == 1


def test_a_unique_number_moving_to_another_row_follows_the_server(cache: Engine) -> None:
    feed = Feed()
    customer = uuid.uuid4()
    first, second = uuid.uuid4(), uuid.uuid4()

    def order(order_id: uuid.UUID, number: str) -> dict[str, object]:
        return {
            "id": str(order_id),
            "customer_id": str(customer),
            "number": number,
            "ordered_at": "2024-01-01T00:00:00Z",
            "amount": "10.00",
            "currency": "RUB",
            "status": "paid",
            "version": 1,
        }

    apply_changes(
        cache,
        [
            feed.upsert("customer", customer_row(customer)),
            feed.upsert("order", order(first, "A-1")),
        ],
        2,
    )
    apply_changes(cache, [feed.upsert("order", order(second, "A-1"))], 3)
    assert scalar(cache, "SELECT count(*) FROM orders") == 1
    assert scalar(cache, "SELECT id FROM orders") == second.bytes
    assert read_cursor(cache) == 3


def test_pulled_rows_keep_the_operators_unpushed_edits_on_top(cache: Engine) -> None:
    feed = Feed()
    customer = uuid.uuid4()
    apply_changes(cache, [feed.upsert("customer", customer_row(customer, tags=["vip"]))], 1)
    update_customer(cache, customer, {"tags": ["vip", "late payer"]})
    # Someone else changed the tier and the tags on the server meanwhile.
    newer = customer_row(customer, version=2, tier="platinum", tags=["vip", "moved"])
    apply_changes(cache, [feed.upsert("customer", newer)], 2)
    assert scalar(cache, "SELECT tier FROM customers") == "platinum"
    assert scalar(cache, "SELECT tags FROM customers") == '["vip","late payer"]'
    assert scalar(cache, "SELECT version FROM customers") == 2
    assert scalar(cache, "SELECT fields FROM sync_shadow") == '{"tags": ["vip", "moved"]}'
    assert pending_count(cache) == 1


def test_a_bulk_pull_indexes_search_once_at_the_end(cache: Engine) -> None:
    from operator_app.cache.apply import rebuild_deferred_search, search_rebuild_pending
    from operator_app.cache.repositories import CustomerRepository

    feed = Feed()
    page = [feed.upsert("customer", customer_row(uuid.uuid4(), last_name="Сидоров"))]
    apply_changes(cache, page, feed.seq, defer_search=True)
    assert search_rebuild_pending(cache)  # a crash here leaves the mark for the next pull
    repository = CustomerRepository(cache)
    with cache.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM search_docs").scalar() == 0
    assert repository.find_by_phone("+79123456789")  # the screen pop works at once
    assert rebuild_deferred_search(cache) == 1
    assert not search_rebuild_pending(cache)
    assert [c.display_name for c in repository.search("сидор")] == ["Сидоров Иван"]


def test_a_bulk_page_skips_reference_checks_yet_deletes_still_cascade(cache: Engine) -> None:
    feed = Feed()
    customer, conversation, message = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    # A child ahead of its parents is kept, as a checked page would keep it.
    first = [feed.upsert("message", message_row(message, conversation, customer))]
    apply_changes(cache, first, feed.seq, defer_search=True)
    parents = [
        feed.upsert("customer", customer_row(customer)),
        feed.upsert("conversation", conversation_row(conversation, customer)),
    ]
    apply_changes(cache, parents, feed.seq, defer_search=True)
    assert scalar(cache, "SELECT count(*) FROM messages") == 1
    apply_changes(cache, [feed.delete("customer", customer)], feed.seq, defer_search=True)
    assert scalar(cache, "SELECT count(*) FROM conversations") == 0
    assert scalar(cache, "SELECT count(*) FROM messages") == 0
    assert scalar(cache, "PRAGMA foreign_keys") == 1
    assert scalar(cache, "PRAGMA synchronous") == 2  # FULL again for local changes
    assert read_cursor(cache) == feed.seq


def test_one_unreadable_value_in_a_long_run_costs_only_its_row(cache: Engine) -> None:
    feed = Feed()
    customers = [uuid.uuid4() for _ in range(50)]
    rows = [customer_row(c, last_name=f"Иванов{i}") for i, c in enumerate(customers)]
    rows[17]["customer_since"] = "2024-02-30"
    page = [feed.upsert("customer", row) for row in rows]
    stats = apply_changes(cache, page, feed.seq, defer_search=True)
    assert (stats.upserted, stats.skipped) == (49, 1)
    stored = scalar(cache, "SELECT count(*) FROM customers WHERE id = ?", customers[17].bytes)
    assert stored == 0
    assert scalar(cache, "SELECT count(*) FROM customer_phones") == 49
