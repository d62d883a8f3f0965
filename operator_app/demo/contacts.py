"""How a demo customer talks to the company: conversations, messages and notes.

Most conversations are long resolved. A share of customers has a live one: open and
"hanging" (the customer wrote last and has waited longer than the channel's
first-response SLA), open and fresh, waiting on the customer, or pending with a
follow-up due. Bodies come from templates in the customer's language.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from operator_app.demo.catalog import ProductKind
from operator_app.demo.commerce import CustomerFacts, cumulative, pick
from operator_app.demo.feedback import ContactOutcome, add_survey
from operator_app.demo.people import Person
from operator_app.demo.texts import (
    AGENT_CLOSE,
    AGENT_FOLLOW_UP,
    ATTACHMENTS,
    CALL_PREFIX,
    CUSTOMER_CLOSE,
    CUSTOMER_FOLLOW_UP,
    GREETING,
    MISSED_CALL,
    NOTES,
)
from operator_app.demo.topics import TOPICS, Topic
from operator_app.demo.users import OPERATORS, DemoUser
from operator_app.demo.world import DAY, Row, World, to_datetime
from operator_app.domain.enums import DEFAULT_FIRST_RESPONSE_SLA, Channel, ConversationStatus

# Share of customers whose latest conversation is still live.
LIVE_SHARE = 0.06


class Live(Enum):
    HANGING = "hanging"  # customer wrote last, waiting past the SLA
    FRESH = "fresh"  # customer wrote last, still within the SLA
    AWAITING_CUSTOMER = "awaiting_customer"  # agent wrote last
    PENDING = "pending"  # agent wrote last, follow-up scheduled


LIVE_MODES = cumulative(
    ((Live.HANGING, 35), (Live.FRESH, 15), (Live.AWAITING_CUSTOMER, 20), (Live.PENDING, 30))
)
_SLA = {channel: int(sla.total_seconds()) for channel, sla in DEFAULT_FIRST_RESPONSE_SLA.items()}
_CHANNELS_RU = cumulative(
    (
        (Channel.PHONE, 30), (Channel.EMAIL, 13), (Channel.WEBCHAT, 15), (Channel.WHATSAPP, 12),
        (Channel.TELEGRAM, 10), (Channel.VK, 6), (Channel.INSTAGRAM, 4), (Channel.SMS, 5),
        (Channel.OTHER, 5),
    )
)  # fmt: skip
_CHANNELS_EN = cumulative(
    (
        (Channel.PHONE, 25), (Channel.EMAIL, 20), (Channel.WEBCHAT, 15), (Channel.WHATSAPP, 17),
        (Channel.TELEGRAM, 8), (Channel.VK, 1), (Channel.INSTAGRAM, 6), (Channel.SMS, 4),
        (Channel.OTHER, 4),
    )
)  # fmt: skip
# (fewest, most) messages a conversation on the channel usually has
_LENGTHS = {
    Channel.PHONE: (1, 2),
    Channel.SMS: (1, 3),
    Channel.OTHER: (1, 2),
    Channel.EMAIL: (2, 5),
    Channel.WEBCHAT: (2, 8),
    Channel.WHATSAPP: (2, 8),
    Channel.TELEGRAM: (2, 8),
    Channel.VK: (2, 6),
    Channel.INSTAGRAM: (2, 5),
}
# (shortest, longest) seconds a customer takes to answer the agent
_CUSTOMER_GAPS = {
    Channel.PHONE: (300, 2 * DAY),
    Channel.SMS: (120, 6 * 3600),
    Channel.OTHER: (3600, 5 * DAY),
    Channel.EMAIL: (1800, 2 * DAY),
}
_CHAT_GAP = (20, 2400)
_TOPICS = cumulative(tuple((topic, topic.weight) for topic in TOPICS))
# Topics about something that was shipped.
_SHIPPED = frozenset({"delivery", "refund", "order_change"})
_FALLBACK = {topic.code: topic for topic in TOPICS}
_fromtimestamp = datetime.fromtimestamp


@dataclass(frozen=True, slots=True)
class ContactSummary:
    open_complaints: int
    earliest_ts: int
    latest_ts: int
    last_csat: int | None
    last_nps: int | None


def _agent(world: World) -> DemoUser:
    # The demo's own ``operator`` handles a large share, so "my open contacts" is full.
    rnd = world.rnd
    if rnd() < 0.4:
        return OPERATORS[0]
    return OPERATORS[int(rnd() * len(OPERATORS))]


def _choose_topic(
    world: World, facts: CustomerFacts, latest_ts: int, live: bool
) -> tuple[Topic, dict[str, str], int]:
    """A topic, the references its messages mention, and the earliest time it fits."""
    rnd = world.rnd
    topic: Topic = pick(_TOPICS, rnd())
    refs = {"order": "", "product": "", "contract": ""}
    earliest = facts.since_ts
    if topic.ref == "order":
        orders = facts.orders
        if topic.code in _SHIPPED:
            orders = [o for o in orders if o.physical]
        if live:
            orders = [o for o in orders if o.ts > latest_ts - 30 * DAY]
        else:
            orders = [o for o in orders if o.ts < latest_ts]
        if orders:
            order = orders[int(rnd() * len(orders))]
            refs["order"], refs["product"] = order.number, order.main.name
            return topic, refs, order.ts
        topic = _FALLBACK["billing"]
    elif topic.ref == "contract":
        if facts.coverages:
            coverage = facts.coverages[int(rnd() * len(facts.coverages))]
            refs["contract"] = coverage.contract_number
            refs["product"] = coverage.product.name
            return topic, refs, earliest
        topic = _FALLBACK["product_question"]
    if topic.code == "warranty_repair":
        owned = [(p, ts) for p, ts in facts.owned if p.kind is ProductKind.DEVICE]
        if owned:
            device, bought = owned[int(rnd() * len(owned))]
            refs["product"] = device.name
            return topic, refs, bought
        topic = _FALLBACK["product_question"]
    if topic.ref == "product":
        devices = world.devices_on_sale(latest_ts)
        refs["product"] = devices[int(rnd() * len(devices))].name
    return topic, refs, earliest


def _directions(world: World, n: int, outbound_first: bool, last: str | None) -> list[str]:
    rnd = world.rnd
    dirs = ["out" if outbound_first else "in"]
    for _ in range(n - 1):
        previous = dirs[-1]
        dirs.append(previous if rnd() < 0.15 else ("out" if previous == "in" else "in"))
    if last is not None and dirs[-1] != last:
        dirs[-1] = last
    return dirs


def _offsets(world: World, channel: Channel, dirs: list[str], breached: bool) -> list[int]:
    """Seconds from the first message to each message."""
    rnd = world.rnd
    sla = _SLA[channel]
    low, high = _CUSTOMER_GAPS.get(channel, _CHAT_GAP)
    t = 0
    offsets = [0]
    # A call is answered when it is picked up; a later outbound call is a call back.
    phone = channel is Channel.PHONE
    answered = phone
    for i in range(1, len(dirs)):
        gap: float
        if dirs[i] == "out":
            if phone:
                gap = 600 + rnd() * 20 * 3600
            elif dirs[i - 1] == "in" and not answered:
                gap = sla * (1.1 + rnd() * 7 if breached else 0.05 + rnd() * 0.9)
                answered = True
            else:
                gap = sla * (0.3 + rnd() * 3)
        else:
            gap = low + (high - low) * rnd() ** 2
        t += int(gap) + 1
        offsets.append(t)
    return offsets


def add_contacts(
    world: World, facts: CustomerFacts, person: Person, rows: dict[str, list[Row]]
) -> ContactSummary:
    rng, rnd = world.rng, world.rnd
    now = world.now_ts
    budget = max(1, round(world.messages_per_customer * rng.gammavariate(2.0, 0.5)))
    favourite = facts.origin
    channels = _CHANNELS_RU if person.language == "ru" else _CHANNELS_EN
    plan: list[tuple[Channel, int]] = []
    while budget > 0:
        channel = favourite if rnd() < 0.35 else pick(channels, rnd())
        fewest, most = _LENGTHS[channel]
        n = min(budget, fewest + int(rnd() * (most - fewest + 1)))
        plan.append((channel, n))
        budget -= n
    live_mode = pick(LIVE_MODES, rnd()) if rnd() < LIVE_SHARE else None

    lang = person.language
    c_suffix = "а" if person.female and lang == "ru" else ""
    ctx_base = {"name": person.formal_name, "c": c_suffix}
    outcome = ContactOutcome()
    earliest = latest = facts.since_ts
    complaints = 0
    # Contacts cluster in the time the customer is active; after leaving, few come.
    active_end = now if facts.dropout_ts is None else min(now, facts.dropout_ts + 120 * DAY)
    for index, (channel, n) in enumerate(plan):
        live = live_mode if index == len(plan) - 1 else None
        end = now - 2 * DAY if live is None else now
        if live is None and rnd() < 0.8:
            end = min(end, active_end)
        topic, refs, not_before = _choose_topic(world, facts, end, live is not None)
        outbound_first = topic.proactive and rnd() < 0.4
        if live in (Live.HANGING, Live.FRESH):
            last: str | None = "in"
        elif live is not None:
            last = "out"
        else:
            last = None
        if n == 1 and last == "out":
            outbound_first = True
        dirs = _directions(world, n, outbound_first, last)
        breached = rnd() < 0.15
        offsets = _offsets(world, channel, dirs, breached)
        sla = _SLA[channel]

        if live is None:
            start_low = max(not_before, facts.since_ts)
            opened = int(start_low + rnd() * max(end - start_low, 0))
            if topic.ref == "order":
                opened = min(not_before + 3600 + int(rnd() * 10 * DAY), end)
            overshoot = opened + offsets[-1] - (now - 3600)
            if overshoot > 0:
                opened -= overshoot + int(rnd() * DAY)
        else:
            if live is Live.HANGING:
                waiting = sla * 1.5 + rnd() ** 3 * 5 * DAY
            elif live is Live.FRESH:
                waiting = sla * (0.05 + rnd() * 0.8)
            else:
                waiting = 600 + rnd() * 2 * DAY
            opened = now - int(waiting) - offsets[-1]
        times = [opened + offset for offset in offsets]

        agent = _agent(world)
        assignee: str | None = agent.username
        if live is Live.FRESH and rnd() < 0.6:
            assignee = None  # still in the incoming queue
        elif live is not None and rnd() < 0.08:
            assignee = None
        ctx = dict(ctx_base, agent=agent.first_name(lang), days=str(2 + int(rnd() * 5)), **refs)
        conversation_id = world.new_id()
        _messages(
            world,
            facts,
            person,
            channel,
            topic,
            dirs,
            times,
            live,
            agent,
            ctx,
            conversation_id,
            rows,
        )

        first_response = _first_response(world, channel, dirs, times, live, breached)
        inbound = [t for t, d in zip(times, dirs, strict=True) if d == "in"]
        outbound = [t for t, d in zip(times, dirs, strict=True) if d == "out"]
        resolved_at = None
        follow_up = None
        if live is None:
            status = ConversationStatus.RESOLVED
            resolved_at = min(times[-1] + 60 + int(rnd() * 3600), now)
        elif live is Live.PENDING:
            status = ConversationStatus.PENDING
            follow_up = _follow_up(world)
        else:
            status = ConversationStatus.OPEN
            if live is Live.AWAITING_CUSTOMER and rnd() < 0.3:
                follow_up = _follow_up(world, due_today=True)
        if topic.code == "complaint" and status is not ConversationStatus.RESOLVED:
            complaints += 1
        title = topic.title[lang].format_map(ctx)
        last_ts = max(times[-1], resolved_at or 0)
        rows["conversation"].append(
            {
                "id": conversation_id,
                "customer_id": facts.id,
                "channel": str(channel),
                "status": str(status),
                "topic": title,
                "assignee": assignee,
                "opened_at": to_datetime(times[0]),
                "first_response_at": to_datetime(first_response) if first_response else None,
                "resolved_at": to_datetime(resolved_at) if resolved_at else None,
                "next_follow_up_at": to_datetime(follow_up) if follow_up else None,
                "last_inbound_at": to_datetime(inbound[-1]) if inbound else None,
                "last_outbound_at": to_datetime(outbound[-1]) if outbound else None,
                "version": 1,
                "updated_at": to_datetime(last_ts),
            }
        )
        earliest = min(earliest, times[0])
        latest = max(latest, last_ts)
        if resolved_at is not None:
            add_survey(
                world, facts, lang, channel, conversation_id, resolved_at,
                breached or topic.code == "complaint", outcome, rows,
            )  # fmt: skip
    _notes(world, facts, lang, rows)
    return ContactSummary(complaints, earliest, latest, outcome.last_csat, outcome.last_nps)


def _first_response(
    world: World,
    channel: Channel,
    dirs: list[str],
    times: list[int],
    live: Live | None,
    breached: bool,
) -> int | None:
    first_in = dirs.index("in") if "in" in dirs else None
    if first_in is None:
        return None  # the company wrote first and the customer has not answered yet
    waiting = live in (Live.HANGING, Live.FRESH)
    if channel in (Channel.PHONE, Channel.OTHER) and not (waiting and first_in == len(dirs) - 1):
        # A call picked up, a visitor served: the answer is the contact itself.
        factor = 1.1 + world.rnd() * 4 if breached else 0.1 + world.rnd() * 0.8
        return times[first_in] + int(_SLA[channel] * factor)
    for i in range(first_in + 1, len(dirs)):
        if dirs[i] == "out":
            return times[i]
    return None


def _follow_up(world: World, due_today: bool = False) -> int:
    rnd = world.rnd
    u = 0.0 if due_today else rnd()
    if u < 0.45:  # due today, some of it already past
        start = world.today_start_ts
        return start + int(rnd() * (DAY - 60))
    if u < 0.65:  # overdue since an earlier day
        return world.today_start_ts - int((0.2 + rnd() * 2.5) * DAY)
    return world.today_start_ts + int((1 + rnd() * 6) * DAY)


def _messages(
    world: World,
    facts: CustomerFacts,
    person: Person,
    channel: Channel,
    topic: Topic,
    dirs: list[str],
    times: list[int],
    live: Live | None,
    agent: DemoUser,
    ctx: dict[str, str],
    conversation_id: uuid.UUID,
    rows: dict[str, list[Row]],
) -> None:
    # The hottest loop of the generator (ten million rows for a big build): locals only.
    rnd = world.rnd
    new_id = world.new_id
    append = rows["message"].append
    lang = person.language
    customer_id = facts.id
    customer_name = person.display_name
    agent_name = agent.name
    opener, reply = topic.opener[lang], topic.reply[lang]
    follow_in, follow_out = CUSTOMER_FOLLOW_UP[lang], AGENT_FOLLOW_UP[lang]
    close_in, close_out = CUSTOMER_CLOSE[lang], AGENT_CLOSE[lang]
    phone = channel is Channel.PHONE
    call_in, call_out = CALL_PREFIX["in"][lang], CALL_PREFIX["out"][lang]
    last = len(dirs) - 1
    closing = live is None
    said_topic = replied = False
    for i, direction in enumerate(dirs):
        attachments = []
        if direction == "in":
            if not said_topic:
                options, said_topic = opener, True
            elif closing and i == last:
                options = close_in
            else:
                options = follow_in
            author = customer_name
            if not phone and rnd() < 0.04:
                attachments = [ATTACHMENTS[int(rnd() * len(ATTACHMENTS))]]
        else:
            greeting = not replied
            if greeting:
                options, replied = reply, True
            elif closing and i == last:
                options = close_out
            else:
                options = follow_out if rnd() < 0.6 else reply
            author = agent_name
        body = options[int(rnd() * len(options))]
        if "{" in body:
            body = body.format_map(ctx)
        if direction == "out" and greeting:
            body = GREETING[lang].format_map(ctx) + body
        if phone:
            if direction == "in" and live is Live.HANGING and i == last:
                body = MISSED_CALL[lang]
            else:
                seconds = 20 + int(rnd() * 600)
                prefix = call_in if direction == "in" else call_out
                body = prefix.format(duration=f"{seconds // 60}:{seconds % 60:02d}") + body
        append(
            {
                "id": new_id(),
                "conversation_id": conversation_id,
                "customer_id": customer_id,
                "direction": direction,
                "author": author,
                "body": body,
                "sent_at": _fromtimestamp(times[i], UTC),
                "attachments": attachments,
            }
        )


def _notes(world: World, facts: CustomerFacts, lang: str, rows: dict[str, list[Row]]) -> None:
    rnd = world.rnd
    u = rnd()
    count = 2 if u < 0.05 else 1 if u < 0.22 else 0
    texts = NOTES[lang]
    for _ in range(count):
        author = OPERATORS[int(rnd() * len(OPERATORS))]
        ts = int(facts.since_ts + rnd() * max(world.now_ts - facts.since_ts, 0))
        rows["note"].append(
            {
                "id": world.new_id(),
                "customer_id": facts.id,
                "author": author.name,
                "body": texts[int(rnd() * len(texts))],
                "created_at": to_datetime(ts),
                "version": 1,
                "updated_at": to_datetime(ts),
            }
        )
