"""Survey and review machinery held once per app: the delivery worker, the form key,
and what happens around each transaction (alerts queued inside it, events after it).

Routes get it with ``Depends(get_runtime)``; the app factory makes it and starts and
stops the worker with the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from operator_app.domain.enums import Role
from operator_app.server import changelog
from operator_app.server.context import ServerContext
from operator_app.server.delivery import claim_due, run_one
from operator_app.server.delivery_settings import DeliverySettings, display_target
from operator_app.server.models import (
    Conversation,
    Customer,
    OutboundDelivery,
    ReviewCase,
    Survey,
    User,
)
from operator_app.server.policy import load_policy
from operator_app.server.serialize import json_datetime
from operator_app.server.survey_messages import review_alert
from operator_app.server.survey_tokens import form_key
from operator_app.server.surveys import Effects

log = logging.getLogger(__name__)


class SurveyRuntime:
    def __init__(self, context: ServerContext) -> None:
        self.context = context
        self._form_key: bytes | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def delivery(self) -> DeliverySettings:
        return self.context.settings.delivery

    def now(self) -> datetime:
        return self.context.now()

    def link_base(self, request: Request) -> str:
        return self.delivery.public_url or str(request.base_url).rstrip("/")

    # --- the form key -------------------------------------------------------------------

    @property
    def form_key(self) -> bytes:
        if self._form_key is None:
            self._form_key = self._load_form_key()
        return self._form_key

    def _load_form_key(self) -> bytes:
        for _ in range(3):  # another server process may be making it at the same moment
            try:
                with self.context.db.writing() as session:
                    return form_key(session, self.delivery.secret_key)
            except IntegrityError:
                continue
        raise RuntimeError("could not set up the survey form key")

    # --- around each transaction ----------------------------------------------------------

    def commit_effects(
        self, session: Session, effects: Effects, *, actor: str, now: datetime
    ) -> int | None:
        """Inside the transaction: queue review alerts, then write the change log."""
        url = self.delivery.review_webhook_url
        if url and effects.opened_cases:
            language = load_policy(session).policy.default_language
            for case in effects.opened_cases:
                session.add(self._alert(session, case, url, language, now))
            effects.wake_worker = True
        return changelog.append(session, effects.changes, actor=actor, at=now)

    def _alert(
        self, session: Session, case: ReviewCase, url: str, language: str, now: datetime
    ) -> OutboundDelivery:
        survey = session.get(Survey, case.survey_id)
        customer = session.get(Customer, case.customer_id)
        assert survey is not None and survey.score is not None
        conversation = (
            session.get(Conversation, survey.conversation_id) if survey.conversation_id else None
        )
        text = review_alert(
            language=language,
            kind=survey.kind,
            score=survey.score,
            customer_name=f"{customer.first_name} {customer.last_name}".strip() if customer else "",
            channel=conversation.channel if conversation else survey.channel,
            topic=conversation.topic if conversation else "",
            comment=survey.comment,
            case_id=str(case.id),
        )
        return OutboundDelivery(
            id=uuid.uuid4(),
            kind="review_alert",
            purpose="review_case",
            survey_id=survey.id,
            target=display_target(url),
            payload={"text": text, "review_case_id": str(case.id)},
            status="pending",
            attempts=0,
            next_attempt_at=now,
            lease_until=None,
            last_error="",
            created_at=now,
            updated_at=now,
            sent_at=None,
        )

    def announce(self, effects: Effects, last_seq: int | None) -> None:
        """After commit: hints on the event stream, and the worker woken for new sends."""
        self.context.announce_change(last_seq)
        hub = self.context.hub
        if effects.opened_cases:
            staff = self._staff_usernames()
            for case in effects.opened_cases:
                hub.publish("review_case_opened", self._case_event(case), audience=staff)
        if effects.wake_worker:
            self.wake()

    def _staff_usernames(self) -> frozenset[str]:
        with self.context.db.reading() as session:
            return frozenset(
                session.scalars(
                    select(User.username).where(
                        User.role.in_([Role.SUPERVISOR.value, Role.ADMIN.value]),
                        User.disabled.is_(False),
                    )
                )
            )

    def _case_event(self, case: ReviewCase) -> dict[str, Any]:
        with self.context.db.reading() as session:
            survey = session.get(Survey, case.survey_id)
            customer = session.get(Customer, case.customer_id)
            conversation = (
                session.get(Conversation, survey.conversation_id)
                if survey and survey.conversation_id
                else None
            )
        return {
            "id": str(case.id),
            "survey_id": str(case.survey_id),
            "customer_id": str(case.customer_id),
            "customer_name": f"{customer.first_name} {customer.last_name}".strip()
            if customer
            else "",
            "kind": survey.kind if survey else None,
            "score": survey.score if survey else None,
            "channel": conversation.channel
            if conversation
            else (survey.channel if survey else None),
            "operator": conversation.assignee if conversation else None,
            "opened_at": json_datetime(case.opened_at),
        }

    # --- the delivery worker ----------------------------------------------------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        self._task = self._loop.create_task(self._run(), name="survey-delivery")

    def wake(self) -> None:
        """Thread-safe: look for due deliveries now rather than at the next poll."""
        loop, event = self._loop, self._wake
        if loop is None or event is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(event.set)

    async def stop(self) -> None:
        """Let a send in progress finish (bounded by the SMTP/HTTP timeouts), then stop."""
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=self.delivery.http_timeout_seconds + 20)
            except TimeoutError:
                log.warning("the delivery worker did not stop in time")
            self._task = None

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.delivery.poll_seconds)
            self._wake.clear()
            if self._stopping:
                break
            try:
                while await asyncio.to_thread(self.process_due) and not self._stopping:
                    pass  # a full batch: there may be more due
            except Exception:
                log.exception("the delivery worker failed; it goes on at the next poll")

    def process_due(self, limit: int = 20) -> bool:
        """Send what is due (blocking; on a worker thread). True when the batch was full."""
        settings = self.delivery
        claim = claim_due(
            self.context.db,
            now=self.now(),
            lease=timedelta(seconds=settings.lease_seconds),
            limit=limit,
        )
        for delivery_id in claim.ids:
            if self._stopping:
                return False
            seq = run_one(self.context.db, delivery_id, settings, self.now(), claim.token)
            self.context.announce_change(seq)
        return len(claim.ids) == limit


def get_runtime(request: Request) -> SurveyRuntime:
    runtime: SurveyRuntime = request.app.state.surveys
    return runtime


Runtime = Annotated[SurveyRuntime, Depends(get_runtime)]
