"""The demo's own reference server: ``operator-app-server`` in a child process on loopback.

``operator-app --demo`` starts it on a free port, on a demo database initialised once
(``init --demo``) in the demo data folder, signs in as ``operator`` / ``demo`` and syncs
over real HTTP. Stopping the process is how to "pull the network" in a demonstration.
Without the server extra installed the demo stays local-only (the caller says so).
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from operator_app.gui.i18n import translate

DEMO_USER = "operator"
DEMO_PASSWORD = "demo"
DEMO_SERVER_CUSTOMERS = 2000
START_TIMEOUT_S = 30.0


def local_only_notice() -> str:
    return translate(
        "DemoServer",
        "Demo without a server: install operator-app[server] to sync with a live demo server.",
    )


class DemoServerError(RuntimeError):
    """The demo server could not be prepared or started; the message says why."""


def server_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("fastapi", "uvicorn"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DemoServer:
    def __init__(self, folder: Path, customers: int = DEMO_SERVER_CUSTOMERS) -> None:
        self.folder = folder
        self.customers = customers
        self.db_path = folder / "demo-server.sqlite3"
        self.log_path = folder / "demo-server.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _command(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "operator_app.server.cli",
            *args,
            "--database-url",
            f"sqlite:///{self.db_path}",
        ]

    def prepare(self, keep_waiting: Callable[[], None] = lambda: None) -> None:
        """Create the demo database once (a partial one from an interrupted run is redone)."""
        done = self.folder / "demo-server.ready"
        if done.exists() and self.db_path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db_path.unlink(missing_ok=True)
        if self._run(("init", "--demo", "--customers", str(self.customers)), keep_waiting) != 0:
            raise DemoServerError(
                f"The demo server database could not be created (see {self.log_path})."
            )
        # Customer value (CLV, P(alive), segments) and the upsell learning, as the nightly
        # refit would have them; without it the card says "not estimated yet" until 03:00.
        # Not fatal: the demo works without the figures (the log says what went wrong).
        self._run(("analytics", "refit"), keep_waiting)
        done.touch()

    def _run(self, args: tuple[str, ...], keep_waiting: Callable[[], None]) -> int:
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(self._command(*args), stdout=log, stderr=subprocess.STDOUT)
            while process.poll() is None:
                keep_waiting()
                time.sleep(0.05)
        return process.returncode

    def start(self, keep_waiting: Callable[[], None] = lambda: None) -> str:
        self.port = _free_port()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self._command(
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/version", timeout=1).status_code == 200:
                    return self.url
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise DemoServerError(f"The demo server did not start (see {self.log_path}).")
            keep_waiting()
            time.sleep(0.05)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
