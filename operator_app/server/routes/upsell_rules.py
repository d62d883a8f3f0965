"""Admin upsell rules: list, create, replace, disable, and preview whom a rule would reach.

Every change is a versioned row in the change feed (entity ``upsell_rule``), so clients
rank offline with the same rules, plus an audit event. DELETE disables the rule: offers
made under it keep their meaning in history and metrics.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from operator_app.domain.upsell import UpsellRule
from operator_app.server import changelog
from operator_app.server.auth import ADMINS, require_roles
from operator_app.server.context import Context, ServerContext
from operator_app.server.errors import ApiProblem
from operator_app.server.models import UpsellRule as RuleRow
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.rules_admin import (
    RuleInvalid,
    Stored,
    create_rule,
    parse_rule,
    preview,
    replace_rule,
    stored_rule,
)
from operator_app.server.security import Principal
from operator_app.server.serialize import snapshot, to_json_value
from operator_app.server.settings import API_PREFIX
from operator_app.server.value_schemas import (
    RulePreviewIn,
    RulePreviewOut,
    UpsellRuleIn,
    UpsellRuleList,
    UpsellRuleOut,
    UpsellRuleReplace,
)

router = APIRouter(prefix="/admin/upsell-rules", tags=["admin"])
Admin = Annotated[Principal, Depends(require_roles(ADMINS))]
PREVIEW_NOTE = (
    "Channel conditions depend on the contact and are not applied here. At the contact the "
    "engine also holds offers back after a recent low score, within cooldowns, past the "
    "per-contact limit, and when better-ranked offers fill the panel."
)


def _out(row: RuleRow) -> UpsellRuleOut:
    return UpsellRuleOut.model_validate(snapshot("upsell_rule", row))


def _parse(session: Session, rule_id: uuid.UUID, body: UpsellRuleIn) -> UpsellRule:
    try:
        return parse_rule(session, rule_id, body.name, body.enabled, body.definition)
    except RuleInvalid as invalid:
        fields = ", ".join(dict.fromkeys(e["field"] for e in invalid.errors))
        raise ApiProblem(
            422, f"The rule is not valid; check: {fields}.", errors=invalid.errors
        ) from None


def _get(session: Session, rule_id: uuid.UUID, *, lock: bool = False) -> RuleRow:
    row = session.get(RuleRow, rule_id, with_for_update=lock)
    if row is None:
        raise ApiProblem(404, f"There is no upsell rule {rule_id}.")
    return row


def _commit(context: ServerContext, session: Session, stored: Stored, actor: str) -> int | None:
    return changelog.append(session, stored.changes, actor=actor, at=context.now())


@router.get(
    "",
    response_model=UpsellRuleList,
    responses=problems(*AUTHENTICATED),
    summary="All upsell rules, disabled ones included, by name",
)
def list_rules(principal: Admin, context: Context) -> UpsellRuleList:
    with context.db.reading() as session:
        rows = session.scalars(select(RuleRow).order_by(RuleRow.name, RuleRow.id)).all()
        return UpsellRuleList(items=[_out(row) for row in rows])


@router.post(
    "",
    status_code=201,
    response_model=UpsellRuleOut,
    responses=problems(*AUTHENTICATED),
    summary="Add a rule (checked as the engine reads it; 422 lists the fields at fault)",
)
def add_rule(
    body: UpsellRuleIn, principal: Admin, context: Context, response: Response
) -> UpsellRuleOut:
    rule_id = uuid.uuid4()
    with context.db.writing() as session:
        rule = _parse(session, rule_id, body)
        stored = create_rule(session, rule, actor=principal.username, now=context.now())
        seq = _commit(context, session, stored, principal.username)
        result = _out(stored.row)
    context.announce_change(seq)
    response.headers["Location"] = f"{API_PREFIX}/admin/upsell-rules/{rule_id}"
    return result


@router.post(
    "/preview",
    response_model=RulePreviewOut,
    responses=problems(*AUTHENTICATED, 404),
    summary="Which customers a rule (stored or draft) would reach: counts and the first 20",
)
def preview_rule(body: RulePreviewIn, principal: Admin, context: Context) -> RulePreviewOut:
    with context.db.reading() as session:
        if body.rule_id is not None:
            rule = stored_rule(_get(session, body.rule_id))
        else:
            assert body.definition is not None
            draft = UpsellRuleIn(name=body.name, definition=body.definition)
            rule = _parse(session, uuid.uuid4(), draft)
        found = preview(session, rule, context.now().date())
    customers: list[dict[str, Any]] = [
        entry | {"predicted_clv": to_json_value(entry["predicted_clv"])} for entry in found.first
    ]
    return RulePreviewOut.model_validate(
        {
            "matching": found.matching,
            "reachable": found.reachable,
            "customers": customers,
            "note": PREVIEW_NOTE,
        }
    )


@router.get(
    "/{rule_id}",
    response_model=UpsellRuleOut,
    responses=problems(*AUTHENTICATED, 404),
    summary="One rule",
)
def get_rule(rule_id: uuid.UUID, principal: Admin, context: Context) -> UpsellRuleOut:
    with context.db.reading() as session:
        return _out(_get(session, rule_id))


@router.put(
    "/{rule_id}",
    response_model=UpsellRuleOut,
    responses=problems(*AUTHENTICATED, 404, 409),
    summary="Replace a rule's name, enabled flag and definition",
)
def put_rule(
    rule_id: uuid.UUID, body: UpsellRuleReplace, principal: Admin, context: Context
) -> UpsellRuleOut:
    with context.db.writing() as session:
        row = _get(session, rule_id, lock=True)
        if body.base_version is not None and body.base_version != row.version:
            raise ApiProblem(
                409,
                f"The rule was changed since version {body.base_version} (now version "
                f"{row.version}); reload it and apply your edit again.",
            )
        rule = _parse(session, rule_id, body)
        stored = replace_rule(
            session,
            row,
            rule,
            actor=principal.username,
            now=context.now(),
            action="upsell_rule_updated",
        )
        seq = _commit(context, session, stored, principal.username)
        result = _out(row)
    context.announce_change(seq)
    return result


@router.delete(
    "/{rule_id}",
    response_model=UpsellRuleOut,
    responses=problems(*AUTHENTICATED, 404),
    summary="Disable a rule (rules are kept so offers made under them keep their meaning)",
)
def disable_rule(rule_id: uuid.UUID, principal: Admin, context: Context) -> UpsellRuleOut:
    with context.db.writing() as session:
        row = _get(session, rule_id, lock=True)
        current = stored_rule(row)
        disabled = UpsellRule.from_definition(row.id, current.name, False, current.to_definition())
        stored = replace_rule(
            session,
            row,
            disabled,
            actor=principal.username,
            now=context.now(),
            action="upsell_rule_disabled",
        )
        seq = _commit(context, session, stored, principal.username)
        result = _out(row)
    context.announce_change(seq)
    return result
