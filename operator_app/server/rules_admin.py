"""Admin upsell rules: checking a rule as the engine will read it, storing it, previewing it.

A rule is checked with the engine's own parser (``UpsellRule.from_definition``), key by
key, so each mistake is reported against its field (``definition.tiers``: "unknown tier
'bronze' (one of: …)"); products it names must exist. What is stored is the parser's
normalised form (``to_definition``), so clients read back exactly what the engine uses.

Rules are never deleted: "delete" disables the rule, so offers made under it
(``reason_code`` ``rule:<id>``) keep their meaning in history and in the offer metrics.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from operator_app.domain.enums import CoverageKind, OrderStatus
from operator_app.domain.upsell import DEFAULT_POLICY, UpsellRule
from operator_app.server import fields as f
from operator_app.server.audit import audit
from operator_app.server.changelog import PendingChange
from operator_app.server.models import (
    Coverage,
    Customer,
    Order,
    OrderLine,
    Product,
)
from operator_app.server.models import UpsellRule as RuleRow

_LIST_KEYS = ("segments", "tiers", "channels", "owns_products", "owns_categories")
_TEXT_KEYS = {"reason": f.text(500), "script": f.text(2000, multiline=True)}
_NAME = f.text(200, required=True)
_KNOWN = ("offer_product_id", "reason", "script", "prior_accept_rate", *_LIST_KEYS)
MAX_LIST_ITEMS = 200
PREVIEW_LIMIT = 20
# Placeholder product for checking one key at a time (the real one is checked on its own).
_PLACEHOLDER = "00000000-0000-0000-0000-000000000001"


class RuleInvalid(ValueError):
    """The rule cannot be stored; ``errors`` lists {field, message} for the editor."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def _without_prefix(message: str, name: str) -> str:
    prefix = f"Rule {name!r}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _shape_errors(definition: dict[str, Any]) -> list[dict[str, str]]:
    """Types and sizes the domain parser would coerce or accept silently."""
    errors = []
    for key, parse in _TEXT_KEYS.items():
        try:
            parse(definition.get(key, ""))
        except f.FieldError as error:
            errors.append({"field": f"definition.{key}", "message": str(error)})
    for key in _LIST_KEYS:
        value = definition.get(key, [])
        if isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                errors.append(
                    {"field": f"definition.{key}", "message": f"at most {MAX_LIST_ITEMS} entries"}
                )
            elif not all(isinstance(item, str) for item in value):
                errors.append({"field": f"definition.{key}", "message": "entries must be text"})
    rate = definition.get("prior_accept_rate")
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int | float)):
        errors.append(
            {"field": "definition.prior_accept_rate", "message": "must be a number or null"}
        )
    return errors


def parse_rule(
    session: Session, rule_id: uuid.UUID, name: str, enabled: bool, definition: dict[str, Any]
) -> UpsellRule:
    """The engine's rule for these fields, or :class:`RuleInvalid` naming every fault."""
    errors: list[dict[str, str]] = []
    try:
        name = _NAME(name)
    except f.FieldError as error:
        errors.append({"field": "name", "message": str(error)})
        name = ""
    label = name or "rule"
    for key in sorted(set(definition) - set(_KNOWN)):
        errors.append(
            {"field": f"definition.{key}", "message": f"unknown field; known: {', '.join(_KNOWN)}"}
        )
    shape = _shape_errors(definition)
    errors += shape
    faulty = {e["field"] for e in errors}
    for key in _KNOWN:
        if key not in definition or f"definition.{key}" in faulty:
            continue
        trial = {"offer_product_id": _PLACEHOLDER, key: definition[key]}
        try:
            UpsellRule.from_definition(rule_id, label, enabled, trial)
        except ValueError as error:
            errors.append(
                {"field": f"definition.{key}", "message": _without_prefix(str(error), label)}
            )
    if "offer_product_id" not in definition:
        errors.append(
            {"field": "definition.offer_product_id", "message": "choose the product to offer"}
        )
    if errors:
        raise RuleInvalid(errors)
    try:
        rule = UpsellRule.from_definition(rule_id, name, enabled, definition)
    except ValueError as error:  # a combination the key-by-key pass could not see
        raise RuleInvalid(
            [{"field": "definition", "message": _without_prefix(str(error), name)}]
        ) from None
    _check_products(session, rule)
    return rule


def _check_products(session: Session, rule: UpsellRule) -> None:
    wanted = {rule.offer_product_id, *rule.owns_products}
    found = set(session.scalars(select(Product.id).where(Product.id.in_(wanted))))
    errors = []
    if rule.offer_product_id not in found:
        errors.append(
            {
                "field": "definition.offer_product_id",
                "message": f"there is no product {rule.offer_product_id}",
            }
        )
    missing = sorted(str(p) for p in rule.owns_products - found)
    if missing:
        errors.append(
            {
                "field": "definition.owns_products",
                "message": f"no such product(s): {', '.join(missing)}",
            }
        )
    if errors:
        raise RuleInvalid(errors)


# --- storing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    row: RuleRow
    changes: list[PendingChange]


def create_rule(session: Session, rule: UpsellRule, *, actor: str, now: datetime) -> Stored:
    row = RuleRow(
        id=rule.id,
        name=rule.name,
        enabled=rule.enabled,
        definition=rule.to_definition(),
        version=1,
        updated_at=now,
    )
    session.add(row)
    trail = audit(
        session,
        actor=actor,
        action="upsell_rule_created",
        entity="upsell_rule",
        entity_id=rule.id,
        now=now,
        details={"name": rule.name},
    )
    return Stored(row, [PendingChange("upsell_rule", row, "create"), trail])


def replace_rule(
    session: Session, row: RuleRow, rule: UpsellRule, *, actor: str, now: datetime, action: str
) -> Stored:
    """Give ``row`` the fields of ``rule``; no change (and no feed row) if they are equal."""
    definition = rule.to_definition()
    if (row.name, row.enabled, row.definition) == (rule.name, rule.enabled, definition):
        return Stored(row, [])
    row.name = rule.name
    row.enabled = rule.enabled
    row.definition = definition
    row.version += 1
    row.updated_at = now
    trail = audit(
        session,
        actor=actor,
        action=action,
        entity="upsell_rule",
        entity_id=row.id,
        now=now,
        details={"name": rule.name, "enabled": rule.enabled},
    )
    return Stored(row, [PendingChange("upsell_rule", row, "update"), trail])


def stored_rule(row: RuleRow) -> UpsellRule:
    return UpsellRule.from_definition(row.id, row.name, row.enabled, dict(row.definition))


# --- preview ----------------------------------------------------------------------------------


def _holds(products: ColumnElement[bool], today: date) -> ColumnElement[bool]:
    """The customer has a product matching ``products`` (a condition on ``Product``), as
    the engine's holdings count it: bought (paid or pending order), live coverage, or a
    subscription that ended within the policy's grace period."""
    grace = today - timedelta(days=DEFAULT_POLICY.coverage_grace_days)
    bought = (
        select(OrderLine.id)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(
            Order.customer_id == Customer.id,
            Order.status.in_([OrderStatus.PAID.value, OrderStatus.PENDING.value]),
            products,
        )
    )
    covered = (
        select(Coverage.id)
        .join(Product, Product.id == Coverage.product_id)
        .where(
            Coverage.customer_id == Customer.id,
            products,
            or_(
                Coverage.ends >= today,
                and_(Coverage.kind == CoverageKind.SUBSCRIPTION.value, Coverage.ends >= grace),
            ),
        )
    )
    return or_(exists(bought), exists(covered))


def preview_conditions(rule: UpsellRule, today: date) -> list[ColumnElement[bool]]:
    """Customers whose data meet the rule and who do not have the offered product yet.
    Channel conditions depend on the contact and are not applied."""
    conditions: list[ColumnElement[bool]] = []
    if rule.segments:
        segments = sorted(rule.segments)
        conditions.append(or_(Customer.segment.in_(segments), Customer.value_segment.in_(segments)))
    if rule.tiers:
        conditions.append(Customer.tier.in_(sorted(t.value for t in rule.tiers)))
    if rule.owns_products:
        conditions.append(_holds(Product.id.in_(sorted(rule.owns_products)), today))
    if rule.owns_categories:
        conditions.append(_holds(Product.category.in_(sorted(rule.owns_categories)), today))
    conditions.append(~_holds(Product.id == rule.offer_product_id, today))
    return conditions


@dataclass(frozen=True, slots=True)
class Preview:
    matching: int
    reachable: int  # of which the engine may show offers to (consent, no open complaint)
    first: list[dict[str, Any]]


def preview(session: Session, rule: UpsellRule, today: date) -> Preview:
    conditions = preview_conditions(rule, today)
    reachable = and_(Customer.consent_marketing.is_(True), Customer.open_complaints == 0)
    count_query = select(
        func.count(), func.coalesce(func.sum(case((reachable, 1), else_=0)), 0)
    ).where(*conditions)
    matching, reach = session.execute(count_query).one()
    rows = session.execute(
        select(
            Customer.id,
            Customer.first_name,
            Customer.last_name,
            Customer.middle_name,
            Customer.tier,
            Customer.segment,
            Customer.value_segment,
            Customer.predicted_clv,
            Customer.consent_marketing,
            Customer.open_complaints,
        )
        .where(*conditions)
        .order_by(Customer.name_key, Customer.id)
        .limit(PREVIEW_LIMIT)
    ).all()
    first = [
        {
            "id": row.id,
            "name": " ".join(p for p in (row.last_name, row.first_name, row.middle_name) if p),
            "tier": row.tier,
            "segment": row.segment,
            "value_segment": row.value_segment,
            "predicted_clv": row.predicted_clv,
            "reachable": bool(row.consent_marketing) and row.open_complaints == 0,
        }
        for row in rows
    ]
    return Preview(int(matching), int(reach), first)
