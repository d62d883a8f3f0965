"""Admin upsell rules: CRUD through the API, validation per field, sync, preview."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from operator_app.domain.upsell import UpsellRule
from operator_app.server.seed import load_batches
from tests.server.conftest import ServerHandle
from tests.server.support import all_changes

RULES = "/admin/upsell-rules"


def _product(server: ServerHandle, category: str = "plans") -> uuid.UUID:
    product_id = uuid.uuid4()
    now = server.clock()
    row = {
        "id": product_id,
        "sku": f"T-{product_id.hex[:10]}",
        "name": f"Product {product_id.hex[:4]}",
        "category": category,
        "price": Decimal("1000.00"),
    }
    with server.db.writing() as session:
        load_batches(session.connection(), [("product", [row])], now)
    return product_id


def _create(server: ServerHandle, **body: Any) -> dict[str, Any]:
    response = server.api.admin.post(RULES, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_create_read_and_sync(server: ServerHandle) -> None:
    product = _product(server)
    head = server.head()
    response = server.api.admin.post(
        RULES,
        json={
            "name": "  Gold upgrade  ",
            "definition": {
                "offer_product_id": str(product),
                "tiers": ["platinum", "gold"],
                "segments": ["small_business", " "],
                "prior_accept_rate": 0.2,
            },
        },
    )
    assert response.status_code == 201, response.text
    rule = response.json()
    assert response.headers["Location"] == f"/api/v1/admin/upsell-rules/{rule['id']}"
    assert rule["name"] == "Gold upgrade" and rule["enabled"] is True and rule["version"] == 1
    # Stored as the engine reads it: normalised, every key present.
    assert (
        rule["definition"]
        == UpsellRule.from_definition(
            uuid.UUID(rule["id"]), "Gold upgrade", True, rule["definition"]
        ).to_definition()
    )
    assert rule["definition"]["tiers"] == ["gold", "platinum"]
    assert rule["definition"]["segments"] == ["small_business"]
    assert server.api.admin.get(f"{RULES}/{rule['id']}").json() == rule
    assert rule in server.api.admin.get(RULES).json()["items"]
    changes = all_changes(server.api.operator, since=head)
    [synced] = [c for c in changes if c["entity"] == "upsell_rule"]
    assert synced["op"] == "create" and synced["data"]["definition"] == rule["definition"]
    audit = [c for c in all_changes(server.api.admin, since=head) if c["entity"] == "audit_event"]
    assert [a["data"]["action"] for a in audit] == ["upsell_rule_created"]
    assert audit[0]["data"]["actor"] == "adm"


def _invalid_cases(product: str) -> list[tuple[dict[str, Any], dict[str, str]]]:
    missing = str(uuid.uuid4())
    return [
        ({"name": "   ", "definition": {"offer_product_id": product}}, {"name": "empty"}),
        ({"name": "r", "definition": {}}, {"definition.offer_product_id": "choose the product"}),
        (
            {"name": "r", "definition": {"offer_product_id": "nope"}},
            {"definition.offer_product_id": "product id (UUID)"},
        ),
        (
            {"name": "r", "definition": {"offer_product_id": missing}},
            {"definition.offer_product_id": f"there is no product {missing}"},
        ),
        (
            {"name": "r", "definition": {"offer_product_id": product, "tiers": ["bronze"]}},
            {"definition.tiers": "unknown tier 'bronze'"},
        ),
        (
            {
                "name": "r",
                "definition": {"offer_product_id": product, "channels": "phone", "colour": 1},
            },
            {"definition.channels": "must be a list", "definition.colour": "unknown field"},
        ),
        (
            {"name": "r", "definition": {"offer_product_id": product, "prior_accept_rate": 1.5}},
            {"definition.prior_accept_rate": "between 0 and 1"},
        ),
        (
            {"name": "r", "definition": {"offer_product_id": product, "reason": 5}},
            {"definition.reason": "expected text"},
        ),
        (
            {"name": "r", "definition": {"offer_product_id": product, "owns_products": [missing]}},
            {"definition.owns_products": "no such product"},
        ),
        (
            {"name": "bell\a", "definition": {"offer_product_id": product, "script": "x" * 2001}},
            {"name": "control characters", "definition.script": "at most 2000 characters"},
        ),
        ({"name": "r"}, {"definition": "Field required"}),
    ]


def test_invalid_rules_are_refused_field_by_field(server: ServerHandle) -> None:
    product = str(_product(server))
    before = len(server.api.admin.get(RULES).json()["items"])
    for body, expected in _invalid_cases(product):
        response = server.api.admin.post(RULES, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["type"] == "urn:operator-app:problem:validation-failed"
        found = {e["field"]: e["message"] for e in problem["errors"]}
        for field, words in expected.items():
            assert field in found, (body, found)
            assert words in found[field], (body, found)
    assert len(server.api.admin.get(RULES).json()["items"]) == before


def test_replace_with_optimistic_version(server: ServerHandle) -> None:
    product, other = _product(server), _product(server)
    rule = _create(server, name="Plan", definition={"offer_product_id": str(product)})
    url = f"{RULES}/{rule['id']}"
    body = {"name": "Plan v2", "enabled": False, "definition": {"offer_product_id": str(other)}}
    changed = server.api.admin.put(url, json=body | {"base_version": 1})
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2 and changed.json()["enabled"] is False
    assert changed.json()["definition"]["offer_product_id"] == str(other)
    stale = server.api.admin.put(url, json=body | {"name": "Lost edit", "base_version": 1})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]
    head = server.head()
    same = server.api.admin.put(url, json=body)  # nothing differs: no new version, no feed row
    assert same.json()["version"] == 2 and server.head() == head
    invalid = server.api.admin.put(url, json={"name": "x", "definition": {"tiers": ["x"]}})
    assert invalid.status_code == 422
    assert server.api.admin.get(url).json()["name"] == "Plan v2"


def test_delete_disables_and_keeps_history(server: ServerHandle) -> None:
    product = _product(server)
    rule = _create(server, name="Seasonal", definition={"offer_product_id": str(product)})
    url = f"{RULES}/{rule['id']}"
    head = server.head()
    gone = server.api.admin.delete(url)
    assert gone.status_code == 200
    assert gone.json()["enabled"] is False and gone.json()["version"] == 2
    assert gone.json()["definition"] == rule["definition"]
    assert server.api.admin.get(url).json()["enabled"] is False
    assert any(r["id"] == rule["id"] for r in server.api.admin.get(RULES).json()["items"])
    [synced] = [c for c in all_changes(server.api.operator, since=head)]
    assert synced["op"] == "update" and synced["data"]["enabled"] is False
    again = server.api.admin.delete(url)
    assert again.json()["version"] == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda api, rid: api.get(f"{RULES}/{rid}"),
        lambda api, rid: api.put(
            f"{RULES}/{rid}", json={"name": "x", "definition": {"offer_product_id": rid}}
        ),
        lambda api, rid: api.delete(f"{RULES}/{rid}"),
        lambda api, rid: api.post(f"{RULES}/preview", json={"rule_id": rid}),
    ],
)
def test_unknown_rule_is_404(server: ServerHandle, call: Callable[[Any, str], Any]) -> None:
    response = call(server.api.admin, str(uuid.uuid4()))
    assert response.status_code == 404
    assert response.json()["type"] == "urn:operator-app:problem:not-found"


# --- preview --------------------------------------------------------------------------------


def _customer(tag: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "first_name": name,
        "last_name": f"Preview{tag}",
        "name_key": f"preview{tag} {name.lower()}",
        "channel_of_origin": "phone",
        "tier": "gold",
        "segment": f"seg-{tag}",
        "consent_marketing": True,
    } | extra


def _preview_data(server: ServerHandle) -> dict[str, Any]:
    """Customers of one fresh segment: who a rule for routers → extender reaches."""
    tag = uuid.uuid4().hex[:6]
    category = f"routers-{tag}"
    router, extender = _product(server, category), _product(server)
    now = server.clock()
    today = now.date()
    people = {
        "c1": _customer(tag, "C1"),  # bought a router: reachable
        "c2": _customer(tag, "C2", consent_marketing=False),  # live coverage, no consent
        "c3": _customer(tag, "C3"),  # has the extender already
        "c4": _customer(tag, "C4", tier="silver"),  # wrong tier
        "c5": _customer(tag, "C5"),  # router order cancelled
        "c6": _customer(
            tag, "C6", segment="consumer", value_segment=f"seg-{tag}", open_complaints=1
        ),
        "c7": _customer(tag, "C7"),  # warranty on a router ended 10 days ago
        "c8": _customer(tag, "C8"),  # subscription ended 10 days ago: still "held"
    }
    orders, lines, coverages = [], [], []

    def order(person: str, product: uuid.UUID, status: str = "paid") -> None:
        order_id = uuid.uuid4()
        orders.append(
            {
                "id": order_id,
                "customer_id": people[person]["id"],
                "number": f"P-{order_id.hex[:12]}",
                "ordered_at": now - timedelta(days=40),
                "amount": Decimal("1000.00"),
                "status": status,
            }
        )
        lines.append(
            {
                "id": uuid.uuid4(),
                "order_id": order_id,
                "product_id": product,
                "amount": Decimal(1000),
            }
        )

    def coverage(person: str, kind: str, ends_in_days: int) -> None:
        coverages.append(
            {
                "id": uuid.uuid4(),
                "customer_id": people[person]["id"],
                "product_id": router,
                "kind": kind,
                "contract_number": f"K-{uuid.uuid4().hex[:12]}",
                "starts": today - timedelta(days=300),
                "ends": today + timedelta(days=ends_in_days),
            }
        )

    order("c1", router)
    coverage("c2", "warranty", 100)
    order("c3", router)
    order("c3", extender)
    order("c4", router)
    order("c5", router, "cancelled")
    order("c6", router)
    coverage("c7", "warranty", -10)
    coverage("c8", "subscription", -10)
    with server.db.writing() as session:
        load_batches(
            session.connection(),
            [
                ("customer", list(people.values())),
                ("order", orders),
                ("order_line", lines),
                ("coverage", coverages),
            ],
            now,
        )
    return {
        "tag": tag,
        "category": category,
        "router": router,
        "extender": extender,
        "people": people,
    }


def test_preview_counts_and_lists_who_a_rule_reaches(server: ServerHandle) -> None:
    data = _preview_data(server)
    definition = {
        "offer_product_id": str(data["extender"]),
        "segments": [f"seg-{data['tag']}"],
        "tiers": ["gold"],
        "owns_categories": [data["category"]],
        "channels": ["phone"],  # depends on the contact: not applied in a preview
    }
    response = server.api.admin.post(f"{RULES}/preview", json={"definition": definition})
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["matching"] == 4 and found["reachable"] == 2
    names = [c["name"] for c in found["customers"]]
    assert names == [f"Preview{data['tag']} {n}" for n in ("C1", "C2", "C6", "C8")]
    assert [c["reachable"] for c in found["customers"]] == [True, False, False, True]
    assert "Channel" in found["note"]
    # The same rule stored and previewed by id; by product instead of category.
    rule = _create(
        server,
        name="Extender",
        definition=definition | {"owns_categories": [], "owns_products": [str(data["router"])]},
    )
    by_id = server.api.admin.post(f"{RULES}/preview", json={"rule_id": rule["id"]}).json()
    assert (by_id["matching"], by_id["reachable"]) == (4, 2)


def test_preview_needs_one_valid_source(server: ServerHandle) -> None:
    for body in ({}, {"rule_id": str(uuid.uuid4()), "definition": {}}):
        assert server.api.admin.post(f"{RULES}/preview", json=body).status_code == 422
    bad = server.api.admin.post(f"{RULES}/preview", json={"definition": {"tiers": ["x"]}})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {
        "definition.tiers",
        "definition.offer_product_id",
    }
