"""Admin resources of ``/api/v1/admin``: accounts, the team policy, upsell rules.

Thin typed wrappers over :meth:`ApiClient.call`. Failures are the usual
:mod:`operator_app.api.errors` exceptions; a 422/409 carries ``field_errors`` —
(field, message) pairs the settings pages show next to the field at fault.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from operator_app.api.client import ApiClient
from operator_app.api.errors import ProtocolError

USERS = "/admin/users"
POLICY = "/admin/policy"
RULES = "/admin/upsell-rules"


def _dict(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ProtocolError(f"The server's answer about {what} is not what this app expects.")
    return body


def _items(body: Any, what: str) -> list[dict[str, Any]]:
    items = _dict(body, what).get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ProtocolError(f"The server's list of {what} is not what this app expects.")
    return items


@dataclass(frozen=True, slots=True)
class AdminUser:
    id: uuid.UUID
    username: str
    name: str
    role: str
    disabled: bool
    version: int

    @classmethod
    def parse(cls, data: dict[str, Any]) -> AdminUser:
        try:
            return cls(
                id=uuid.UUID(str(data["id"])),
                username=str(data["username"]),
                name=str(data["name"]),
                role=str(data["role"]),
                disabled=bool(data["disabled"]),
                version=int(data["version"]),
            )
        except (KeyError, TypeError, ValueError):
            raise ProtocolError("The server sent an account this app cannot read.") from None


@dataclass(frozen=True, slots=True)
class CreatedUser:
    user: AdminUser
    generated_password: str | None


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    version: int
    document: dict[str, Any]
    updated_by: str


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: uuid.UUID
    name: str
    enabled: bool
    definition: dict[str, Any]
    version: int

    @classmethod
    def parse(cls, data: dict[str, Any]) -> RuleInfo:
        try:
            definition = data["definition"]
            if not isinstance(definition, dict):
                raise TypeError
            return cls(
                id=uuid.UUID(str(data["id"])),
                name=str(data["name"]),
                enabled=bool(data["enabled"]),
                definition=dict(definition),
                version=int(data["version"]),
            )
        except (KeyError, TypeError, ValueError):
            raise ProtocolError("The server sent an upsell rule this app cannot read.") from None


@dataclass(frozen=True, slots=True)
class RulePreview:
    matching: int
    reachable: int
    customers: list[dict[str, Any]]
    note: str


class AdminApi:
    """The admin calls of one signed-in :class:`ApiClient`."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    # -- accounts ----------------------------------------------------------------------

    async def users(self) -> list[AdminUser]:
        body = await self.api.call("GET", USERS)
        return [AdminUser.parse(item) for item in _items(body, "accounts")]

    async def create_user(
        self, *, username: str, name: str, role: str, password: str | None
    ) -> CreatedUser:
        payload: dict[str, Any] = {"username": username, "name": name, "role": role}
        if password is not None:
            payload["password"] = password
        body = _dict(await self.api.call("POST", USERS, json_body=payload), "the account")
        generated = body.get("generated_password")
        return CreatedUser(
            AdminUser.parse(_dict(body.get("user"), "the account")),
            generated if isinstance(generated, str) else None,
        )

    async def edit_user(
        self,
        user: AdminUser,
        *,
        name: str | None = None,
        role: str | None = None,
        disabled: bool | None = None,
    ) -> AdminUser:
        payload: dict[str, Any] = {"base_version": user.version}
        for key, value in (("name", name), ("role", role), ("disabled", disabled)):
            if value is not None:
                payload[key] = value
        body = await self.api.call("PATCH", f"{USERS}/{user.id}", json_body=payload)
        return AdminUser.parse(_dict(body, "the account"))

    async def reset_password(self, user_id: uuid.UUID, password: str | None) -> str | None:
        """The generated password when ``password`` is None (shown once), else None."""
        payload = {} if password is None else {"password": password}
        body = _dict(
            await self.api.call("POST", f"{USERS}/{user_id}/password", json_body=payload),
            "the password",
        )
        generated = body.get("generated_password")
        return generated if isinstance(generated, str) else None

    # -- policy ------------------------------------------------------------------------

    async def policy(self) -> PolicyDocument:
        body = _dict(await self.api.call("GET", POLICY), "the policy")
        return PolicyDocument(
            int(body.get("version", 0)),
            _dict(body.get("policy"), "the policy"),
            str(body.get("updated_by") or ""),
        )

    async def save_policy(
        self, document: dict[str, Any], *, base_version: int | None = None
    ) -> PolicyDocument:
        """Replace the policy; with ``base_version``, only if nobody saved since (else a
        ConflictError saying so, and nothing changes)."""
        headers = {"If-Match": f'"{base_version}"'} if base_version is not None else None
        body = _dict(
            await self.api.call("PUT", POLICY, json_body=document, headers=headers), "the policy"
        )
        return PolicyDocument(
            int(body.get("version", 0)),
            _dict(body.get("policy"), "the policy"),
            str(body.get("updated_by") or ""),
        )

    # -- upsell rules ------------------------------------------------------------------

    async def rules(self) -> list[RuleInfo]:
        body = await self.api.call("GET", RULES)
        return [RuleInfo.parse(item) for item in _items(body, "upsell rules")]

    async def save_rule(
        self,
        *,
        rule: RuleInfo | None,
        name: str,
        enabled: bool,
        definition: dict[str, Any],
    ) -> RuleInfo:
        """Create (``rule`` None) or replace ``rule`` (409 if it moved on since)."""
        payload: dict[str, Any] = {"name": name, "enabled": enabled, "definition": definition}
        if rule is None:
            body = await self.api.call("POST", RULES, json_body=payload)
        else:
            payload["base_version"] = rule.version
            body = await self.api.call("PUT", f"{RULES}/{rule.id}", json_body=payload)
        return RuleInfo.parse(_dict(body, "the upsell rule"))

    async def disable_rule(self, rule_id: uuid.UUID) -> RuleInfo:
        body = await self.api.call("DELETE", f"{RULES}/{rule_id}")
        return RuleInfo.parse(_dict(body, "the upsell rule"))

    async def preview_rule(self, *, name: str, definition: dict[str, Any]) -> RulePreview:
        """Whom a draft rule would reach (validated like a save; nothing is stored)."""
        payload = {"name": name or "preview", "definition": definition}
        body = _dict(
            await self.api.call("POST", f"{RULES}/preview", json_body=payload), "the preview"
        )
        customers = body.get("customers")
        return RulePreview(
            matching=int(body.get("matching", 0)),
            reachable=int(body.get("reachable", 0)),
            customers=[c for c in customers if isinstance(c, dict)]
            if isinstance(customers, list)
            else [],
            note=str(body.get("note") or ""),
        )
