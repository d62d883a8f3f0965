"""Survey requests in the outbox: resolve-and-ask in one transaction, spoken scores."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from operator_app.cache.apply import apply_changes
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import LocalChangeError, pending
from operator_app.cache.repositories import CustomerRepository
from operator_app.cache.survey_requests import request_survey
from operator_app.domain.enums import TimelineKind
from tests.e2e.builders import Feed, conversation_row, customer_row


@pytest.fixture
def cache(tmp_path: Path) -> Engine:
    return open_cache(tmp_path / "cache.sqlite3")


@pytest.fixture
def conversation(cache: Engine) -> tuple[uuid.UUID, uuid.UUID]:
    customer_id, conversation_id = uuid.uuid4(), uuid.uuid4()
    feed = Feed()
    changes = [
        feed.upsert("customer", customer_row(customer_id, version=2)),
        feed.upsert("conversation", conversation_row(conversation_id, customer_id, version=5)),
    ]
    apply_changes(cache, changes, 2)
    return customer_id, conversation_id


def _status(engine: Engine, conversation_id: uuid.UUID) -> str:
    with engine.connect() as conn:
        return str(
            conn.exec_driver_sql(
                "SELECT status FROM conversations WHERE id = ?", (conversation_id.bytes,)
            ).scalar()
        )


def test_resolve_and_ask_queues_both_in_order(
    cache: Engine, conversation: tuple[uuid.UUID, uuid.UUID]
) -> None:
    customer_id, conversation_id = conversation
    survey_id = request_survey(cache, conversation_id, resolve=True)
    status, survey = pending(cache)
    assert (status.entity, status.op, status.base_version) == ("conversation", "update", 5)
    assert status.data["status"] == "resolved"
    assert (survey.entity, survey.op, survey.entity_id) == ("survey", "create", survey_id)
    assert survey.data == {"conversation_id": str(conversation_id), "kind": None}
    assert _status(cache, conversation_id) == "resolved"
    # Shown at once in the customer's timeline, waiting for the answer.
    items = CustomerRepository(cache).timeline_page(customer_id, limit=50)
    [shown] = [i for i in items if i.kind is TimelineKind.SURVEY]
    assert shown.id == survey_id and shown.score is None


def test_a_spoken_score_is_queued_with_its_kind(
    cache: Engine, conversation: tuple[uuid.UUID, uuid.UUID]
) -> None:
    _, conversation_id = conversation
    request_survey(cache, conversation_id, "csat", score=2)
    [entry] = pending(cache)
    assert entry.data == {
        "conversation_id": str(conversation_id),
        "kind": "csat",
        "score": 2,
        "comment": "",
    }
    assert _status(cache, conversation_id) == "open"


@pytest.mark.parametrize(
    ("kind", "score", "words"),
    [("smiley", None, "not a survey kind"), ("csat", 9, "between 1 and 5"), (None, 3, "kind")],
)
def test_bad_requests_are_refused_and_queue_nothing(
    cache: Engine,
    conversation: tuple[uuid.UUID, uuid.UUID],
    kind: str | None,
    score: int | None,
    words: str,
) -> None:
    with pytest.raises(LocalChangeError, match=words):
        request_survey(cache, conversation[1], kind, score=score)
    with pytest.raises(LocalChangeError, match="not in the local cache"):
        request_survey(cache, uuid.uuid4(), "csat")
    assert pending(cache) == []
