"""Simulated demo traffic: calls pop up in the demo operator's stream, messages arrive
through the change feed; only on demo databases, and only while switched on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from operator_app.domain.enums import Role
from operator_app.server.accounts import create_user
from operator_app.server.app import create_app
from operator_app.server.db import Database
from operator_app.server.schema import DEMO_KEY, upgrade_to_head, write_meta
from operator_app.server.seed import load_batches
from operator_app.server.settings import ServerSettings
from operator_app.server.traffic import TrafficSimulator
from tests.server.conftest import PASSWORD, ServerHandle, base_rows
from tests.server.support import ApiClients, EventStream, LiveServer, MovableClock, all_changes

TICK_S = 0.1


class DemoServer:
    def __init__(self, live: LiveServer, api: ApiClients, data: dict[str, object]) -> None:
        self.live, self.api, self.data = live, api, data


def _start(path: Path, *, demo: bool, seed: int = 7) -> Iterator[DemoServer]:
    clock = MovableClock()
    db = Database(f"sqlite:///{path}")
    upgrade_to_head(db)
    data = base_rows(clock())
    with db.writing() as session:
        load_batches(session.connection(), data.pop("batches"), clock())
        write_meta(session, DEMO_KEY, "true" if demo else "false")
        create_user(
            session, username="operator", role=Role.OPERATOR, password=PASSWORD, now=clock()
        )
    settings = ServerSettings(clock=clock, event_ping_seconds=0.2, traffic_seed=seed)
    live = LiveServer(create_app(db, settings))
    live.start()
    api = ApiClients(live.base_url)
    api.sign_in(Role.OPERATOR, "operator", PASSWORD)
    try:
        yield DemoServer(live, api, data)
    finally:
        api.close()
        live.stop()
        db.dispose()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoServer]:
    yield from _start(tmp_path / "demo.sqlite3", demo=True)


def _inbound_messages(server: DemoServer, since: int) -> list[dict[str, object]]:
    return [
        change["data"]
        for change in all_changes(server.api.operator, since)
        if change["entity"] == "message" and change["data"]["direction"] == "in"
    ]


def test_enabled_traffic_pops_calls_and_delivers_messages(demo: DemoServer) -> None:
    client = demo.api.operator
    assert client.get("/admin/demo/traffic").json()["enabled"] is False
    start = client.get("/changes", params={"since": 0, "limit": 1000}).json()["next"]
    with EventStream(client) as stream:
        assert stream.next_event()["event"] == "change"  # where the feed is
        response = client.put("/admin/demo/traffic", json={"enabled": True, "interval_s": TICK_S})
        assert response.status_code == 200, response.text
        assert response.json() == {"enabled": True, "interval_s": TICK_S}
        kinds: set[str] = set()
        while not {"incoming_contact", "change"} <= kinds:
            event = stream.next_event(timeout=10)
            kinds.add(event["event"])
            if event["event"] == "incoming_contact":
                assert event["data"]["operator"] == "operator"
                customers = {str(demo.data["customer_id"]), str(demo.data["other_customer_id"])}
                [caller] = event["data"]["customer_ids"]
                assert caller in customers
    client.put("/admin/demo/traffic", json={"enabled": False})
    messages = _inbound_messages(demo, start)
    assert messages, "no simulated message reached the change feed"
    assert {m["conversation_id"] for m in messages} == {str(demo.data["conversation_id"])}
    conversations = [c["data"] for c in all_changes(client, start) if c["entity"] == "conversation"]
    assert conversations[-1]["status"] == "open"
    assert conversations[-1]["last_inbound_at"] == messages[-1]["sent_at"]


def test_disabled_traffic_creates_nothing(demo: DemoServer) -> None:
    client = demo.api.operator
    # A tiny interval that is never switched on: the feed and the stream stay quiet.
    response = client.put("/admin/demo/traffic", json={"enabled": False, "interval_s": TICK_S})
    assert response.json() == {"enabled": False, "interval_s": TICK_S}
    head = client.get("/changes", params={"since": 0, "limit": 1000}).json()["next"]
    with EventStream(client) as stream:
        stream.next_event()  # the opening `change`
        time.sleep(10 * TICK_S)
        while stream.comments < 2:  # heartbeats only: no event in between
            line = stream.next_line()
            assert not line.startswith(("event:", "data:")), line
            stream.comments += line.startswith(":")
    assert all_changes(client, head) == []


def test_the_same_seed_makes_the_same_traffic(demo: DemoServer) -> None:
    context = demo.live.app.state.context  # traffic_seed is fixed in its settings
    runs = [[TrafficSimulator(context).step() for _ in range(8)] for _ in range(2)]
    assert runs[0] == runs[1]
    assert set(runs[0]) <= {"call", "message"}


def test_bad_interval_is_refused(demo: DemoServer) -> None:
    response = demo.api.operator.put("/admin/demo/traffic", json={"enabled": True, "interval_s": 0})
    assert response.status_code == 422
    assert demo.api.operator.get("/admin/demo/traffic").json()["enabled"] is False


def test_not_on_a_real_database(server: ServerHandle) -> None:
    for client in (server.api.operator, server.api.admin):
        response = client.put("/admin/demo/traffic", json={"enabled": True})
        assert response.status_code == 404
        assert "demo" in response.json()["detail"]
        assert client.get("/admin/demo/traffic").status_code == 404
    assert server.api["telephony"].get("/admin/demo/traffic").status_code == 403
    assert server.api.anonymous.get("/admin/demo/traffic").status_code == 401
