"""The demo shop's product catalogue: devices, plans, services, in product families.

Each family lists its generations oldest first; a newer generation is the older
one's ``successor`` (what the upsell panel suggests). Release dates are months
before the demo's reference moment, so the catalogue stays current whatever
``now`` is. A product is on sale from its release until six months after its
successor came out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class ProductKind(StrEnum):
    DEVICE = "device"  # comes with a 12-month warranty
    ACCESSORY = "accessory"
    PLAN = "plan"  # an annual subscription
    SUPPORT = "support"  # an annual support contract
    WARRANTY_EXTENSION = "warranty_extension"  # sold with a device, lengthens its warranty
    ONE_OFF = "one_off"  # a service done once


@dataclass(frozen=True, slots=True)
class CatalogItem:
    sku: str
    name: str
    category: str
    kind: ProductKind
    price: Decimal
    released_months_ago: int
    successor_sku: str | None
    extension_months: int = 0  # for warranty extensions


# category, sku prefix, kind, families: each family is [(name, price, released months ago), ...]
_FAMILIES: list[tuple[str, str, ProductKind, list[list[tuple[str, int, int]]]]] = [
    (
        "Smartphones",
        "PH",
        ProductKind.DEVICE,
        [
            [
                ("Nova X3 256 GB", 69_990, 62),
                ("Nova X4 256 GB", 79_990, 38),
                ("Nova X5 256 GB", 89_990, 11),
            ],
            [
                ("Nova Lite 7 128 GB", 19_990, 56),
                ("Nova Lite 8 128 GB", 21_990, 31),
                ("Nova Lite 9 128 GB", 23_990, 8),
            ],
            [("Nova Fold 1", 129_990, 40), ("Nova Fold 2", 139_990, 14)],
        ],
    ),
    (
        "Laptops",
        "NB",
        ProductKind.DEVICE,
        [
            [
                ("AirBook 13 G3", 89_990, 64),
                ("AirBook 13 G4", 99_990, 38),
                ("AirBook 13 G5", 109_990, 10),
            ],
            [("WorkBook 15 Pro G2", 119_990, 50), ("WorkBook 15 Pro G3", 129_990, 18)],
            [("StudyBook 14", 49_990, 44), ("StudyBook 14 G2", 54_990, 16)],
        ],
    ),
    (
        "Tablets",
        "TB",
        ProductKind.DEVICE,
        [
            [
                ("Nova Tab 10 (4th gen)", 29_990, 58),
                ("Nova Tab 10 (5th gen)", 32_990, 34),
                ("Nova Tab 10 (6th gen)", 34_990, 6),
            ],
            [("Nova Tab Pro 12", 69_990, 42), ("Nova Tab Pro 12 (2nd gen)", 74_990, 12)],
        ],
    ),
    (
        "Audio",
        "AU",
        ProductKind.DEVICE,
        [
            [("Pulse Buds 2", 7_990, 60), ("Pulse Buds 3", 8_990, 30), ("Pulse Buds 4", 9_990, 9)],
            [("Pulse Over ANC", 19_990, 46), ("Pulse Over ANC 2", 22_990, 15)],
            [("Pulse Speaker Mini", 4_990, 66)],
        ],
    ),
    (
        "Wearables",
        "WR",
        ProductKind.DEVICE,
        [
            [
                ("Nova Watch 4", 19_990, 56),
                ("Nova Watch 5", 21_990, 32),
                ("Nova Watch 6", 24_990, 7),
            ],
            [("Nova Band 7", 3_990, 40), ("Nova Band 8", 4_490, 11)],
        ],
    ),
    (
        "Smart home",
        "SH",
        ProductKind.DEVICE,
        [
            [("Home Hub Mini", 4_990, 50), ("Home Hub Mini 2", 5_990, 20)],
            [("Home Camera 1080p", 3_490, 48), ("Home Camera 2K", 4_490, 14)],
            [("Robot Vacuum V1", 24_990, 44), ("Robot Vacuum V2", 29_990, 10)],
            [("Smart Bulb E27", 990, 72)],
            [("Smart Plug", 1_290, 72)],
        ],
    ),
    (
        "Accessories",
        "AC",
        ProductKind.ACCESSORY,
        [
            [("USB-C Charger 30 W", 1_990, 70), ("USB-C Charger 65 W GaN", 3_490, 24)],
            [("Power Bank 10000 mAh", 2_490, 60), ("Power Bank 20000 mAh", 3_490, 20)],
            [("USB-C Cable 1 m", 590, 72)],
            [("Protective Case", 1_490, 72)],
            [("Screen Protector", 990, 72)],
            [("Wireless Charger", 2_990, 48)],
            [("Car Holder", 1_290, 72)],
        ],
    ),
    (
        "Mobile plans",
        "MP",
        ProductKind.PLAN,
        [
            [("Plan Basic 1.0", 2_400, 66), ("Plan Basic 2.0", 2_700, 28)],
            [
                ("Plan Smart 3.0", 4_800, 60),
                ("Plan Smart 4.0", 5_400, 36),
                ("Plan Smart 5.0", 6_000, 10),
            ],
            [("Plan Unlimited 2.0", 9_600, 48), ("Plan Unlimited 3.0", 10_800, 14)],
            [("Plan Family 1.0", 12_000, 40), ("Plan Family 2.0", 13_200, 12)],
        ],
    ),
    (
        "Home internet",
        "HI",
        ProductKind.PLAN,
        [
            [
                ("Home Internet 100 Mbit/s", 5_400, 72),
                ("Home Internet 300 Mbit/s", 6_600, 40),
                ("Home Internet 500 Mbit/s", 7_800, 20),
                ("Home Internet 1 Gbit/s", 9_600, 6),
            ],
        ],
    ),
    (
        "TV & streaming",
        "TV",
        ProductKind.PLAN,
        [
            [("Cinema Start", 2_990, 60), ("Cinema Start+", 3_590, 18)],
            [("Cinema Premium", 5_990, 48), ("Cinema Premium 4K", 7_990, 12)],
            [("Music Family", 2_388, 60)],
        ],
    ),
    (
        "Support",
        "SP",
        ProductKind.SUPPORT,
        [
            [("Support Standard", 3_600, 72), ("Support Standard 2.0", 3_900, 20)],
            [("Support Premium", 9_600, 72), ("Support Premium 2.0", 10_800, 20)],
        ],
    ),
    (
        "Services",
        "SV",
        ProductKind.ONE_OFF,
        [
            [("Home Setup Visit", 1_990, 72)],
            [("Data Transfer Service", 990, 72)],
        ],
    ),
]

_EXTENSIONS: list[tuple[str, int, int]] = [
    ("Extended Warranty +1 Year", 4_990, 12),
    ("Extended Warranty +2 Years", 8_990, 24),
]


def _build() -> tuple[CatalogItem, ...]:
    items: list[CatalogItem] = []
    for category, prefix, kind, families in _FAMILIES:
        number = 0
        for family in families:
            skus = []
            for _ in family:
                number += 1
                skus.append(f"{prefix}-{number:04d}")
            for index, (name, price, released) in enumerate(family):
                successor = skus[index + 1] if index + 1 < len(family) else None
                items.append(
                    CatalogItem(
                        skus[index], name, category, kind, Decimal(price), released, successor
                    )
                )
    for number, (name, price, months) in enumerate(_EXTENSIONS, start=1):
        items.append(
            CatalogItem(
                f"EW-{number:04d}",
                name,
                "Extended warranty",
                ProductKind.WARRANTY_EXTENSION,
                Decimal(price),
                72,
                None,
                extension_months=months,
            )
        )
    return tuple(items)


CATALOG: tuple[CatalogItem, ...] = _build()
"""Every product of the demo shop, families in order, oldest generation first."""
