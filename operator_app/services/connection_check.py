""" "Test connection": says exactly what is wrong with a server address.

The steps go from the outside in, so the first failure names the real problem: the
address itself, DNS, a TCP connection (refused or silent), then ``GET /api/v1/version``
(TLS certificate, not an operator-app server, another API version). With a proxy set,
the name lookup and the TCP connection are the proxy's (the machine may not resolve the
server's name at all), and the proxy's own refusals are named as the proxy's.
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
    PROXY = "proxy"
    OTHER = "other"


@dataclass(frozen=True)
class ConnectionReport:
    outcome: Outcome
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


async def check_connection(
    address: str,
    *,
    ca_bundle: Path | str | None = None,
    timeout_s: float = 10.0,
    proxy: str | None = None,
) -> ConnectionReport:
    try:
        url = normalize_server_url(address)
    except ConfigurationError as exc:
        return ConnectionReport(Outcome.BAD_ADDRESS, str(exc))
    if proxy:
        try:
            proxy_url = httpx.URL(proxy)
        except httpx.InvalidURL:
            return ConnectionReport(Outcome.PROXY, f"The proxy address {proxy} is not valid.")
        default_port = {"https": 443, "socks5": 1080}.get(proxy_url.scheme, 3128)
        problem = await _reach(proxy_url.host, proxy_url.port or default_port, timeout_s, "proxy")
    else:
        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        problem = await _reach(parsed.host, port, timeout_s, "server")
    if problem is not None:
        return problem
    return await _ask_version(url, ca_bundle, timeout_s, proxy or None)


async def _reach(host: str, port: int, timeout_s: float, what: str) -> ConnectionReport | None:
    """DNS, then a TCP connection to ``host``; the report of the first failure, if any."""
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout_s)
    except (socket.gaierror, UnicodeError):
        if what == "proxy":
            return ConnectionReport(
                Outcome.PROXY,
                f"The proxy's host name {host!r} could not be found (DNS). Check the proxy "
                "address.",
            )
        return ConnectionReport(
            Outcome.DNS, f"The host name {host!r} could not be found (DNS). Check the spelling."
        )
    except TimeoutError:
        return ConnectionReport(Outcome.DNS, f"Looking up {host!r} (DNS) took too long.")
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        writer.close()
    except ConnectionRefusedError:
        if what == "proxy":
            return ConnectionReport(
                Outcome.PROXY,
                f"The proxy refused the connection: nothing listens on {host} port {port}. "
                "Check the proxy address.",
            )
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
    return None


async def _ask_version(
    url: str, ca_bundle: Path | str | None, timeout_s: float, proxy: str | None
) -> ConnectionReport:
    timeouts = Timeouts(connect=timeout_s, read=timeout_s, write=timeout_s, pool=timeout_s)
    try:
        async with ApiClient(
            url, ca_bundle=ca_bundle, timeouts=timeouts, retries=0, proxy=proxy
        ) as api:
            version = await api.version()
    except ConfigurationError as exc:  # e.g. a SOCKS proxy without its package
        return ConnectionReport(Outcome.PROXY if proxy else Outcome.OTHER, str(exc))
    except ApiError as exc:
        if proxy and (report := _proxy_refusal(exc, url)) is not None:
            return report
        return _failure(exc, url)
    return ConnectionReport(
        Outcome.OK,
        f"Connected: operator-app server {version.server_version[:40]}, "
        f"API {version.api_version[:10]}.",
    )


def _proxy_refusal(exc: ApiError, url: str) -> ConnectionReport | None:
    """The proxy's own answers: it wants credentials, or it could not reach the server
    (our server never answers 502/504 itself; a CONNECT refused arrives as a network
    error naming the proxy)."""
    if exc.status == 407:
        return ConnectionReport(
            Outcome.PROXY,
            "The proxy asks for a user name and password; put them in the proxy address "
            "(http://user:password@proxy:port).",
        )
    if exc.status in (502, 504) or "through the proxy" in str(exc):
        return ConnectionReport(
            Outcome.PROXY,
            f"The proxy answers, but it could not reach {url}. Check the server address, "
            "or ask whether the proxy lets this address through.",
        )
    return None


def _failure(exc: ApiError, url: str) -> ConnectionReport:
    not_ours = f"{url} answers, but it is not an operator-app server; check the address."
    if isinstance(exc, IncompatibleServerError):
        # A version mismatch comes from a parsed answer (no HTTP status of its own).
        if exc.status is None:
            return ConnectionReport(Outcome.OTHER_VERSION, str(exc))
        return ConnectionReport(Outcome.NOT_OUR_SERVER, not_ours)
    if isinstance(exc, ProtocolError):
        return ConnectionReport(Outcome.NOT_OUR_SERVER, not_ours)
    if isinstance(exc, NetworkError):
        text = str(exc)
        if "certificate" in text or "secure connection" in text:
            return ConnectionReport(Outcome.TLS, text)
        if "in time" in text:
            return ConnectionReport(Outcome.TIMEOUT, text)
        return ConnectionReport(Outcome.OTHER, text)
    return ConnectionReport(Outcome.OTHER, str(exc))
