"""The deterministic demo data set: customers with years of history, as table rows.

``generate`` yields ``(entity, rows)`` batches. Entity names and row keys are those
of the cache schema (``ENTITY_TABLES`` and its columns) and of the server, values
are plain Python (``uuid.UUID``, aware UTC ``datetime``, ``date``, ``Decimal``,
lists and dicts for JSON columns). Parents always come before their children, so a
loader can insert batches in the order given with foreign keys enforced.

The same ``seed`` and ``now`` give the same rows, byte for byte; ``now`` is the moment
the data is "as of" (open conversations wait relative to it, follow-ups fall due on
its day). It defaults to a fixed reference moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

from operator_app.demo.commerce import (
    CustomerFacts,
    add_interests,
    add_offers,
    add_orders,
    cumulative,
    pick,
)
from operator_app.demo.contacts import add_contacts
from operator_app.demo.people import EN_MAIL_DOMAINS, RU_MAIL_DOMAINS, WORK_MAIL_DOMAINS, Person
from operator_app.demo.users import OPERATORS
from operator_app.demo.world import DAY, YEAR, Row, World, to_date, to_datetime
from operator_app.domain.enums import Channel, Tier
from operator_app.domain.metrics import net_paid

REFERENCE_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
"""The default "as of" moment: a Monday morning, Moscow time."""

HISTORY_YEARS = 6
RUSSIAN_SHARE = 0.7

# Yield order: every table after the tables its foreign keys point to.
ENTITY_ORDER = (
    "customer",
    "customer_phone",
    "order",
    "order_line",
    "coverage",
    "interest",
    "conversation",
    "message",
    "note",
    "survey",
    "review_case",
    "offer",
    "audit_event",
)

_ORIGINS = cumulative(
    (
        (Channel.PHONE, 30), (Channel.WEBCHAT, 20), (Channel.EMAIL, 12), (Channel.WHATSAPP, 10),
        (Channel.TELEGRAM, 8), (Channel.VK, 6), (Channel.INSTAGRAM, 5), (Channel.SMS, 2),
        (Channel.OTHER, 7),
    )
)  # fmt: skip
_SEGMENTS = cumulative((("consumer", 88), ("small_business", 9), ("corporate", 3)))
# historical value (RUB) from which a customer reaches the tier, highest first
_TIERS = (
    (Decimal(250_000), Tier.PLATINUM),
    (Decimal(100_000), Tier.GOLD),
    (Decimal(35_000), Tier.SILVER),
)
_TAGS = (
    "loyal", "price-sensitive", "early-adopter", "prefers-email", "no-calls-evening",
    "student", "pensioner", "family-plan", "blogger", "reseller",
)  # fmt: skip
# channel, share of customers who agreed to be contacted on it
_CONSENT = (
    (Channel.PHONE, 0.92), (Channel.EMAIL, 0.85), (Channel.SMS, 0.75), (Channel.WEBCHAT, 0.6),
    (Channel.WHATSAPP, 0.5), (Channel.TELEGRAM, 0.45), (Channel.VK, 0.25),
    (Channel.INSTAGRAM, 0.15),
)  # fmt: skip
_OPERATOR_NAMES = tuple(user.username for user in OPERATORS)


def generate(
    customers: int,
    *,
    seed: int = 42,
    now: datetime | None = None,
    messages_per_customer: int = 10,
) -> Iterator[tuple[str, list[Row]]]:
    """``(entity, rows)`` batches for ``customers`` customers and everything around them.

    Arguments are checked at once (``ValueError``); rows are made as they are consumed,
    a few thousand at a time, so memory stays flat however many customers are asked for.
    """
    if customers < 0:
        raise ValueError("customers must be zero or more")
    if messages_per_customer < 1:
        raise ValueError("messages_per_customer must be at least 1")
    moment = REFERENCE_NOW if now is None else now
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return _batches(World(seed, moment.astimezone(UTC), messages_per_customer), customers)


def _batches(world: World, customers: int) -> Iterator[tuple[str, list[Row]]]:
    yield "user", world.user_rows()
    yield "product", world.product_rows()
    per_batch = max(50, min(2000, 4000 // world.messages_per_customer))
    for start in range(0, customers, per_batch):
        rows: dict[str, list[Row]] = {entity: [] for entity in ENTITY_ORDER}
        for index in range(start, min(start + per_batch, customers)):
            _customer(world, index, rows)
        for entity in ENTITY_ORDER:
            if rows[entity]:
                yield entity, rows[entity]


def _customer(world: World, index: int, rows: dict[str, list[Row]]) -> None:
    rng, rnd = world.rng, world.rnd
    now = world.now_ts
    person = world.pools.person(rng, russian=rnd() < RUSSIAN_SHARE)
    customer_id = world.new_id()
    # Skewed to recent years: the business grows.
    since_ts = now - 7 * DAY - int(rnd() ** 1.6 * (HISTORY_YEARS * YEAR - 7 * DAY))
    facts = CustomerFacts(customer_id, person.language, since_ts, origin=pick(_ORIGINS, rnd()))

    add_orders(world, facts, rows)
    add_interests(world, facts, rows)
    contacts = add_contacts(world, facts, person, rows)
    add_offers(world, facts, _OPERATOR_NAMES, rows)

    phones = _phones(world, person)
    emails = _emails(world, person, index)
    clv = net_paid(facts.paid, facts.refunded)
    tier = Tier.STANDARD
    for threshold, level in _TIERS:
        if clv >= threshold:
            tier = level
            break
    segment = pick(_SEGMENTS, rnd())
    tags = _tags(world, tier, segment)
    consent = [
        str(channel)
        for channel, share in _CONSENT
        if rnd() < share and (channel is not Channel.EMAIL or emails)
    ]
    birthday = None
    if rnd() < 0.93:
        age_days = int((18 + rng.betavariate(2.2, 3.0) * 62) * 365.25)
        birthday = to_date(now - age_days * DAY - int(rnd() * DAY))
    updated = max(contacts.latest_ts, facts.last_activity_ts)
    rows["customer"].append(
        {
            "id": customer_id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "middle_name": person.middle_name,
            "name_key": person.name_key,
            "phones": phones,
            "emails": emails,
            "language": person.language,
            "timezone": person.timezone,
            "birthday": birthday,
            "customer_since": to_date(min(since_ts, contacts.earliest_ts)),
            "channel_of_origin": str(facts.origin),
            "tier": str(tier),
            "segment": segment,
            "tags": tags,
            "consent_channels": consent,
            "consent_marketing": rnd() < 0.42,
            "historical_clv": clv,
            "predicted_clv": None,
            "p_alive": None,
            "value_segment": None,
            "last_csat": contacts.last_csat,
            "last_nps": contacts.last_nps,
            "open_complaints": contacts.open_complaints,
            "currency": "RUB",
            "version": 1,
            "updated_at": to_datetime(min(updated, now)),
        }
    )
    phone_rows = rows["customer_phone"]
    for e164 in phones:
        phone_rows.append({"e164": e164, "customer_id": customer_id})


def _phones(world: World, person: Person) -> list[str]:
    rnd = world.rnd
    phones = [world.phones.mobile(person)]
    u = rnd()
    if u < 0.004 and world.household_phone and world.household_phone not in phones:
        # Someone in the same household already gave this number: one phone, two cards.
        phones.append(world.household_phone)
    elif u < 0.12:
        phones.append(world.phones.mobile(person))
    elif u < 0.2:
        landline = world.phones.landline(person)
        if landline:
            phones.append(landline)
    world.household_phone = phones[-1]
    return phones


def _emails(world: World, person: Person, index: int) -> list[str]:
    rnd = world.rnd
    if rnd() >= 0.86:
        return []
    first, last = person.first_latin, person.last_latin
    domains = RU_MAIL_DOMAINS if person.language == "ru" else EN_MAIL_DOMAINS
    # The customer's running number keeps every address unique, as real mailboxes are.
    number = index + 1
    u = rnd()
    if u < 0.35:
        local = f"{first}.{last}{number}"
    elif u < 0.6:
        local = f"{first[0]}.{last}.{number}"
    elif u < 0.8:
        local = f"{last}_{first}{number}"
    else:
        local = f"{last}{number}"
    emails = [f"{local}@{domains[int(rnd() * len(domains))]}"]
    if rnd() < 0.12:
        work = WORK_MAIL_DOMAINS[int(rnd() * len(WORK_MAIL_DOMAINS))]
        emails.append(f"{first}.{last}.{number}@{work}")
    return emails


def _tags(world: World, tier: Tier, segment: str) -> list[str]:
    rnd = world.rnd
    tags = []
    if tier is Tier.PLATINUM or (tier is Tier.GOLD and rnd() < 0.3):
        tags.append("vip")
    if segment != "consumer":
        tags.append("b2b")
    u = rnd()
    extra = 2 if u < 0.08 else 1 if u < 0.35 else 0
    for _ in range(extra):
        tag = _TAGS[int(rnd() * len(_TAGS))]
        if tag not in tags:
            tags.append(tag)
    return tags
