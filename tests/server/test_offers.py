"""Offer outcomes pushed through ``/mutations``: an accepted offer opens a lead, and the
acceptance dashboard counts them by reason, rule, operator and segment."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from operator_app.domain.enums import Role
from operator_app.server.offers import lead_id
from operator_app.server.seed import load_batches
from tests.server.conftest import PASSWORD, ServerHandle
from tests.server.support import all_changes, client_for, mutation, send


def _product(server: ServerHandle) -> uuid.UUID:
    product_id = uuid.uuid4()
    row = {
        "id": product_id,
        "sku": f"O-{product_id.hex[:10]}",
        "name": "Extender",
        "category": "network",
        "price": Decimal("2500.00"),
    }
    with server.db.writing() as session:
        load_batches(session.connection(), [("product", [row])], server.clock())
    return product_id


def _offer(customer: uuid.UUID, product: uuid.UUID | None, outcome: str, **extra: Any) -> dict:
    data = {
        "customer_id": str(customer),
        "product_id": None if product is None else str(product),
        "reason_code": "successor_available",
        "explanation": "Newer plan available",
        "outcome": outcome,
    } | extra
    return mutation("offer", "create", data)


def test_an_accepted_offer_opens_a_lead_in_the_same_change(server: ServerHandle) -> None:
    customer, product = server.data["customer_id"], _product(server)
    head = server.head()
    offer = _offer(customer, product, "accepted", outcome_reason="wants it delivered")
    [result] = send(server.api.operator, offer)
    assert result["status"] == "applied"
    changes = all_changes(server.api.operator, since=head)
    assert [(c["entity"], c["op"]) for c in changes] == [
        ("offer", "create"),
        ("interest", "create"),
    ]
    recorded, lead = changes[0]["data"], changes[1]["data"]
    assert recorded["outcome"] == "accepted" and recorded["by_user"] == "op"
    assert recorded["outcome_reason"] == "wants it delivered"
    assert lead["id"] == str(lead_id(uuid.UUID(offer["id"])))
    assert lead["customer_id"] == str(customer) and lead["product_id"] == str(product)
    assert lead["stage"] == "cart" and lead["last_activity_at"] == recorded["at"]
    # Sent again (a client replaying its outbox): one offer, one lead.
    [again] = send(server.api.operator, offer)
    assert again["status"] == "duplicate"
    assert len(all_changes(server.api.operator, since=head)) == 2


def test_an_open_interest_moves_to_cart_instead_of_doubling(server: ServerHandle) -> None:
    customer, product = server.data["other_customer_id"], _product(server)
    interest_id = uuid.uuid4()
    earlier = server.clock() - timedelta(days=3)
    with server.db.writing() as session:
        load_batches(
            session.connection(),
            [
                (
                    "interest",
                    [
                        {
                            "id": interest_id,
                            "customer_id": customer,
                            "product_id": product,
                            "stage": "viewed",
                            "last_activity_at": earlier,
                        }
                    ],
                )
            ],
            earlier,
        )
    head = server.head()
    [result] = send(server.api.operator, _offer(customer, product, "accepted"))
    assert result["status"] == "applied"
    changes = all_changes(server.api.operator, since=head)
    assert [(c["entity"], c["op"]) for c in changes] == [
        ("offer", "create"),
        ("interest", "update"),
    ]
    assert changes[1]["id"] == str(interest_id)
    assert changes[1]["data"]["stage"] == "cart" and changes[1]["data"]["version"] == 2


@pytest.mark.parametrize(
    ("outcome", "with_product"),
    [("declined", True), ("not_now", True), ("shown", True), ("accepted", False)],
)
def test_no_lead_without_an_accepted_product(
    server: ServerHandle, outcome: str, with_product: bool
) -> None:
    product = _product(server) if with_product else None
    head = server.head()
    offer = _offer(server.data["customer_id"], product, outcome, outcome_reason="too expensive")
    [result] = send(server.api.operator, offer)
    assert result["status"] == "applied"
    assert [c["entity"] for c in all_changes(server.api.operator, since=head)] == ["offer"]


def test_offer_metrics_by_reason_rule_operator_and_segment(server: ServerHandle) -> None:
    product = _product(server)
    segment = f"seg-{uuid.uuid4().hex[:6]}"
    customer = uuid.uuid4()
    with server.db.writing() as session:
        load_batches(
            session.connection(),
            [
                (
                    "customer",
                    [
                        {
                            "id": customer,
                            "first_name": "Metric",
                            "last_name": "Person",
                            "name_key": "person metric",
                            "channel_of_origin": "phone",
                            "tier": "standard",
                            "value_segment": segment,
                        }
                    ],
                )
            ],
            server.clock(),
        )
    rule = server.api.admin.post(
        "/admin/upsell-rules",
        json={"name": "Metric rule", "definition": {"offer_product_id": str(product)}},
    ).json()
    code = f"rule:{rule['id']}"
    seller = server.add_user(Role.OPERATOR)
    token = server.api.anonymous.post(
        "/auth/login", json={"username": seller, "password": PASSWORD}
    ).json()["access_token"]
    now = server.clock()
    long_ago = (now - timedelta(days=200)).isoformat()
    offers = [
        _offer(customer, product, "accepted", reason_code=code),
        _offer(customer, product, "declined", reason_code=code),
        _offer(customer, product, "not_now", reason_code=code),
        _offer(customer, product, "shown", reason_code=code),
        _offer(customer, product, "declined", reason_code=code, at=long_ago),  # outside
    ]
    with client_for(server.base_url, token) as client:
        assert {r["status"] for r in send(client, *offers)} == {"applied"}
    response = server.api.supervisor.get("/metrics/offers")
    assert response.status_code == 200, response.text
    data = response.json()
    expected = {
        "offers": 4,
        "shown": 1,
        "accepted": 1,
        "not_now": 1,
        "declined": 1,
        "answered": 3,
        "acceptance_rate": pytest.approx(33.33, abs=0.01),
    }
    [by_rule] = [r for r in data["by_reason"] if r["reason_code"] == code]
    assert by_rule["rule_id"] == rule["id"] and by_rule["rule_name"] == "Metric rule"
    assert {k: by_rule[k] for k in expected} == expected
    [by_seller] = [r for r in data["by_operator"] if r["operator"] == seller]
    assert {k: by_seller[k] for k in expected} == expected
    [by_segment] = [r for r in data["by_segment"] if r["segment"] == segment]
    assert {k: by_segment[k] for k in expected} == expected
    assert data["total"]["offers"] >= 4
    # A window reaching back far enough counts the old offer too.
    since = (now - timedelta(days=365)).date().isoformat()
    wide = server.api.admin.get("/metrics/offers", params={"since": since}).json()
    [old_too] = [r for r in wide["by_operator"] if r["operator"] == seller]
    assert old_too["declined"] == 2 and old_too["acceptance_rate"] == 25.0


def test_offer_metrics_window_is_checked(server: ServerHandle) -> None:
    response = server.api.admin.get(
        "/metrics/offers", params={"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "since"
    assert server.api.operator.get("/metrics/offers").status_code == 403
