"""Customer search (name words, phone digits) with keyset paging, and single look-ups."""

from __future__ import annotations

import secrets

from tests.server.conftest import ServerHandle
from tests.server.support import new_customer


def test_search_by_name_word_prefixes_folds_case_and_yo(server: ServerHandle) -> None:
    client = server.api.operator
    found = client.get("/customers", params={"q": "ЕЛКИН ив"}).json()
    assert str(server.data["customer_id"]) in [c["id"] for c in found["items"]]
    by_first_name = client.get("/customers", params={"q": "иван"}).json()["items"]
    assert str(server.data["customer_id"]) in [c["id"] for c in by_first_name]
    assert client.get("/customers", params={"q": "ёлкин петрович"}).json()["items"] == []


def test_search_by_phone_in_any_format(server: ServerHandle) -> None:
    client = server.api.operator
    expected = str(server.data["customer_id"])
    for q in ("+7 912 345-67-89", "89123456789", "9123456789", "912345", "8 (912) 34"):
        ids = [c["id"] for c in client.get("/customers", params={"q": q}).json()["items"]]
        assert expected in ids, q


def test_keyset_pages_cover_every_match_once_in_name_order(server: ServerHandle) -> None:
    client = server.api.operator
    marker = "Пагинов" + secrets.token_hex(3)
    created = {
        str(new_customer(client, last_name=marker, first_name=f"Имя{i:02d}")) for i in range(7)
    }
    items: list[dict] = []
    cursor = None
    pages = 0
    while True:
        params = {"q": marker, "limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/customers", params=params).json()
        items += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert {c["id"] for c in items} == created
    keys = [(c["name_key"], c["id"]) for c in items]
    assert keys == sorted(keys)


def test_bad_cursor_and_missing_customer(server: ServerHandle) -> None:
    client = server.api.operator
    bad = client.get("/customers", params={"cursor": "%%%not-ours"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"
    wildcard = client.get("/customers", params={"q": "%_"})
    assert wildcard.status_code == 200
    missing = client.get("/customers/6a1c4d8e-0000-4000-8000-000000000000")
    assert missing.status_code == 404


def test_a_customer_is_the_same_snapshot_as_in_the_feed(server: ServerHandle) -> None:
    client = server.api.operator
    row = client.get(f"/customers/{server.data['customer_id']}").json()
    assert row["name_key"] == "елкин иван"
    assert row["tier"] == "gold"
    assert row["historical_clv"] == "1234.50"
    assert "password_hash" not in row
