"""What the server's answers do to the outbox: done rows leave, conflicts keep both sides for
the operator, refused rows are set aside with their reason."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.apply import apply_changes
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import (
    LocalChangeError,
    add_note,
    claim_batch,
    pending,
    pending_count,
    update_customer,
)
from operator_app.cache.sync_outcomes import (
    MutationOutcome,
    discard_rejected,
    issue_counts,
    list_conflicts,
    list_rejected,
    record_results,
    resolve_conflict,
    retry_rejected,
)
from tests.e2e.builders import Feed, customer_row


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    return open_cache(tmp_path / "cache.sqlite3")


@pytest.fixture
def feed() -> Feed:
    return Feed()


@pytest.fixture
def customer(cache: Engine, feed: Feed) -> uuid.UUID:
    customer_id = uuid.uuid4()
    apply_changes(cache, [feed.upsert("customer", customer_row(customer_id, version=4))], feed.seq)
    return customer_id


def scalar(engine: Engine, sql: str, *params: object) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql, params).scalar()


def answer(engine: Engine, *statuses: str, version: int | None = None, **extra: object) -> None:
    batch = claim_batch(engine)
    outcomes = [
        MutationOutcome(entry.mutation_id, status, version=version, **extra)  # type: ignore[arg-type]
        for entry, status in zip(batch, statuses, strict=True)
    ]
    record_results(engine, batch, outcomes)


def test_applied_and_duplicate_rows_leave_the_outbox(cache: Engine, customer: uuid.UUID) -> None:
    add_note(cache, customer, "one", "op")
    add_note(cache, customer, "two", "op")
    answer(cache, "applied", "duplicate", version=1)
    assert pending_count(cache) == 0
    assert issue_counts(cache) == (0, 0)


def test_a_replayed_answer_settles_nothing_twice(cache: Engine, customer: uuid.UUID) -> None:
    add_note(cache, customer, "one", "op")
    batch = claim_batch(cache)
    outcome = [MutationOutcome(batch[0].mutation_id, "applied", version=1)]
    record_results(cache, batch, outcome)
    assert record_results(cache, batch, outcome).done == 0


def test_a_later_edit_is_rebased_on_our_own_applied_edit(
    cache: Engine, customer: uuid.UUID
) -> None:
    update_customer(cache, customer, {"tags": ["a"]})
    claim_batch(cache)
    update_customer(cache, customer, {"tags": ["b"]})
    first = pending(cache)[0]
    record_results(cache, [first], [MutationOutcome(first.mutation_id, "applied", version=5)])
    [second] = pending(cache)
    assert second.base_version == 5
    assert scalar(cache, "SELECT version FROM customers") == 5
    assert scalar(cache, "SELECT tags FROM customers") == '["b"]'


def test_a_conflict_keeps_both_values_and_shows_the_servers(
    cache: Engine, customer: uuid.UUID, feed: Feed
) -> None:
    update_customer(cache, customer, {"tags": ["mine"]})
    # The server's newer row arrives before the push answer.
    newer = customer_row(customer, version=5, tags=["theirs"])
    apply_changes(cache, [feed.upsert("customer", newer)], feed.seq)
    answer(cache, "conflict", version=5, error="tags changed on the server")
    [conflict] = list_conflicts(cache)
    assert conflict.entity == "customer" and conflict.entity_id == customer
    assert conflict.mine == {"tags": ["mine"]} and conflict.theirs == {"tags": ["theirs"]}
    assert conflict.base_version == 4 and conflict.server_version == 5
    assert scalar(cache, "SELECT tags FROM customers") == '["theirs"]'
    assert pending_count(cache) == 0
    assert scalar(cache, "SELECT count(*) FROM sync_shadow") == 0


def test_keeping_mine_sends_my_values_again_on_the_servers_version(
    cache: Engine, customer: uuid.UUID, feed: Feed
) -> None:
    update_customer(cache, customer, {"tags": ["mine"]})
    apply_changes(
        cache,
        [feed.upsert("customer", customer_row(customer, version=5, tags=["theirs"]))],
        feed.seq,
    )
    answer(cache, "conflict", version=5)
    [conflict] = list_conflicts(cache)
    resolve_conflict(cache, conflict.id, keep="mine")
    [entry] = pending(cache)
    assert entry.data == {"tags": ["mine"]} and entry.base_version == 5
    assert entry.mutation_id != conflict.mutation_id
    assert scalar(cache, "SELECT tags FROM customers") == '["mine"]'
    assert list_conflicts(cache) == []
    with pytest.raises(LocalChangeError):
        resolve_conflict(cache, conflict.id, keep="theirs")


def test_keeping_theirs_just_closes_the_conflict(
    cache: Engine, customer: uuid.UUID, feed: Feed
) -> None:
    update_customer(cache, customer, {"tags": ["mine"]})
    answer(cache, "conflict", version=5, current={"tags": ["theirs"]})
    [conflict] = list_conflicts(cache)
    assert conflict.theirs == {"tags": ["theirs"]}
    resolve_conflict(cache, conflict.id, keep="theirs")
    assert list_conflicts(cache) == [] and pending_count(cache) == 0


def test_a_conflict_disappears_when_the_server_reaches_the_same_value(
    cache: Engine, customer: uuid.UUID, feed: Feed
) -> None:
    update_customer(cache, customer, {"tags": ["mine"]})
    answer(cache, "conflict", version=5)
    assert len(list_conflicts(cache)) == 1
    apply_changes(
        cache, [feed.upsert("customer", customer_row(customer, version=6, tags=["mine"]))], feed.seq
    )
    assert list_conflicts(cache) == []


def test_a_refused_edit_is_set_aside_and_the_servers_value_shown(
    cache: Engine, customer: uuid.UUID
) -> None:
    update_customer(cache, customer, {"tags": ["bad"]})
    answer(cache, "rejected", error="tag not allowed")
    [rejected] = list_rejected(cache)
    assert rejected.error == "tag not allowed" and rejected.data == {"tags": ["bad"]}
    assert scalar(cache, "SELECT tags FROM customers") == '["vip"]'
    assert pending_count(cache) == 0 and issue_counts(cache) == (0, 1)
    retry_rejected(cache, rejected.seq)
    [entry] = pending(cache)
    assert entry.data == {"tags": ["bad"]} and entry.mutation_id != rejected.mutation_id


def test_a_refused_note_stays_visible_until_discarded(cache: Engine, customer: uuid.UUID) -> None:
    note = add_note(cache, customer, "текст", "op")
    answer(cache, "rejected", error="customer is archived")
    assert scalar(cache, "SELECT count(*) FROM notes") == 1
    [rejected] = list_rejected(cache)
    discard_rejected(cache, rejected.seq)
    assert scalar(cache, "SELECT count(*) FROM notes WHERE id = ?", note.id.bytes) == 0
    assert list_rejected(cache) == []


def test_only_disputed_fields_conflict_the_others_are_sent_again(
    cache: Engine, customer: uuid.UUID
) -> None:
    update_customer(cache, customer, {"tags": ["mine"], "first_name": "Пётр"})
    current = customer_row(customer, version=6, tags=["theirs"])
    answer(cache, "conflict", version=6, current=current, conflicts=("tags",))
    [conflict] = list_conflicts(cache)
    assert conflict.mine == {"tags": ["mine"]} and conflict.theirs == {"tags": ["theirs"]}
    [resend] = pending(cache)
    assert resend.data == {"first_name": "Пётр"} and resend.base_version == 6
    assert resend.mutation_id != conflict.mutation_id
    assert scalar(cache, "SELECT first_name FROM customers") == "Пётр"
    assert scalar(cache, "SELECT tags FROM customers") == '["theirs"]'


def test_times_in_either_spelling_are_the_same_value(cache: Engine, customer: uuid.UUID) -> None:
    from datetime import UTC, datetime

    from operator_app.cache.outbox import set_conversation_status
    from tests.e2e.builders import conversation_row

    conversation = uuid.uuid4()
    apply_changes(
        cache, [Feed().upsert("conversation", conversation_row(conversation, customer))], 9
    )
    set_conversation_status(cache, conversation, "pending", datetime(2030, 1, 2, tzinfo=UTC))
    current = conversation_row(
        conversation,
        customer,
        version=2,
        status="pending",
        next_follow_up_at="2030-01-02T00:00:00Z",
    )
    answer(cache, "conflict", version=2, current=current)
    assert list_conflicts(cache) == []
