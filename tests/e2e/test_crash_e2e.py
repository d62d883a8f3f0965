"""kill -9 of a client process at random moments of pulling, writing and pushing: every
note it committed reaches the server exactly once, and its cache converges."""

from __future__ import annotations

import os
import random
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from operator_app.cache.db import open_cache
from operator_app.cache.outbox import pending_count
from operator_app.cache.sync_state import entity_counts
from tests.e2e.server_process import PASSWORD, ServerProcess

ROUNDS = 20
NOTES = 12
ROOT = Path(__file__).resolve().parents[2]


def driver(data_dir: Path, server: ServerProcess, round_number: int, notes: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.e2e.client_driver",
        str(data_dir),
        server.url,
        "alice",
        "--round",
        str(round_number),
        "--notes",
        str(notes),
        "--page-size",
        "40",
    ]


def kill_at(process: subprocess.Popen[bytes], phase: str, count: int, jitter: float) -> str | None:
    """Kill the process once it reported ``count`` steps of ``phase``; the step it died in."""
    assert process.stdout is not None
    seen = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if not ready:
            continue
        line = process.stdout.readline().decode().strip()
        if not line:
            return None  # finished before reaching the target
        if line.split()[0] == phase:
            seen += 1
            if seen >= count:
                time.sleep(jitter)  # land inside the next step, not just after this one
                process.kill()
                return line
    raise AssertionError("the client process hung")


@pytest.mark.skipif(sys.platform == "win32", reason="select() on pipes is POSIX only")
def test_kill_9_at_random_points_loses_and_doubles_nothing(
    tmp_path: Path, demo_server: ServerProcess, make_client: Any
) -> None:
    data_dir = tmp_path / "killed"
    data_dir.mkdir()
    env = {
        **os.environ,
        "OPERATOR_APP_PASSWORD": PASSWORD,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    rng = random.Random(20240601)
    killed_in: list[str] = []
    for round_number in range(ROUNDS):
        # The first rounds die during the initial pull; later ones anywhere.
        phase = "pull" if round_number < 5 else rng.choice(["pull", "note", "push"])
        count = rng.randint(1, {"pull": 6, "note": NOTES, "push": 3}[phase])
        process = subprocess.Popen(
            driver(data_dir, demo_server, round_number, notes=NOTES),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        where = kill_at(process, phase, count, jitter=rng.uniform(0, 0.02))
        _, err = process.communicate(timeout=60)
        if process.returncode not in (0, -9):
            raise AssertionError(f"round {round_number} failed: {err.decode()[-2000:]}")
        if where is not None and process.returncode == -9:
            killed_in.append(where.split()[0])
    # Crashes landed in every phase.
    assert {"pull", "note", "push"} <= set(killed_in), killed_in
    assert len(killed_in) >= ROUNDS // 2

    # A last, uninterrupted run settles everything.
    final = subprocess.run(
        driver(data_dir, demo_server, ROUNDS, notes=0), cwd=ROOT, env=env, capture_output=True
    )
    assert final.returncode == 0, final.stderr.decode()[-2000:]

    engine = open_cache(data_dir / "cache.sqlite3")
    try:
        assert pending_count(engine) == 0
        with engine.connect() as conn:
            local = {
                bytes(r[0]).hex(): r[1]
                for r in conn.exec_driver_sql(
                    "SELECT id, body FROM notes WHERE body LIKE 'kill-%'"
                ).all()
            }
        remote = demo_server.query("SELECT id, body FROM notes WHERE body LIKE 'kill-%'")
        # Exactly once: no body twice on the server, and the same notes on both sides.
        bodies = [str(r[1]) for r in remote]
        assert len(bodies) == len(set(bodies))
        assert {str(r[0]): str(r[1]) for r in remote} == local
        assert len(local) > NOTES, "too few notes survived: pushing was not exercised"
        # The crashed cache converged to what a fresh client pulls.
        fresh = make_client(demo_server.url, name="fresh")
        fresh.sync()
        assert entity_counts(fresh.engine) == entity_counts(engine)
    finally:
        engine.dispose()
