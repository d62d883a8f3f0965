"""Worklists follow the admin's synced SLAs, snoozes hide or move entries, pages are keyed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.apply import apply_changes
from operator_app.cache.bulk import load_rows
from operator_app.cache.customer_edits import LocalChangeError
from operator_app.cache.db import open_cache, write_transaction
from operator_app.cache.outbox import pending
from operator_app.cache.policy_store import POLICY_ID, load_policy, sla_seconds
from operator_app.cache.repositories import WorklistRepository
from operator_app.cache.worklist_snoozes import (
    snooze_follow_up,
    snooze_waiting,
    unsnooze_waiting,
)
from operator_app.domain.enums import Channel
from operator_app.domain.snooze import check_snooze_until, tomorrow_morning
from tests.e2e.builders import Feed
from tests.unit.cache_samples import NOW, customer, uid

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def conversation(
    n: int,
    channel: str,
    *,
    inbound_ago: timedelta | None = None,
    follow_up_in: timedelta | None = None,
) -> dict[str, object]:
    return {
        "id": uid(n),
        "customer_id": uid(1),
        "channel": channel,
        "status": "open",
        "topic": f"тема {n}",
        "assignee": None,
        "opened_at": NOW - timedelta(hours=10),
        "last_inbound_at": None if inbound_ago is None else NOW - inbound_ago,
        "last_outbound_at": None,
        "next_follow_up_at": None if follow_up_in is None else NOW + follow_up_in,
        "version": 3,
    }


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_cache(tmp_path / "cache.db")
    load_rows(
        engine,
        [
            ("customer", [customer(1, "Ждущий", "Клиент")]),
            (
                "conversation",
                [
                    conversation(10, "phone", inbound_ago=MINUTE),  # past 30 s
                    conversation(11, "webchat", inbound_ago=10 * MINUTE),  # past 5 min
                    conversation(12, "email", inbound_ago=HOUR),  # within 4 h
                    conversation(13, "telegram", inbound_ago=20 * MINUTE),  # within 30 min
                    # Follow-ups: two at the same minute (ordered by id), one later.
                    conversation(40, "sms", follow_up_in=-2 * HOUR),
                    conversation(42, "sms", follow_up_in=-HOUR),
                    conversation(41, "sms", follow_up_in=-HOUR),
                    conversation(43, "sms", follow_up_in=2 * HOUR),
                ],
            ),
        ],
    )
    yield engine
    engine.dispose()


def waiting_ids(engine: Engine, now: datetime = NOW) -> list[uuid.UUID]:
    return [item.conversation_id for item in WorklistRepository(engine).hanging(now)]


def sync_policy(engine: Engine, slas: dict[str, Any], version: int = 1) -> None:
    feed = Feed()
    row = {
        "id": str(POLICY_ID),
        "document": {"min_days_between_surveys": 30, "first_response_sla_seconds": slas},
        "updated_by": "adm",
        "version": version,
        "updated_at": "2025-03-01T11:00:00Z",
    }
    apply_changes(engine, [feed.upsert("policy", row)], feed.seq)


# -- the admin's policy ---------------------------------------------------------------


def test_without_a_synced_policy_the_design_defaults_apply(engine: Engine) -> None:
    assert load_policy(engine) is None
    assert [sla_seconds(None, c) for c in ("phone", "webchat", "telegram", "email")] == [
        30,
        300,
        1800,
        4 * 3600,
    ]
    assert waiting_ids(engine) == [uid(11), uid(10)]


def test_the_synced_policy_decides_which_dialogs_hang(engine: Engine) -> None:
    sync_policy(engine, {"webchat": 3600, "email": 600, "telegram": 900})
    policy = load_policy(engine)
    assert policy is not None and policy["first_response_sla_seconds"]["email"] == 600
    # Chat now has an hour (no longer late); e-mail and Telegram are past their new targets;
    # the phone, left out of the document, keeps its default.
    assert waiting_ids(engine) == [uid(12), uid(13), uid(10)]

    # A newer version replaces it; an older, replayed one does not roll it back.
    sync_policy(engine, {"webchat": 60}, version=2)
    sync_policy(engine, {"webchat": 3600}, version=1)
    assert waiting_ids(engine) == [uid(11), uid(10)]


def test_the_next_moment_someone_passes_the_target(engine: Engine) -> None:
    repo = WorklistRepository(engine)
    # E-mail (1 h waited of 4 h) and Telegram (20 min of 30 min): Telegram is first.
    assert repo.next_late_at(NOW) == NOW + 10 * MINUTE
    sync_policy(engine, {"telegram": 7200})
    assert repo.next_late_at(NOW) == NOW + 100 * MINUTE  # Telegram: 20 min of 2 h
    sync_policy(engine, {"telegram": 7200, "email": 3600 + 5}, version=2)
    assert repo.next_late_at(NOW) == NOW + timedelta(seconds=5)


def test_bad_or_unknown_sla_values_fall_back_to_the_defaults() -> None:
    policy: dict[str, Any] = {
        "first_response_sla_seconds": {"phone": 0, "webchat": "fast", "email": True, "vk": 45}
    }
    assert sla_seconds(policy, Channel.PHONE) == 30
    assert sla_seconds(policy, "webchat") == 300
    assert sla_seconds(policy, "email") == 4 * 3600
    assert sla_seconds(policy, "vk") == 45
    assert sla_seconds(policy, "pigeon") == 4 * 3600  # unknown channel: "other"
    assert sla_seconds({"first_response_sla_seconds": []}, "phone") == 30


def test_the_policy_id_is_the_servers() -> None:
    from operator_app.server.policy import POLICY_ID as SERVER_POLICY_ID

    assert POLICY_ID == SERVER_POLICY_ID


# -- snoozing a waiting dialog (local) -------------------------------------------------


def test_a_snoozed_waiting_dialog_is_hidden_until_the_snooze_ends(engine: Engine) -> None:
    snooze_waiting(engine, uid(11), NOW + HOUR, now=NOW)
    assert waiting_ids(engine) == [uid(10)]
    assert uid(11) not in waiting_ids(engine, NOW + 30 * MINUTE)
    assert uid(11) in waiting_ids(engine, NOW + HOUR)
    # Snoozing again and bringing it back early.
    snooze_waiting(engine, uid(11), NOW + 3 * HOUR, now=NOW)
    assert uid(11) not in waiting_ids(engine, NOW + 2 * HOUR)
    assert unsnooze_waiting(engine, uid(11))
    assert not unsnooze_waiting(engine, uid(11))
    assert waiting_ids(engine) == [uid(11), uid(10)]


def test_a_new_message_from_the_customer_ends_the_snooze(engine: Engine) -> None:
    snooze_waiting(engine, uid(11), NOW + HOUR, now=NOW)
    with write_transaction(engine) as conn:
        conn.exec_driver_sql(
            "UPDATE conversations SET last_inbound_at = last_inbound_at + 120000000 WHERE id = ?",
            (uid(11).bytes,),
        )
    assert waiting_ids(engine) == [uid(11), uid(10)]


def test_snoozes_are_checked(engine: Engine) -> None:
    with pytest.raises(LocalChangeError, match="future"):
        snooze_waiting(engine, uid(11), NOW - MINUTE, now=NOW)
    with pytest.raises(LocalChangeError, match="time zone"):
        snooze_waiting(engine, uid(11), datetime(2025, 3, 2, 9), now=NOW)
    with pytest.raises(LocalChangeError, match="not in the local cache"):
        snooze_waiting(engine, uid(99), NOW + HOUR, now=NOW)
    with pytest.raises(LocalChangeError, match="not in the local cache"):
        snooze_follow_up(engine, uid(99), NOW + HOUR, now=NOW)
    assert check_snooze_until(NOW + timedelta(days=400), NOW) == "A snooze can last at most a year."
    assert waiting_ids(engine) == [uid(11), uid(10)]
    assert pending(engine) == []


# -- snoozing a follow-up (synced through the outbox) ----------------------------------


def test_a_follow_up_snooze_moves_the_follow_up_and_queues_the_change(engine: Engine) -> None:
    repo = WorklistRepository(engine)
    assert [i.conversation_id for i in repo.follow_ups_due(NOW)] == [uid(40), uid(41), uid(42)]
    changed = snooze_follow_up(engine, uid(40), NOW + 3 * HOUR, now=NOW)
    assert changed == {"next_follow_up_at": (NOW + 3 * HOUR).isoformat()}
    assert [i.conversation_id for i in repo.follow_ups_due(NOW)] == [uid(41), uid(42)]
    day = repo.follow_ups_due(NOW, until=NOW + 4 * HOUR)
    assert [(i.conversation_id, i.overdue) for i in day][-2:] == [
        (uid(43), False),
        (uid(40), False),
    ]
    (entry,) = pending(engine)
    assert (entry.entity, entry.entity_id, entry.op, entry.base_version) == (
        "conversation",
        uid(40),
        "update",
        3,
    )
    assert entry.data == {"next_follow_up_at": (NOW + 3 * HOUR).isoformat()}
    # Snoozed again before it was sent: still one change, with the newest time.
    snooze_follow_up(engine, uid(40), NOW + 5 * HOUR, now=NOW)
    (entry,) = pending(engine)
    assert entry.data == {"next_follow_up_at": (NOW + 5 * HOUR).isoformat()}


# -- order, limits and pages -----------------------------------------------------------


def test_follow_ups_page_by_keyset_in_a_stable_order(engine: Engine) -> None:
    repo = WorklistRepository(engine)
    until = NOW + 4 * HOUR
    whole = [i.conversation_id for i in repo.follow_ups_due(NOW, until=until)]
    assert whole == [uid(40), uid(41), uid(42), uid(43)]
    first = repo.follow_ups_due(NOW, limit=2, until=until)
    assert [i.conversation_id for i in first] == [uid(40), uid(41)]
    cursor = (first[-1].since, first[-1].conversation_id)
    rest = repo.follow_ups_due(NOW, limit=2, until=until, after=cursor)
    assert [i.conversation_id for i in rest] == [uid(42), uid(43)]
    last = (rest[-1].since, rest[-1].conversation_id)
    assert repo.follow_ups_due(NOW, until=until, after=last) == []
    assert repo.follow_ups_due(NOW, limit=0) == []
    assert repo.hanging(NOW, limit=0) == []
    assert [i.conversation_id for i in repo.hanging(NOW, limit=1)] == [uid(11)]


# -- the snooze presets ----------------------------------------------------------------


def test_tomorrow_morning_is_nine_in_the_operators_zone_across_a_clock_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # The evening before summer time starts (2025-03-30): 9:00 CEST is 07:00 UTC.
    evening = datetime(2025, 3, 29, 22, 30, tzinfo=berlin)
    assert tomorrow_morning(evening, berlin) == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)
    # Just after midnight it is still "tomorrow" from the operator's local date.
    night = datetime(2025, 3, 1, 0, 10, tzinfo=ZoneInfo("Asia/Vladivostok"))
    assert tomorrow_morning(night, ZoneInfo("Asia/Vladivostok")) == datetime(
        2025, 3, 1, 23, 0, tzinfo=UTC
    )
