"""Two apps on one database, as two worker processes of ``serve --workers 2`` would run:
events cross between them, the sign-in limit and token revocation hold across them, a
delivery is claimed once, and the one-worker jobs run once. Both backends; the real
multi-process server is in ``tests/e2e/test_workers_e2e.py``."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import httpx
import pytest
from sqlalchemy import URL, select, update

from operator_app.domain.enums import Role
from operator_app.server.accounts import create_user
from operator_app.server.app import create_app
from operator_app.server.db import Database
from operator_app.server.delivery import claim_due, prepare
from operator_app.server.delivery_settings import DeliverySettings
from operator_app.server.leases import claim_slot, hold_lease
from operator_app.server.models import OutboundDelivery, User, WorkerLease
from operator_app.server.refit_schedule import DailyRefit
from operator_app.server.schema import DEMO_KEY, upgrade_to_head, write_meta
from operator_app.server.settings import ServerSettings
from operator_app.server.shared_counter import create_counter_file
from operator_app.server.traffic import TrafficSimulator
from tests.server.conftest import BACKENDS, PASSWORD, PgSchemas, base_rows
from tests.server.support import (
    ApiClients,
    EventStream,
    LiveServer,
    MovableClock,
    client_for,
    mutation,
    send,
)

RING = 30


@dataclass
class Worker:
    db: Database
    live: LiveServer
    api: ApiClients

    @property
    def url(self) -> str:
        return self.live.base_url


@dataclass
class Pair:
    backend: str
    a: Worker
    b: Worker
    clock: MovableClock
    data: dict[str, object]

    def login(self, worker: Worker, username: str, password: str = PASSWORD) -> httpx.Response:
        return worker.api.anonymous.post(
            "/auth/login", json={"username": username, "password": password}
        )

    def add_user(self, role: Role = Role.OPERATOR) -> str:
        username = f"w{uuid.uuid4().hex[:10]}"
        with self.a.db.writing() as session:
            create_user(session, username=username, role=role, password=PASSWORD, now=self.clock())
        return username


def _worker(url: URL | str, settings: ServerSettings) -> Worker:
    db = Database(url)
    assert settings.shared_state is not None
    db.share_writer_turn(settings.shared_state.with_name("sqlite-writers.lock"))
    live = LiveServer(create_app(db, settings))
    live.start()
    api = ApiClients(live.base_url)
    for role, username in ((Role.OPERATOR, "op"), (Role.SUPERVISOR, "sup"), (Role.ADMIN, "adm")):
        api.sign_in(role, username, PASSWORD)
    return Worker(db, live, api)


@pytest.fixture(scope="module", params=BACKENDS)
def pair(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schemas: PgSchemas | None,
) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("workers")
    if request.param == "postgresql":
        if pg_schemas is None:
            pytest.skip("PostgreSQL variant: set OPERATOR_APP_TEST_PG_URL")
        url: URL | str = pg_schemas.new_url()
    else:
        url = f"sqlite:///{folder / 'server.sqlite3'}"
    clock = MovableClock()
    setup = Database(url)
    upgrade_to_head(setup)
    now = clock()
    data = base_rows(now)
    from operator_app.server.seed import load_batches

    with setup.writing() as session:
        load_batches(session.connection(), data.pop("batches"), now)
        write_meta(session, DEMO_KEY, "true")  # the traffic simulator's test needs a demo
        for role, username in (("operator", "op"), ("supervisor", "sup"), ("admin", "adm")):
            create_user(session, username=username, role=Role(role), password=PASSWORD, now=now)
    setup.dispose()
    settings = ServerSettings(
        clock=clock,
        event_ping_seconds=0.5,
        event_ring_size=RING,
        workers=2,
        shared_state=create_counter_file(folder / "counters"),
        traffic_seed=3,
    )
    a = _worker(url, settings)
    b = _worker(url, settings)
    try:
        yield Pair(request.param, a, b, clock, data)
    finally:
        for worker in (a, b):
            worker.api.close()
            worker.live.stop()
            worker.db.dispose()


@pytest.fixture(autouse=True)
def _reset_clock(pair: Pair) -> Iterator[None]:
    yield
    pair.clock.reset()


def _pop(worker: Worker, phone: str = "+79990001122", operator: str | None = None) -> str:
    body = {"phone": phone, "channel": "phone"} | ({"operator": operator} if operator else {})
    response = worker.api.admin.post("/telephony/incoming", json=body)
    assert response.status_code == 202, response.text
    event_id: str = response.json()["event_id"]
    return event_id


# --- events ------------------------------------------------------------------------------


def test_an_event_published_on_one_worker_reaches_streams_on_the_other(pair: Pair) -> None:
    with EventStream(pair.b.api.operator) as on_b, EventStream(pair.a.api.operator) as on_a:
        assert on_b.next_event()["data"]["resync"] is False
        on_a.next_event()
        event_id = _pop(pair.a, operator="op")
        for stream in (on_b, on_a):  # the publisher's own streams get it too
            seen = stream.next_event()
            assert (seen["event"], seen["id"]) == ("incoming_contact", event_id)
        note = {"customer_id": str(pair.data["customer_id"]), "body": "from worker a"}
        [result] = send(pair.a.api.supervisor, mutation("note", "create", note))
        assert result["status"] == "applied"
        hint = on_b.next_event()
    assert hint["event"] == "change"
    with pair.b.db.reading() as session:
        from operator_app.server.changelog import latest_seq

        assert hint["data"]["seq"] == latest_seq(session)


def test_a_stream_resumes_on_the_other_worker_with_only_what_it_missed(pair: Pair) -> None:
    with EventStream(pair.a.api.supervisor) as stream:
        stream.next_event()
        _pop(pair.b)
        last = stream.next_event()
    missed = [_pop(pair.a), _pop(pair.b)]
    _pop(pair.a, operator="op")  # not for the supervisor
    with EventStream(pair.b.api.supervisor, last_event_id=last["id"]) as resumed:
        replayed = [resumed.next_event(), resumed.next_event()]
        assert [e["id"] for e in replayed] == missed
        live = _pop(pair.a)
        assert resumed.next_event()["id"] == live


def test_foreign_future_and_too_old_ids_ask_for_a_resync(pair: Pair) -> None:
    with EventStream(pair.a.api.operator) as stream:
        stream.next_event()
        first = _pop(pair.b)
        assert stream.next_event()["id"] == first
    epoch, _, number = first.partition("-")
    for _ in range(RING + 1):
        _pop(pair.a)
    for last_event_id in (f"{uuid.uuid4().hex[:8]}-{number}", f"{epoch}-999999", first, "junk"):
        with EventStream(pair.b.api.operator, last_event_id=last_event_id) as stream:
            opening = stream.next_event()
        assert opening["event"] == "change"
        assert opening["data"]["resync"] is True, last_event_id


def test_the_event_table_stays_bounded(pair: Pair) -> None:
    from sqlalchemy import func

    from operator_app.server.events_store import PRUNE_EVERY
    from operator_app.server.models import ServerEvent

    for _ in range(PRUNE_EVERY + 1):
        _pop(pair.b)
    with pair.a.db.reading() as session:
        rows = session.scalar(select(func.count()).select_from(ServerEvent))
    assert rows is not None and rows < RING + PRUNE_EVERY


# --- sign-in limit and tokens ----------------------------------------------------------------


def test_failed_sign_ins_count_across_workers(pair: Pair) -> None:
    username = pair.add_user()
    for attempt in range(5):
        worker = (pair.a, pair.b)[attempt % 2]
        assert pair.login(worker, username, "wrong-password").status_code == 401
    for worker in (pair.a, pair.b):
        locked = pair.login(worker, username)
        assert locked.status_code == 429
        assert 0 < int(locked.headers["Retry-After"]) <= 60
    pair.clock.advance(seconds=61)
    assert pair.login(pair.b, username).status_code == 200


def test_a_disabled_account_is_refused_by_the_other_worker_at_once(pair: Pair) -> None:
    username = pair.add_user()
    token = pair.login(pair.a, username).json()["access_token"]
    with client_for(pair.b.url, token) as on_b:
        assert on_b.get("/auth/me").status_code == 200  # worker b now remembers the token
        with pair.a.db.writing() as session:  # the change goes through worker a
            session.execute(update(User).where(User.username == username).values(disabled=True))
        response = on_b.get("/auth/me")
    assert response.status_code == 401
    assert "disabled" in response.json()["detail"]


def test_signing_out_on_one_worker_ends_the_token_on_the_other(pair: Pair) -> None:
    username = pair.add_user()
    token = pair.login(pair.b, username).json()["access_token"]
    with client_for(pair.a.url, token) as on_a, client_for(pair.b.url, token) as on_b:
        assert on_b.get("/auth/me").status_code == 200
        assert on_a.post("/auth/logout").status_code in (200, 204)
        assert on_b.get("/auth/me").status_code == 401


# --- deliveries ------------------------------------------------------------------------------


def _pending(db: Database, count: int, now: datetime) -> set[uuid.UUID]:
    ids = {uuid.uuid4() for _ in range(count)}
    with db.writing() as session:
        session.add_all(
            OutboundDelivery(
                id=delivery_id,
                kind="review_alert",
                purpose="review_case",
                survey_id=None,
                target="http://127.0.0.1",
                payload={"text": "x"},
                status="pending",
                attempts=0,
                next_attempt_at=now - timedelta(seconds=1),
                lease_until=None,
                last_error="",
                created_at=now,
                updated_at=now,
                sent_at=None,
            )
            for delivery_id in ids
        )
    return ids


def test_two_workers_polling_claim_each_due_delivery_once(pair: Pair) -> None:
    # Due tomorrow: the apps' own delivery workers (polling at today's time) leave them be.
    now = datetime.now(UTC) + timedelta(days=1)
    ids = _pending(pair.a.db, 120, now)
    claimed: dict[str, list[uuid.UUID]] = {"a": [], "b": []}
    failures: list[BaseException] = []

    def poll(name: str, db: Database) -> None:
        try:
            while True:
                claim = claim_due(db, now=now, lease=timedelta(minutes=2), limit=7)
                if not claim.ids:
                    return
                claimed[name] += claim.ids
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [
        threading.Thread(target=poll, args=("a", pair.a.db)),
        threading.Thread(target=poll, args=("b", pair.b.db)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    mine = [i for i in claimed["a"] + claimed["b"] if i in ids]
    assert len(mine) == len(set(mine)) == len(ids)  # every one, none twice


def test_a_claim_that_ran_out_does_not_send(pair: Pair) -> None:
    now = datetime.now(UTC) + timedelta(days=2)
    [delivery_id] = _pending(pair.a.db, 1, now)
    settings = DeliverySettings(review_webhook_url="http://127.0.0.1:9")

    def claim_only(db: Database, at: datetime) -> uuid.UUID:
        # Other rows may be due as well: claim until ours is in a batch.
        while True:
            claim = claim_due(db, now=at, lease=timedelta(seconds=60), limit=50)
            assert claim.ids, "the delivery was not claimed"
            if delivery_id in claim.ids:
                return claim.token

    slow = claim_only(pair.a.db, now)
    later = now + timedelta(seconds=61)  # worker a's lease ran out; worker b claims the row
    fresh = claim_only(pair.b.db, later)
    assert prepare(pair.a.db, delivery_id, settings, later, slow) is None
    prepared = prepare(pair.b.db, delivery_id, settings, later, fresh)
    assert prepared is not None and prepared.delivery_id == delivery_id


# --- one-worker jobs -------------------------------------------------------------------------


def test_leases_admit_one_holder_until_they_run_out(pair: Pair) -> None:
    name, now = f"test-{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    ttl = timedelta(seconds=10)
    assert hold_lease(pair.a.db, name, "a", now=now, ttl=ttl)
    assert not hold_lease(pair.b.db, name, "b", now=now + timedelta(seconds=5), ttl=ttl)
    assert hold_lease(pair.a.db, name, "a", now=now + timedelta(seconds=5), ttl=ttl)  # renewed
    assert not hold_lease(pair.b.db, name, "b", now=now + timedelta(seconds=12), ttl=ttl)
    assert hold_lease(pair.b.db, name, "b", now=now + timedelta(seconds=16), ttl=ttl)


def test_the_daily_refit_runs_in_one_worker_only(pair: Pair) -> None:
    slot = f"refit-test-{uuid.uuid4().hex[:8]}"
    runs: list[tuple[str, datetime]] = []
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def schedule(name: str, db: Database) -> DailyRefit:
        now = {"t": start}

        async def sleep(seconds: float) -> None:
            now["t"] += timedelta(seconds=seconds)
            await asyncio.sleep(0)

        def job(_stop: threading.Event) -> None:
            runs.append((name, now["t"]))

        return DailyRefit(
            job,
            at=clock_time(3, 0),
            clock=lambda: now["t"],
            sleep=sleep,
            claim=lambda due: claim_slot(db, slot, name, slot=due),
        )

    async def main() -> None:
        schedules = [schedule("a", pair.a.db), schedule("b", pair.b.db)]
        tasks = [asyncio.create_task(s.run_forever()) for s in schedules]
        while len({at for _, at in runs}) < 3:
            await asyncio.sleep(0.01)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    days = [at for _, at in runs]
    assert len(days) == len(set(days))  # never twice the same day
    assert days[:3] == [start.replace(hour=3) + timedelta(days=d) for d in (1, 2, 3)]


def test_demo_traffic_ticks_in_one_worker_only(pair: Pair) -> None:
    simulators: dict[str, TrafficSimulator] = {
        "a": pair.a.live.app.state.traffic,
        "b": pair.b.live.app.state.traffic,
    }
    steps = {"a": 0, "b": 0}
    for name, simulator in simulators.items():
        original = simulator.step

        def counted(name: str = name, original: object = original) -> str | None:
            steps[name] += 1
            return original()  # type: ignore[operator]

        simulator.step = counted  # type: ignore[method-assign]
    # Switched on through worker b; whichever holds the lease ticks.
    response = pair.b.api.operator.put(
        "/admin/demo/traffic", json={"enabled": True, "interval_s": 0.05}
    )
    assert response.status_code == 200, response.text
    assert pair.a.api.operator.get("/admin/demo/traffic").json()["enabled"] is True
    with EventStream(pair.a.api.operator) as stream:
        stream.next_event()
        deadline = time.monotonic() + 30
        while steps["a"] + steps["b"] < 6 and time.monotonic() < deadline:
            stream.next_event(timeout=10)
    pair.a.api.operator.put("/admin/demo/traffic", json={"enabled": False})
    assert steps["a"] + steps["b"] >= 6
    assert 0 in steps.values(), steps
    with pair.a.db.reading() as session:
        lease = select(WorkerLease.holder).where(WorkerLease.name == "demo-traffic")
        holder = session.scalar(lease)
    leader = "a" if steps["a"] else "b"
    assert holder == getattr(pair, leader).live.app.state.context.worker_id


def test_worker_settings_make_shared_parts(pair: Pair) -> None:
    from operator_app.server.shared_events import SharedEventHub
    from operator_app.server.shared_tokens import SharedTokenCache

    context = pair.a.live.app.state.context
    assert isinstance(context.hub, SharedEventHub)
    assert isinstance(context.tokens, SharedTokenCache)


def test_a_burst_of_change_hints_ends_with_the_highest_seq(pair: Pair) -> None:
    from operator_app.server.events_store import events_after, latest_event_id
    from operator_app.server.shared_events import SharedEventHub

    hub = SharedEventHub(pair.a.db, ring_size=RING, poll_seconds=0.2, clock=pair.clock)
    before = latest_event_id(pair.a.db)
    seqs = iter(range(10_000_000, 10_000_200))
    lock = threading.Lock()

    def publish_some() -> None:
        for _ in range(25):
            with lock:
                seq = next(seqs)
            hub.publish("change", {"seq": seq})

    threads = [threading.Thread(target=publish_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = events_after(pair.a.db, before, hub.epoch, limit=500)
    written = [e for e in stored if e.kind == "change"]
    assert 1 <= len(written) <= 200
    assert max(e.data["seq"] for e in written) == 10_000_199  # the newest is never lost
