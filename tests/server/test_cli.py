"""``operator-app-server`` as people run it: real databases, real processes, real HTTP.

Most commands run in this process through the same ``main`` the console script calls
(quicker); the serving test starts the installed script as a child process.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from operator_app.server.cli import main
from tests.server.conftest import BACKENDS
from tests.server.support import EventStream, client_for, mutation, send

SCRIPT = Path(sys.executable).with_name("operator-app-server")
OURS = {"OPERATOR_APP_DATABASE_URL", "OPERATOR_APP_PASSWORD"}


def clean_env() -> dict[str, str]:
    """This process's environment (isolated HOME and XDG folders) without our variables."""
    return {k: v for k, v in os.environ.items() if k not in OURS}


class Cli:
    """``main`` in this process, stdin not a terminal, our variables cleared."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        for name in OURS:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    def __call__(self, *args: str, password: str | None = None, **env: str) -> tuple[int, str, str]:
        with self.monkeypatch.context() as patch:
            if password is not None:
                patch.setenv("OPERATOR_APP_PASSWORD", password)
            for name, value in env.items():
                patch.setenv(name, value)
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(capsys, monkeypatch)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
def test_init_and_create_user(cli: Cli, fresh_database_url: str) -> None:
    url = ["--database-url", fresh_database_url]
    code, out, _ = cli("init", *url)
    assert code == 0 and "schema created" in out
    code, out, _ = cli("init", *url)
    assert code == 0 and "up to date" in out
    code, out, _ = cli(
        "create-user",
        "Maria",
        "--role",
        "supervisor",
        "--name",
        "Мария",
        *url,
        password="long-enough-1",
    )
    assert code == 0 and "'maria'" in out
    for args, password, message in (
        (["Maria", "--role", "operator"], "long-enough-1", "taken"),
        (["kate", "--role", "operator"], "short", "at least 8"),
        (["kate", "--role", "operator"], None, "OPERATOR_APP_PASSWORD"),
    ):
        code, _, err = cli("create-user", *args, *url, password=password)
        assert code == 1 and message in err, err
    code, _, err = cli("init", "--demo", *url)
    assert code == 1 and "not created as a demo" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init", "--customers", "5"], "--customers goes with --demo"),
        (["init", "--demo", "--customers", "0"], "from 1 to"),
        (["init", "--database-url", "mysql://db/x"], "unsupported database 'mysql'"),
        (["init", "--database-url", "sqlite://"], "SQLite needs a file"),
        (["init", "--database-url", "::nonsense::"], "not a database URL"),
        (["serve", "--port", "70000"], "from 1 to"),
        (["serve", "--tls-cert", "/nonexistent.pem"], "no such file"),
        (["create-user", "bad name!", "--role", "operator"], "a username is"),
        (["create-user", "kate", "--role", "boss"], "invalid choice"),
        ([], "required"),
    ],
)
def test_usage_mistakes_exit_2_with_a_readable_line(
    cli: Cli, args: list[str], message: str
) -> None:
    code, _, err = cli(*args)
    assert code == 2
    assert message in err


def test_failures_exit_1_with_a_readable_line(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("serve", "--database-url", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert code == 1 and "init" in err
    code, _, err = cli("init", "--database-url", f"sqlite:///{tmp_path / 'no' / 'x.sqlite3'}")
    assert code == 1 and "does not exist" in err
    code, _, err = cli("init", "--database-url", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 1 and "cannot use the database" in err


def test_default_and_environment_database_locations(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("init")
    assert code == 0, err
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert (data_home / "operator-app-server" / "server.sqlite3").is_file()
    target = tmp_path / "from-env.sqlite3"
    code, _, err = cli("init", OPERATOR_APP_DATABASE_URL=f"sqlite:///{target}")
    assert code == 0, err
    assert target.is_file()


def _wait_until_up(base_url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the server exited: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            if httpx.get(base_url + "/api/v1/version", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up")


@pytest.mark.slow
@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
def test_serve_runs_the_api_and_stops_cleanly_on_sigterm(cli: Cli, fresh_database_url: str) -> None:
    url = ["--database-url", fresh_database_url]
    assert cli("init", *url)[0] == 0
    assert cli("create-user", "olga", "--role", "operator", *url, password="pass-word-9")[0] == 0
    code, pbx_token, _ = cli("create-integration-token", "PBX main hall", *url)
    assert code == 0
    pbx_token = pbx_token.strip()
    port = free_port()
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--log-level", "warning", *url],
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process)
        with client_for(base_url) as anonymous:
            login = anonymous.post(
                "/auth/login", json={"username": "olga", "password": "pass-word-9"}
            )
        assert login.status_code == 200, login.text
        with client_for(base_url, login.json()["access_token"]) as client:
            [created] = send(client, mutation("customer", "create", {"phones": ["+79160000001"]}))
            assert created["status"] == "applied"
            changes = client.get("/changes").json()["changes"]
            assert [c["entity"] for c in changes] == ["customer"]
            stream = EventStream(client)
            stream.next_event()
            with client_for(base_url, pbx_token) as pbx:
                popped = pbx.post("/telephony/incoming", json={"phone": "8 916 000 00 01"})
                assert popped.status_code == 202
                assert popped.json()["customer_ids"] == [created_id(changes)]
                assert pbx.get("/changes").status_code == 403
            assert stream.next_event()["event"] == "incoming_contact"
            process.send_signal(signal.SIGTERM)  # with the event stream still open
            # uvicorn re-raises the signal after its graceful shutdown, as services expect.
            assert process.wait(timeout=30) in (0, -signal.SIGTERM)
            with pytest.raises((AssertionError, httpx.HTTPError)):
                stream.next_event(timeout=5)
            stream.close()
    finally:
        if process.poll() is None:
            process.kill()
        _, output = process.communicate(timeout=30)  # also closes the pipes
    assert "Traceback" not in output
    assert "ERROR" not in output  # e.g. a stream cut off without completing its response


def created_id(changes: list[dict]) -> str:
    return str(changes[0]["id"])


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
def test_init_demo_fills_a_new_database_once(cli: Cli, fresh_database_url: str) -> None:
    from operator_app.server.app import create_app
    from operator_app.server.db import Database
    from tests.server.support import LiveServer, all_changes

    url = ["--database-url", fresh_database_url]
    code, out, err = cli(
        "init", "--demo", "--customers", "15", "--messages-per-customer", "3", *url
    )
    assert code == 0, err
    assert "password: demo" in out
    code, _, err = cli("init", "--demo", *url)
    assert code == 1 and "already holds data" in err
    db = Database(fresh_database_url)
    live = LiveServer(create_app(db))
    live.start()
    try:
        with client_for(live.base_url) as anonymous:
            tokens = {
                name: anonymous.post(
                    "/auth/login", json={"username": name, "password": "demo"}
                ).json()["access_token"]
                for name in ("operator", "supervisor", "admin")
            }
        with client_for(live.base_url, tokens["operator"]) as operator:
            changes = all_changes(operator)
            customers = [c for c in changes if c["entity"] == "customer"]
            assert len(customers) == 15
            assert {c["entity"] for c in changes} >= {"product", "conversation", "message"}
            assert not {c["entity"] for c in changes} & {"user", "audit_event"}
            phone = customers[0]["data"]["phones"][0]
            found = operator.get("/customers", params={"q": phone}).json()["items"]
            assert customers[0]["id"] in [c["id"] for c in found]
        with client_for(live.base_url, tokens["admin"]) as admin:
            users = [c for c in all_changes(admin) if c["entity"] == "user"]
            assert {"operator", "supervisor", "admin"} <= {u["data"]["username"] for u in users}
    finally:
        live.stop()
        db.dispose()
