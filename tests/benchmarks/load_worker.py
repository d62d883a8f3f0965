"""One load-generator process for the server benchmarks (not a test).

    python -m tests.benchmarks.load_worker SPEC.json

The server runs in its own process and the simulated clients in one or more of these,
so the load generator never shares an event loop (or a GIL) with the server. Each
simulated client is one app with its own keep-alive connection, sending one request at
a time.

The HTTP/1.1 client is a minimal one on asyncio streams, not httpx: the server and its
load share one machine here, and httpx spends more CPU per request than the server does
(a shared pool of hundreds of connections even costs httpcore a scan of the whole pool
per request), so with it the benchmark mostly measured the contest for the CPU.
Standard library only, so start-up stays quick.

The spec's ``mix`` says what each client does:

- ``client``: the desktop app (see :meth:`Client.run_app`): one open event stream, pulls
  from its own cursor on hints, searches and notes now and then, at a paced tick, for
  ``duration_s``;
- ``saturation``: ``requests_per_client`` requests of the old flat-out mix (feed pages
  at random deep offsets, searches, notes), ``think_ms`` apart (0 = none);
- ``version``: ``requests_per_client`` ``GET /version`` calls ``think_ms`` apart — the
  baseline.

The spec also gives the server URL, token, which clients this process runs and the
wall-clock instant to start at (every worker starts together); the answer on stdout is
JSON with the raw latencies per request kind, the errors by kind and the count of
``change`` events the streams received.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit


class HttpError(Exception):
    """The connection failed or the answer was not HTTP."""


class Connection:
    """One keep-alive HTTP/1.1 connection; requests one at a time, as one app sends them."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/") + "/api/v1"
        self.auth = f"Bearer {token}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        target = self.prefix + path + ("?" + urlencode(params) if params else "")
        payload = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: {self.auth}\r\nAccept: application/json\r\n"
        )
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        try:
            self.writer.write(head.encode() + b"\r\n" + payload)
            status_line = await self.reader.readline()
            if not status_line:
                raise HttpError("the server closed the connection")
            status = int(status_line.split()[1])
            length, chunked, close = 0, False, False
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "transfer-encoding" and "chunked" in value:
                    chunked = True
                elif name == "connection" and value == "close":
                    close = True
            if chunked:
                chunks = []
                while size := int((await self.reader.readline()).split(b";")[0], 16):
                    chunks.append(await self.reader.readexactly(size + 2))
                await self.reader.readline()
                content = b"".join(c[:-2] for c in chunks)
            else:
                content = await self.reader.readexactly(length)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            await self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc
        if close:
            await self.close()
        return status, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class EventStream:
    """The app's one open ``GET /events``: reads the server-sent events as they come and
    calls ``on_change`` for every ``change`` hint (the app then pulls the feed)."""

    def __init__(self, url: str, token: str, on_change: Callable[[], None]) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.target = parts.path.rstrip("/") + "/api/v1/events"
        self.auth = f"Bearer {token}"
        self.on_change = on_change
        self.events = 0

    async def run(self) -> None:
        """Until cancelled; returns (or raises) early only if the stream broke."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(
                f"GET {self.target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Authorization: {self.auth}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            status_line = await reader.readline()
            if not status_line.startswith(b"HTTP/1.1 200"):
                raise HttpError(f"event stream answered {status_line[:40]!r}")
            chunked = False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
                    chunked = True
            pending = b""
            while True:
                if chunked:
                    size = int((await reader.readline()).split(b";")[0], 16)
                    if not size:
                        raise HttpError("the server ended the event stream")
                    data = (await reader.readexactly(size + 2))[:-2]
                else:
                    data = await reader.read(65536)
                    if not data:
                        raise HttpError("the server closed the event stream")
                *lines, pending = (pending + data).split(b"\n")
                for line in lines:
                    if line.rstrip(b"\r") == b"event: change":
                        self.events += 1
                        self.on_change()
        finally:
            writer.close()


def _note(spec: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    return {
        "mutations": [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "note",
                "id": str(uuid.uuid4()),
                "op": "create",
                "data": {"customer_id": rng.choice(spec["ids"]), "body": "bench note"},
            }
        ]
    }


class Client:
    """One simulated app: its keep-alive connection, its cursor, its results."""

    def __init__(self, number: int, spec: dict[str, Any], report: dict[str, Any]) -> None:
        self.rng = random.Random(number)
        self.spec = spec
        self.report = report
        self.conn = Connection(spec["url"], spec["token"])
        self.cursor = int(spec["head"])  # a client that was up to date a moment ago
        self.behind = False  # a change hint arrived since the last pull
        self.left = 1  # requests (counted mixes) or runs (client) not finished yet

    def hinted(self) -> None:
        self.behind = True

    def error(self, label: str) -> None:
        errors = self.report["errors"]
        errors[label[:120]] = errors.get(label[:120], 0) + 1

    async def timed(
        self,
        kind: str,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
    ) -> bytes | None:
        """One request; its latency under ``kind``, or an error (None) for anything but 200."""
        started = time.perf_counter()
        try:
            status, content = await self.conn.request(method, path, params, body)
        except HttpError as exc:
            self.error(f"{kind}: {exc}")
            return None
        took = (time.perf_counter() - started) * 1000
        if status != 200:
            self.error(f"{kind}: HTTP {status}")
            return None
        self.report["latencies_ms"].setdefault(kind, []).append(round(took, 3))
        return content

    async def pull(self) -> None:
        """Pages from the client's own cursor until the feed says there is no more."""
        self.behind = False
        while True:
            content = await self.timed(
                "changes", "GET", "/changes", {"since": self.cursor, "limit": self.spec["page"]}
            )
            if content is None:
                return
            page = json.loads(content)
            self.cursor = int(page["next"])
            if not page["has_more"]:
                return

    async def search(self) -> None:
        query = {"q": self.rng.choice(self.spec["names"]), "limit": 50}
        await self.timed("search", "GET", "/customers", query)

    async def add_note(self) -> None:
        content = await self.timed("note", "POST", "/mutations", body=_note(self.spec, self.rng))
        if content is not None and json.loads(content)["results"][0]["status"] != "applied":
            self.error("note: not applied")

    async def saturation_step(self, index: int) -> None:
        """The flat-out mix: deep random feed offsets, searches and notes, 4:4:2."""
        roll = index % 10
        if roll < 4:
            since = self.rng.randrange(0, max(1, self.spec["head"] - 200))
            await self.timed("changes", "GET", "/changes", {"since": since, "limit": 200})
        elif roll < 8:
            await self.search()
        else:
            await self.add_note()

    def pause(self) -> float:
        """One tick of the client's pace, jittered ±50% (0 = flat out)."""
        return self.spec["think_ms"] * self.rng.uniform(0.5, 1.5) / 1000

    async def run_counted(self, number: int) -> None:
        """``version`` and ``saturation``: a fixed count of requests, one per tick."""
        per_client = self.spec["requests_per_client"]
        for step in range(per_client):
            self.left = per_client - step
            if step:
                await asyncio.sleep(self.pause())
            if self.spec["mix"] == "version":
                await self.timed("version", "GET", "/version")
            else:
                await self.saturation_step(number * per_client + step)

    async def run_app(self) -> None:
        """``client``: the desktop app's traffic at a stated pace, for ``duration_s``.

        Each tick: pull the feed from its own cursor if a hint came since the last pull
        (or the poll interval passed); then a search with probability ``search_p``, and a
        one-note mutation with probability ``note_p``.
        """
        spec = self.spec
        stream = EventStream(spec["url"], spec["token"], self.hinted)
        listening = asyncio.ensure_future(stream.run())
        try:
            end = spec["start_at"] + spec["duration_s"]
            last_pull = time.monotonic()
            while time.time() < end:
                if listening.done():
                    exc = listening.exception() if not listening.cancelled() else None
                    self.error(f"event stream: {type(exc).__name__}: {exc}")
                    return
                if self.behind or time.monotonic() - last_pull >= spec["poll_interval_s"]:
                    last_pull = time.monotonic()
                    await self.pull()
                if self.rng.random() < spec["search_p"]:
                    await self.search()
                if self.rng.random() < spec["note_p"]:
                    await self.add_note()
                await asyncio.sleep(self.pause())
            self.report["stream_events"] += stream.events
        finally:
            listening.cancel()
            await asyncio.gather(listening, return_exceptions=True)


async def _client(number: int, spec: dict[str, Any], report: dict[str, Any]) -> None:
    client = Client(number, spec, report)
    try:
        start = spec["start_at"] - time.time()
        if spec["mix"] == "client":  # first ticks spread over one tick, not all at once
            start += client.rng.uniform(0, spec["think_ms"] / 1000)
        await asyncio.sleep(max(0.0, start))
        if spec["mix"] == "client":
            await client.run_app()
        else:
            await client.run_counted(number)
    except asyncio.CancelledError:
        for _ in range(client.left):
            client.error("not done within the time limit")
        raise
    finally:
        await client.conn.close()


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    report: dict[str, Any] = {"latencies_ms": {}, "errors": {}, "stream_events": 0}
    tasks = [asyncio.ensure_future(_client(n, spec, report)) for n in spec["client_numbers"]]
    _done, pending = await asyncio.wait(
        tasks, timeout=spec["time_limit_s"] + max(0.0, spec["start_at"] - time.time())
    )
    for task in pending:  # over the limit: what is left counts as failed
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    report["finished_at"] = time.time()
    report["cpu_s"] = time.process_time()
    return report


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as file:
        spec = json.load(file)
    json.dump(asyncio.run(run(spec)), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
