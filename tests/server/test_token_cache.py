"""The in-process memory of checked tokens: fresh answers only, forgets win over races."""

from __future__ import annotations

import uuid

from operator_app.domain.enums import Role
from operator_app.server.security import SCOPE_USER, Principal
from operator_app.server.token_cache import TokenCache


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def principal(token_id: uuid.UUID | None = None) -> Principal:
    return Principal(
        token_id or uuid.uuid4(), SCOPE_USER, uuid.uuid4(), "anna", "Anna", Role.OPERATOR
    )


def test_an_answer_is_kept_for_the_ttl_only() -> None:
    ticks = Ticks()
    cache = TokenCache(ttl_s=10, monotonic=ticks)
    cache.put("h1", principal(), None, generation=cache.generation)
    ticks.now += 9.9
    assert cache.get("h1") is not None
    ticks.now += 0.1
    assert cache.get("h1") is None


def test_forgetting_one_token_keeps_the_others() -> None:
    cache = TokenCache()
    mine, theirs = principal(), principal()
    cache.put("mine", mine, None, generation=cache.generation)
    cache.put("theirs", theirs, None, generation=cache.generation)
    cache.forget(mine.token_id)
    assert cache.get("mine") is None
    assert cache.get("theirs") is not None


def test_a_lookup_that_began_before_a_forget_is_not_remembered() -> None:
    cache = TokenCache()
    began = cache.generation  # a request starts its database lookup…
    cache.forget()  # …meanwhile a logout commits…
    cache.put("h1", principal(), None, generation=began)  # …the old answer arrives late
    assert cache.get("h1") is None


def test_the_oldest_entries_go_first_when_full() -> None:
    cache = TokenCache(max_entries=2)
    for name in ("a", "b"):
        cache.put(name, principal(), None, generation=cache.generation)
    assert cache.get("a") is not None  # "a" used again: "b" is now the oldest
    cache.put("c", principal(), None, generation=cache.generation)
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
