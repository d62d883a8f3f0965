"""The product catalogue from the local cache, for pickers (e.g. the upsell rule editor)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from operator_app.cache.models import ProductRow

MAX_PRODUCTS = 5000


@dataclass(frozen=True, slots=True)
class ProductChoice:
    id: uuid.UUID
    name: str
    category: str


def list_products(engine: Engine, limit: int = MAX_PRODUCTS) -> list[ProductChoice]:
    """Products by category and name (the catalogue is small; capped all the same)."""
    with Session(engine) as session:
        rows = session.execute(
            select(ProductRow.id, ProductRow.name, ProductRow.category)
            .order_by(ProductRow.category, ProductRow.name)
            .limit(limit)
        ).all()
    return [ProductChoice(row.id, row.name, row.category) for row in rows]
