"""Request and response models of the customer-value endpoints (metrics, upsell rules)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from operator_app.server.schemas import Strict

# --- upsell rules ---------------------------------------------------------------------------------


class UpsellRuleIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    definition: dict[str, Any] = Field(
        description="offer_product_id (required), reason, script, segments, tiers, channels, "
        "owns_products, owns_categories, prior_accept_rate — as UpsellRule.to_definition()",
        examples=[
            {
                "offer_product_id": "1f0c1a36-3f7e-4c2c-9a39-2b9b8c1d7e11",
                "reason": "Gold customers with a router: mesh extender",
                "tiers": ["gold"],
                "owns_categories": ["routers"],
            }
        ],
    )


class UpsellRuleReplace(UpsellRuleIn):
    base_version: int | None = Field(
        default=None,
        ge=1,
        description="The version the edit was made on; if the rule has moved on since, "
        "the answer is 409 and nothing changes.",
    )


class UpsellRuleOut(BaseModel):
    id: uuid.UUID
    name: str
    enabled: bool
    definition: dict[str, Any]
    version: int
    updated_at: datetime


class UpsellRuleList(BaseModel):
    items: list[UpsellRuleOut]


class RulePreviewIn(Strict):
    """Either a stored rule (``rule_id``) or a draft (``definition``, optional ``name``)."""

    rule_id: uuid.UUID | None = None
    name: str = Field(default="preview", min_length=1, max_length=200)
    definition: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> RulePreviewIn:
        if (self.rule_id is None) == (self.definition is None):
            raise ValueError("send either rule_id or definition")
        return self


class PreviewCustomer(BaseModel):
    id: uuid.UUID
    name: str
    tier: str
    segment: str
    value_segment: str | None
    predicted_clv: str | None
    reachable: bool


class RulePreviewOut(BaseModel):
    matching: int = Field(description="Customers whose data meet the rule's conditions")
    reachable: int = Field(
        description="Of those, customers the engine may make offers to "
        "(marketing consent, no open complaint)"
    )
    customers: list[PreviewCustomer] = Field(description="The first 20 by name")
    note: str


# --- metrics ----------------------------------------------------------------------------------


class ChurnFigures(BaseModel):
    customers: int
    repeat_customers: int
    rpr: float | None = Field(description="% of customers with ≥ 2 paid orders")
    customers_scored: int = Field(description="Customers with a P(alive) from the last refit")
    mean_p_alive: float | None
    expected_churn: float | None = Field(description="100 × (1 − mean P(alive))")
    at_risk_share: float | None = Field(description="% of scored customers below at_risk_below")


class CohortFigures(ChurnFigures):
    cohort: str = Field(description="YYYY-MM of the first paid order")
    retention: list[float | None] = Field(
        description="retention[k]: % of the cohort with a paid order k months later"
    )


class CustomerMetrics(BaseModel):
    as_of: datetime
    months: int
    at_risk_below: float
    total: ChurnFigures
    cohorts: list[CohortFigures]
    model: dict[str, Any] | None = Field(
        description="The last fitted CLV model (parameters, horizon, fitted_at), if any"
    )


class OfferCounts(BaseModel):
    offers: int
    shown: int = Field(description="Shown with no answer (not part of the rate)")
    accepted: int
    not_now: int
    declined: int
    answered: int
    acceptance_rate: float | None = Field(description="% accepted of answered")


class OffersByReason(OfferCounts):
    reason_code: str
    rule_id: uuid.UUID | None
    rule_name: str | None


class OffersByOperator(OfferCounts):
    operator: str


class OffersBySegment(OfferCounts):
    segment: str


class OfferMetrics(BaseModel):
    since: datetime
    until: datetime
    total: OfferCounts
    by_reason: list[OffersByReason]
    by_operator: list[OffersByOperator]
    by_segment: list[OffersBySegment]
