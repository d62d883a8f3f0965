"""A small, realistic cache for window tests and screenshots, built row by row.

One customer (``anna``) has a full card: orders, a warranty ending in 12 days, a
subscription, an abandoned cart, a birthday next week, open conversations and a long
timeline (messages, notes, surveys, offers) to page through. Two customers share one
phone number, so a screen pop can match several people. The rest are filler with
plausible names, so search has something to sift.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from faker import Faker

from operator_app.cache.bulk import load_rows
from operator_app.cache.db import open_cache
from operator_app.domain.text import name_key

ANNA_PHONE = "+79123456789"
SHARED_PHONE = "+79035550011"
UNKNOWN_PHONE = "+74951234567"

PRODUCTS = [
    ("PH-NOVA12P", "Смартфон Nova 12 Pro", "Смартфоны", "74990"),
    ("PH-NOVA13P", "Смартфон Nova 13 Pro", "Смартфоны", "84990"),
    ("NB-AERO14", "Ноутбук Aero 14", "Ноутбуки", "119990"),
    ("TV-VISTA55", 'Телевизор Vista 55" 4K', "Телевизоры", "64990"),
    ("AU-BUDS3", "Наушники Buds 3", "Аудио", "12990"),
    ("SB-KINO-PREM", "Подписка «Кино+» Премиум", "Подписки", "599"),
    ("SB-CLOUD-1T", "Облако 1 ТБ", "Подписки", "299"),
    ("WR-EXT-2Y", "Расширенная гарантия 2 года", "Сервис", "6990"),
    ("SP-PRIORITY", "Приоритетная поддержка", "Сервис", "2490"),
    ("WT-PULSE2", "Часы Pulse 2", "Носимые", "21990"),
    ("CM-DOCK", "Док-станция USB-C", "Аксессуары", "8990"),
    ("RB-VAC-X", "Робот-пылесос Clean X", "Дом", "34990"),
]

INBOUND = [
    "Здравствуйте! Заказ до сих пор не пришёл, подскажите, где он сейчас?",
    "Добрый день, телефон перестал заряжаться после обновления.",
    "Можно ли продлить гарантию на ноутбук? Срок скоро заканчивается.",
    "Списали деньги за подписку дважды, верните, пожалуйста, лишнее.",
    "Спасибо, всё работает! Вопрос решён.",
    "Хочу поменять тариф подписки на семейный, как это сделать?",
    "Курьер не дозвонился, можно перенести доставку на субботу?",
    "Наушники иногда отключаются от телефона, что посоветуете?",
]
OUTBOUND = [
    "Здравствуйте, Анна! Проверил: заказ передан курьеру, доставка завтра до 18:00.",
    "Понимаю, неприятно. Давайте попробуем сбросить настройки зарядки — пришлю инструкцию.",
    "Да, продлить можно: расширенная гарантия на 2 года стоит 6 990 ₽.",
    "Вернули двойное списание, деньги придут в течение 3 рабочих дней.",
    "Перенёс доставку на субботу, курьер позвонит за час.",
    "Рад помочь! Если что-то ещё понадобится — пишите.",
]
NOTES = [
    "Клиентка предпочитает связь в WhatsApp после 18:00.",
    "Обещали перезвонить после проверки на складе.",
    "Просила не предлагать кредитные программы.",
]
TOPICS = [
    "Доставка заказа",
    "Не заряжается телефон",
    "Продление гарантии",
    "Двойное списание",
    "Смена тарифа подписки",
    "Перенос доставки",
]
CHANNELS = ["phone", "email", "webchat", "whatsapp", "telegram", "vk", "sms"]
TIERS = ["standard", "standard", "standard", "silver", "silver", "gold", "platinum"]


@dataclass
class Dataset:
    path: Path
    now: datetime
    anna: uuid.UUID
    shared: list[uuid.UUID]
    anna_timeline: list[tuple[datetime, uuid.UUID]] = field(default_factory=list)
    anna_order_numbers: list[str] = field(default_factory=list)
    anna_contracts: list[str] = field(default_factory=list)
    names: dict[uuid.UUID, str] = field(default_factory=dict)


class _Builder:
    def __init__(self, now: datetime, seed: int) -> None:
        self.now = now
        self.rng = random.Random(seed)
        self.faker = Faker("ru_RU")
        self.faker.seed_instance(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.product_ids: dict[str, uuid.UUID] = {}
        self.product_names: dict[uuid.UUID, str] = {}
        self._order_no = 100_000
        self._contract_no = 5_000

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, entity: str, **row: Any) -> dict[str, Any]:
        self.rows.setdefault(entity, []).append(row)
        return row

    def products(self) -> None:
        for sku, name, category, price in PRODUCTS:
            pid = self.uid()
            self.product_ids[sku] = pid
            self.product_names[pid] = name
            self.add(
                "product",
                id=pid,
                sku=sku,
                name=name,
                category=category,
                price=Decimal(price),
                successor_id=None,
                version=1,
                updated_at=self.now,
            )

    def customer(self, first: str, last: str, middle: str = "", **extra: Any) -> uuid.UUID:
        cid = self.uid()
        phones = extra.pop("phones", [])
        row = dict(
            id=cid,
            first_name=first,
            last_name=last,
            middle_name=middle,
            name_key=name_key(last, first, middle),
            phones=phones,
            emails=extra.pop("emails", []),
            language="ru",
            timezone="Europe/Moscow",
            birthday=None,
            customer_since=None,
            channel_of_origin="phone",
            tier="standard",
            segment="",
            tags=[],
            consent_channels=["phone", "email"],
            consent_marketing=False,
            historical_clv=Decimal(0),
            predicted_clv=None,
            p_alive=None,
            value_segment=None,
            last_csat=None,
            last_nps=None,
            open_complaints=0,
            currency="RUB",
            version=1,
            updated_at=self.now,
        )
        row.update(extra)
        self.add("customer", **row)
        return cid

    def order(self, cid: uuid.UUID, at: datetime, skus: list[str], status: str = "paid") -> str:
        self._order_no += self.rng.randint(1, 40)
        number = f"A-{self._order_no}"
        oid = self.uid()
        lines = [
            (self.product_ids[s], Decimal(next(p[3] for p in PRODUCTS if p[0] == s))) for s in skus
        ]
        total = sum((a for _, a in lines), Decimal(0))
        self.add(
            "order",
            id=oid,
            customer_id=cid,
            number=number,
            ordered_at=at,
            amount=total,
            currency="RUB",
            status=status,
            version=1,
            updated_at=at,
        )
        for pid, amount in lines:
            self.add(
                "order_line", id=self.uid(), order_id=oid, product_id=pid, quantity=1, amount=amount
            )
        self.last_order = (at, oid)
        return number

    def coverage(
        self,
        cid: uuid.UUID,
        sku: str,
        kind: str,
        starts: date,
        ends: date,
        auto_renew: bool = False,
    ) -> str:
        self._contract_no += self.rng.randint(1, 9)
        number = f"{kind[:3].upper()}-{self._contract_no}"
        self.add(
            "coverage",
            id=self.uid(),
            customer_id=cid,
            product_id=self.product_ids[sku],
            kind=kind,
            contract_number=number,
            starts=starts,
            ends=ends,
            auto_renew=auto_renew,
            version=1,
            updated_at=self.now,
        )
        return number


def years_ago(today: date, years: int) -> date:
    """The same day ``years`` earlier (the 28th stands in for later days: no 29 Feb trap)."""
    return date(today.year - years, today.month, min(today.day, 28))


def local_day_end(now: datetime) -> datetime:
    """Midnight after ``now`` on this machine's clock, in UTC: where the app's "due
    today" ends."""
    local = now.astimezone()
    return datetime.combine(local.date() + timedelta(days=1), time.min).astimezone(UTC)


def later_today(now: datetime, fraction: float) -> datetime:
    """A moment between ``now`` and the end of the local day (``fraction`` of the way),
    so "due today, not yet late" holds whatever the hour the tests run at."""
    left = local_day_end(now) - now
    return now + left * (0.25 + 0.5 * fraction)


def build_dataset(
    path: Path,
    *,
    filler: int = 120,
    timeline_messages: int = 180,
    seed: int = 7,
    now: datetime | None = None,
) -> Dataset:
    """Create the cache schema at ``path`` and fill it; returns what the tests look for."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    b = _Builder(now, seed)
    b.products()

    birthday = date(1988, (today + timedelta(days=6)).month, (today + timedelta(days=6)).day)
    anna = b.customer(
        "Анна",
        "Иванова",
        "Сергеевна",
        phones=[ANNA_PHONE],
        emails=["anna.ivanova@example.ru"],
        birthday=birthday,
        customer_since=years_ago(today, 7),
        channel_of_origin="whatsapp",
        tier="gold",
        segment="Постоянный покупатель",
        tags=["VIP", "техника", "предпочитает WhatsApp"],
        consent_channels=["phone", "email", "whatsapp", "sms"],
        consent_marketing=True,
        historical_clv=Decimal("287450.00"),
        last_csat=4,
        last_nps=9,
        open_complaints=1,
    )
    ds = Dataset(path=path, now=now, anna=anna, shared=[])
    ds.names[anna] = "Иванова Анна Сергеевна"
    order_keys: list[tuple[datetime, uuid.UUID]] = []
    for i, (days, skus, status) in enumerate(
        [
            (9, ["PH-NOVA12P", "AU-BUDS3"], "paid"),
            (64, ["WR-EXT-2Y"], "paid"),
            (180, ["TV-VISTA55"], "refunded"),
            (410, ["NB-AERO14", "CM-DOCK"], "paid"),
            (700, ["WT-PULSE2"], "paid"),
        ]
    ):
        at = now - timedelta(days=days, hours=i * 3)
        ds.anna_order_numbers.append(b.order(anna, at, skus, status))
        order_keys.append(b.last_order)
    ds.anna_contracts = [
        b.coverage(
            anna, "NB-AERO14", "warranty", today - timedelta(days=718), today + timedelta(days=12)
        ),
        b.coverage(
            anna,
            "SB-KINO-PREM",
            "subscription",
            today - timedelta(days=330),
            today + timedelta(days=35),
            auto_renew=True,
        ),
        b.coverage(
            anna, "SP-PRIORITY", "support", today - timedelta(days=200), today + timedelta(days=165)
        ),
    ]
    b.add(
        "interest",
        id=b.uid(),
        customer_id=anna,
        product_id=b.product_ids["PH-NOVA13P"],
        stage="abandoned",
        last_activity_at=now - timedelta(days=2),
        version=1,
        updated_at=now,
    )
    b.add(
        "interest",
        id=b.uid(),
        customer_id=anna,
        product_id=b.product_ids["RB-VAC-X"],
        stage="cart",
        last_activity_at=now - timedelta(hours=5),
        version=1,
        updated_at=now,
    )

    # Timeline: conversations with their messages, plus notes, surveys and offers.
    timeline: list[tuple[datetime, uuid.UUID]] = list(order_keys)
    at = now - timedelta(minutes=7)
    conv_count = max(1, timeline_messages // 6)
    for c in range(conv_count):
        channel = ["whatsapp", "phone", "email", "webchat", "telegram"][c % 5]
        is_open = c < 2
        conv_id = b.uid()
        opened = at - timedelta(hours=6)
        b.add(
            "conversation",
            id=conv_id,
            customer_id=anna,
            channel=channel,
            status="open" if is_open else "resolved",
            topic=TOPICS[c % len(TOPICS)],
            assignee="Demo Operator",
            opened_at=opened,
            first_response_at=opened + timedelta(minutes=3),
            resolved_at=None if is_open else at,
            next_follow_up_at=later_today(now, 0.5) if c == 1 else None,
            last_inbound_at=at,
            last_outbound_at=at - timedelta(minutes=20),
            version=1,
            updated_at=at,
        )
        timeline.append((opened, conv_id))
        for k in range(6):
            mid = b.uid()
            inbound = k % 2 == 0
            body = (INBOUND if inbound else OUTBOUND)[
                (c + k) % (len(INBOUND) if inbound else len(OUTBOUND))
            ]
            sent = at - timedelta(minutes=25 * k)
            b.add(
                "message",
                id=mid,
                conversation_id=conv_id,
                customer_id=anna,
                direction="in" if inbound else "out",
                author="Анна Иванова" if inbound else "Demo Operator",
                body=body,
                sent_at=sent,
                attachments=[],
            )
            timeline.append((sent, mid))
        if c % 3 == 0:
            nid = b.uid()
            b.add(
                "note",
                id=nid,
                customer_id=anna,
                author="Demo Operator",
                body=NOTES[c % len(NOTES)],
                created_at=at + timedelta(minutes=1),
                version=1,
                updated_at=at,
            )
            timeline.append((at + timedelta(minutes=1), nid))
        if not is_open and c % 2 == 0:
            sid = b.uid()
            kind = "csat" if c % 4 == 0 else "nps"
            score = [5, 4, 2, 9, 6][c % 5] if kind == "nps" else [5, 4, 2][c % 3]
            b.add(
                "survey",
                id=sid,
                customer_id=anna,
                conversation_id=conv_id,
                kind=kind,
                channel=channel,
                token=None,
                sent_at=at + timedelta(minutes=2),
                score=score,
                comment="Быстро помогли" if score >= 4 else "Долго ждала ответа",
                answered_at=at + timedelta(minutes=30),
                version=1,
                updated_at=at,
            )
            timeline.append((at + timedelta(minutes=2), sid))
        if c % 5 == 2:
            oid = b.uid()
            b.add(
                "offer",
                id=oid,
                customer_id=anna,
                product_id=b.product_ids["PH-NOVA13P"],
                reason_code="successor",
                explanation="Куплен Nova 12 Pro; вышла Nova 13 Pro",
                score=0.71,
                outcome=["accepted", "not_now", "declined"][c % 3],
                outcome_reason="",
                by_user="Demo Operator",
                at=at + timedelta(minutes=3),
                version=1,
                updated_at=at,
            )
            timeline.append((at + timedelta(minutes=3), oid))
        at -= timedelta(days=3, hours=5)
    ds.anna_timeline = sorted(timeline, key=lambda k: (k[0], k[1].bytes), reverse=True)

    # Two people behind one shared (family) number.
    for first, last, middle in (("Пётр", "Смирнов", "Ильич"), ("Ольга", "Смирнова", "Петровна")):
        cid = b.customer(
            first,
            last,
            middle,
            phones=[SHARED_PHONE],
            tier="silver",
            emails=[f"{first.lower()}.smirnov@example.ru"],
            customer_since=years_ago(today, 3),
        )
        ds.shared.append(cid)
        ds.names[cid] = f"{last} {first} {middle}"

    for i in range(filler):
        male = b.rng.random() < 0.5
        first = b.faker.first_name_male() if male else b.faker.first_name_female()
        last = b.faker.last_name_male() if male else b.faker.last_name_female()
        middle = b.faker.middle_name_male() if male else b.faker.middle_name_female()
        phone = f"+79{b.rng.randrange(10**9):09d}"
        cid = b.customer(
            first,
            last,
            middle,
            phones=[phone],
            emails=[b.faker.free_email()],
            tier=b.rng.choice(TIERS),
            channel_of_origin=b.rng.choice(CHANNELS),
            customer_since=today - timedelta(days=b.rng.randrange(30, 3000)),
            historical_clv=Decimal(b.rng.randrange(0, 300_000)),
        )
        ds.names[cid] = f"{last} {first} {middle}"
        if i % 4 == 0:
            opened = now - timedelta(hours=b.rng.randrange(1, 48))
            channel = b.rng.choice(CHANNELS)
            b.add(
                "conversation",
                id=b.uid(),
                customer_id=cid,
                channel=channel,
                status="open",
                topic=b.rng.choice(TOPICS),
                assignee="Demo Operator" if i % 8 == 0 else None,
                opened_at=opened,
                first_response_at=None,
                resolved_at=None,
                next_follow_up_at=(
                    now - timedelta(hours=b.rng.randrange(1, 6))
                    if i % 24 == 0
                    else later_today(now, b.rng.random())
                )
                if i % 12 == 0
                else None,
                last_inbound_at=opened,
                last_outbound_at=None,
                version=1,
                updated_at=opened,
            )

    engine = open_cache(path)
    order = (
        "product",
        "customer",
        "order",
        "order_line",
        "coverage",
        "interest",
        "conversation",
        "message",
        "note",
        "survey",
        "offer",
    )
    load_rows(engine, ((entity, b.rows[entity]) for entity in order if b.rows.get(entity)))
    engine.dispose()
    return ds
