"""Shared state of one generator run: the random source, ids, the clock, the catalogue.

Times are handled as whole seconds since the Unix epoch until a row is written, which
keeps arithmetic cheap; rows get timezone-aware UTC datetimes.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from operator_app.demo.catalog import CATALOG, CatalogItem, ProductKind
from operator_app.demo.people import PeoplePools, PhoneBook
from operator_app.demo.users import DEMO_USERS

DAY = 86_400
YEAR = 365 * DAY
MONTH = YEAR // 12
# Products stay on sale this long after their successor is released.
SELL_OFF = 6 * MONTH

Row = dict[str, Any]

_fromtimestamp = datetime.fromtimestamp


def to_datetime(ts: int) -> datetime:
    return _fromtimestamp(ts, UTC)


def to_date(ts: int) -> date:
    return date.fromordinal(719_163 + ts // DAY)  # 719163 = date(1970, 1, 1).toordinal()


_VERSION_BITS = (0x8 << 76) | (0x2 << 62)  # version 8, RFC 9562 variant
_RANDOM_MASK = ((1 << 80) - 1) & ~((0xF << 76) | (0x3 << 62))
# Building the UUID without re-validating it in ``__init__`` halves the cost of an id,
# which matters at tens of millions of rows. Only done where the layout is the known one.
_FAST_UUID = set(getattr(uuid.UUID, "__slots__", ())) >= {"int", "is_safe"}
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown
_new_object = object.__new__
_set_slot = object.__setattr__


def id_source(seed: int) -> Callable[[], uuid.UUID]:
    """A maker of seeded UUIDs whose first 48 bits count up from a seeded start.

    Each table's ids then grow in the order rows are generated, so bulk inserts append
    to the primary-key B-tree instead of splitting random pages. The remaining bits are
    random, with the version/variant bits of an RFC 9562 version 8 (custom) UUID.
    """
    source = random.Random(f"operator-app demo ids {seed}")
    bits = source.getrandbits
    count = itertools.count(source.getrandbits(46)).__next__  # room for 2**46 ids

    if not _FAST_UUID:
        return lambda: uuid.UUID(int=(count() << 80) | (bits(80) & _RANDOM_MASK) | _VERSION_BITS)

    def new() -> uuid.UUID:
        made = _new_object(uuid.UUID)
        _set_slot(made, "int", (count() << 80) | (bits(80) & _RANDOM_MASK) | _VERSION_BITS)
        _set_slot(made, "is_safe", _UNKNOWN_SAFETY)
        return made

    return new


@dataclass(frozen=True, slots=True)
class Product:
    id: uuid.UUID
    item: CatalogItem
    released_ts: int
    retired_ts: int | None  # off sale from here on; None while still sold
    successor: Product | None = None

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def kind(self) -> ProductKind:
        return self.item.kind


class World:
    """Everything one run shares; built once per ``generate`` call."""

    def __init__(self, seed: int, now: datetime, messages_per_customer: int) -> None:
        self.seed = seed
        self.messages_per_customer = messages_per_customer
        self.rng = random.Random(seed)
        self.rnd = self.rng.random
        self.new_id = id_source(seed)
        self.now_ts = int(now.timestamp())
        self.now = to_datetime(self.now_ts)
        self.today_start_ts = self.now_ts - self.now_ts % DAY
        self.pools = PeoplePools()
        self.phones = PhoneBook(self.rng)
        self.household_phone: str | None = None
        self.order_seq = 0
        self.contract_seq = 0
        self.user_ids = {user.username: self.new_id() for user in DEMO_USERS}
        self.products = self._products()
        self.by_sku = {p.item.sku: p for p in self.products}
        self.extensions = [p for p in self.products if p.kind is ProductKind.WARRANTY_EXTENSION]
        self.accessories = [p for p in self.products if p.kind is ProductKind.ACCESSORY]
        self._shelves: dict[int, tuple[list[Decimal], list[Product]]] = {}
        self._devices: dict[int, list[Product]] = {}

    def _products(self) -> list[Product]:
        ids = {item.sku: self.new_id() for item in CATALOG}
        released = {item.sku: self.now_ts - item.released_months_ago * MONTH for item in CATALOG}
        built: dict[str, Product] = {}
        # Successors first, so each product can point at its successor object.
        for item in reversed(CATALOG):
            successor = built.get(item.successor_sku) if item.successor_sku else None
            retired = released[item.successor_sku] + SELL_OFF if item.successor_sku else None
            built[item.sku] = Product(ids[item.sku], item, released[item.sku], retired, successor)
        return [built[item.sku] for item in CATALOG]

    def shelf(self, ts: int) -> tuple[list[Decimal], list[Product]]:
        """Products on sale in the month of ``ts`` (not add-ons), by price."""
        month = ts // MONTH
        cached = self._shelves.get(month)
        if cached is None:
            start = month * MONTH
            on_sale = sorted(
                (
                    p
                    for p in self.products
                    if p.kind is not ProductKind.WARRANTY_EXTENSION
                    and p.released_ts <= start + MONTH
                    and (p.retired_ts is None or p.retired_ts > start)
                ),
                key=lambda p: (p.item.price, p.item.sku),
            )
            cached = self._shelves[month] = ([p.item.price for p in on_sale], on_sale)
        return cached

    def devices_on_sale(self, ts: int) -> list[Product]:
        month = ts // MONTH
        cached = self._devices.get(month)
        if cached is None:
            _, on_sale = self.shelf(ts)
            cached = self._devices[month] = [p for p in on_sale if p.kind is ProductKind.DEVICE]
        return cached

    def pick_for_budget(self, ts: int, budget: float) -> Product:
        """A product on sale at ``ts``, priced between a third of ``budget`` and ``budget``."""
        prices, items = self.shelf(ts)
        high = bisect.bisect_right(prices, budget)
        if high == 0:
            return items[int(self.rnd() * min(4, len(items)))]
        low = bisect.bisect_left(prices, budget / 3)
        if low >= high:
            low = 0
        return items[low + int(self.rnd() * (high - low))]

    def next_order_number(self) -> str:
        self.order_seq += 1
        return f"SO-{self.order_seq:07d}"

    def next_contract_number(self) -> str:
        self.contract_seq += 1
        return f"CT-{self.contract_seq:06d}"

    def user_rows(self) -> list[Row]:
        return [
            {
                "id": self.user_ids[user.username],
                "username": user.username,
                "name": user.name,
                "role": str(user.role),
                "version": 1,
                "updated_at": self.now,
            }
            for user in DEMO_USERS
        ]

    def product_rows(self) -> list[Row]:
        # Newest generations first: a successor row exists before the rows that point at it.
        return [
            {
                "id": p.id,
                "sku": p.item.sku,
                "name": p.item.name,
                "category": p.item.category,
                "price": p.item.price,
                "successor_id": p.successor.id if p.successor else None,
                "version": 1,
                "updated_at": to_datetime(min(p.released_ts, self.now_ts)),
            }
            for p in reversed(self.products)
        ]
