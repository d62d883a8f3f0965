"""The team's survey and review policy: what admins set, how it is checked and stored.

One document, kept in the ``policies`` table as a single row that travels through the
change feed (entity ``policy``), so clients apply the same rules offline. Until an
admin saves one, :data:`DEFAULT_POLICY` applies (version 0, not in the feed).

PUT replaces the whole document; fields left out take their defaults.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from operator_app.domain.enums import DEFAULT_FIRST_RESPONSE_SLA, Channel, Role, SurveyKind
from operator_app.domain.metrics import SCORE_RANGES, LowScoreThresholds
from operator_app.domain.quiet_hours import QuietHours, parse_clock
from operator_app.server.audit import audit
from operator_app.server.changelog import PendingChange
from operator_app.server.models import Policy

# The single policy row has a fixed id, the same on every server.
POLICY_ID = uuid.UUID("6f706572-6174-6f72-2d70-6f6c69637931")
SUPPORTED_LANGUAGES = ("ru", "en")


def _invalid(message: str) -> PydanticCustomError:
    """A field error whose message reaches the admin as is (no "Value error," prefix)."""
    return PydanticCustomError("policy", message)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SurveyRule(_Strict):
    """After a conversation on one of ``channels`` whose topic mentions one of ``topics``,
    ask ``kind`` after ``delay_minutes``. Empty lists match everything."""

    kind: SurveyKind
    channels: list[Channel] = Field(default_factory=list, max_length=len(Channel))
    topics: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=50
    )
    delay_minutes: int = Field(default=0, ge=0, le=7 * 24 * 60)

    def matches(self, channel: str, topic: str) -> bool:
        if self.channels and channel not in self.channels:
            return False
        folded = topic.casefold()
        return not self.topics or any(t.casefold() in folded for t in self.topics)


class QuietHoursSetting(_Strict):
    """Local time of the customer: ``start`` "21:00", ``end`` "09:00" (spans midnight)."""

    start: str = Field(default="21:00", examples=["21:00"])
    end: str = Field(default="09:00", examples=["09:00"])

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        try:
            parse_clock(value)
        except ValueError as error:
            raise _invalid(str(error)) from None
        return value

    @model_validator(mode="after")
    def _distinct(self) -> QuietHoursSetting:
        if self.start == self.end:
            raise _invalid("quiet hours must start and end at different times")
        return self

    def to_domain(self) -> QuietHours:
        return QuietHours(parse_clock(self.start), parse_clock(self.end))


class LowScoreSetting(_Strict):
    """A score at or below these opens a review case (CSAT 1–5, NPS 0–10, CES 1–7)."""

    csat: int = 2
    nps: int = 6
    ces: int = 3

    @field_validator("csat", "nps", "ces")
    @classmethod
    def _on_scale(cls, value: int, info: Any) -> int:
        low, high = SCORE_RANGES[SurveyKind(info.field_name)]
        if not low <= value <= high:
            raise _invalid(f"must be between {low} and {high}")
        return value

    def to_domain(self) -> LowScoreThresholds:
        return LowScoreThresholds(csat=self.csat, nps=self.nps, ces=self.ces)


Amount = Annotated[Decimal, Field(ge=0, le=10_000_000, decimal_places=2)]


class CompensationLimits(_Strict):
    """The largest compensation each role may grant on its own, in the customer's currency."""

    supervisor: Amount = Decimal("1000.00")
    admin: Amount = Decimal("10000.00")

    def for_role(self, role: Role) -> Decimal:
        if role is Role.ADMIN:
            return self.admin
        if role is Role.SUPERVISOR:
            return self.supervisor
        return Decimal(0)


def _default_rules() -> list[SurveyRule]:
    return [SurveyRule(kind=SurveyKind.CSAT)]


def _default_sla() -> dict[Channel, int]:
    return {c: int(d.total_seconds()) for c, d in DEFAULT_FIRST_RESPONSE_SLA.items()}


class SurveyPolicy(_Strict):
    rules: list[SurveyRule] = Field(
        default_factory=_default_rules,
        max_length=100,
        description="First match wins; no match = no automatic survey for that contact.",
    )
    min_days_between_surveys: int = Field(
        default=30, ge=0, le=365, description="At most one survey per customer per N days."
    )
    quiet_hours: QuietHoursSetting | None = Field(
        default_factory=QuietHoursSetting,
        description="Nothing is sent in these local hours of the customer; null = any time.",
    )
    languages: list[str] = Field(
        default_factory=lambda: list(SUPPORTED_LANGUAGES),
        min_length=1,
        description="Languages surveys are offered in (ru, en); others get the default.",
    )
    default_language: str = "ru"
    link_valid_days: int = Field(default=7, ge=1, le=90)
    reminder_after_hours: int | None = Field(
        default=48, ge=1, le=14 * 24, description="One reminder if unanswered; null = none."
    )
    low_score: LowScoreSetting = Field(default_factory=LowScoreSetting)
    compensation_limits: CompensationLimits = Field(default_factory=CompensationLimits)
    first_response_sla_seconds: dict[Channel, Annotated[int, Field(ge=1, le=30 * 86400)]] = Field(
        default_factory=_default_sla
    )
    fcr_window_days: int = Field(
        default=7, ge=1, le=90, description="A new contact within N days undoes FCR."
    )

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in SUPPORTED_LANGUAGES]
        if unknown:
            raise _invalid(
                f"surveys exist in {', '.join(SUPPORTED_LANGUAGES)} only, not {', '.join(unknown)}"
            )
        return list(dict.fromkeys(value))

    @field_validator("default_language")
    @classmethod
    def _default_language(cls, value: str, info: Any) -> str:
        languages = info.data.get("languages") or list(SUPPORTED_LANGUAGES)
        if value not in languages:
            raise _invalid(f"must be one of the policy's languages: {', '.join(languages)}")
        return value

    @field_validator("first_response_sla_seconds")
    @classmethod
    def _all_channels(cls, value: dict[Channel, int]) -> dict[Channel, int]:
        return _default_sla() | value

    # --- what the rest of the server asks ---

    def rule_for(self, channel: str, topic: str) -> SurveyRule | None:
        return next((rule for rule in self.rules if rule.matches(channel, topic)), None)

    def language_for(self, customer_language: str | None) -> str:
        code = (customer_language or "").split("-")[0].lower()
        return code if code in self.languages else self.default_language

    def quiet(self) -> QuietHours | None:
        return self.quiet_hours.to_domain() if self.quiet_hours else None

    def sla_seconds(self, channel: str) -> int:
        try:
            return self.first_response_sla_seconds[Channel(channel)]
        except (ValueError, KeyError):
            return int(DEFAULT_FIRST_RESPONSE_SLA[Channel.OTHER].total_seconds())

    def document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


DEFAULT_POLICY = SurveyPolicy()


@dataclass(frozen=True, slots=True)
class StoredPolicy:
    policy: SurveyPolicy
    version: int  # 0: never saved, the defaults apply
    updated_at: datetime | None
    updated_by: str


def load_policy(session: Session) -> StoredPolicy:
    row = session.get(Policy, POLICY_ID)
    if row is None:
        return StoredPolicy(DEFAULT_POLICY, 0, None, "")
    return StoredPolicy(
        SurveyPolicy.model_validate(row.document), row.version, row.updated_at, row.updated_by
    )


class PolicyVersionMismatch(Exception):
    def __init__(self, expected: int, current: int) -> None:
        super().__init__(f"expected version {expected}, found {current}")
        self.expected = expected
        self.current = current


def save_policy(
    session: Session,
    policy: SurveyPolicy,
    *,
    actor: str,
    now: datetime,
    expected_version: int | None = None,
) -> tuple[Policy, list[PendingChange]]:
    """Store ``policy`` (row locked); the changes go to the change log with the caller's."""
    row = session.get(Policy, POLICY_ID, with_for_update=True)
    current = 0 if row is None else row.version
    if expected_version is not None and expected_version != current:
        raise PolicyVersionMismatch(expected_version, current)
    document = policy.document()
    if row is None:
        row = Policy(id=POLICY_ID, document=document, updated_by=actor, version=1, updated_at=now)
        session.add(row)
        op = "create"
    elif row.document == document:
        return row, []  # nothing changed: no new version, nothing to log
    else:
        row.document = document
        row.updated_by = actor
        row.version += 1
        row.updated_at = now
        op = "update"
    changed = audit(
        session,
        actor=actor,
        action="policy_updated",
        entity="policy",
        entity_id=POLICY_ID,
        now=now,
        details={"version": row.version},
    )
    return row, [PendingChange("policy", row, op), changed]
