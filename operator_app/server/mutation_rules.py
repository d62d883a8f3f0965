"""What clients may change, field by field, and what each change does to the rows.

Append-only records (notes, messages, offer outcomes) are created and never conflict.
Mutable rows (customers, conversations) are updated field by field against the
client's ``base_version``: a field the server changed since that version, and that
the client now sets to something else, is a conflict; every other field merges.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, literal_column, select
from sqlalchemy.orm import Session

from operator_app.domain.enums import Channel, ConversationStatus, OfferOutcome, SurveyKind
from operator_app.domain.text import name_key
from operator_app.server import fields as f
from operator_app.server.changelog import PendingChange, snapshot_at_version
from operator_app.server.delivery_settings import DeliverySettings
from operator_app.server.errors import ApiProblem
from operator_app.server.models import (
    Base,
    Conversation,
    Customer,
    CustomerPhone,
    Message,
    Note,
    Offer,
    Product,
    Survey,
    User,
)
from operator_app.server.offers import lead_from_offer
from operator_app.server.security import Principal
from operator_app.server.serialize import json_datetime, snapshot, to_json_value
from operator_app.server.surveys import Effects
from operator_app.server.surveys import create_survey as create_survey_row


class Rejected(Exception):
    """The mutation cannot be applied as sent; the message says why, for people."""


@dataclass
class Work:
    """One mutation being applied inside its transaction."""

    session: Session
    principal: Principal
    now: datetime
    entity_id: uuid.UUID
    base_version: int | None
    values: dict[str, Any]
    # Survey requests: how surveys travel and the base of their links.
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    link_base: str = ""

    @property
    def author(self) -> str:
        return self.principal.name or self.principal.username


@dataclass
class Outcome:
    status: str  # applied | conflict (rejections raise)
    version: int | None = None
    error: str | None = None
    current: dict[str, Any] | None = None
    conflicts: list[str] | None = None
    changes: list[PendingChange] = field(default_factory=list)
    # Survey requests: alerts to queue in the transaction, events to send after it.
    effects: Effects | None = None
    info: dict[str, Any] | None = None  # what the server made of it, for the person


@dataclass(frozen=True, slots=True)
class Rule:
    fields: dict[str, f.Parser]
    required: frozenset[str]
    apply: Callable[[Work], Outcome]


def _not_after_now(work: Work, name: str) -> datetime:
    """A client's own time for an event; a clock running ahead is pulled back to now."""
    value: datetime | None = work.values.get(name)
    return work.now if value is None or value > work.now else value


@functools.lru_cache(maxsize=32)
def _exists_statement(model: type[Base]) -> Select[Any]:
    key = model.__mapper__.primary_key[0]
    return select(literal_column("1")).select_from(model).where(key == bindparam("id"))


def _exists(session: Session, model: type[Base], row_id: uuid.UUID) -> bool:
    """Whether the row is there, without loading it into the session (as ``get`` would:
    every column decoded, an object built) just to look at it."""
    return session.scalar(_exists_statement(model), {"id": row_id}) is not None


def _must_be_new(work: Work, model: type[Base], entity: str) -> None:
    if _exists(work.session, model, work.entity_id):
        raise Rejected(f"a {entity} with id {work.entity_id} already exists")


def _customer_exists(work: Work, customer_id: uuid.UUID) -> None:
    if not _exists(work.session, Customer, customer_id):
        raise Rejected(f"there is no customer {customer_id}")


def _touch(row: Any, now: datetime) -> None:
    row.version += 1
    row.updated_at = now


# --- append-only ------------------------------------------------------------------------------


def create_note(work: Work) -> Outcome:
    _must_be_new(work, Note, "note")
    _customer_exists(work, work.values["customer_id"])
    note = Note(
        id=work.entity_id,
        customer_id=work.values["customer_id"],
        author=work.author,
        body=work.values["body"],
        created_at=_not_after_now(work, "created_at"),
        version=1,
        updated_at=work.now,
    )
    work.session.add(note)
    return Outcome("applied", 1, changes=[PendingChange("note", note, "create")])


def create_message(work: Work) -> Outcome:
    """An operator's reply in a conversation; it also stamps the conversation's times."""
    _must_be_new(work, Message, "message")
    conversation = work.session.get(
        Conversation, work.values["conversation_id"], with_for_update=True
    )
    if conversation is None:
        raise Rejected(f"there is no conversation {work.values['conversation_id']}")
    sent_at = _not_after_now(work, "sent_at")
    message = Message(
        id=work.entity_id,
        conversation_id=conversation.id,
        customer_id=conversation.customer_id,
        direction="out",
        author=work.author,
        body=work.values["body"],
        sent_at=sent_at,
        attachments=work.values.get("attachments", []),
        version=1,
        updated_at=work.now,
    )
    work.session.add(message)
    if conversation.first_response_at is None:
        conversation.first_response_at = sent_at
    if conversation.last_outbound_at is None or conversation.last_outbound_at < sent_at:
        conversation.last_outbound_at = sent_at
    _touch(conversation, work.now)
    return Outcome(
        "applied",
        1,
        changes=[
            PendingChange("message", message, "create"),
            PendingChange("conversation", conversation, "update"),
        ],
    )


def create_offer(work: Work) -> Outcome:
    """What the customer said to an offer: recorded, never edited; an accepted product
    offer also opens (or advances) an interest at stage cart."""
    _must_be_new(work, Offer, "offer")
    _customer_exists(work, work.values["customer_id"])
    product_id = work.values.get("product_id")
    if product_id is not None and work.session.get(Product, product_id) is None:
        raise Rejected(f"there is no product {product_id}")
    offer = Offer(
        id=work.entity_id,
        customer_id=work.values["customer_id"],
        product_id=product_id,
        reason_code=work.values["reason_code"],
        explanation=work.values.get("explanation", ""),
        score=work.values.get("score", 0.0),
        outcome=work.values["outcome"],
        outcome_reason=work.values.get("outcome_reason", ""),
        by_user=work.principal.username,
        at=_not_after_now(work, "at"),
        version=1,
        updated_at=work.now,
    )
    work.session.add(offer)
    changes = [PendingChange("offer", offer, "create")]
    lead = lead_from_offer(work.session, offer, work.now)  # accepted: a lead for sales
    if lead is not None:
        changes.append(lead)
    return Outcome("applied", 1, changes=changes)


def create_survey(work: Work) -> Outcome:
    """A survey request queued offline, the same as ``POST /surveys`` with this id; the
    policy's refusals (asked too recently, no rule for the kind) come back as rejections."""
    _must_be_new(work, Survey, "survey")
    kind = work.values.get("kind")
    try:
        created = create_survey_row(
            work.session,
            conversation_id=work.values["conversation_id"],
            kind=SurveyKind(kind) if kind else None,
            actor=work.principal.username,
            now=work.now,
            settings=work.delivery,
            link_base=work.link_base,
            survey_id=work.entity_id,
            score=work.values.get("score"),
            comment=work.values.get("comment", ""),
        )
    except ApiProblem as problem:
        raise Rejected(problem.detail) from None
    survey = created.survey
    info: dict[str, Any] = {
        "status": created.status,
        "kind": survey.kind,
        "send_at": json_datetime(survey.sent_at),
        "delivery": created.delivery,
    }
    if created.token:
        info["url"] = f"{work.link_base}/s/{created.token}"
    if created.review_case_id:
        info["review_case_id"] = str(created.review_case_id)
    return Outcome(
        "applied",
        survey.version,
        changes=created.effects.changes,
        effects=created.effects,
        info=info,
    )


# --- mutable rows ------------------------------------------------------------------------------


def _replace_phones(session: Session, customer: Customer) -> None:
    session.execute(delete(CustomerPhone).where(CustomerPhone.customer_id == customer.id))
    session.add_all(CustomerPhone(e164=e164, customer_id=customer.id) for e164 in customer.phones)


def create_customer(work: Work) -> Outcome:
    """A new customer, typically an unknown caller the operator just identified."""
    _must_be_new(work, Customer, "customer")
    v = work.values
    if not any(v.get(key) for key in ("first_name", "last_name", "phones", "emails")):
        raise Rejected("a new customer needs a name, a phone number or an e-mail address")
    customer = Customer(
        id=work.entity_id,
        first_name=v.get("first_name", ""),
        last_name=v.get("last_name", ""),
        middle_name=v.get("middle_name", ""),
        phones=v.get("phones", []),
        emails=v.get("emails", []),
        language=v.get("language", "ru"),
        timezone=v.get("timezone", "Europe/Moscow"),
        customer_since=work.now.date(),
        channel_of_origin=v.get("channel_of_origin", Channel.PHONE.value),
        tier="standard",
        tags=v.get("tags", []),
        consent_channels=v.get("consent_channels", []),
        consent_marketing=v.get("consent_marketing", False),
        version=1,
        updated_at=work.now,
    )
    customer.name_key = name_key(customer.last_name, customer.first_name, customer.middle_name)
    work.session.add(customer)
    work.session.flush()
    _replace_phones(work.session, customer)
    return Outcome("applied", 1, changes=[PendingChange("customer", customer, "create")])


def _update(
    work: Work, entity: str, model: type[Base], after: Callable[[Work, Any, set[str]], None]
) -> Outcome:
    row: Any = work.session.get(model, work.entity_id, with_for_update=True)
    if row is None:
        raise Rejected(f"there is no {entity} {work.entity_id}")
    if work.base_version is None:
        raise Rejected("an update needs base_version: the version the edit was made on")
    if work.base_version > row.version:
        raise Rejected(
            f"base_version {work.base_version} is newer than the server's version {row.version}"
        )
    current = snapshot(entity, row)
    differing = {
        name for name, value in work.values.items() if current[name] != to_json_value(value)
    }
    if differing and work.base_version < row.version:
        base = snapshot_at_version(work.session, entity, row.id, work.base_version)
        # Without the base snapshot nobody can tell who changed what: ask the person.
        conflicts = sorted(
            name for name in differing if base is None or base.get(name) != current[name]
        )
        if conflicts:
            return Outcome(
                "conflict",
                row.version,
                error=f"changed on the server since version {work.base_version}: "
                + ", ".join(conflicts),
                current=current,
                conflicts=conflicts,
            )
    if not differing:
        return Outcome("applied", row.version)
    for name in differing:
        setattr(row, name, work.values[name])
    after(work, row, differing)
    _touch(row, work.now)
    return Outcome("applied", row.version, changes=[PendingChange(entity, row, "update")])


def _after_customer_change(work: Work, customer: Customer, changed: set[str]) -> None:
    if changed & {"first_name", "last_name", "middle_name"}:
        customer.name_key = name_key(customer.last_name, customer.first_name, customer.middle_name)
    if "phones" in changed:
        _replace_phones(work.session, customer)


def update_customer(work: Work) -> Outcome:
    return _update(work, "customer", Customer, _after_customer_change)


def _after_conversation_change(work: Work, conversation: Conversation, changed: set[str]) -> None:
    if "status" in changed:
        resolved = conversation.status == ConversationStatus.RESOLVED.value
        conversation.resolved_at = work.now if resolved else None


def update_conversation(work: Work) -> Outcome:
    assignee = work.values.get("assignee")
    if assignee is not None:
        user = work.session.scalar(select(User).where(User.username == assignee))
        if user is None or user.disabled:
            raise Rejected(f"there is no active user {assignee!r} to assign to")
    return _update(work, "conversation", Conversation, _after_conversation_change)


# --- the table of what is allowed ---------------------------------------------------------------

_NAME = f.text(200)
_CUSTOMER_EDITABLE: dict[str, f.Parser] = {
    "first_name": _NAME,
    "last_name": _NAME,
    "middle_name": _NAME,
    "phones": f.list_of(f.phone, max_items=20),
    "emails": f.list_of(f.email, max_items=20),
    "language": f.language,
    "tags": f.list_of(f.tag, max_items=50),
    "consent_channels": f.list_of(f.choice(Channel), max_items=len(Channel)),
    "consent_marketing": f.boolean,
}

RULES: dict[tuple[str, str], Rule] = {
    ("note", "create"): Rule(
        {
            "customer_id": f.identifier,
            "body": f.text(10_000, multiline=True, required=True),
            "created_at": f.optional(f.timestamp),
        },
        frozenset({"customer_id", "body"}),
        create_note,
    ),
    ("message", "create"): Rule(
        {
            "conversation_id": f.identifier,
            "body": f.text(20_000, multiline=True, required=True),
            "sent_at": f.optional(f.timestamp),
            "attachments": f.list_of(f.text(500, required=True), max_items=20, unique=False),
        },
        frozenset({"conversation_id", "body"}),
        create_message,
    ),
    ("offer", "create"): Rule(
        {
            "customer_id": f.identifier,
            "product_id": f.optional(f.identifier),
            "reason_code": f.text(64, required=True),
            "explanation": f.text(2000, multiline=True),
            "score": f.number(-1e9, 1e9),
            "outcome": f.choice(OfferOutcome),
            "outcome_reason": f.text(1000, multiline=True),
            "at": f.optional(f.timestamp),
        },
        frozenset({"customer_id", "reason_code", "outcome"}),
        create_offer,
    ),
    ("survey", "create"): Rule(
        {
            "conversation_id": f.identifier,
            "kind": f.optional(f.choice(SurveyKind)),
            "score": f.optional(f.integer(0, 10)),
            "comment": f.text(2000, multiline=True),
        },
        frozenset({"conversation_id"}),
        create_survey,
    ),
    ("conversation", "update"): Rule(
        {
            "status": f.choice(ConversationStatus),
            "next_follow_up_at": f.optional(f.timestamp),
            "assignee": f.optional(f.text(100, required=True)),
        },
        frozenset(),
        update_conversation,
    ),
    ("customer", "update"): Rule(_CUSTOMER_EDITABLE, frozenset(), update_customer),
    ("customer", "create"): Rule(
        {
            **_CUSTOMER_EDITABLE,
            "timezone": f.timezone,
            "channel_of_origin": f.choice(Channel),
        },
        frozenset(),
        create_customer,
    ),
}


def parse_values(rule: Rule, entity: str, op: str, data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(rule.fields))
    if unknown:
        allowed = ", ".join(sorted(rule.fields))
        raise Rejected(
            f"{entity} {op} does not take {', '.join(repr(u) for u in unknown)}; "
            f"it takes: {allowed}"
        )
    missing = sorted(rule.required - set(data))
    if missing:
        raise Rejected(f"{entity} {op} needs {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name, raw in data.items():
        try:
            values[name] = rule.fields[name](raw)
        except f.FieldError as error:
            raise Rejected(f"{name}: {error}") from None
    return values
