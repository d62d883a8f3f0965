"""Customer look-ups for what sync does not cover (a fresh client, a quick check).

Search is deliberately simple: name-word prefixes, or phone digits (any format).
Pages are keyset-paged on ``(name_key, id)`` with an opaque cursor, never OFFSET.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, and_, or_, select, tuple_

from operator_app.domain.phones import normalize_phone, query_digits
from operator_app.domain.text import words
from operator_app.server.auth import AnyUser
from operator_app.server.context import Context
from operator_app.server.cursors import decode_cursor, encode_cursor
from operator_app.server.errors import ApiProblem
from operator_app.server.models import Customer, CustomerPhone
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import CustomerPage
from operator_app.server.serialize import snapshot

router = APIRouter(prefix="/customers", tags=["customers"])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phone_filter(digits: str, text: str) -> ColumnElement[bool]:
    parsed = normalize_phone(text)
    # Russian habits, as in the client: 8… is the trunk prefix, bare digits are national.
    prefixes = {"+" + digits, "+7" + digits}
    if len(digits) >= 2 and digits[0] == "8":
        prefixes.add("+7" + digits[1:])
    if parsed is not None:
        prefixes.add(parsed.e164)
    matches = select(CustomerPhone.customer_id).where(
        or_(*(CustomerPhone.e164.like(_like_escape(p) + "%", escape="\\") for p in prefixes))
    )
    return Customer.id.in_(matches)


def _name_filter(text: str) -> ColumnElement[bool] | None:
    terms = words(text)[:5]
    if not terms:
        return None
    return and_(
        *(
            or_(
                Customer.name_key.like(_like_escape(term) + "%", escape="\\"),
                Customer.name_key.like("% " + _like_escape(term) + "%", escape="\\"),
            )
            for term in terms
        )
    )


@router.get(
    "",
    response_model=CustomerPage,
    responses=problems(*AUTHENTICATED),
    summary="Search customers by name words or phone digits, by name order",
)
def search_customers(
    principal: AnyUser,
    context: Context,
    q: Annotated[
        str, Query(max_length=200, description="Name words or phone digits; empty = all")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    cursor: Annotated[
        str | None, Query(max_length=2000, description="next_cursor of the last page")
    ] = None,
) -> CustomerPage:
    page_size = min(limit, context.settings.customers_max_limit)
    query = select(Customer)
    digits = query_digits(q)
    condition = _phone_filter(digits, q) if digits and len(digits) >= 3 else _name_filter(q)
    if condition is not None:
        query = query.where(condition)
    if cursor:
        key, after_id = decode_cursor(cursor)
        query = query.where(tuple_(Customer.name_key, Customer.id) > tuple_(key, after_id))
    query = query.order_by(Customer.name_key, Customer.id).limit(page_size + 1)
    with context.db.reading() as session:
        rows = list(session.scalars(query))
    items: list[dict[str, Any]] = [snapshot("customer", row) for row in rows[:page_size]]
    next_cursor = (
        encode_cursor(rows[page_size - 1].name_key, rows[page_size - 1].id)
        if len(rows) > page_size
        else None
    )
    return CustomerPage(items=items, next_cursor=next_cursor)


@router.get(
    "/{customer_id}",
    responses=problems(*AUTHENTICATED, 404),
    summary="One customer (the same snapshot as in the change feed)",
)
def get_customer(
    customer_id: uuid.UUID,
    principal: AnyUser,
    context: Context,
) -> dict[str, Any]:
    with context.db.reading() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise ApiProblem(404, f"There is no customer {customer_id}.")
        return snapshot("customer", row)
