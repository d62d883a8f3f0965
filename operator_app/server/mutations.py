"""Applying client mutations: each in its own transaction, exactly once.

The idempotency record (``mutations_applied``) is inserted first in the transaction
that makes the change. A replay of a mutation the server already holds finds the
record and answers ``duplicate``; a replay racing the original blocks on the record's
primary key until the original commits, then fails on it and also answers
``duplicate``. A rejected or conflicting mutation rolls back, record included, so a
corrected resend is judged afresh.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from operator_app.server import changelog
from operator_app.server.context import ServerContext
from operator_app.server.models import ENTITY_MODELS, MutationApplied
from operator_app.server.mutation_rules import (
    RULES,
    Outcome,
    Rejected,
    Rule,
    Work,
    parse_values,
)
from operator_app.server.schemas import MutationIn, MutationResult
from operator_app.server.security import Principal

if TYPE_CHECKING:
    from operator_app.server.survey_runtime import SurveyRuntime
    from operator_app.server.surveys import Effects

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Applied:
    result: MutationResult
    last_seq: int | None = None  # change-log position of its effect, when it had one
    effects: Effects | None = None  # survey requests: events to announce after commit


class _Abort(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.status)
        self.outcome = outcome


def _rule_for(mutation: MutationIn) -> Rule:
    rule = RULES.get((mutation.entity, mutation.op))
    if rule is not None:
        return rule
    if mutation.entity not in ENTITY_MODELS:
        raise Rejected(f"unknown entity {mutation.entity[:32]!r}")
    ops = sorted(op for entity, op in RULES if entity == mutation.entity)
    if not ops:
        raise Rejected(f"{mutation.entity} records cannot be changed from the app")
    raise Rejected(
        f"{mutation.entity} {mutation.op[:16]!r} is not supported; supported: {', '.join(ops)}"
    )


_APPLIED = MutationApplied.__table__
# Asked before every mutation, so built once and run on a plain connection.
_APPLIED_QUERY = select(
    _APPLIED.c.entity, _APPLIED.c.entity_id, _APPLIED.c.op, _APPLIED.c.version
).where(_APPLIED.c.mutation_id == bindparam("mutation_id", type_=_APPLIED.c.mutation_id.type))


def _duplicate_or_none(context: ServerContext, mutation: MutationIn) -> MutationResult | None:
    with context.db.single_read() as conn:
        record = conn.execute(_APPLIED_QUERY, {"mutation_id": mutation.mutation_id}).first()
        if record is None:
            return None
        if (record.entity, record.entity_id, record.op) != (
            mutation.entity,
            mutation.id,
            mutation.op,
        ):
            return MutationResult(
                mutation_id=mutation.mutation_id,
                status="rejected",
                error="this mutation_id was already used for a different change",
            )
        return MutationResult(
            mutation_id=mutation.mutation_id, status="duplicate", version=record.version
        )


def apply_mutation(
    context: ServerContext,
    principal: Principal,
    mutation: MutationIn,
    *,
    runtime: SurveyRuntime | None = None,
    link_base: str = "",
) -> Applied:
    """``runtime`` and ``link_base`` serve survey requests (delivery, alerts, links)."""
    known = _duplicate_or_none(context, mutation)
    if known is not None:
        return Applied(known)
    try:
        rule = _rule_for(mutation)
        values = parse_values(rule, mutation.entity, mutation.op, mutation.data)
    except Rejected as rejected:
        return Applied(_result(mutation, "rejected", error=str(rejected)))
    now = context.now()
    try:
        with context.db.writing() as session:
            record = MutationApplied(
                mutation_id=mutation.mutation_id,
                entity=mutation.entity,
                entity_id=mutation.id,
                op=mutation.op,
                version=None,
                user_id=principal.user_id,
                applied_at=now,
            )
            session.add(record)
            session.flush()  # claim the mutation id before touching anything else
            work = Work(
                session,
                principal,
                now,
                mutation.id,
                mutation.base_version,
                values,
                delivery=context.settings.delivery,
                link_base=link_base,
            )
            outcome = rule.apply(work)
            if outcome.status != "applied":
                raise _Abort(outcome)
            record.version = outcome.version
            if outcome.effects is not None and runtime is not None:
                # Review alerts are queued in the same transaction as the answer.
                last_seq = runtime.commit_effects(
                    session, outcome.effects, actor=principal.username, now=now
                )
            else:
                last_seq = changelog.append(
                    session, outcome.changes, actor=principal.username, at=now
                )
    except Rejected as rejected:
        return Applied(_result(mutation, "rejected", error=str(rejected)))
    except _Abort as abort:
        o = abort.outcome
        return Applied(
            _result(
                mutation, o.status, o.version, o.error, current=o.current, conflicts=o.conflicts
            )
        )
    except IntegrityError:
        # Either the same mutation committed meanwhile, or the data broke a constraint.
        known = _duplicate_or_none(context, mutation)
        if known is not None:
            return Applied(known)
        log.warning("mutation %s violated a constraint", mutation.mutation_id, exc_info=True)
        return Applied(
            _result(mutation, "rejected", error="the change clashes with data on the server")
        )
    return Applied(
        _result(mutation, "applied", outcome.version, info=outcome.info),
        last_seq,
        outcome.effects,
    )


def _result(
    mutation: MutationIn,
    status: str,
    version: int | None = None,
    error: str | None = None,
    **extra: object,
) -> MutationResult:
    return MutationResult.model_validate(
        {"mutation_id": mutation.mutation_id, "status": status, "version": version, "error": error}
        | {key: value for key, value in extra.items() if value is not None}
    )
