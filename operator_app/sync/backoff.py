"""Exponential backoff with jitter, so many clients do not retry in step."""

from __future__ import annotations

import random


class Backoff:
    def __init__(
        self, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None
    ) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """Delay after one more failure: between half and all of ``base * 2^failures`` (capped)."""
        ceiling = min(self.cap, self.base * (2**self.failures))
        self.failures += 1
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0
