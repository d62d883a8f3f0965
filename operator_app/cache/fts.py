"""Full-text search over customers: one FTS5 index, one safe query builder.

Every customer is one document of folded *terms*: name words, phone search keys,
e-mail words, order and contract numbers. Python produces the terms (``domain.text``
folding, ``domain.phones`` keys) and joins them with single spaces; the index uses the
``ascii`` tokenizer, which splits on exactly those spaces (any non-ASCII letter is a
token character to it), so what Python calls one token is one token to SQLite too.
That is also why ``detail=none`` is safe here: the query builder only ever emits
single-token prefix queries, never phrases.

``search_docs`` is the external content table. Its ``INTEGER PRIMARY KEY`` survives
``VACUUM`` (a UUID-keyed table's rowid would not), and it keeps the exact terms each
document was indexed with, which FTS5 needs to delete a document.

After changing customers, orders or coverages outside :mod:`operator_app.cache.bulk`,
call :func:`index_customers` with the customer ids in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Connection

from operator_app.domain.phones import normalize_phone, phone_search_keys, query_digits
from operator_app.domain.text import name_key, words

Progress = Callable[[str, int, int | None], None]

SEARCH_TABLE = "customer_search"
DOCS_TABLE = "search_docs"
MAX_TOKEN_CHARS = 64
MAX_QUERY_TOKENS = 8
# Longer input is not a search anyone types; cut it before any regex runs on it.
MAX_QUERY_CHARS = 512
_BATCH = 20_000

# Prefix indexes for 1–4 characters keep short prefix queries lazy: with one, a
# ``"и"*`` query walks a single doclist and stops at LIMIT; without, FTS5 would first
# merge the doclists of every term starting with "и".
SEARCH_DDL = (
    f"""CREATE TABLE IF NOT EXISTS {DOCS_TABLE} (
        rowid INTEGER PRIMARY KEY,
        customer_id BLOB NOT NULL UNIQUE,
        terms TEXT NOT NULL
    )""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(
        terms,
        content='{DOCS_TABLE}', content_rowid='rowid',
        tokenize='ascii', detail=none, columnsize=0, prefix='1 2 3 4'
    )""",
)


def create_search_tables(conn: Connection) -> None:
    for statement in SEARCH_DDL:
        conn.exec_driver_sql(statement)


# -- terms -----------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _name_terms(text: str) -> tuple[str, ...]:
    # Names repeat a lot (Иван, Петров…): folding each distinct one once pays off in bulk.
    return tuple(w[:MAX_TOKEN_CHARS] for w in words(text))


def _identifier_terms(value: str) -> list[str]:
    """An e-mail local part, an order or contract number: its words, all of them glued
    together and its digits glued together, so ``ORD-2024-001`` is found by ``2024``,
    ``ord2024001`` and ``2024001`` (what a digits-only search box query becomes)."""
    parts = [w[:MAX_TOKEN_CHARS] for w in words(value)]
    if len(parts) > 1:
        parts.append("".join(parts)[:MAX_TOKEN_CHARS])
        digits = "".join(ch for ch in value if ch.isdecimal() and ch.isascii())
        if digits and digits != parts[-1]:
            parts.append(digits[:MAX_TOKEN_CHARS])
    return parts


def customer_terms(
    last_name: str,
    first_name: str,
    middle_name: str,
    phones: Iterable[str],
    emails: Iterable[str],
    numbers: Iterable[str] = (),
) -> str:
    """The document indexed for one customer: unique folded terms joined by spaces."""
    terms: dict[str, None] = {}
    for name in (last_name, first_name, middle_name):
        if name:
            terms.update(dict.fromkeys(_name_terms(name)))
    for phone in phones:
        digits = "".join(ch for ch in str(phone) if ch.isdigit())
        if digits:
            keys = phone_search_keys("+" + digits)
            terms.update(dict.fromkeys(key[:MAX_TOKEN_CHARS] for key in keys))
    for email in emails:
        local, _, domain = str(email).partition("@")
        terms.update(dict.fromkeys(_identifier_terms(local)))
        terms.update(dict.fromkeys(w[:MAX_TOKEN_CHARS] for w in words(domain)))
    for number in numbers:
        terms.update(dict.fromkeys(_identifier_terms(str(number))))
    return " ".join(terms)


def _json_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


_NUMBER_SEPARATOR = "\x1f"
_DOCUMENT_SELECT = f"""
    SELECT c.id, c.last_name, c.first_name, c.middle_name, c.phones, c.emails,
           (SELECT group_concat(o.number, '{_NUMBER_SEPARATOR}')
              FROM orders o WHERE o.customer_id = c.id),
           (SELECT group_concat(v.contract_number, '{_NUMBER_SEPARATOR}')
              FROM coverages v WHERE v.customer_id = c.id)
    FROM customers c
"""


def _documents(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[bytes, str]]:
    for customer_id, last, first, middle, phones, emails, orders, contracts in rows:
        numbers = (orders.split(_NUMBER_SEPARATOR) if orders else []) + (
            contracts.split(_NUMBER_SEPARATOR) if contracts else []
        )
        terms = customer_terms(
            last or "", first or "", middle or "", _json_list(phones), _json_list(emails), numbers
        )
        yield bytes(customer_id), terms


def _raw(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def rebuild_search_index(conn: Connection, progress: Progress | None = None) -> int:
    """Index every customer from scratch (after a bulk load or an upgrade); returns the
    number of customers indexed. Runs inside the caller's transaction."""
    raw = _raw(conn)
    total = raw.execute("SELECT count(*) FROM customers").fetchone()[0]
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")
    raw.execute(f"DELETE FROM {DOCS_TABLE}")
    done = 0
    reader = raw.execute(_DOCUMENT_SELECT)
    while True:
        batch = reader.fetchmany(_BATCH)
        if not batch:
            break
        raw.executemany(
            f"INSERT INTO {DOCS_TABLE}(customer_id, terms) VALUES (?, ?)", _documents(batch)
        )
        done += len(batch)
        if progress:
            progress("search", done, total)
    # A large in-memory term buffer lets FTS5 write few, big segments; 'optimize' then
    # merges them into one b-tree, the fastest shape for queries.
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('hashsize', 268435456)")
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('hashsize', 1048576)")
    if progress:
        progress("search", done, total)
    return done


def index_customers(conn: Connection, customer_ids: Iterable[uuid.UUID]) -> None:
    """Bring everything search derives from these customers up to date: their
    ``name_key``, their ``customer_phones`` rows and their search document. Call it in
    the transaction that changed (added, edited, deleted) customers, their orders or
    coverages."""
    raw = _raw(conn)
    for customer_id in dict.fromkeys(customer_ids):
        key = customer_id.bytes
        old = raw.execute(
            f"SELECT rowid, terms FROM {DOCS_TABLE} WHERE customer_id = ?", (key,)
        ).fetchone()
        if old is not None:
            raw.execute(
                f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, terms) VALUES ('delete', ?, ?)",
                old,
            )
        current = raw.execute(_DOCUMENT_SELECT + " WHERE c.id = ?", (key,)).fetchall()
        if not current:
            if old is not None:
                raw.execute(f"DELETE FROM {DOCS_TABLE} WHERE rowid = ?", (old[0],))
            raw.execute("DELETE FROM customer_phones WHERE customer_id = ?", (key,))
            continue
        _refresh_derived_columns(raw, current[0])
        _, terms = next(_documents(current))
        if old is None:
            rowid = raw.execute(
                f"INSERT INTO {DOCS_TABLE}(customer_id, terms) VALUES (?, ?)", (key, terms)
            ).lastrowid
        else:
            rowid = old[0]
            raw.execute(f"UPDATE {DOCS_TABLE} SET terms = ? WHERE rowid = ?", (terms, rowid))
        raw.execute(f"INSERT INTO {SEARCH_TABLE}(rowid, terms) VALUES (?, ?)", (rowid, terms))


def _refresh_derived_columns(raw: sqlite3.Connection, row: tuple[Any, ...]) -> None:
    key, last, first, middle, phones = row[0], row[1], row[2], row[3], row[4]
    wanted_key = name_key(last or "", first or "", middle or "")
    raw.execute(
        "UPDATE customers SET name_key = ? WHERE id = ? AND name_key IS NOT ?",
        (wanted_key, key, wanted_key),
    )
    wanted = set()
    for phone in _json_list(phones):
        parsed = normalize_phone(str(phone))
        if parsed is not None:
            wanted.add(parsed.e164)
    present = {
        r[0] for r in raw.execute("SELECT e164 FROM customer_phones WHERE customer_id = ?", (key,))
    }
    for e164 in present - wanted:
        raw.execute("DELETE FROM customer_phones WHERE e164 = ? AND customer_id = ?", (e164, key))
    for e164 in sorted(wanted - present):
        raw.execute(
            "INSERT OR IGNORE INTO customer_phones(e164, customer_id) VALUES (?, ?)", (e164, key)
        )


# -- queries ---------------------------------------------------------------------------


def query_tokens(text: str) -> list[str]:
    """The folded words of a search box text: at most ``MAX_QUERY_TOKENS`` of them,
    unique, each cut to ``MAX_TOKEN_CHARS``. Anything else the user typed is dropped."""
    tokens = (w[:MAX_TOKEN_CHARS] for w in words(text[:MAX_QUERY_CHARS]))
    return list(dict.fromkeys(tokens))[:MAX_QUERY_TOKENS]


def _quoted_prefix(token: str) -> str:
    return '"' + token.replace('"', '""') + '"*'


def match_expression(text: str) -> str | None:
    """A safe FTS5 MATCH expression for any user text, or None when nothing is searchable.

    Every word becomes a quoted prefix term and the terms are AND-ed, so FTS5 syntax in
    the input (``OR``, ``NEAR``, ``-``, ``*``, ``:``, ``^``, quotes, brackets) is just
    text. Phone-looking input (``+7 912 345-67-89``, ``8(912)345``) becomes one digit
    string, matching the phone keys indexed for every customer.
    """
    text = text[:MAX_QUERY_CHARS]
    digits = query_digits(text)
    if digits:
        return _quoted_prefix(digits[:MAX_TOKEN_CHARS])
    tokens = query_tokens(text)
    if not tokens:
        return None
    return " ".join(_quoted_prefix(token) for token in tokens)


def matching_doc_rowids(conn: Connection, expression: str, limit: int) -> list[int]:
    """Rowids of ``search_docs`` matching ``expression``, in index order (no ranking, so a
    prefix shared by a million customers still stops after ``limit``)."""
    rows = _raw(conn).execute(
        f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? LIMIT ?",
        (expression, limit),
    )
    return [row[0] for row in rows]
