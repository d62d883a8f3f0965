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
import re
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


_NOT_A_DIGIT = re.compile(r"[^0-9]+")


@lru_cache(maxsize=65_536)
def _word_terms(text: str) -> tuple[str, ...]:
    # Names and e-mail domains repeat a lot: folding each distinct one once pays off.
    return tuple(w[:MAX_TOKEN_CHARS] for w in words(text))


def _identifier_terms(value: str, *, digits: bool) -> list[str]:
    """An e-mail local part, an order or contract number: its words and all of them glued
    together; for numbers (``digits``) also their digits glued together. So
    ``ORD-2024-001`` is found by ``2024``, ``ord2024001`` and ``2024001`` (what a
    digits-only search box query becomes)."""
    parts = [w[:MAX_TOKEN_CHARS] for w in words(value)]
    if len(parts) > 1:
        parts.append("".join(parts)[:MAX_TOKEN_CHARS])
        if digits:
            glued = _NOT_A_DIGIT.sub("", value)[:MAX_TOKEN_CHARS]
            if glued:
                parts.append(glued)
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
            terms.update(dict.fromkeys(_word_terms(name)))
    for phone in phones:
        digits = _NOT_A_DIGIT.sub("", str(phone))
        if digits:
            terms.update(dict.fromkeys(key[:MAX_TOKEN_CHARS] for key in phone_search_keys(digits)))
    for email in emails:
        local, _, domain = str(email).partition("@")
        terms.update(dict.fromkeys(_identifier_terms(local, digits=False)))
        terms.update(dict.fromkeys(_word_terms(domain)))
    for number in numbers:
        terms.update(dict.fromkeys(_identifier_terms(str(number), digits=True)))
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
    # FTS5's default 1 MiB term buffer keeps memory flat however many customers there
    # are (a buffer sized for all of them held hundreds of MB), and is no slower: the
    # many small segments it writes merge as they go, and 'optimize' then makes them one
    # b-tree, the fastest shape for queries. (Set explicitly: the setting is stored in the
    # index, and earlier versions could leave a big one behind after a crash.)
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('hashsize', 1048576)")
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
    raw.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
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


def match_tokens(text: str) -> list[str]:
    """What a search box text is searched by: the digits of phone-looking input (one
    token, matching the phone keys), else its words (see :func:`query_tokens`)."""
    text = text[:MAX_QUERY_CHARS]
    digits = query_digits(text)
    if digits:
        return [digits[:MAX_TOKEN_CHARS]]
    return query_tokens(text)


def expression(tokens: Iterable[str]) -> str | None:
    """Quoted prefix terms AND-ed together; None for no tokens."""
    terms = [_quoted_prefix(token) for token in dict.fromkeys(tokens)]
    return " ".join(terms) if terms else None


def match_expression(text: str) -> str | None:
    """A safe FTS5 MATCH expression for any user text, or None when nothing is searchable.

    Every word becomes a quoted prefix term and the terms are AND-ed, so FTS5 syntax in
    the input (``OR``, ``NEAR``, ``-``, ``*``, ``:``, ``^``, quotes, brackets) is just
    text. Phone-looking input (``+7 912 345-67-89``, ``8(912)345``) becomes one digit
    string, matching the phone keys indexed for every customer.
    """
    return expression(match_tokens(text))


# Without a prefix index for its length, FTS5 answers a prefix query by first merging
# the doclists of every matching term: for "алекс" on a million customers that is
# hundreds of thousands of entries, tens of milliseconds, before LIMIT applies. So
# longer words are searched by their indexed 4-letter prefix (lazy, stops at LIMIT)
# and the candidates filtered by the stored terms; only when that prefix is much more
# common than the word itself, which makes the word rare and its merge cheap, does the
# exact query run. Words with digits (phones, numbers) are always rare: exact query.
PREFIX_INDEX_MAX = 4
CANDIDATES = 2000

# One row per candidate (the customer id, or NULL when a long word is missing), stepped
# lazily from Python so the scan stops as soon as ``limit`` customers are found.
_CANDIDATES_SQL = (
    f"SELECT (SELECT d.customer_id FROM {DOCS_TABLE} d WHERE d.rowid = m.rowid AND {{filters}}) "
    f"FROM (SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? LIMIT ?) m"
)
_EXACT_SQL = (
    f"SELECT customer_id FROM {DOCS_TABLE} WHERE rowid IN "
    f"(SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? LIMIT ?)"
)


def matching_customer_ids(conn: Connection, text: str, limit: int) -> list[bytes]:
    """Ids of customers with a term starting with every word of ``text`` (at most
    ``limit``, unranked, in index order)."""
    tokens = match_tokens(text)
    if not tokens or limit <= 0:
        return []
    raw = _raw(conn)
    exact = expression(tokens)
    # Words with a digit (phone keys, numbers) are rare enough to merge directly.
    long_tokens = [
        token
        for token in tokens
        if len(token) > PREFIX_INDEX_MAX and not any(ch.isdigit() for ch in token)
    ]
    if long_tokens:
        probe = expression(token[:PREFIX_INDEX_MAX] for token in tokens)
        filters = " AND ".join(["instr(' ' || d.terms, ?) > 0"] * len(long_tokens))
        candidates = raw.execute(
            _CANDIDATES_SQL.format(filters=filters),
            (*(" " + token for token in long_tokens), probe, CANDIDATES),
        )
        found: list[bytes] = []
        checked = 0
        for (customer_id,) in candidates:
            checked += 1
            if customer_id is not None:
                found.append(customer_id)
                if len(found) >= limit:
                    return found
        if checked < CANDIDATES:
            return found  # every document the probe matched was checked
    return [row[0] for row in raw.execute(_EXACT_SQL, (exact, limit))]
