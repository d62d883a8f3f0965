"""Simulated customer traffic for demo databases: incoming calls and inbound messages.

Every few seconds (jittered, reproducible with a seed) a random customer either calls
the demo operator — through :func:`announce_incoming`, the telephony hook's own path,
so the operator's window pops the card — or writes into one of their conversations,
which reopens it; the message and the conversation go through the change log like any
other change, so every client pulls them. Only databases created with ``init --demo``
take part: the simulator never writes invented customer traffic into real data.

With several workers (``serve --workers N``) whether it is on, and how often it ticks,
is kept in ``server_meta`` (the switch may be flipped through any worker; ``serve`` sets
it once before the workers start), and the ticks run in one worker only: the one holding
the ``demo-traffic`` lease. Another takes over if that one goes away. One process keeps
the switch in memory, as the command line set it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from operator_app.demo.texts import CUSTOMER_FOLLOW_UP
from operator_app.domain.enums import Channel, ConversationStatus, Direction
from operator_app.server.changelog import PendingChange, append
from operator_app.server.context import ServerContext
from operator_app.server.db import Database
from operator_app.server.errors import ApiProblem
from operator_app.server.leases import hold_lease, release_lease
from operator_app.server.models import Conversation, Customer, Message
from operator_app.server.schema import is_demo, read_meta, write_meta
from operator_app.server.settings import utc_now
from operator_app.server.telephony import announce_incoming

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 0.05
MAX_INTERVAL_S = 3600.0
ACTOR = "demo-traffic"
CALL_SHARE = 0.5  # the rest are inbound messages
STATE_KEY = "demo_traffic"
LEASE = "demo-traffic"
LEASE_TTL = timedelta(seconds=10)
STATE_POLL_S = 1.0  # a switch flipped through another worker is noticed this soon


@dataclass(frozen=True, slots=True)
class TrafficState:
    enabled: bool
    interval_s: float


def write_traffic_state(db: Database, state: TrafficState) -> None:
    value = json.dumps({"enabled": state.enabled, "interval_s": state.interval_s})
    with db.writing() as session:
        write_meta(session, STATE_KEY, value)


class TrafficSimulator:
    """The background task behind ``/admin/demo/traffic``; lives on the server's loop."""

    def __init__(self, context: ServerContext) -> None:
        settings = context.settings
        self.context = context
        self._rng = random.Random(settings.traffic_seed)
        self._initial = TrafficState(settings.simulate_traffic, settings.traffic_interval_s)
        self._shared = settings.workers > 1
        self._local = self._initial  # the switch, when this process is the only one
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._demo: bool | None = None
        self._lease_fresh_until = 0.0  # monotonic: no need to renew the lease before this

    def database_is_demo(self) -> bool:
        """Whether this database was created as a demo (read once: it never changes)."""
        if self._demo is None:
            with self.context.db.reading() as session:
                self._demo = is_demo(session)
        return self._demo

    # --- the switch (blocking: call from a worker thread) ------------------------------

    def load_state(self) -> TrafficState:
        if not self._shared:
            return self._local
        with self.context.db.reading() as session:
            raw = read_meta(session, STATE_KEY)
        if not raw:
            return self._initial
        stored = json.loads(raw)
        return TrafficState(bool(stored["enabled"]), float(stored["interval_s"]))

    def save_state(self, state: TrafficState) -> None:
        if self._shared:
            write_traffic_state(self.context.db, state)
        else:
            self._local = state

    def configure(self, *, enabled: bool, interval_s: float | None = None) -> TrafficState:
        """Switch on or off; a new interval applies at once."""
        current = self.load_state()
        state = TrafficState(enabled, current.interval_s if interval_s is None else interval_s)
        self.save_state(state)
        loop, changed = self._loop, self._changed
        if loop is not None and changed is not None:
            with contextlib.suppress(RuntimeError):  # the loop is shutting down
                loop.call_soon_threadsafe(changed.set)  # restart the wait with the new settings
        return state

    # --- the task ------------------------------------------------------------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._task = self._loop.create_task(self._run(), name="demo-traffic")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._lease_fresh_until:
            with contextlib.suppress(Exception):  # let another worker take over at once
                await asyncio.to_thread(
                    release_lease, self.context.db, LEASE, self.context.worker_id, now=utc_now()
                )

    def _lead(self) -> bool:
        """Whether this worker runs the ticks (takes or renews the lease when due)."""
        if not self._shared:
            return True
        if time.monotonic() < self._lease_fresh_until:
            return True
        if hold_lease(self.context.db, LEASE, self.context.worker_id, now=utc_now(), ttl=LEASE_TTL):
            self._lease_fresh_until = time.monotonic() + LEASE_TTL.total_seconds() / 2
            return True
        self._lease_fresh_until = 0.0
        return False

    async def _wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when the switch was flipped in this process."""
        assert self._changed is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout=seconds)
            return True
        return False

    async def _run(self) -> None:
        assert self._changed is not None
        state = await asyncio.to_thread(self.load_state)
        if state.enabled and not await asyncio.to_thread(self.database_is_demo):
            log.warning("traffic simulation is for demo databases only; it stays off")
            await asyncio.to_thread(self.save_state, TrafficState(False, state.interval_s))
        planned: TrafficState | None = None
        due = 0.0
        while True:
            self._changed.clear()
            try:
                state = await asyncio.to_thread(self.load_state)
                active = state.enabled and await asyncio.to_thread(self._lead)
            except Exception:
                log.exception("could not read the simulated traffic switch")
                active = False
            if not active:
                planned = None
                await self._wait(STATE_POLL_S)
                continue
            if state != planned:  # switched or re-timed meanwhile: start over
                planned = state
                due = time.monotonic() + state.interval_s * self._rng.uniform(0.5, 1.5)
            remaining = due - time.monotonic()
            if remaining > 0:
                if await self._wait(min(remaining, STATE_POLL_S)):
                    planned = None
                continue
            planned = None
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
        self.context.announce_change(last_seq)
