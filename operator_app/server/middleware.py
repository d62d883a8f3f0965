"""ASGI middleware: the API version header, the request body limit, crashes as problems.

One plain ASGI layer (no ``BaseHTTPMiddleware``), so streaming responses such as the
event stream pass through untouched; and one layer, not three, because every request
and every message of every event stream passes through each layer's wrapper.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from operator_app.server.errors import problem_response
from operator_app.server.settings import API_VERSION

log = logging.getLogger("operator_app.server")

_VERSION_HEADER = (b"x-api-version", str(API_VERSION).encode())


class ApiEnvelope:
    """For every HTTP request, from the outside in:

    - ``X-API-Version`` on every response, errors included (413 and 500 below too);
    - request bodies over ``max_bytes`` refused with 413 before the app parses them: a
      declared Content-Length over the limit at once, otherwise the body is read (up to
      the limit) and handed to the app in one piece;
    - an unexpected exception becomes a bare 500 problem; the details go to the log only.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_version(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", ()), _VERSION_HEADER]}
            await send(message)

        replay = await self._limited_body(scope, receive, send_with_version)
        if replay is None:
            return  # refused, or the client went away
        try:
            await self.app(scope, replay, send_with_version)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # too late for a clean answer: drop the connection
                raise
            response = problem_response(
                500,
                "internal-error",
                "The server failed to handle this request; it has been logged.",
                instance=scope.get("path"),
            )
            await response(scope, receive, send_with_version)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            "payload-too-large",
            f"The request body is larger than {self.max_bytes} bytes; send less at a time.",
            instance=scope.get("path"),
        )
        await response(scope, receive, send)

    async def _limited_body(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """The ``receive`` for the app, or None when the request was answered already."""
        declared: bytes | None = None
        chunked = False
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = True
        if declared is None and not chunked:
            return receive  # no body at all (HTTP/1.1): nothing to count or to hold
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size < 0:
                response = problem_response(
                    400,
                    "bad-request",
                    "Content-Length is not a number.",
                    instance=scope.get("path"),
                )
                await response(scope, receive, send)
                return None
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return None
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return None
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, receive, send)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later calls wait for the disconnect, as usual

        return replay
