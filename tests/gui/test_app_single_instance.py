"""One window per data folder: later starts and ``pop`` reach the running instance."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from operator_app.gui.single_instance import (
    MAX_REQUEST_BYTES,
    DeliveryError,
    InstanceLock,
    InstanceServer,
    ProtocolError,
    Request,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
    send_request,
    server_name,
)

IDLE_MS = 300


def exchange(qtbot: QtBot, name: str, payload: bytes) -> bytes:
    """Send arbitrary bytes the way a confused or hostile local program might.

    Event-driven on the GUI thread, so the server in this same process can answer.
    """
    socket = QLocalSocket()
    reply = bytearray()
    socket.connected.connect(lambda: socket.write(payload))
    socket.readyRead.connect(lambda: reply.extend(bytes(socket.readAll().data())))
    socket.connectToServer(name)
    qtbot.waitUntil(lambda: b"\n" in reply, timeout=8000)
    socket.abort()
    return bytes(reply)


CLIENT = (
    "import sys\n"
    "from PySide6.QtCore import QCoreApplication\n"
    "from operator_app.gui.single_instance import DeliveryError, Request, send_request\n"
    "app = QCoreApplication([])\n"
    "request = Request.activate() if sys.argv[2] == '-' else Request('pop', sys.argv[2])\n"
    "try:\n"
    "    send_request(sys.argv[1], request)\n"
    "except DeliveryError as exc:\n"
    "    print(type(exc).__name__, exc)\n"
    "    raise SystemExit(3)\n"
)


def send_from_another_process(qtbot: QtBot, name: str, number: str | None) -> tuple[int, str]:
    """``send_request`` as a later process runs it, while this one keeps serving."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLIENT, name, number or "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with process:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=20000)
        output, _ = process.communicate()
    return process.returncode, output


@pytest.fixture
def server(tmp_path: Path, qtbot: QtBot) -> Any:
    instance = InstanceServer(server_name(tmp_path), idle_ms=IDLE_MS)
    assert instance.listen(), instance.error_text()
    yield instance
    instance.close()


# --- the protocol ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("tel:+79123456789", "+79123456789"),
        ("callto:89123456789", "+79123456789"),
        ("sip:+79123456789@pbx.example;user=phone", "+79123456789"),
        ("+7 (912) 345-67-89", "+79123456789"),
        ("9123456789", "+79123456789"),
    ],
)
def test_pop_request_carries_the_normalised_number(raw: str, e164: str) -> None:
    line = encode_request(Request.pop(raw))
    assert line.endswith(b"\n")
    assert json.loads(line) == {"v": 1, "cmd": "pop", "number": e164}
    assert decode_request(line.rstrip(b"\n")) == Request("pop", e164)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"garbage", "not a JSON line"),
        (b"\xff\xfe", "not a JSON line"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"cmd": "pop", "number": "+79123456789"}', "missing protocol version"),
        (b'{"v": true, "cmd": "activate"}', "missing protocol version"),
        (b'{"v": 2, "cmd": "activate"}', "unsupported protocol version 2"),
        (b'{"v": 1, "cmd": "rm -rf"}', "unknown command"),
        (b'{"v": 1, "cmd": "pop"}', "pop needs a number"),
        (b'{"v": 1, "cmd": "pop", "number": 79123456789}', "pop needs a number"),
        (b'{"v": 1, "cmd": "pop", "number": "call me"}', "is not a phone number"),
        (b'{"v": 1, "cmd": "activate", "pad": "' + b"x" * MAX_REQUEST_BYTES + b'"}', "too long"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(line: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        decode_request(line)


@given(st.binary(max_size=600))
def test_no_input_breaks_the_decoder(line: bytes) -> None:
    try:
        request = decode_request(line)
    except ProtocolError:
        return
    assert request.command in ("pop", "activate")


def test_replies_round_trip() -> None:
    assert decode_reply(encode_reply().rstrip()) is None
    assert decode_reply(encode_reply("busy").rstrip()) == "busy"
    assert decode_reply(b'{"v": 1}') == "the running window refused the request"


def test_server_name_differs_per_data_folder(tmp_path: Path) -> None:
    first, second = server_name(tmp_path / "a"), server_name(tmp_path / "b")
    assert first != second
    assert first == server_name(tmp_path / "a")
    assert len(first) < 80  # Unix socket paths are limited to about 100 bytes


# --- a live server, in process --------------------------------------------------------------


def test_second_pop_reaches_the_first_instance(server: InstanceServer, qtbot: QtBot) -> None:
    popped: list[str] = []
    server.pop_requested.connect(popped.append)
    code, output = send_from_another_process(qtbot, server.name, "+79123456789")
    assert code == 0, output
    assert popped == ["+79123456789"]


def test_plain_second_start_only_activates(server: InstanceServer, qtbot: QtBot) -> None:
    activated: list[bool] = []
    server.activate_requested.connect(lambda: activated.append(True))
    code, output = send_from_another_process(qtbot, server.name, None)
    assert code == 0, output
    assert activated == [True]


def test_refusal_reaches_the_sender(server: InstanceServer, qtbot: QtBot) -> None:
    # Built by hand, bypassing Request.pop's own check, as an old or buggy client might.
    code, output = send_from_another_process(qtbot, server.name, "not a number")
    assert code == 3
    assert "DeliveryRefused" in output and "is not a phone number" in output


@pytest.mark.parametrize(
    "payload",
    [
        b"garbage\n",
        b"\x00\xff\n",
        b'{"v": 1, "cmd": "pop", "number": [1]}\n',
        b'{"v": 9, "cmd": "pop"}\n',
        b"x" * (MAX_REQUEST_BYTES + 10),
    ],
)
def test_garbage_on_the_socket_is_answered_and_survived(
    server: InstanceServer, qtbot: QtBot, payload: bytes
) -> None:
    popped: list[str] = []
    server.pop_requested.connect(popped.append)
    answer = json.loads(exchange(qtbot, server.name, payload))
    assert answer["v"] == 1 and answer["ok"] is False and answer["error"]
    assert popped == []
    # ...and the next well-formed request is still served.
    good = json.loads(exchange(qtbot, server.name, encode_request(Request.pop("89123456789"))))
    assert good == {"v": 1, "ok": True}
    assert popped == ["+79123456789"]


def test_silent_client_does_not_block_others(server: InstanceServer, qtbot: QtBot) -> None:
    silent = QLocalSocket()
    silent.connectToServer(server.name)
    qtbot.waitUntil(lambda: silent.state() == QLocalSocket.LocalSocketState.ConnectedState)
    answer = json.loads(exchange(qtbot, server.name, encode_request(Request.activate())))
    assert answer["ok"] is True
    # The silent one is eventually told off and disconnected, not kept forever.
    qtbot.waitUntil(lambda: silent.bytesAvailable() > 0, timeout=IDLE_MS + 5000)
    assert json.loads(bytes(silent.readAll().data()))["ok"] is False
    silent.abort()


def test_nobody_listening_is_a_delivery_error(tmp_path: Path, qtbot: QtBot) -> None:
    with pytest.raises(DeliveryError):
        send_request(server_name(tmp_path / "nobody"), Request.activate(), timeout_ms=500)


def test_stale_socket_of_a_crashed_instance_is_taken_over(tmp_path: Path, qtbot: QtBot) -> None:
    name = server_name(tmp_path)
    # A crash leaves the socket file behind: a process listens, then dies by SIGKILL.
    crashed = subprocess.Popen(
        [sys.executable, "-c", STALE_MAKER, name], stdout=subprocess.PIPE, text=True
    )
    with crashed:
        assert crashed.stdout is not None and crashed.stdout.readline().strip() == "listening"
        crashed.kill()
    successor = InstanceServer(name)
    assert successor.listen(), successor.error_text()
    answer = json.loads(exchange(qtbot, name, encode_request(Request.activate())))
    assert answer["ok"] is True
    successor.close()


STALE_MAKER = (
    "import sys, time\n"
    "from PySide6.QtCore import QCoreApplication\n"
    "from PySide6.QtNetwork import QLocalServer\n"
    "app = QCoreApplication([])\n"
    "server = QLocalServer()\n"
    "assert server.listen(sys.argv[1])\n"
    "print('listening', flush=True)\n"
    "time.sleep(60)\n"
)


def test_lock_admits_one_instance_per_data_folder(tmp_path: Path) -> None:
    name = server_name(tmp_path)
    first, second = InstanceLock(name), InstanceLock(name)
    other_folder = InstanceLock(server_name(tmp_path / "other"))
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert other_folder.try_acquire()
        first.release()
        assert second.try_acquire()
    finally:
        for lock in (first, second, other_folder):
            lock.release()
