"""The real reference server, as a separate process on a free loopback port."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.loopback import free_port

BIN = Path(sys.executable).parent
PASSWORD = "e2e-pa55word"


def console_script(name: str) -> str:
    return str(BIN / name)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


class ServerProcess:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.db_path = folder / "server.sqlite3"
        self.database_url = f"sqlite:///{self.db_path}"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [console_script("operator-app-server"), *args, "--database-url", self.database_url],
            capture_output=True,
            text=True,
            env=_env(OPERATOR_APP_PASSWORD=PASSWORD),
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"server command {args} failed: {result.stderr}")
        return result.stdout

    def init(self, *, demo_customers: int | None = None) -> ServerProcess:
        if demo_customers:
            self._run("init", "--demo", "--customers", str(demo_customers))
        else:
            self._run("init")
        return self

    def refit(self) -> str:
        """The customer-value refit (``analytics refit``), as the nightly job runs it."""
        return self._run("analytics", "refit")

    def create_user(self, username: str, role: str = "operator", name: str = "") -> None:
        self._run("create-user", username, "--role", role, "--name", name or username.title())

    def start(self, *extra: str, env: dict[str, str] | None = None) -> ServerProcess:
        """``serve`` with ``extra`` arguments (e.g. ``--workers 2``) and ``env`` added."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    console_script("operator-app-server"),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                    "--log-level",
                    "warning",
                    *extra,
                ],
                env=_env(**(env or {})),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # Generous: worker processes (--workers) import the whole server each, and a busy
        # machine makes that slow; the loop returns as soon as the server answers.
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/version", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        """Read the server's own database (read-only) to check what really landed there."""
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute(sql, params).fetchall()
