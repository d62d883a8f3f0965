"""The supervisor's review queue from the cache: newest first, keyset pages, filters."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.apply import apply_changes
from operator_app.cache.db import open_cache
from operator_app.cache.review_queue import (
    ReviewFilter,
    queue_operators,
    review_case,
    review_page,
)
from operator_app.domain.review_sla import review_tone
from tests.e2e.builders import Feed, conversation_row, customer_row

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    engine = open_cache(tmp_path / "cache.sqlite3")
    feed = Feed()
    changes: list[Any] = []
    # Five cases, an hour apart; channels and operators alternate; the oldest resolved.
    for n in range(5):
        customer_id, conversation_id, survey_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        opened = NOW - timedelta(hours=n * 6)
        changes += [
            feed.upsert("customer", customer_row(customer_id)),
            feed.upsert(
                "conversation",
                conversation_row(
                    conversation_id,
                    customer_id,
                    channel="telegram" if n % 2 else "phone",
                    assignee="anna" if n % 2 else "boris",
                ),
            ),
            feed.upsert(
                "survey",
                {
                    "id": str(survey_id),
                    "customer_id": str(customer_id),
                    "conversation_id": str(conversation_id),
                    "kind": "csat",
                    "channel": "telegram",
                    "token": None,
                    "sent_at": _stamp(opened - timedelta(minutes=30)),
                    "score": 1 + n % 2,
                    "comment": f"case {n}",
                    "answered_at": _stamp(opened),
                    "version": 2,
                    "updated_at": _stamp(opened),
                },
            ),
            feed.upsert(
                "review_case",
                {
                    "id": str(uuid.uuid4()),
                    "survey_id": str(survey_id),
                    "customer_id": str(customer_id),
                    "status": "resolved" if n == 4 else "new",
                    "assignee": None,
                    "opened_at": _stamp(opened),
                    "actions": [{"action": "opened", "actor": "system", "at": _stamp(opened)}],
                    "version": 1,
                    "updated_at": _stamp(opened),
                },
            ),
        ]
    apply_changes(engine, changes, len(changes))
    return engine


def test_open_cases_come_newest_first_in_keyset_pages(cache: Engine) -> None:
    first = review_page(cache, ReviewFilter(), now=NOW, limit=2)
    assert [i.comment for i in first] == ["case 0", "case 1"]
    rest = review_page(cache, ReviewFilter(), now=NOW, after=first[-1].cursor, limit=10)
    assert [i.comment for i in rest] == ["case 2", "case 3"]  # the resolved one is not open
    every = review_page(cache, ReviewFilter(statuses=()), now=NOW, limit=10)
    assert len(every) == 5 and every[-1].status.value == "resolved"
    case = review_case(cache, first[0].id)
    assert case is not None and case.actions[0]["action"] == "opened"
    assert case.channel == "phone" and case.operator == "boris" and case.score == 1


def test_filters_narrow_by_channel_operator_score_and_age(cache: Engine) -> None:
    def comments(**options: Any) -> list[str]:
        filters = ReviewFilter(statuses=(), **options)
        return [i.comment for i in review_page(cache, filters, now=NOW, limit=10)]

    assert comments(channel="telegram") == ["case 1", "case 3"]
    assert comments(operator="boris") == ["case 0", "case 2", "case 4"]
    assert comments(max_score=1) == ["case 0", "case 2", "case 4"]
    assert comments(older_than=timedelta(hours=13)) == ["case 3", "case 4"]
    assert queue_operators(cache) == ["anna", "boris"]


def test_cases_turn_late_then_overdue_until_resolved() -> None:
    assert review_tone("new", NOW - timedelta(hours=1), NOW) == "ok"
    assert review_tone("assigned", NOW - timedelta(hours=5), NOW) == "late"
    assert review_tone("new", NOW - timedelta(days=2), NOW) == "overdue"
    assert review_tone("resolved", NOW - timedelta(days=2), NOW) == "done"
