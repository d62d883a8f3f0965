"""Asking a customer how it went, offline-safe: a survey row and its outbox mutation.

The local row shows in the timeline at once ("waiting for an answer"); the server's copy
replaces it when the change feed brings it. Leaving the kind out lets the server's
policy choose it for the conversation's channel and topic (the local row says "survey"
until then). With a score the answer the customer said on a call is recorded as given.
A refusal by the policy (asked too recently) comes back as a rejected change with the
server's reason, like any other.

Blocking SQLite work: call it on the single DB worker thread.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from operator_app.cache.customer_edits import LocalChangeError
from operator_app.cache.db import write_transaction
from operator_app.cache.outbox import _as_uuid, _now, edit_row, enqueue
from operator_app.cache.pending import insert_row
from operator_app.cache.rowcodec import CODECS
from operator_app.domain.enums import ConversationStatus, SurveyKind
from operator_app.domain.metrics import validate_score

MAX_COMMENT = 2000


def request_survey(
    engine: Engine,
    conversation_id: uuid.UUID | str,
    kind: SurveyKind | str | None = None,
    *,
    score: int | None = None,
    comment: str = "",
    resolve: bool = False,
    now: datetime | None = None,
) -> uuid.UUID:
    """Queue a survey for the conversation's customer (``resolve``: resolve it first, in
    the same transaction); returns the survey's id."""
    conversation = _as_uuid(conversation_id, "conversation")
    survey_kind = _kind(kind)
    if score is not None:
        if survey_kind is None:
            raise LocalChangeError("A score said on a call needs its kind (CSAT, NPS or CES).")
        try:
            validate_score(survey_kind, score)
        except ValueError as error:
            raise LocalChangeError(str(error)[:1].upper() + str(error)[1:] + ".") from None
    if len(comment) > MAX_COMMENT:
        raise LocalChangeError(f"The comment is longer than {MAX_COMMENT} characters.")
    at = _now(now)
    survey_id = uuid.uuid4()
    data: dict[str, Any] = {
        "conversation_id": str(conversation),
        "kind": survey_kind.value if survey_kind else None,
    }
    if score is not None:
        data |= {"score": score, "comment": comment}
    with write_transaction(engine) as conn:
        row = conn.exec_driver_sql(
            "SELECT customer_id, channel FROM conversations WHERE id = ?", (conversation.bytes,)
        ).first()
        if row is None:
            raise LocalChangeError("This conversation is not in the local cache.")
        if resolve:
            edit_row(
                conn,
                "conversation",
                conversation,
                {"status": ConversationStatus.RESOLVED.value, "next_follow_up_at": None},
                at,
            )
        local = {
            "id": str(survey_id),
            "customer_id": str(uuid.UUID(bytes=bytes(row[0]))),
            "conversation_id": str(conversation),
            "kind": survey_kind.value if survey_kind else "",
            "channel": row[1],
            "sent_at": at.isoformat(),
            "score": score,
            "comment": comment if score is not None else "",
            "answered_at": at.isoformat() if score is not None else None,
            "version": 0,
        }
        insert_row(conn, CODECS["survey"], local)
        enqueue(
            conn,
            entity="survey",
            entity_id=survey_id,
            op="create",
            base_version=None,
            data=data,
            now=at,
        )
    return survey_id


def _kind(kind: SurveyKind | str | None) -> SurveyKind | None:
    if kind is None or kind == "":
        return None
    try:
        return SurveyKind(str(kind).lower())
    except ValueError:
        raise LocalChangeError(f"{str(kind)[:20]!r} is not a survey kind.") from None
