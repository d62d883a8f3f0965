"""Stand-ins for the cache repositories until the cache layer's own land on main.

Straightforward SQL over the real cache schema, good enough for a few hundred rows.
The window tests patch these in; delete this file once ``cache.repositories`` is real.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select

from operator_app.cache import models as m
from operator_app.cache.repositories import CustomerRepository, TimelineCursor, WorklistRepository
from operator_app.domain.entities import (
    Consent,
    Conversation,
    Coverage,
    Customer,
    CustomerCard,
    CustomerSummary,
    CustomerValue,
    Interest,
    Order,
    TimelineItem,
    WorklistItem,
)
from operator_app.domain.enums import (
    Channel,
    ConversationStatus,
    CoverageKind,
    Direction,
    InterestStage,
    OrderStatus,
    Tier,
    TimelineKind,
)
from operator_app.domain.phones import normalize_phone, query_digits
from operator_app.domain.text import fold


def _summary(row: m.CustomerRow, open_ids: set[uuid.UUID]) -> CustomerSummary:
    name = " ".join(p for p in (row.last_name, row.first_name, row.middle_name) if p)
    return CustomerSummary(
        id=row.id,
        display_name=name,
        phone=row.phones[0] if row.phones else None,
        email=row.emails[0] if row.emails else None,
        tier=Tier(row.tier),
        has_open_contact=row.id in open_ids,
    )


class InterimCustomerRepository(CustomerRepository):
    def _summaries(self, rows: list[m.CustomerRow]) -> list[CustomerSummary]:
        ids = [r.id for r in rows]
        with self.engine.connect() as conn:
            open_ids = set(
                conn.execute(
                    select(m.ConversationRow.customer_id).where(
                        m.ConversationRow.customer_id.in_(ids),
                        m.ConversationRow.status != "resolved",
                    )
                ).scalars()
            )
        return [_summary(r, open_ids) for r in rows]

    def _rows(self, stmt) -> list[m.CustomerRow]:  # type: ignore[no-untyped-def]
        from sqlalchemy.orm import Session

        with Session(self.engine) as session:
            rows = list(session.execute(stmt).scalars())
            session.expunge_all()
        return rows

    def search(self, query: str, limit: int = 50) -> list[CustomerSummary]:
        text = query.strip()
        if not text:
            return []
        digits = query_digits(text)
        conds = []
        if digits:
            keys = {digits}
            if digits.startswith("8") and len(digits) > 1:
                keys.add("7" + digits[1:])
            keys.add("7" + digits)
            conds += [m.CustomerRow.phones.cast(m.Text).like(f'%"+{k}%') for k in keys]
            conds.append(
                m.CustomerRow.id.in_(
                    select(m.OrderRow.customer_id).where(m.OrderRow.number.like(f"%{digits}%"))
                )
            )
        folded = fold(text)
        conds.append(m.CustomerRow.name_key.like(f"{folded}%"))
        conds.append(m.CustomerRow.name_key.like(f"% {folded}%"))
        conds.append(m.CustomerRow.emails.cast(m.Text).like(f"%{text.lower()}%"))
        conds.append(
            m.CustomerRow.id.in_(
                select(m.OrderRow.customer_id).where(m.OrderRow.number == text.upper())
            )
        )
        conds.append(
            m.CustomerRow.id.in_(
                select(m.CoverageRow.customer_id).where(
                    m.CoverageRow.contract_number == text.upper()
                )
            )
        )
        stmt = (
            select(m.CustomerRow)
            .where(or_(*conds))
            .order_by(m.CustomerRow.name_key, m.CustomerRow.id)
            .limit(limit)
        )
        return self._summaries(self._rows(stmt))

    def find_by_phone(self, raw_phone: str) -> list[CustomerSummary]:
        phone = normalize_phone(raw_phone)
        if phone is None:
            return []
        stmt = (
            select(m.CustomerRow)
            .join(m.CustomerPhoneRow, m.CustomerPhoneRow.customer_id == m.CustomerRow.id)
            .where(m.CustomerPhoneRow.e164 == phone.e164)
            .order_by(m.CustomerRow.name_key)
        )
        return self._summaries(self._rows(stmt))

    def get_card(self, customer_id: uuid.UUID) -> CustomerCard | None:
        with self.engine.connect() as conn:
            c = conn.execute(
                select(m.CustomerRow).where(m.CustomerRow.id == customer_id)
            ).one_or_none()
            if c is None:
                return None
            names = dict(conn.execute(select(m.ProductRow.id, m.ProductRow.name)).tuples().all())
            orders = conn.execute(
                select(m.OrderRow)
                .where(m.OrderRow.customer_id == customer_id)
                .order_by(m.OrderRow.ordered_at.desc())
                .limit(10)
            ).all()
            coverages = conn.execute(
                select(m.CoverageRow).where(m.CoverageRow.customer_id == customer_id)
            ).all()
            interests = conn.execute(
                select(m.InterestRow).where(m.InterestRow.customer_id == customer_id)
            ).all()
            convs = conn.execute(
                select(m.ConversationRow).where(
                    m.ConversationRow.customer_id == customer_id,
                    m.ConversationRow.status != "resolved",
                )
            ).all()
        customer = Customer(
            id=c.id,
            first_name=c.first_name,
            last_name=c.last_name,
            middle_name=c.middle_name,
            phones=tuple(c.phones),
            emails=tuple(c.emails),
            language=c.language,
            timezone=c.timezone,
            birthday=c.birthday,
            customer_since=c.customer_since,
            channel_of_origin=Channel(c.channel_of_origin),
            tier=Tier(c.tier),
            segment=c.segment,
            tags=tuple(c.tags),
            consent=Consent(frozenset(Channel(x) for x in c.consent_channels), c.consent_marketing),
            value=CustomerValue(
                historical_clv=c.historical_clv,
                predicted_clv=c.predicted_clv,
                p_alive=c.p_alive,
                segment=c.value_segment,
                last_csat=c.last_csat,
                last_nps=c.last_nps,
                open_complaints=c.open_complaints,
                currency=c.currency,
            ),
        )
        return CustomerCard(
            customer=customer,
            orders=tuple(
                Order(
                    id=o.id,
                    customer_id=o.customer_id,
                    number=o.number,
                    ordered_at=o.ordered_at,
                    amount=o.amount,
                    currency=o.currency,
                    status=OrderStatus(o.status),
                )
                for o in orders
            ),
            coverages=tuple(
                Coverage(
                    id=v.id,
                    customer_id=v.customer_id,
                    product_id=v.product_id,
                    product_name=names.get(v.product_id, "?"),
                    kind=CoverageKind(v.kind),
                    contract_number=v.contract_number,
                    starts=v.starts,
                    ends=v.ends,
                    auto_renew=v.auto_renew,
                )
                for v in coverages
            ),
            interests=tuple(
                Interest(
                    id=i.id,
                    customer_id=i.customer_id,
                    product_id=i.product_id,
                    product_name=names.get(i.product_id, "?"),
                    stage=InterestStage(i.stage),
                    last_activity_at=i.last_activity_at,
                )
                for i in interests
            ),
            open_conversations=tuple(
                Conversation(
                    id=v.id,
                    customer_id=v.customer_id,
                    channel=Channel(v.channel),
                    status=ConversationStatus(v.status),
                    topic=v.topic,
                    assignee=v.assignee,
                    opened_at=v.opened_at,
                )
                for v in convs
            ),
            order_count=len(orders),
        )

    def timeline_page(
        self, customer_id: uuid.UUID, before: TimelineCursor | None = None, limit: int = 50
    ) -> list[TimelineItem]:
        items: list[TimelineItem] = []
        sources = [
            (m.MessageRow, m.MessageRow.sent_at),
            (m.ConversationRow, m.ConversationRow.opened_at),
            (m.NoteRow, m.NoteRow.created_at),
            (m.SurveyRow, m.SurveyRow.sent_at),
            (m.OfferRow, m.OfferRow.at),
        ]
        with self.engine.connect() as conn:
            for table, ts in sources:
                cond = table.customer_id == customer_id
                if before is not None:
                    cond = and_(
                        cond,
                        or_(ts < before[0], and_(ts == before[0], table.id < before[1])),
                    )
                rows = conn.execute(
                    select(table).where(cond).order_by(ts.desc(), table.id.desc()).limit(limit)
                ).all()
                items += [_timeline_item(table, r) for r in rows]
        items.sort(key=lambda i: (i.at, i.id.bytes), reverse=True)
        return items[:limit]


def _timeline_item(table: type, r) -> TimelineItem:  # type: ignore[no-untyped-def]
    if table is m.MessageRow:
        return TimelineItem(
            kind=TimelineKind.MESSAGE,
            id=r.id,
            at=r.sent_at,
            title=r.author,
            body=r.body,
            direction=Direction(r.direction),
        )
    if table is m.ConversationRow:
        return TimelineItem(
            kind=TimelineKind.CONVERSATION,
            id=r.id,
            at=r.opened_at,
            title=r.topic,
            body=f"Conversation {r.status}",
            channel=Channel(r.channel),
            is_open=r.status != "resolved",
        )
    if table is m.NoteRow:
        return TimelineItem(
            kind=TimelineKind.NOTE,
            id=r.id,
            at=r.created_at,
            title=f"Note by {r.author}",
            body=r.body,
        )
    if table is m.SurveyRow:
        return TimelineItem(
            kind=TimelineKind.SURVEY,
            id=r.id,
            at=r.sent_at,
            title=f"{r.kind.upper()} survey",
            body=r.comment,
            channel=Channel(r.channel),
            score=r.score,
        )
    return TimelineItem(
        kind=TimelineKind.OFFER,
        id=r.id,
        at=r.at,
        title=f"Offer: {r.reason_code} — {r.outcome}",
        body=r.explanation,
    )


class InterimWorklistRepository(WorklistRepository):
    def _items(self, cond, since_col, now: datetime | None, limit: int) -> list[WorklistItem]:  # type: ignore[no-untyped-def]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(m.ConversationRow, m.CustomerRow.last_name, m.CustomerRow.first_name)
                .join(m.CustomerRow, m.CustomerRow.id == m.ConversationRow.customer_id)
                .where(cond)
                .order_by(since_col)
                .limit(limit)
            ).all()
        out = []
        for r in rows:
            since = getattr(r, since_col.key)
            out.append(
                WorklistItem(
                    conversation_id=r.id,
                    customer_id=r.customer_id,
                    customer_name=f"{r.last_name} {r.first_name}",
                    channel=Channel(r.channel),
                    status=ConversationStatus(r.status),
                    topic=r.topic,
                    since=since,
                    overdue=bool(now and since < now),
                )
            )
        return out

    def open_contacts(self, assignee: str | None, limit: int = 100) -> list[WorklistItem]:
        cond = m.ConversationRow.status != "resolved"
        if assignee is not None:
            cond = and_(cond, m.ConversationRow.assignee == assignee)
        return self._items(cond, m.ConversationRow.opened_at, None, limit)

    def follow_ups_due(self, now: datetime, limit: int = 100) -> list[WorklistItem]:
        cond = and_(
            m.ConversationRow.next_follow_up_at.is_not(None),
            m.ConversationRow.next_follow_up_at <= now,
        )
        return self._items(cond, m.ConversationRow.next_follow_up_at, None, limit)

    def hanging(self, now: datetime, limit: int = 100) -> list[WorklistItem]:
        cond = and_(
            m.ConversationRow.status != "resolved",
            m.ConversationRow.last_inbound_at.is_not(None),
            m.ConversationRow.last_outbound_at.is_(None),
        )
        return self._items(cond, m.ConversationRow.last_inbound_at, now, limit)
