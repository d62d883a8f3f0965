"""Customer metrics by monthly cohort: repeat purchase rate, retention, churn.

Definitions (paid orders only; months are UTC calendar months):

- **cohort**: the month of the customer's first paid order;
- **RPR**: customers with ≥ 2 paid orders / customers with ≥ 1, in percent
  (:func:`domain.metrics.repeat_purchase_rate`);
- **retention[k]**: share of the cohort with a paid order in the k-th month after the
  cohort month, in percent (k = 0 is the cohort month itself, so 100); the list runs up
  to the current month, which is still in progress;
- **expected churn**: 100 × (1 − mean P(alive)) over the cohort's customers that the
  last refit scored — the share the model believes has already left;
- **at-risk share**: share of those with P(alive) < 0.3, in percent.

Everything is aggregated in the database; the answer is one row per cohort and month.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from operator_app.domain.enums import OrderStatus
from operator_app.domain.metrics import repeat_purchase_rate
from operator_app.server.models import AnalyticsRun, Customer, Order
from operator_app.server.refit_history import month_of
from operator_app.server.serialize import json_datetime

AT_RISK_P_ALIVE = 0.3


def month_index(text: str) -> int:
    """``YYYY-MM`` → months since year 0 (for differences between months)."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def _rpr(buyers: int, repeaters: int) -> float | None:
    counts: Iterator[int] = itertools.chain(
        itertools.repeat(2, repeaters), itertools.repeat(1, buyers - repeaters)
    )
    rate = repeat_purchase_rate(counts)
    return None if rate is None else round(rate, 2)


@dataclass
class _Cohort:
    customers: int = 0
    repeaters: int = 0
    scored: int = 0
    p_alive_sum: float = 0.0
    at_risk: int = 0

    def churn(self) -> dict[str, Any]:
        mean = self.p_alive_sum / self.scored if self.scored else None
        return {
            "customers_scored": self.scored,
            "mean_p_alive": None if mean is None else round(mean, 4),
            "expected_churn": None if mean is None else round(100.0 * (1 - mean), 2),
            "at_risk_share": _percent(self.at_risk, self.scored),
        }


def _cohort_sizes(connection: Connection, dialect: str) -> dict[str, _Cohort]:
    orders, customers = Order.__table__, Customer.__table__
    month = month_of(orders.c.ordered_at, dialect)
    per_customer = (
        select(
            orders.c.customer_id.label("cid"),
            func.min(month).label("cohort"),
            func.count().label("orders"),
        )
        .where(orders.c.status == OrderStatus.PAID.value)
        .group_by(orders.c.customer_id)
        .subquery()
    )
    p = customers.c.p_alive
    query = (
        select(
            per_customer.c.cohort,
            func.count(),
            func.sum(case((per_customer.c.orders >= 2, 1), else_=0)),
            func.count(p),
            func.coalesce(func.sum(p), 0.0),
            func.sum(case((p < AT_RISK_P_ALIVE, 1), else_=0)),
        )
        .select_from(per_customer.join(customers, customers.c.id == per_customer.c.cid))
        .group_by(per_customer.c.cohort)
    )
    return {
        cohort: _Cohort(int(n), int(rep or 0), int(scored), float(total or 0), int(risk or 0))
        for cohort, n, rep, scored, total, risk in connection.execute(query)
    }


def _activity(connection: Connection, dialect: str, first_cohort: str) -> dict[str, dict[int, int]]:
    """cohort → {month index → customers of the cohort who bought that month}."""
    orders = Order.__table__
    month = month_of(orders.c.ordered_at, dialect)
    active = (
        select(orders.c.customer_id.label("cid"), month.label("month"))
        .where(orders.c.status == OrderStatus.PAID.value)
        .distinct()
        .subquery()
    )
    first = (
        select(active.c.cid, func.min(active.c.month).label("cohort"))
        .group_by(active.c.cid)
        .subquery()
    )
    query = (
        select(first.c.cohort, active.c.month, func.count())
        .select_from(active.join(first, first.c.cid == active.c.cid))
        .where(first.c.cohort >= first_cohort)
        .group_by(first.c.cohort, active.c.month)
    )
    result: dict[str, dict[int, int]] = {}
    for cohort, month_value, n in connection.execute(query):
        result.setdefault(cohort, {})[month_index(month_value)] = int(n)
    return result


def _last_model(connection: Connection) -> dict[str, Any] | None:
    runs = AnalyticsRun.__table__
    row = connection.execute(
        select(runs.c.finished_at, runs.c.model)
        .where(runs.c.status == "succeeded", runs.c.model.is_not(None))
        .order_by(runs.c.finished_at.desc())
        .limit(1)
    ).first()
    if row is None or row.model is None:
        return None
    return {"fitted_at": json_datetime(row.finished_at), **row.model}


def customer_metrics(connection: Connection, now: datetime, months: int) -> dict[str, Any]:
    """The metrics for cohorts of the last ``months`` months (this one included)."""
    dialect = connection.dialect.name
    current = now.year * 12 + now.month - 1
    first_cohort = month_text(current - months + 1)
    sizes = _cohort_sizes(connection, dialect)
    activity = _activity(connection, dialect, first_cohort)
    cohorts = []
    for cohort in sorted(c for c in sizes if first_cohort <= c <= month_text(current)):
        figures = sizes[cohort]
        start = month_index(cohort)
        active = activity.get(cohort, {})
        retention = [
            _percent(active.get(start + k, 0), figures.customers)
            for k in range(current - start + 1)
        ]
        cohorts.append(
            {
                "cohort": cohort,
                "customers": figures.customers,
                "repeat_customers": figures.repeaters,
                "rpr": _rpr(figures.customers, figures.repeaters),
                "retention": retention,
                **figures.churn(),
            }
        )
    total = _Cohort()
    for figures in sizes.values():
        total.customers += figures.customers
        total.repeaters += figures.repeaters
        total.scored += figures.scored
        total.p_alive_sum += figures.p_alive_sum
        total.at_risk += figures.at_risk
    return {
        "as_of": now,
        "months": months,
        "at_risk_below": AT_RISK_P_ALIVE,
        "total": {
            "customers": total.customers,
            "repeat_customers": total.repeaters,
            "rpr": _rpr(total.customers, total.repeaters),
            **total.churn(),
        },
        "cohorts": cohorts,
        "model": _last_model(connection),
    }
