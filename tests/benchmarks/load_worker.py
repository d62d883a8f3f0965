"""One load-generator process for the server_concurrency benchmark (not a test).

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

The spec says the server URL, token, mix, which clients this process runs and the
wall-clock instant to start at (every worker starts together); the answer on stdout is
JSON with the raw latencies per request kind and the errors by kind.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
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


async def _request(conn: Connection, spec: dict[str, Any], index: int, rng: random.Random) -> str:
    if spec["mix"] == "version":
        status, _ = await conn.request("GET", "/version")
        assert status == 200, status
        return "version"
    # a working client: mostly reading its feed and searching, sometimes writing
    roll = index % 10
    if roll < 4:
        since = rng.randrange(0, max(1, spec["head"] - 200))
        status, _ = await conn.request("GET", "/changes", {"since": since, "limit": 200})
        assert status == 200, status
        return "changes"
    if roll < 8:
        query = {"q": rng.choice(spec["names"]), "limit": 50}
        status, _ = await conn.request("GET", "/customers", query)
        assert status == 200, status
        return "search"
    body = {
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
    status, content = await conn.request("POST", "/mutations", body=body)
    assert status == 200, status
    assert json.loads(content)["results"][0]["status"] == "applied"
    return "note"


async def _client(number: int, spec: dict[str, Any], report: dict[str, Any]) -> None:
    rng = random.Random(number)
    per_client = spec["requests_per_client"]
    think_ms = spec["think_ms"]
    conn = Connection(spec["url"], spec["token"])
    try:
        await asyncio.sleep(max(0.0, spec["start_at"] - time.time()))
        for step in range(per_client):
            if think_ms and step:
                await asyncio.sleep(think_ms * rng.uniform(0.5, 1.5) / 1000)
            started = time.perf_counter()
            try:
                kind = await _request(conn, spec, number * per_client + step, rng)
            except (HttpError, AssertionError) as exc:
                label = f"{type(exc).__name__}: {exc}"[:120]
                report["errors"][label] = report["errors"].get(label, 0) + 1
                continue
            took = (time.perf_counter() - started) * 1000
            report["latencies_ms"].setdefault(kind, []).append(round(took, 3))
    finally:
        await conn.close()


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    report: dict[str, Any] = {"latencies_ms": {}, "errors": {}}
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
