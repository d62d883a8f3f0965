"""Dashboards for supervisors and admins: customer value by cohort, offer acceptance."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from operator_app.server.auth import STAFF, require_roles
from operator_app.server.cohorts import customer_metrics
from operator_app.server.context import Context
from operator_app.server.errors import ApiProblem
from operator_app.server.offers import offer_metrics
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.security import Principal
from operator_app.server.value_schemas import CustomerMetrics, OfferMetrics

router = APIRouter(prefix="/metrics", tags=["metrics"])
Staff = Annotated[Principal, Depends(require_roles(STAFF))]
DEFAULT_OFFER_DAYS = 90


@router.get(
    "/customers",
    response_model=CustomerMetrics,
    responses=problems(*AUTHENTICATED),
    summary="Repeat purchase rate, retention and churn by monthly cohort",
    description="Cohort = month (UTC) of the customer's first paid order. `retention[k]` = "
    "% of the cohort with a paid order in the k-th month after it (k = 0: the cohort "
    "month, 100 %; the last entry is the current, unfinished month). RPR = % of customers "
    "with ≥ 2 paid orders. Churn comes from the last refit: `expected_churn` = 100 × (1 − "
    "mean P(alive)), `at_risk_share` = % with P(alive) < `at_risk_below` (0.3). "
    "Supervisors and admins.",
)
def customers(
    principal: Staff,
    context: Context,
    months: Annotated[
        int, Query(ge=1, le=120, description="Cohorts of the last N months, this one included")
    ] = 12,
) -> CustomerMetrics:
    with context.db.reading() as session:
        data = customer_metrics(session.connection(), context.now(), months)
    return CustomerMetrics.model_validate(data)


@router.get(
    "/offers",
    response_model=OfferMetrics,
    responses=problems(*AUTHENTICATED),
    summary="Offer acceptance by reason (rules by name), operator and customer segment",
    description="Offers made from `since` to `until` (UTC days, both included; default the "
    f"last {DEFAULT_OFFER_DAYS} days). acceptance_rate = accepted / (accepted + declined + "
    "not now), in %; offers only shown are counted but not rated. Segment = the customer's "
    "current value segment, else business segment, else `all`. Supervisors and admins.",
)
def offers(
    principal: Staff,
    context: Context,
    since: Annotated[date | None, Query(description="First day (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="Last day (YYYY-MM-DD)")] = None,
) -> OfferMetrics:
    last = until or context.now().date()
    first = since or last - timedelta(days=DEFAULT_OFFER_DAYS - 1)
    if first > last:
        raise ApiProblem(
            422,
            f"since ({first}) is after until ({last}).",
            errors=[{"field": "since", "message": "must not be after until"}],
        )
    start = datetime.combine(first, time(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
    with context.db.reading() as session:
        data = offer_metrics(session.connection(), start, end)
    return OfferMetrics.model_validate(data)
