"""Request and response models of ``/api/v1`` (they also make the OpenAPI document)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from operator_app.domain.enums import Channel, Role


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=["urn:operator-app:problem:validation-failed"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = Field(
        default=None, description="For 422: one entry per field at fault (field, message)."
    )


class VersionInfo(BaseModel):
    api_version: int
    server_version: str


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class UserInfo(BaseModel):
    id: uuid.UUID
    username: str
    name: str
    role: Role


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: UserInfo


class Change(BaseModel):
    seq: int
    entity: str
    id: uuid.UUID
    op: Literal["create", "update", "delete"]
    data: dict[str, Any] | None = Field(
        description="The row after the change: column → JSON value (null on delete)."
    )


class ChangesPage(BaseModel):
    changes: list[Change]
    next: int = Field(description="Pass as `since` for the next page.")
    has_more: bool


class MutationIn(Strict):
    mutation_id: uuid.UUID
    entity: str = Field(min_length=1, max_length=32)
    id: uuid.UUID
    op: str = Field(min_length=1, max_length=16)
    base_version: int | None = Field(default=None, ge=1)
    data: dict[str, Any] = Field(default_factory=dict)


class MutationsRequest(Strict):
    mutations: list[MutationIn]


MutationStatus = Literal["applied", "duplicate", "conflict", "rejected"]


class MutationResult(BaseModel):
    mutation_id: uuid.UUID
    status: MutationStatus
    version: int | None = None
    error: str | None = None
    current: dict[str, Any] | None = Field(
        default=None, description="On conflict: the server's current row (all fields)."
    )
    conflicts: list[str] | None = Field(
        default=None, description="On conflict: the fields both sides changed differently."
    )
    info: dict[str, Any] | None = Field(
        default=None,
        description="On applied survey requests: `status` (queued, scheduled, link_only, "
        "answered), `send_at`, `delivery`, `url` (the customer's link) and `review_case_id`.",
    )


class MutationsResponse(BaseModel):
    results: list[MutationResult]


class IncomingContact(Strict):
    phone: str = Field(min_length=1, max_length=64, description="Any format, tel:/sip: too.")
    channel: Channel = Channel.PHONE
    operator: str | None = Field(
        default=None,
        max_length=100,
        description="Username of the operator taking the contact; the pop goes only to "
        "their streams. Without it, every operator's stream gets it.",
    )


class IncomingContactAccepted(BaseModel):
    event_id: str
    phone: str
    customer_ids: list[uuid.UUID]
    channel: Channel
    operator: str | None


class CustomerPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = None
