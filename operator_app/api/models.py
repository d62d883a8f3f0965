"""Request and response shapes of ``/api/v1``, with strict parsing of what comes back.

The client depends only on the standard library here: every answer is checked by
hand, so a server that sends garbage produces a :class:`ProtocolError` with a short
reason rather than a ``KeyError`` deep inside the sync engine.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from itertools import islice
from operator import itemgetter, lt
from typing import Any, NamedTuple

from operator_app.api.json_checks import JsonChecks
from operator_app.domain.enums import Role

API_PREFIX = "/api/v1"
SUPPORTED_API_MAJOR = 1


_checks = JsonChecks("an answer")
_fail = _checks.fail
_object = _checks.object
_str = _checks.text
_int = _checks.integer
_optional_int = _checks.optional_integer
_bool = _checks.boolean
_timestamp = _checks.timestamp


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: str
    name: str
    role: Role
    username: str = ""

    @classmethod
    def parse(cls, value: Any) -> UserInfo:
        obj = _object(value, "user")
        role = _str(obj, "role", "user")
        try:
            parsed_role = Role(role)
        except ValueError:
            raise _fail(f"unknown role {role[:40]!r}") from None
        return cls(
            id=_str(obj, "id", "user"),
            name=_str(obj, "name", "user", optional=True),
            role=parsed_role,
            username=_str(obj, "username", "user", optional=True),
        )


@dataclass(frozen=True, slots=True)
class LoginResult:
    access_token: str = field(repr=False)
    expires_at: datetime | None
    user: UserInfo

    @classmethod
    def parse(cls, value: Any) -> LoginResult:
        obj = _object(value, "login answer")
        token = _str(obj, "access_token", "login answer")
        if not token:
            raise _fail("empty access token")
        return cls(
            access_token=token,
            expires_at=_timestamp(obj, "expires_at", "login answer"),
            user=UserInfo.parse(obj.get("user")),
        )


class Change(NamedTuple):
    """One entry of the change feed. ``data`` is the row (column → JSON value); None on delete.

    A named tuple, not a dataclass: pages carry thousands and an initial sync millions.
    """

    seq: int
    entity: str
    id: str
    op: str
    data: dict[str, Any] | None

    @property
    def is_delete(self) -> bool:
        return self.op == "delete"


_CHANGE_OPS = frozenset({"create", "update", "upsert", "delete"})


def _parse_change(value: Any) -> Change:
    try:
        seq = value["seq"]
        entity = value["entity"]
        entity_id = value["id"]
        op = value["op"]
        data = value.get("data")
    except (TypeError, KeyError):
        raise _fail("a change is not a complete object") from None
    if type(seq) is not int:
        raise _fail("change.seq is not a whole number")
    if type(entity) is not str or type(entity_id) is not str:
        raise _fail("change.entity/id is not text")
    if op not in _CHANGE_OPS:
        raise _fail(f"change.op {str(op)[:20]!r} is unknown")
    if type(data) is not dict and (data is not None or op != "delete"):
        raise _fail("change.data is not an object")
    return Change(seq, entity, entity_id, op, data)


_CHANGE_FIELDS = itemgetter("seq", "entity", "id", "op", "data")
_as_change = partial(tuple.__new__, Change)


def _parse_changes(raw: list[Any]) -> list[Change]:
    """A page's changes, checked a field at a time over the whole page (C-level ``map``
    and ``set`` instead of a Python call per change); a page with anything unusual —
    a delete without data, a missing field, a value of the wrong type — is checked
    change by change, which names the problem."""
    try:
        fields = list(map(_CHANGE_FIELDS, raw))
    except (TypeError, KeyError):
        return [_parse_change(item) for item in raw]
    if fields:
        seqs, entities, ids, ops, datas = zip(*fields, strict=True)
        if not (
            set(map(type, seqs)) == {int}
            and set(map(type, entities)) == {str}
            and set(map(type, ids)) == {str}
            and set(map(type, datas)) == {dict}
            and set(ops) <= _CHANGE_OPS
        ):
            return [_parse_change(item) for item in raw]
    return list(map(_as_change, fields))


def _in_order(changes: list[Change], since: int, nxt: int) -> bool:
    """Strictly increasing seqs, all in ``(since, nxt]``."""
    if not changes:
        return True
    seqs = list(map(itemgetter(0), changes))
    return seqs[0] > since and seqs[-1] <= nxt and all(map(lt, seqs, islice(seqs, 1, None)))


@dataclass(frozen=True, slots=True)
class ChangesPage:
    changes: list[Change]
    next: int
    has_more: bool

    @classmethod
    def parse(cls, value: Any, since: int) -> ChangesPage:
        obj = _object(value, "change page")
        raw = obj.get("changes")
        if not isinstance(raw, list):
            raise _fail("change page has no list of changes")
        changes = _parse_changes(raw)
        nxt = _int(obj, "next", "change page")
        has_more = _bool(obj, "has_more", "change page")
        if nxt < since:
            raise _fail("the change cursor went backwards")
        if not _in_order(changes, since, nxt):
            raise _fail("changes are out of order")
        if has_more and nxt == since:
            raise _fail("the change feed did not advance")
        return cls(changes, nxt, has_more)


@dataclass(frozen=True, slots=True)
class Mutation:
    """One local change for ``POST /mutations``; ``mutation_id`` makes a replay harmless."""

    mutation_id: uuid.UUID
    entity: str
    id: uuid.UUID
    op: str
    base_version: int | None
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "mutation_id": str(self.mutation_id),
            "entity": self.entity,
            "id": str(self.id),
            "op": self.op,
            "base_version": self.base_version,
            "data": self.data,
        }


class MutationStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class MutationResult:
    mutation_id: uuid.UUID
    status: MutationStatus
    version: int | None = None
    error: str | None = None
    # On conflict: the server's current row, and the fields both sides changed differently.
    current: dict[str, Any] | None = None
    conflicts: tuple[str, ...] | None = None

    @property
    def done(self) -> bool:
        """The server holds this mutation's effect: it may leave the outbox."""
        return self.status in (MutationStatus.APPLIED, MutationStatus.DUPLICATE)


def _parse_result(value: Any) -> MutationResult:
    obj = _object(value, "mutation result")
    try:
        mutation_id = uuid.UUID(_str(obj, "mutation_id", "mutation result"))
        status = MutationStatus(str(obj.get("status")))
    except ValueError:
        raise _fail("mutation result has a bad id or status") from None
    error = obj.get("error")
    if error is not None and not isinstance(error, str | dict):
        raise _fail("mutation result error is not text")
    current = obj.get("current")
    if isinstance(error, dict):
        current = current if current is not None else error.get("current")
        error = str(error.get("detail") or error.get("title") or "conflict")
    if current is not None and not isinstance(current, dict):
        current = None
    fields = obj.get("conflicts")
    conflicts = None
    if isinstance(fields, list) and all(isinstance(f, str) for f in fields):
        conflicts = tuple(fields)
    return MutationResult(
        mutation_id=mutation_id,
        status=status,
        version=_optional_int(obj, "version", "mutation result"),
        error=error,
        current=current,
        conflicts=conflicts,
    )


def parse_mutation_results(value: Any, sent: list[Mutation]) -> list[MutationResult]:
    """Results in the order sent; any mismatch is a protocol error (nothing is dropped)."""
    obj = _object(value, "mutation answer")
    raw = obj.get("results")
    if not isinstance(raw, list):
        raise _fail("mutation answer has no results")
    results = [_parse_result(item) for item in raw]
    if len(results) != len(sent):
        raise _fail(f"{len(results)} results for {len(sent)} mutations")
    for result, mutation in zip(results, sent, strict=True):
        if result.mutation_id != mutation.mutation_id:
            raise _fail("mutation results are out of order")
    return results


@dataclass(frozen=True, slots=True)
class ServerVersion:
    api_version: str
    server_version: str

    @property
    def compatible(self) -> bool:
        major = self.api_version.lstrip("vV").split(".", 1)[0]
        return major == str(SUPPORTED_API_MAJOR)

    @classmethod
    def parse(cls, value: Any) -> ServerVersion:
        obj = _object(value, "version answer")
        api = obj.get("api_version", obj.get("api"))
        if isinstance(api, int) and not isinstance(api, bool):
            api = str(api)
        if not isinstance(api, str):
            raise _fail("version answer has no API version")
        server = obj.get("version", obj.get("server_version", ""))
        return cls(api_version=api, server_version=str(server))


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """One hint from ``/events``: ``kind`` is the SSE event name, ``data`` the decoded JSON."""

    id: str
    kind: str
    data: Any
