"""Search-as-you-type over customers, bounded work for any input.

Three sources, each an index range that stops after ``limit`` rows, merged in this
order of relevance:

1. exact hits: the whole input is a phone number (any format), an order number or a
   contract number;
2. ordered prefix hits: phone-looking input walks the ``customer_phones`` primary key
   from the typed digits; other input walks ``customers.name_key`` ("last first
   middle", folded) from the typed words, so even one letter returns the first
   ``limit`` names in alphabetical order without touching the rest;
3. full-text hits (any word of name, phone, e-mail, order or contract number starting
   with each typed word), taken unranked in index order and sorted by name.

The third source runs only when the first two leave room.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sqlalchemy.engine import Connection

from operator_app.cache import fts, mapping
from operator_app.cache.models import OPEN_SQL
from operator_app.domain.entities import CustomerSummary
from operator_app.domain.enums import Tier
from operator_app.domain.phones import normalize_phone, query_digits
from operator_app.domain.text import words

MAX_NUMBER_CHARS = 64
MAX_PHONE_DIGITS = 15  # E.164
_NAME_KEY_MAX = 600
# Sorts after every character a name can hold, closing a prefix range.
_AFTER_PREFIX = "\U0010ffff"

_SUMMARY_SQL = f"""
    SELECT c.id, c.last_name, c.first_name, c.middle_name, c.phones, c.emails, c.tier,
           c.name_key,
           EXISTS (SELECT 1 FROM conversations v
                    WHERE v.customer_id = c.id AND v.{OPEN_SQL}) AS has_open
    FROM customers c WHERE c.id IN ({{marks}})
"""


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _phone_prefixes(text: str, digits: str) -> list[str]:
    """E.164 prefixes a typed digit string may stand for (``8…`` is the Russian trunk
    prefix, bare digits may be a national number or a country code without ``+``)."""
    if len(digits) > MAX_PHONE_DIGITS:
        return []
    if text.lstrip().startswith("+"):
        return ["+" + digits]
    if digits.startswith("8"):
        return ["+7" + digits[1:]]
    return list(dict.fromkeys(["+7" + digits, "+" + digits]))


def _exact_ids(conn: Connection, text: str) -> list[bytes]:
    found: list[bytes] = []
    phone = normalize_phone(text)
    if phone is not None:
        found += _column(
            conn, "SELECT customer_id FROM customer_phones WHERE e164 = ?", (phone.e164,)
        )
    number = text.strip()
    if 0 < len(number) <= MAX_NUMBER_CHARS:
        variants = tuple(dict.fromkeys([number, number.upper()]))
        marks = _marks(len(variants))
        found += _column(
            conn, f"SELECT customer_id FROM orders WHERE number IN ({marks})", variants
        )
        found += _column(
            conn,
            f"SELECT customer_id FROM coverages WHERE contract_number IN ({marks})",
            variants,
        )
    return found


def _phone_prefix_ids(conn: Connection, text: str, digits: str, limit: int) -> list[bytes]:
    found: list[bytes] = []
    for prefix in _phone_prefixes(text, digits):
        found += _column(
            conn,
            "SELECT customer_id FROM customer_phones WHERE e164 >= ? AND e164 < ? "
            "ORDER BY e164 LIMIT ?",
            (prefix, prefix + ":", limit),  # ":" sorts right after "9"
        )
    return found


def _name_prefix_ids(conn: Connection, text: str, limit: int) -> list[bytes]:
    key = " ".join(words(text[: fts.MAX_QUERY_CHARS]))[:_NAME_KEY_MAX]
    if not key:
        return []
    return _column(
        conn,
        "SELECT id FROM customers WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT ?",
        (key, key + _AFTER_PREFIX, limit),
    )


def _full_text_ids(conn: Connection, text: str, limit: int) -> list[bytes]:
    try:
        return fts.matching_customer_ids(conn, text, limit)
    except sqlite3.OperationalError:
        # The expression is built to be valid for any input; should FTS5 still refuse
        # it, the search box shows the other hits rather than an error.
        return []


def _column(conn: Connection, sql: str, params: tuple[object, ...]) -> list[bytes]:
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return [row[0] for row in raw.execute(sql, params)]


def summaries(conn: Connection, ids: Iterable[bytes]) -> dict[bytes, tuple[str, CustomerSummary]]:
    """``{id: (name_key, summary)}`` for the given customer ids (missing ones left out)."""
    wanted = list(dict.fromkeys(ids))
    result: dict[bytes, tuple[str, CustomerSummary]] = {}
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        sql = _SUMMARY_SQL.format(marks=_marks(len(chunk)))
        for row in raw.execute(sql, chunk):
            phones = mapping.as_list(row[4])
            emails = mapping.as_list(row[5])
            key = bytes(row[0])
            result[key] = (
                row[7] or "",
                CustomerSummary(
                    id=mapping.as_uuid(key),
                    display_name=mapping.display_name(row[1], row[2], row[3]),
                    phone=str(phones[0]) if phones else None,
                    email=str(emails[0]) if emails else None,
                    tier=mapping.as_enum(Tier, row[6], Tier.STANDARD),
                    has_open_contact=bool(row[8]),
                ),
            )
    return result


def search_customers(conn: Connection, query: str, limit: int = 50) -> list[CustomerSummary]:
    """Customers for whatever the user typed, best first, at most ``limit``."""
    if limit <= 0 or not query or not query.strip():
        return []
    text = query[: fts.MAX_QUERY_CHARS]
    ranked: dict[bytes, None] = dict.fromkeys(_exact_ids(conn, text))
    digits = query_digits(text)
    if digits:
        ranked.update(dict.fromkeys(_phone_prefix_ids(conn, text, digits, limit)))
    else:
        ranked.update(dict.fromkeys(_name_prefix_ids(conn, text, limit)))
    ordered = list(ranked)[:limit]
    found = summaries(conn, ordered)
    results = [found[key][1] for key in ordered if key in found]
    if len(results) >= limit:
        return results
    extra = [key for key in _full_text_ids(conn, text, limit + len(ranked)) if key not in ranked]
    extra_found = summaries(conn, extra)
    by_name = sorted(extra_found.values(), key=lambda item: (item[0], item[1].id))
    results += [summary for _, summary in by_name[: limit - len(results)]]
    return results


def customers_by_phone(conn: Connection, raw_phone: str) -> list[CustomerSummary]:
    phone = normalize_phone(raw_phone)
    if phone is None:
        return []
    ids = _column(conn, "SELECT customer_id FROM customer_phones WHERE e164 = ?", (phone.e164,))
    found = summaries(conn, ids)
    return [summary for _, summary in sorted(found.values(), key=lambda i: (i[0], i[1].id))]
