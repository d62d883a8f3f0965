"""One window per user and data folder; ``operator-app pop NUMBER`` reaches it.

The first process for a data folder takes a lock file and listens on a local socket
(a Unix socket, a named pipe on Windows). Later processes send it one request and
exit. Two data folders (the demo and a real cache) get different names, so they can
run side by side.

Protocol: the client writes one line of UTF-8 JSON, ``{"v": 1, "cmd": "pop",
"number": "+79123456789"}`` or ``{"v": 1, "cmd": "activate"}``; the server answers
one line, ``{"v": 1, "ok": true}`` or ``{"v": 1, "ok": false, "error": "..."}``, and
closes. Anything else on the socket is refused with an error line, never raised.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QDir, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from operator_app import APP_NAME
from operator_app.domain.phones import normalize_phone

PROTOCOL_VERSION = 1
MAX_REQUEST_BYTES = 4096
# A client that connects and says nothing must not hold a socket forever.
CLIENT_IDLE_MS = 5000
Command = Literal["pop", "activate"]


class ProtocolError(ValueError):
    """A request or reply that does not follow the protocol."""


@dataclass(frozen=True, slots=True)
class Request:
    command: Command
    number: str | None = None  # E.164, only for "pop"

    @classmethod
    def pop(cls, raw_number: str) -> Request:
        phone = normalize_phone(raw_number)
        if phone is None:
            raise ProtocolError(f"{raw_number!r} is not a phone number")
        return cls("pop", phone.e164)

    @classmethod
    def activate(cls) -> Request:
        return cls("activate")


def server_name(data_dir: Path) -> str:
    """Per user and per data folder; short enough for a Unix socket path."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        user = "user"
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32] or "user"
    folder = str(data_dir.expanduser().resolve())
    digest = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{APP_NAME}-{user}-{digest}"


def encode_request(request: Request) -> bytes:
    message: dict[str, Any] = {"v": PROTOCOL_VERSION, "cmd": request.command}
    if request.number is not None:
        message["number"] = request.number
    return _line(message)


def decode_request(line: bytes) -> Request:
    message = _json_object(line)
    version = message.get("v")
    if type(version) is not int:
        raise ProtocolError("missing protocol version")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(f"unsupported protocol version {version}")
    command = message.get("cmd")
    if command == "activate":
        return Request.activate()
    if command == "pop":
        number = message.get("number")
        if not isinstance(number, str):
            raise ProtocolError("pop needs a number")
        return Request.pop(number)
    raise ProtocolError(f"unknown command {str(command)[:40]!r}")


def encode_reply(error: str | None = None) -> bytes:
    if error is None:
        return _line({"v": PROTOCOL_VERSION, "ok": True})
    return _line({"v": PROTOCOL_VERSION, "ok": False, "error": error[:300]})


def decode_reply(line: bytes) -> str | None:
    """``None`` when the request was accepted, else the server's reason."""
    message = _json_object(line)
    if message.get("ok") is True:
        return None
    error = message.get("error")
    return str(error) if error else "the running window refused the request"


def _line(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode() + b"\n"


def _json_object(line: bytes) -> dict[str, Any]:
    if len(line) > MAX_REQUEST_BYTES:
        raise ProtocolError("message too long")
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("not a JSON line") from None
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    return message


class InstanceServer(QObject):
    """Listens for requests from later processes and turns them into signals."""

    activate_requested = Signal()
    pop_requested = Signal(str)  # E.164

    def __init__(
        self, name: str, parent: QObject | None = None, *, idle_ms: int = CLIENT_IDLE_MS
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.idle_ms = idle_ms
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        """Start listening; a socket left by a crashed instance is removed first.

        Only call this while holding the instance lock, or a live server's socket
        could be taken away from it.
        """
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def error_text(self) -> str:
        return self._server.errorString()

    def close(self) -> None:
        for socket in list(self._buffers):
            socket.abort()
        self._buffers.clear()
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                return
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            QTimer.singleShot(self.idle_ms, socket, lambda s=socket: self._drop_idle(s))

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += bytes(socket.readAll().data())
        newline = buffer.find(b"\n")
        if newline < 0:
            if len(buffer) > MAX_REQUEST_BYTES:
                self._answer(socket, "message too long")
            return
        line = bytes(buffer[:newline])
        self._buffers[socket] = bytearray()  # one request per connection
        try:
            request = decode_request(line)
        except ProtocolError as exc:
            self._answer(socket, str(exc))
            return
        self._answer(socket, None)
        if request.command == "pop" and request.number is not None:
            self.pop_requested.emit(request.number)
        else:
            self.activate_requested.emit()

    def _answer(self, socket: QLocalSocket, error: str | None) -> None:
        socket.write(encode_reply(error))
        socket.flush()
        self._buffers.pop(socket, None)
        socket.disconnectFromServer()

    def _drop_idle(self, socket: QLocalSocket) -> None:
        if socket in self._buffers:
            self._answer(socket, "no request within the time limit")

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


class DeliveryError(RuntimeError):
    """The running instance could not be reached."""


class DeliveryRefused(DeliveryError):
    """The running instance answered and refused the request; retrying will not help."""


def send_request(name: str, request: Request, timeout_ms: int = 3000) -> None:
    """Deliver ``request`` to the instance listening on ``name`` (blocking).

    Raises :class:`DeliveryError` when nobody answers, :class:`DeliveryRefused` when
    the instance answered no.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        raise DeliveryError(socket.errorString())
    try:
        socket.write(encode_request(request))
        if not socket.waitForBytesWritten(timeout_ms):
            raise DeliveryError(socket.errorString())
        reply = bytearray()
        while b"\n" not in reply and len(reply) <= MAX_REQUEST_BYTES:
            if not socket.waitForReadyRead(timeout_ms) and socket.bytesAvailable() == 0:
                raise DeliveryError("the running window did not answer")
            reply += bytes(socket.readAll().data())
        try:
            refusal = decode_reply(bytes(reply.split(b"\n", 1)[0]))
        except ProtocolError as exc:
            raise DeliveryError(f"unexpected answer: {exc}") from None
        if refusal is not None:
            raise DeliveryRefused(refusal)
    finally:
        socket.abort()


class InstanceLock:
    """The lock file that decides which process serves a data folder.

    ``QLockFile`` notices a lock whose process died (a crash) and takes it over;
    time-based staleness is switched off because a healthy window runs for days.
    """

    def __init__(self, name: str) -> None:
        self.path = Path(QDir.tempPath()) / f"{name}.lock"
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)

    def try_acquire(self) -> bool:
        return self._lock.tryLock(0)

    def release(self) -> None:
        self._lock.unlock()
