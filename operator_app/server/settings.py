"""Tunable limits of the server, in one typed place, with the clock it reads time from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from operator_app.server.delivery_settings import DeliverySettings

API_VERSION = 1
API_PREFIX = "/api/v1"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ServerSettings:
    token_ttl: timedelta = timedelta(hours=12)
    max_body_bytes: int = 1024 * 1024
    login_failures_allowed: int = 5
    login_failure_window: timedelta = timedelta(minutes=1)
    changes_default_limit: int = 500
    changes_max_limit: int = 2000
    max_mutations_per_request: int = 500
    customers_max_limit: int = 200
    event_ring_size: int = 1000
    event_ping_seconds: float = 15.0
    event_send_timeout_seconds: float = 30.0
    # Survey e-mail, channel gateway, review webhook (read from the environment by `serve`).
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    # The daily customer-value refit inside `serve`, at this UTC time; None: not scheduled.
    refit_at: time | None = None
    refit_horizon_months: int = 12
    refit_discount_rate: float = 0.01  # per month
    # Demo databases only: simulated incoming calls and messages (`serve --simulate-traffic`,
    # or `PUT /admin/demo/traffic`), about every ``traffic_interval_s`` (jittered ±50 %).
    simulate_traffic: bool = False
    traffic_interval_s: float = 8.0
    traffic_seed: int | None = None  # None: a different run each start
    traffic_operator: str = "operator"  # whose window the simulated calls pop up in
    # How many processes serve this database together (`serve --workers N`). Above one,
    # events, the sign-in limit and one-worker jobs go through the database, and
    # ``shared_state`` (a counter file made by `serve`) lets workers notice each other's
    # account changes and events at once.
    workers: int = 1
    shared_state: Path | None = None
    event_poll_seconds: float = 0.2  # how often a worker reads the event table anyway
    # Tests move time forward (token expiry, rate-limit windows) without sleeping.
    clock: Callable[[], datetime] = field(default=utc_now)
