"""Simulated customer traffic for demo databases: incoming calls and inbound messages.

Every few seconds (jittered, reproducible with a seed) a random customer either calls
the demo operator — through :func:`announce_incoming`, the telephony hook's own path,
so the operator's window pops the card — or writes into one of their conversations,
which reopens it; the message and the conversation go through the change log like any
other change, so every client pulls them. Only databases created with ``init --demo``
take part: the simulator never writes invented customer traffic into real data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from operator_app.demo.texts import CUSTOMER_FOLLOW_UP
from operator_app.domain.enums import Channel, ConversationStatus, Direction
from operator_app.server.changelog import PendingChange, append
from operator_app.server.context import ServerContext
from operator_app.server.errors import ApiProblem
from operator_app.server.models import Conversation, Customer, Message
from operator_app.server.schema import is_demo
from operator_app.server.telephony import announce_incoming

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 0.05
MAX_INTERVAL_S = 3600.0
ACTOR = "demo-traffic"
CALL_SHARE = 0.5  # the rest are inbound messages


@dataclass(frozen=True, slots=True)
class TrafficState:
    enabled: bool
    interval_s: float


class TrafficSimulator:
    """The background task behind ``/admin/demo/traffic``; lives on the server's loop."""

    def __init__(self, context: ServerContext) -> None:
        settings = context.settings
        self.context = context
        self._rng = random.Random(settings.traffic_seed)
        self._enabled = settings.simulate_traffic
        self._interval_s = settings.traffic_interval_s
        self._changed: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._demo: bool | None = None

    @property
    def state(self) -> TrafficState:
        return TrafficState(self._enabled, self._interval_s)

    def database_is_demo(self) -> bool:
        """Whether this database was created as a demo (read once: it never changes)."""
        if self._demo is None:
            with self.context.db.reading() as session:
                self._demo = is_demo(session)
        return self._demo

    def configure(self, *, enabled: bool, interval_s: float | None = None) -> TrafficState:
        """Switch on or off (call on the server's loop); a new interval applies at once."""
        if interval_s is not None:
            self._interval_s = interval_s
        self._enabled = enabled
        if self._changed is not None:
            self._changed.set()  # restart the wait with the new settings
        return self.state

    def start(self) -> None:
        self._changed = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="demo-traffic")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        assert self._changed is not None
        if self._enabled and not await asyncio.to_thread(self.database_is_demo):
            log.warning("traffic simulation is for demo databases only; it stays off")
            self._enabled = False
        while True:
            self._changed.clear()
            if not self._enabled:
                await self._changed.wait()
                continue
            delay = self._interval_s * self._rng.uniform(0.5, 1.5)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=delay)
                continue  # switched or re-timed meanwhile: start over
            try:
                await asyncio.to_thread(self.step)
            except Exception:  # one failed tick must not end the simulation
                log.exception("simulated traffic tick failed")

    def step(self) -> str | None:
        """One simulated contact: ``"call"``, ``"message"``, or None (no customers)."""
        with self.context.db.reading() as session:
            count = session.scalar(select(func.count()).select_from(Customer)) or 0
            if count == 0:
                return None
            customer = session.scalars(
                select(Customer).order_by(Customer.id).offset(self._rng.randrange(count)).limit(1)
            ).one()
            phones = [str(p) for p in customer.phones or [] if p]
            conversation_ids = list(
                session.scalars(
                    select(Conversation.id)
                    .where(Conversation.customer_id == customer.id)
                    .order_by(Conversation.opened_at, Conversation.id)
                )
            )
            name = f"{customer.first_name} {customer.last_name}".strip()
            language = customer.language
        call = self._rng.random() < CALL_SHARE
        if phones and (call or not conversation_ids):
            return self._call(self._rng.choice(phones))
        if conversation_ids:
            self._message(self._rng.choice(conversation_ids), name, language)
            return "message"
        return None

    def _call(self, phone: str) -> str | None:
        operator = self.context.settings.traffic_operator
        try:
            announce_incoming(self.context, phone=phone, channel=Channel.PHONE, operator=operator)
        except ApiProblem as problem:  # no such operator here: pop it up for everyone
            log.info("simulated call to everyone: %s", problem)
            try:
                announce_incoming(self.context, phone=phone, channel=Channel.PHONE, operator=None)
            except ApiProblem:
                return None  # a stored phone the parser rejects: skip this tick
        return "call"

    def _message(self, conversation_id: uuid.UUID, name: str, language: str) -> None:
        texts = CUSTOMER_FOLLOW_UP.get(language, CUSTOMER_FOLLOW_UP["en"])
        body = self._rng.choice(texts).replace("{c}", "")
        # Not from the seeded generator: a restart with the same seed must not reuse ids.
        message_id = uuid.uuid4()
        now = self.context.now()
        with self.context.db.writing() as session:
            conversation = session.get(Conversation, conversation_id, with_for_update=True)
            if conversation is None:  # deleted since the pick
                return
            message = Message(
                id=message_id,
                conversation_id=conversation.id,
                customer_id=conversation.customer_id,
                direction=Direction.INBOUND.value,
                author=name or "Customer",
                body=body,
                sent_at=now,
                attachments=[],
                version=1,
                updated_at=now,
            )
            session.add(message)
            # A customer writing again puts the conversation back in the operators' queue.
            conversation.status = ConversationStatus.OPEN.value
            conversation.resolved_at = None
            conversation.last_inbound_at = now
            conversation.version += 1
            conversation.updated_at = now
            last_seq = append(
                session,
                [
                    PendingChange("message", message, "create"),
                    PendingChange("conversation", conversation, "update"),
                ],
                actor=ACTOR,
                at=now,
            )
        if last_seq is not None:
            self.context.hub.publish("change", {"seq": last_seq})
