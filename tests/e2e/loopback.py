"""Tiny HTTP servers on 127.0.0.1 for tests: a scripted one and a fault-injecting proxy.

Both are real Starlette apps served by uvicorn in a background thread on a free port,
so the client under test goes through real sockets, real HTTP and real JSON.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadedServer:
    """Serve an ASGI app on 127.0.0.1 in a daemon thread."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", lifespan="off", ws="none"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("loopback server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = True
        self.thread.join(timeout=10)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Handler = Callable[[Recorded], Response]


def problem(status: int, detail: str, **headers: str) -> Response:
    body = {"type": f"urn:test:{status}", "title": "Problem", "status": status, "detail": detail}
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


@dataclass
class ScriptedServer:
    """Answers each (method, path) from a queue of canned responses, else a default handler.

    ``requests`` records everything that arrived, in order.
    """

    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    queued: dict[tuple[str, str], deque[Handler]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    _server: ThreadedServer | None = None

    def on(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def once(self, method: str, path: str, *handlers: Handler) -> None:
        self.queued.setdefault((method, path), deque()).extend(handlers)

    def reset(self) -> None:
        self.routes.clear()
        self.queued.clear()
        self.requests.clear()

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    async def _endpoint(self, request: Request) -> Response:
        recorded = Recorded(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await request.body(),
        )
        self.requests.append(recorded)
        key = (recorded.method, recorded.path)
        queue = self.queued.get(key)
        handler = queue.popleft() if queue else self.routes.get(key)
        if handler is None:
            return problem(404, f"nothing scripted for {key}")
        result = handler(recorded)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self._endpoint, methods=["GET", "POST"])])

    def start(self) -> ScriptedServer:
        self._server = ThreadedServer(self.app()).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url


def slow(seconds: float, then: Handler) -> Handler:
    async def handler(request: Recorded) -> Response:
        await asyncio.sleep(seconds)
        return then(request)

    return handler  # type: ignore[return-value]


def sse(*events: tuple[str, str, Any]) -> Handler:
    """An event stream of (id, event, data) that then closes."""

    def handler(_request: Recorded) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b": hello\n\n"
            for event_id, kind, data in events:
                yield f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data)}\n\n".encode()

        return StreamingResponse(body(), media_type="text/event-stream")

    return handler


@dataclass
class Fault:
    path_prefix: str
    kind: str  # "500" "503" "timeout" "garbage" "wrong-shape" "401" "409" "429" "reset"
    times: int
    retry_after: str | None = None


class FaultProxy:
    """Forwards to ``upstream``, except where a fault is armed for a path prefix."""

    def __init__(self, upstream: str, *, delay: float = 2.0) -> None:
        self.upstream = upstream
        self.delay = delay
        self.faults: list[Fault] = []
        self.injected: list[str] = []
        self._server: ThreadedServer | None = None

    def arm(
        self, path_prefix: str, kind: str, times: int = 1, retry_after: str | None = None
    ) -> None:
        self.faults.append(Fault(path_prefix, kind, times, retry_after))

    def clear(self) -> None:
        self.faults.clear()

    def _take(self, path: str) -> Fault | None:
        for fault in self.faults:
            if path.startswith(fault.path_prefix) and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    async def _endpoint(self, request: Request) -> Response:
        body = await request.body()
        fault = self._take(request.url.path)
        if fault is not None:
            self.injected.append(f"{fault.kind} {request.url.path}")
            forwarded = await self._fault(fault, request, body)
            if forwarded is not None:
                return forwarded
        return await self._forward(request, body)

    async def _fault(self, fault: Fault, request: Request, body: bytes) -> Response | None:
        kind = fault.kind
        if kind in ("500", "503"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return problem(int(kind), "injected failure", **headers)
        if kind == "timeout":
            await asyncio.sleep(self.delay)
            return problem(504, "too late")
        if kind == "garbage":
            return Response(b"<html>proxy error</html>", media_type="application/json")
        if kind == "wrong-shape":
            return JSONResponse({"unexpected": True})
        if kind == "401":
            return problem(401, "token expired")
        if kind == "409":
            return problem(409, "conflict")
        if kind == "429":
            return problem(429, "slow down", **{"Retry-After": fault.retry_after or "1"})
        if kind == "after":  # the server applies it, but the answer is lost
            await self._forward(request, body)
            return problem(502, "answer lost")
        raise ValueError(kind)

    async def _forward(self, request: Request, body: bytes) -> Response:
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("host", "content-length", "connection")
        }
        try:
            async with httpx.AsyncClient(base_url=self.upstream, timeout=30) as client:
                upstream = await client.request(
                    request.method,
                    request.url.path,
                    params=request.url.query or None,
                    content=body,
                    headers=headers,
                )
        except httpx.TransportError:
            return problem(502, "upstream unreachable")
        passed = {
            k: v
            for k, v in upstream.headers.items()
            if k.lower() in ("content-type", "retry-after", "www-authenticate")
        }
        return Response(upstream.content, status_code=upstream.status_code, headers=passed)

    def start(self) -> FaultProxy:
        app = Starlette(routes=[Route("/{path:path}", self._endpoint, methods=["GET", "POST"])])
        self._server = ThreadedServer(app).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url
