"""``operator-app-server serve --workers 2``: a real server with two worker processes.

Each connection is traced to the worker process that accepted it (Linux: the server
side of the loopback connection is found among each worker's open sockets), so the tests
know they publish through one worker and listen on the other.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from operator_app.server.db import Database
from operator_app.server.models import OutboundDelivery
from tests.e2e.server_process import PASSWORD, ServerProcess
from tests.server.surveys_support import WebhookSink

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="traces connections through /proc"
)

API = "/api/v1"


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def _socket_inodes(pid: int) -> set[int]:
    inodes: set[int] = set()
    folder = Path(f"/proc/{pid}/fd")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return inodes
    for entry in entries:
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def worker_of(server: ServerProcess, client_port: int) -> int | None:
    """The pid of the worker holding the server side of the connection from ``client_port``."""
    assert server.process is not None
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        remote_port = int(fields[2].rsplit(":", 1)[1], 16)
        if local_port == server.port and remote_port == client_port and fields[3] == "01":
            inode = int(fields[9])
    if inode is None:
        return None
    for pid in _children(server.process.pid):
        if inode in _socket_inodes(pid):
            return pid
    return None


def _client_port(response: httpx.Response) -> int:
    return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])


class Conn:
    """One keep-alive connection (an httpx client with one connection) and its worker."""

    def __init__(self, server: ServerProcess, token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(
            base_url=server.url + API,
            headers=headers,
            timeout=30,
            limits=httpx.Limits(max_connections=1),
        )
        response = self.http.get("/version")
        response.raise_for_status()
        self.worker = worker_of(server, _client_port(response))

    def close(self) -> None:
        self.http.close()


class Stream:
    """``GET /events`` on its own connection, read line by line."""

    def __init__(self, server: ServerProcess, token: str, stack: ExitStack) -> None:
        self.http = stack.enter_context(
            httpx.Client(
                base_url=server.url + API,
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
        )
        self.response = stack.enter_context(self.http.stream("GET", "/events"))
        assert self.response.status_code == 200
        self.worker = worker_of(server, _client_port(self.response))
        self._lines = self.response.iter_lines()

    def next_event(self, timeout: float = 20) -> dict[str, Any]:
        """The next event; heartbeats (every 15 s) let a stalled stream fail the deadline."""
        deadline = time.monotonic() + timeout
        event: dict[str, Any] = {}
        for line in self._lines:
            if time.monotonic() > deadline:
                raise AssertionError("no event before the deadline")
            if line.startswith(":"):
                continue
            if not line:
                if "data" in event:
                    event["data"] = json.loads(event["data"])
                    return event
                continue
            name, _, value = line.partition(":")
            event[name] = value.removeprefix(" ")
        raise AssertionError("the stream ended")


def _login(server: ServerProcess, username: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(
        f"{server.url}{API}/auth/login",
        json={"username": username, "password": password},
        timeout=30,
    )


def _one_per_worker(make: Any, deadline_s: float = 90) -> dict[int, Any]:
    """Connections made with ``make()`` until two workers hold one each; the rest closed."""
    found: dict[int, Any] = {}
    deadline = time.monotonic() + deadline_s
    while len(found) < 2:
        assert time.monotonic() < deadline, f"connections reached only workers {list(found)}"
        conn = make()
        if conn.worker is not None and conn.worker not in found:
            found[conn.worker] = conn
        else:
            conn.close()
            time.sleep(0.05)  # the other worker may still be starting
    return found


WEBHOOK = WebhookSink()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("workers")).init(demo_customers=20)
    process.create_user("op", "operator")
    process.create_user("boss", "admin")
    process.start(
        "--workers",
        "2",
        env={
            "OPERATOR_APP_REVIEW_WEBHOOK_URL": f"{WEBHOOK.url}/review",
            "OPERATOR_APP_WEBHOOK_SECRET": "e2e-webhook-secret",
        },
    )
    try:
        yield process
    finally:
        process.stop()
        assert process.process is None


def _token(server: ServerProcess, username: str) -> str:
    response = _login(server, username)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def test_an_event_published_through_one_worker_reaches_streams_on_the_other(
    server: ServerProcess,
) -> None:
    operator, admin = _token(server, "op"), _token(server, "boss")
    with ExitStack() as stack:
        streams: dict[int, Stream] = {}
        deadline = time.monotonic() + 90
        while len(streams) < 2:
            assert time.monotonic() < deadline, "the streams reached one worker only"
            stream = Stream(server, operator, stack)
            assert stream.next_event()["event"] == "change"  # the opening position
            if stream.worker is not None:
                streams.setdefault(stream.worker, stream)
        publishers = _one_per_worker(lambda: Conn(server, admin))
        assert set(publishers) == set(streams)
        for publisher in publishers.values():
            response = publisher.http.post(
                "/telephony/incoming", json={"phone": "+79990001122", "channel": "phone"}
            )
            assert response.status_code == 202, response.text
            event_id = response.json()["event_id"]
            for stream in streams.values():  # the other worker's stream, and its own
                event = stream.next_event()
                assert (event["event"], event["id"]) == ("incoming_contact", event_id)
        for publisher in publishers.values():
            publisher.close()


def test_failed_sign_ins_count_across_workers(server: ServerProcess) -> None:
    username = f"u{uuid.uuid4().hex[:8]}"
    server.create_user(username, "operator")
    conns = list(_one_per_worker(lambda: Conn(server)).values())
    try:
        for attempt in range(5):
            response = conns[attempt % 2].http.post(
                "/auth/login", json={"username": username, "password": "wrong-password"}
            )
            assert response.status_code == 401
        for conn in conns:
            locked = conn.http.post(
                "/auth/login", json={"username": username, "password": PASSWORD}
            )
            assert locked.status_code == 429
            assert 0 < int(locked.headers["Retry-After"]) <= 60
    finally:
        for conn in conns:
            conn.close()


def test_disabling_an_account_through_one_worker_ends_its_token_on_the_other(
    server: ServerProcess,
) -> None:
    username = f"u{uuid.uuid4().hex[:8]}"
    server.create_user(username, "operator")
    token = _token(server, username)
    admins = _one_per_worker(lambda: Conn(server, _token(server, "boss")))
    users = _one_per_worker(lambda: Conn(server, token))
    try:
        [via, other] = list(admins)
        assert users[other].http.get("/auth/me").status_code == 200  # remembered there
        listed = admins[via].http.get("/admin/users").json()
        rows = listed["items"] if isinstance(listed, dict) else listed
        [user] = [u for u in rows if u["username"] == username]
        response = admins[via].http.patch(f"/admin/users/{user['id']}", json={"disabled": True})
        assert response.status_code == 200, response.text
        refused = users[other].http.get("/auth/me")
        assert refused.status_code == 401
    finally:
        for conn in [*admins.values(), *users.values()]:
            conn.close()


def test_each_due_delivery_is_sent_once_by_two_polling_workers(server: ServerProcess) -> None:
    now = datetime.now(UTC)
    db = Database(server.database_url)
    ids: list[uuid.UUID] = []
    try:
        for _ in range(4):  # in waves, so both workers find work
            wave = [uuid.uuid4() for _ in range(25)]
            with db.writing() as session:
                session.add_all(
                    OutboundDelivery(
                        id=delivery_id,
                        kind="review_alert",
                        purpose="review_case",
                        survey_id=None,
                        target=WEBHOOK.url,
                        payload={"text": "low score", "review_case_id": str(delivery_id)},
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                        lease_until=None,
                        last_error="",
                        created_at=now,
                        updated_at=now,
                        sent_at=None,
                    )
                    for delivery_id in wave
                )
            ids += wave
            time.sleep(0.5)
        deadline = time.monotonic() + 60
        while True:
            rows = server.query("SELECT COUNT(*) FROM outbound_deliveries WHERE status = 'sent'")
            if rows[0][0] >= len(ids) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        db.dispose()
    received = [r.headers["x-operatorapp-delivery"] for r in WEBHOOK.at("/review")]
    assert sorted(received) == sorted(str(i) for i in ids)  # every one, and only once


def test_demo_traffic_switched_through_one_worker_ticks_in_the_lease_holder(
    server: ServerProcess,
) -> None:
    token = _token(server, "op")
    conns = _one_per_worker(lambda: Conn(server, token))
    [a, b] = conns.values()
    try:
        response = a.http.put("/admin/demo/traffic", json={"enabled": True, "interval_s": 0.05})
        assert response.status_code == 200, response.text
        assert b.http.get("/admin/demo/traffic").json() == {"enabled": True, "interval_s": 0.05}
        deadline = time.monotonic() + 60
        ticks = "SELECT COUNT(*) FROM change_log WHERE actor = 'demo-traffic'"
        while server.query(ticks)[0][0] < 3:
            assert time.monotonic() < deadline, "no simulated traffic"
            time.sleep(0.1)
        assert b.http.put("/admin/demo/traffic", json={"enabled": False}).status_code == 200
        assert a.http.get("/admin/demo/traffic").json()["enabled"] is False
    finally:
        for conn in conns.values():
            conn.close()
    [(holder,)] = server.query("SELECT holder FROM worker_leases WHERE name = 'demo-traffic'")
    assert int(holder.split(":")[1]) in conns  # one of the two workers holds it


def test_a_stop_signal_ends_open_streams_and_every_worker(tmp_path: Path) -> None:
    process = ServerProcess(tmp_path).init()
    process.create_user("op", "operator")
    process.start("--workers", "2")
    assert process.process is not None
    parent = process.process
    token = _token(process, "op")
    with ExitStack() as stack:
        streams: dict[int, Stream] = {}
        deadline = time.monotonic() + 90
        while len(streams) < 2 and time.monotonic() < deadline:
            stream = Stream(process, token, stack)
            stream.next_event()
            if stream.worker is not None:
                streams.setdefault(stream.worker, stream)
        workers = list(streams)
        process.stop()  # SIGTERM; waits for the exit
        assert parent.returncode == 0
        for stream in streams.values():  # each stream was ended by its worker, not cut
            with pytest.raises(AssertionError, match="ended"):
                stream.next_event()
    for pid in workers:
        assert _gone(pid)


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status
