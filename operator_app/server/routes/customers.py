"""Customer look-ups for what sync does not cover (a fresh client, a quick check).

Search is deliberately simple: name-word prefixes, or phone digits (any format).
Pages are keyset-paged on ``(name_key, id)`` with an opaque cursor, never OFFSET.
"""

from __future__ import annotations

import functools
import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Response
from sqlalchemy import Integer, Select, String, and_, bindparam, or_, select, tuple_

from operator_app.domain.phones import normalize_phone, query_digits
from operator_app.domain.text import words
from operator_app.server.auth import AnyUser
from operator_app.server.context import Context
from operator_app.server.cursors import decode_cursor, encode_cursor
from operator_app.server.errors import ApiProblem
from operator_app.server.models import Customer, CustomerPhone
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import CustomerPage
from operator_app.server.serialize import snapshot, snapshot_from_mapping

router = APIRouter(prefix="/customers", tags=["customers"])


_CUSTOMERS = Customer.__table__
_PHONES = CustomerPhone.__table__


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phone_prefixes(digits: str, text: str) -> list[str]:
    parsed = normalize_phone(text)
    # Russian habits, as in the client: 8… is the trunk prefix, bare digits are national.
    prefixes = {"+" + digits, "+7" + digits}
    if len(digits) >= 2 and digits[0] == "8":
        prefixes.add("+7" + digits[1:])
    if parsed is not None:
        prefixes.add(parsed.e164)
    return sorted(prefixes)


@functools.lru_cache(maxsize=64)
def _search_statement(name_terms: int, phone_prefixes: int, after: bool) -> Select[Any]:
    """The search query for one shape, built once; the values come as parameters
    (``t<i>``/``w<i>`` name patterns, ``p<i>`` phone patterns, the keyset, ``limit``)."""
    c = _CUSTOMERS.c
    query = select(_CUSTOMERS)
    if phone_prefixes:
        matches = select(_PHONES.c.customer_id).where(
            or_(
                *(
                    _PHONES.c.e164.like(bindparam(f"p{i}", type_=String), escape="\\")
                    for i in range(phone_prefixes)
                )
            )
        )
        query = query.where(c.id.in_(matches))
    elif name_terms:
        query = query.where(
            and_(
                *(
                    or_(
                        c.name_key.like(bindparam(f"t{i}", type_=String), escape="\\"),
                        c.name_key.like(bindparam(f"w{i}", type_=String), escape="\\"),
                    )
                    for i in range(name_terms)
                )
            )
        )
    if after:
        query = query.where(
            tuple_(c.name_key, c.id)
            > tuple_(
                bindparam("after_key", type_=c.name_key.type),
                bindparam("after_id", type_=c.id.type),
            )
        )
    return query.order_by(c.name_key, c.id).limit(bindparam("limit", type_=Integer))


def _search(q: str, cursor: str | None, limit: int) -> tuple[Select[Any], dict[str, Any]]:
    """Name-word prefixes (each word of the query starts some word of the name), or phone
    digits in any format when the query has three or more."""
    params: dict[str, Any] = {"limit": limit}
    digits = query_digits(q)
    phones: list[str] = []
    terms: list[str] = []
    if digits and len(digits) >= 3:
        phones = _phone_prefixes(digits, q)
        params.update({f"p{i}": _like_escape(p) + "%" for i, p in enumerate(phones)})
    else:
        terms = words(q)[:5]
        for i, term in enumerate(terms):
            params[f"t{i}"] = _like_escape(term) + "%"
            params[f"w{i}"] = "% " + _like_escape(term) + "%"
    if cursor:
        params["after_key"], params["after_id"] = decode_cursor(cursor)
    return _search_statement(len(terms), len(phones), bool(cursor)), params


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
) -> Response:
    page_size = min(limit, context.settings.customers_max_limit)
    query, params = _search(q, cursor, page_size + 1)
    # Core rows and one orjson pass: a search is a frequent request, and neither ORM
    # objects nor response-model validation would add anything to these snapshots.
    with context.db.single_read() as conn:
        rows = conn.execute(query, params).mappings().all()
    items: list[dict[str, Any]] = [
        snapshot_from_mapping("customer", row) for row in rows[:page_size]
    ]
    next_cursor = (
        encode_cursor(rows[page_size - 1]["name_key"], rows[page_size - 1]["id"])
        if len(rows) > page_size
        else None
    )
    body = orjson.dumps({"items": items, "next_cursor": next_cursor})
    return Response(content=body, media_type="application/json")


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
