"""``operator-app sync`` and ``operator-app cache stats`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.loopback import FaultProxy, free_port
from tests.e2e.server_process import PASSWORD, ServerProcess, console_script

NO_KEYRING = "keyring.backends.fail.Keyring"


def run_app(*args: str, password: str | None = PASSWORD, keyring: str = NO_KEYRING) -> Any:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": keyring}
    env.pop("OPERATOR_APP_PASSWORD", None)
    if password is not None:
        env["OPERATOR_APP_PASSWORD"] = password
    return subprocess.run(
        [console_script("operator-app"), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def files_contain(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_sync_then_stats_without_a_keyring(tmp_path: Path, demo_server: ServerProcess) -> None:
    data = tmp_path / "data"
    result = run_app(
        "sync", "--data-dir", str(data), "--server", demo_server.url, "--user", "alice"
    )
    assert result.returncode == 0, result.stderr
    assert "Synced with" in result.stdout
    assert "kept in memory only" in result.stderr  # the keyring notice
    assert "Traceback" not in result.stderr

    stats = run_app("cache", "stats", "--json", "--data-dir", str(data))
    assert stats.returncode == 0, stats.stderr
    document = json.loads(stats.stdout)
    assert set(document) == {"cursor", "pending", "entities"}
    assert document["cursor"] > 0 and document["pending"] == 0
    customers = demo_server.query("SELECT count(*) FROM customers")[0][0]
    assert document["entities"]["customer"] == customers

    # The server and user are remembered; the password still comes from the environment.
    again = run_app("sync", "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    # No token and no password in any file of the data folder.
    assert files_contain(data, b"oat_") == []
    assert files_contain(data, PASSWORD.encode()) == []


def test_the_in_process_token_never_reaches_the_data_folder(
    demo_server: ServerProcess, make_client: Any, memory_keyring: Any
) -> None:
    client = make_client(demo_server.url)
    client.sync()
    [token] = memory_keyring.secrets.values()
    client.engine.dispose()
    assert token.startswith("oat_")
    assert files_contain(client.folder, token.encode()) == []


def test_mistakes_end_with_one_clear_line(tmp_path: Path, demo_server: ServerProcess) -> None:
    data = str(tmp_path / "data")
    unset = run_app("sync", "--data-dir", data)
    assert unset.returncode == 2 and "--server URL --user NAME" in unset.stderr

    garbage = run_app("sync", "--data-dir", data, "--server", "crm.example", "--user", "alice")
    assert garbage.returncode == 2 and "must start with http:// or https://" in garbage.stderr

    wrong = run_app(
        "sync",
        "--data-dir",
        data,
        "--server",
        demo_server.url,
        "--user",
        "alice",
        password="not-the-password",
    )
    assert wrong.returncode == 3 and "Wrong user name or password" in wrong.stderr

    nobody = run_app(
        "sync", "--data-dir", data, "--server", demo_server.url, "--user", "alice", password=None
    )
    assert nobody.returncode == 3 and "OPERATOR_APP_PASSWORD" in nobody.stderr

    down = run_app(
        "sync", "--data-dir", data, "--server", f"http://127.0.0.1:{free_port()}", "--user", "alice"
    )
    assert down.returncode == 1 and "unreachable" in down.stderr

    missing = run_app("cache", "stats", "--json", "--data-dir", str(tmp_path / "none"))
    assert missing.returncode == 1 and "no local cache" in missing.stderr
    for result in (unset, garbage, wrong, nobody, down, missing):
        assert "Traceback" not in result.stderr


def test_sync_waits_out_retry_after(tmp_path: Path, demo_server: ServerProcess) -> None:
    proxy = FaultProxy(demo_server.url).start()
    try:
        proxy.arm("/api/v1/changes", "429", times=1, retry_after="1")
        result = run_app(
            "sync", "--data-dir", str(tmp_path / "data"), "--server", proxy.url, "--user", "alice"
        )
        assert result.returncode == 0, result.stderr
        assert "Retrying in 1 s" in result.stderr
        assert proxy.injected == ["429 /api/v1/changes"]
    finally:
        proxy.stop()
