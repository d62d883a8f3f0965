"""Local changes: cache row and outbox row written together, in the wire format."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache import outbox as outbox_module
from operator_app.cache.apply import apply_changes
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import (
    LocalChangeError,
    add_note,
    add_reply,
    claim_batch,
    create_customer,
    pending,
    pending_count,
    set_conversation_status,
    update_customer,
)
from tests.e2e.builders import Feed, conversation_row, customer_row


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    return open_cache(tmp_path / "cache.sqlite3")


@pytest.fixture
def customer(cache: Engine) -> uuid.UUID:
    customer_id = uuid.uuid4()
    apply_changes(cache, [Feed().upsert("customer", customer_row(customer_id, version=4))], 1)
    return customer_id


def scalar(engine: Engine, sql: str, *params: object) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql, params).scalar()


def test_a_note_is_written_with_its_outbox_row_in_the_wire_format(
    cache: Engine, customer: uuid.UUID
) -> None:
    note = add_note(cache, customer, "Перезвонить завтра", "Оператор 1")
    assert (
        scalar(cache, "SELECT body FROM notes WHERE id = ?", note.id.bytes) == "Перезвонить завтра"
    )
    [entry] = pending(cache)
    assert entry.entity == "note" and entry.op == "create" and entry.base_version is None
    assert entry.entity_id == note.id
    assert entry.data == {"customer_id": str(customer), "body": "Перезвонить завтра"}
    assert isinstance(entry.mutation_id, uuid.UUID) and entry.mutation_id.version == 4


def test_nothing_is_written_when_the_outbox_write_fails(
    cache: Engine, customer: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(outbox_module, "enqueue", broken)
    with pytest.raises(OSError):
        add_note(cache, customer, "текст", "op")
    assert scalar(cache, "SELECT count(*) FROM notes") == 0
    assert pending_count(cache) == 0


@pytest.mark.parametrize("body", ["", "   \n", "x" * 20_001])
def test_empty_or_huge_notes_are_refused_clearly(
    cache: Engine, customer: uuid.UUID, body: str
) -> None:
    with pytest.raises(LocalChangeError):
        add_note(cache, customer, body, "op")
    assert pending_count(cache) == 0


def test_text_limits_are_the_servers_so_nothing_is_refused_after_it_left(
    cache: Engine, customer: uuid.UUID
) -> None:
    from operator_app.server.mutation_rules import RULES

    note_limit = RULES[("note", "create")].fields["body"]
    reply_limit = RULES[("message", "create")].fields["body"]
    add_note(cache, customer, "n" * 10_000, "op")
    note_limit("n" * 10_000)  # the server takes what the client queued
    with pytest.raises(LocalChangeError, match="10001 characters long; at most 10000"):
        add_note(cache, customer, "n" * 10_001, "op")
    with pytest.raises(ValueError):
        note_limit("n" * 10_001)
    conversation = uuid.uuid4()
    apply_changes(
        cache, [Feed().upsert("conversation", conversation_row(conversation, customer))], 2
    )
    add_reply(cache, conversation, "r" * 20_000, "op")
    reply_limit("r" * 20_000)
    with pytest.raises(LocalChangeError, match="at most 20000"):
        add_reply(cache, conversation, "r" * 20_001, "op")
    assert pending_count(cache) == 2


def test_a_note_for_an_unknown_customer_is_refused(cache: Engine) -> None:
    with pytest.raises(LocalChangeError, match="not in the local cache"):
        add_note(cache, uuid.uuid4(), "text", "op")
    with pytest.raises(LocalChangeError, match="not a customer id"):
        add_note(cache, "garbage", "text", "op")


def test_a_reply_is_an_outbound_message_queued_for_the_conversation(
    cache: Engine, customer: uuid.UUID
) -> None:
    conversation = uuid.uuid4()
    apply_changes(
        cache, [Feed().upsert("conversation", conversation_row(conversation, customer))], 2
    )
    message = add_reply(cache, conversation, "Добрый день!", "Оператор 1")
    assert message.customer_id == customer and message.direction == "out"
    [entry] = pending(cache)
    assert (entry.entity, entry.op) == ("message", "create")
    assert entry.data == {"conversation_id": str(conversation), "body": "Добрый день!"}
    assert scalar(cache, "SELECT last_outbound_at FROM conversations") is not None


def test_customer_edits_are_normalised_and_based_on_the_cached_version(
    cache: Engine, customer: uuid.UUID
) -> None:
    changed = update_customer(
        cache,
        customer,
        {
            "phones": ["8 (912) 345-67-89", "+7 900 111-22-33"],
            "emails": ["A@Example.COM"],
            "consent_marketing": False,
            "tags": ["vip", " VIP ", "new"],
        },
    )
    assert changed == {
        "phones": ["+79123456789", "+79001112233"],
        "emails": ["A@example.com"],
        "consent_marketing": False,
        "tags": ["vip", "new"],
    }
    [entry] = pending(cache)
    assert (entry.op, entry.base_version, entry.data) == ("update", 4, changed)
    assert scalar(cache, "SELECT count(*) FROM customer_phones WHERE e164 = '+79001112233'") == 1
    # The server's old values are remembered for a later conflict.
    shadow = json.loads(str(scalar(cache, "SELECT fields FROM sync_shadow")))
    assert shadow["emails"] == ["ivan@example.com"] and shadow["tags"] == ["vip"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phones": ["12"]}, "not a phone number"),
        ({"emails": ["not-an-email"]}, "not an e-mail"),
        ({"consent_channels": ["pigeon"]}, "not a channel"),
        ({"historical_clv": 5}, "cannot be edited"),
        ({"language": "русский"}, "language code"),
        ({"timezone": "Europe/Moscow"}, "cannot be edited"),
    ],
)
def test_bad_customer_edits_say_what_is_wrong(
    cache: Engine, customer: uuid.UUID, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(LocalChangeError, match=message):
        update_customer(cache, customer, changes)
    assert pending_count(cache) == 0


def test_an_edit_that_changes_nothing_queues_nothing(cache: Engine, customer: uuid.UUID) -> None:
    assert update_customer(cache, customer, {"tags": ["vip"]}) == {}
    assert pending_count(cache) == 0


def test_edits_fold_into_an_unsent_mutation_but_never_into_a_sent_one(
    cache: Engine, customer: uuid.UUID
) -> None:
    update_customer(cache, customer, {"tags": ["a"]})
    update_customer(cache, customer, {"tags": ["b"], "first_name": "Пётр"})
    [entry] = pending(cache)
    assert entry.data == {"tags": ["b"], "first_name": "Пётр"}
    claim_batch(cache)  # now possibly on the wire: its mutation id is spent
    update_customer(cache, customer, {"tags": ["c"]})
    first, second = pending(cache)
    assert first.data["tags"] == ["b"] and second.data == {"tags": ["c"]}
    assert claim_batch(cache) == [pending(cache)[0]] or len(claim_batch(cache)) == 1


def test_a_batch_holds_one_edit_per_record(cache: Engine, customer: uuid.UUID) -> None:
    update_customer(cache, customer, {"tags": ["a"]})
    claim_batch(cache)
    update_customer(cache, customer, {"tags": ["b"]})
    note = add_note(cache, customer, "после", "op")
    batch = claim_batch(cache)
    assert [e.entity for e in batch] == ["customer"]
    assert note.id not in [e.entity_id for e in batch]


def test_status_changes_carry_the_follow_up_time(cache: Engine, customer: uuid.UUID) -> None:
    from datetime import UTC, datetime

    conversation = uuid.uuid4()
    apply_changes(
        cache,
        [Feed().upsert("conversation", conversation_row(conversation, customer, version=7))],
        2,
    )
    when = datetime(2030, 1, 2, 9, 30, tzinfo=UTC)
    set_conversation_status(cache, conversation, "pending", when)
    [entry] = pending(cache)
    assert entry.base_version == 7
    assert entry.data == {"status": "pending", "next_follow_up_at": "2030-01-02T09:30:00+00:00"}
    with pytest.raises(LocalChangeError):
        set_conversation_status(cache, conversation, "archived")


def test_an_unknown_caller_becomes_a_queued_customer(cache: Engine) -> None:
    customer_id = create_customer(cache, phones=["+7 912 000-00-01"])
    [entry] = pending(cache)
    assert (entry.entity, entry.op, entry.base_version) == ("customer", "create", None)
    assert entry.data["phones"] == ["+79120000001"]
    assert (
        scalar(cache, "SELECT customer_id FROM customer_phones WHERE e164 = '+79120000001'")
        == customer_id.bytes
    )
    with pytest.raises(LocalChangeError, match="at least"):
        create_customer(cache)
    with pytest.raises(LocalChangeError, match="time zone"):
        create_customer(cache, last_name="Сидоров", timezone="Mars/Olympus")
