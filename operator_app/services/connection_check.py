""" "Test connection": says exactly what is wrong with a server address.

The steps go from the outside in, so the first failure names the real problem: the
address itself, DNS, a TCP connection (refused or silent), then ``GET /api/v1/version``
(TLS certificate, not an operator-app server, another API version).
"""

from __future__ import annotations

import asyncio
import enum
import socket
from dataclasses import dataclass
from pathlib import Path

import httpx

from operator_app.api.client import ApiClient, Timeouts, normalize_server_url
from operator_app.api.errors import (
    ApiError,
    ConfigurationError,
    IncompatibleServerError,
    NetworkError,
    ProtocolError,
)


class Outcome(enum.Enum):
    OK = "ok"
    BAD_ADDRESS = "bad address"
    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    TLS = "tls"
    NOT_OUR_SERVER = "not our server"
    OTHER_VERSION = "other api version"
    OTHER = "other"


@dataclass(frozen=True)
class ConnectionReport:
    outcome: Outcome
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


async def check_connection(
    address: str, *, ca_bundle: Path | str | None = None, timeout_s: float = 10.0
) -> ConnectionReport:
    try:
        url = normalize_server_url(address)
    except ConfigurationError as exc:
        return ConnectionReport(Outcome.BAD_ADDRESS, str(exc))
    parsed = httpx.URL(url)
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout_s)
    except (socket.gaierror, UnicodeError):
        return ConnectionReport(
            Outcome.DNS, f"The host name {host!r} could not be found (DNS). Check the spelling."
        )
    except TimeoutError:
        return ConnectionReport(Outcome.DNS, f"Looking up {host!r} (DNS) took too long.")
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        writer.close()
    except ConnectionRefusedError:
        return ConnectionReport(
            Outcome.REFUSED,
            f"Connection refused: {host} answers, but nothing listens on port {port}.",
        )
    except TimeoutError:
        return ConnectionReport(
            Outcome.TIMEOUT,
            f"No answer from {host}:{port} within {timeout_s:g} s (a firewall or a wrong port?).",
        )
    except OSError as exc:
        return ConnectionReport(
            Outcome.OTHER, f"Cannot reach {host}:{port}: {exc.strerror or exc}."
        )
    return await _ask_version(url, ca_bundle, timeout_s)


async def _ask_version(
    url: str, ca_bundle: Path | str | None, timeout_s: float
) -> ConnectionReport:
    timeouts = Timeouts(connect=timeout_s, read=timeout_s, write=timeout_s, pool=timeout_s)
    try:
        async with ApiClient(url, ca_bundle=ca_bundle, timeouts=timeouts, retries=0) as api:
            version = await api.version()
    except IncompatibleServerError as exc:
        # A version mismatch comes from a parsed answer (no HTTP status of its own).
        outcome = Outcome.OTHER_VERSION if exc.status is None else Outcome.NOT_OUR_SERVER
        if outcome is Outcome.NOT_OUR_SERVER:
            return ConnectionReport(
                outcome,
                f"{url} answers, but it is not an operator-app server; check the address.",
            )
        return ConnectionReport(outcome, str(exc))
    except ProtocolError:
        return ConnectionReport(
            Outcome.NOT_OUR_SERVER,
            f"{url} answers, but it is not an operator-app server; check the address.",
        )
    except NetworkError as exc:
        text = str(exc)
        if "certificate" in text or "secure connection" in text:
            return ConnectionReport(Outcome.TLS, text)
        if "in time" in text:
            return ConnectionReport(Outcome.TIMEOUT, text)
        return ConnectionReport(Outcome.OTHER, text)
    except ApiError as exc:
        return ConnectionReport(Outcome.OTHER, str(exc))
    return ConnectionReport(
        Outcome.OK,
        f"Connected: operator-app server {version.server_version[:40]}, "
        f"API {version.api_version[:10]}.",
    )
