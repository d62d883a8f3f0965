""" "Test connection" against real loopback servers: ours, a stranger, nobody."""

from __future__ import annotations

import asyncio
import http.client
import http.server
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from operator_app.services.connection_check import Outcome, check_connection


class _Handler(http.server.BaseHTTPRequestHandler):
    body = b"<html>hello</html>"
    content_type = "text/html"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def stranger() -> Iterator[str]:
    yield from _serve(_Handler)


class _FutureServer(_Handler):
    body = json.dumps({"api_version": "2.0", "version": "9.9"}).encode()
    content_type = "application/json"


@pytest.fixture
def future_server() -> Iterator[str]:
    yield from _serve(_FutureServer)


@pytest.fixture
def our_server(tmp_path: Path) -> Iterator[str]:
    from operator_app.server.app import create_app
    from operator_app.server.db import Database
    from tests.server.support import LiveServer

    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    live = LiveServer(create_app(db))
    live.start()
    try:
        yield live.base_url
    finally:
        live.stop()
        db.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check(url: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return asyncio.run(check_connection(url, timeout_s=5, **kwargs))  # type: ignore[arg-type]


def test_our_server_is_recognised(our_server: str) -> None:
    report = check(our_server)
    assert report.ok, report.message
    assert report.message.startswith("Connected: operator-app server")


def test_a_stranger_is_not_our_server(stranger: str) -> None:
    report = check(stranger)
    assert report.outcome is Outcome.NOT_OUR_SERVER
    assert "not an operator-app server" in report.message


def test_another_api_version_is_named(future_server: str) -> None:
    report = check(future_server)
    assert report.outcome is Outcome.OTHER_VERSION
    assert "API version 2.0" in report.message


def test_nobody_listening_is_connection_refused() -> None:
    port = free_port()
    report = check(f"http://127.0.0.1:{port}")
    assert report.outcome is Outcome.REFUSED
    assert report.message == (
        f"Connection refused: 127.0.0.1 answers, but nothing listens on port {port}."
    )


def test_unknown_host_is_dns() -> None:
    report = check("https://no-such-host.invalid")
    assert report.outcome is Outcome.DNS and "could not be found" in report.message


def test_a_bad_address_never_leaves_the_machine() -> None:
    report = check("crm.example.com")
    assert report.outcome is Outcome.BAD_ADDRESS and "http://" in report.message


def test_tls_to_a_plain_http_server_is_a_tls_problem(stranger: str) -> None:
    report = check(stranger.replace("http://", "https://"))
    assert report.outcome is Outcome.TLS, report.message


# --- through a proxy --------------------------------------------------------------------------


class _ForwardingProxy(http.server.BaseHTTPRequestHandler):
    """A plain HTTP forward proxy: absolute-form GETs are fetched from their server and
    answered; an unreachable server is the proxy's 502; tunnels (CONNECT) are refused."""

    seen: ClassVar[list[str]] = []
    wants_credentials = False

    def do_GET(self) -> None:
        type(self).seen.append(self.requestline)
        if self.wants_credentials and "Proxy-Authorization" not in self.headers:
            self._answer(407, b"", [("Proxy-Authenticate", 'Basic realm="office"')])
            return
        target = urllib.parse.urlsplit(self.path)
        connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=5)
        try:
            connection.request("GET", target.path + (f"?{target.query}" if target.query else ""))
            answer = connection.getresponse()
            body = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() == "content-type"]
            self._answer(answer.status, body, kept)
        except OSError:
            self._answer(502, b"Bad Gateway", [])
        finally:
            connection.close()

    def do_CONNECT(self) -> None:
        type(self).seen.append(self.requestline)
        self._answer(403, b"", [])

    def _answer(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    _ForwardingProxy.seen = []
    _ForwardingProxy.wants_credentials = False
    yield from _serve(_ForwardingProxy)


def test_the_test_goes_through_the_proxy(our_server: str, proxy: str) -> None:
    report = check(our_server, proxy=proxy)
    assert report.ok, report.message
    assert any(our_server + "/api/v1/version" in line for line in _ForwardingProxy.seen)


def test_a_proxy_nobody_listens_on_is_named_as_the_proxy(our_server: str) -> None:
    port = free_port()
    report = check(our_server, proxy=f"http://127.0.0.1:{port}")
    assert report.outcome is Outcome.PROXY
    assert report.message.startswith(
        f"The proxy refused the connection: nothing listens on 127.0.0.1 port {port}."
    )


def test_an_unknown_proxy_host_is_named_as_the_proxy(our_server: str) -> None:
    report = check(our_server, proxy="http://no-such-proxy.invalid:3128")
    assert report.outcome is Outcome.PROXY and "proxy's host name" in report.message


def test_a_proxy_asking_for_credentials_says_so(our_server: str, proxy: str) -> None:
    _ForwardingProxy.wants_credentials = True
    report = check(our_server, proxy=proxy)
    assert report.outcome is Outcome.PROXY and "user name and password" in report.message


def test_a_proxy_that_cannot_reach_the_server_says_so(proxy: str) -> None:
    server = f"http://127.0.0.1:{free_port()}"
    report = check(server, proxy=proxy)
    assert report.outcome is Outcome.PROXY
    assert report.message.startswith(f"The proxy answers, but it could not reach {server}.")


def test_a_refused_tunnel_is_the_proxys_refusal(proxy: str) -> None:
    report = check("https://operator.example:8443", proxy=proxy)
    assert report.outcome is Outcome.PROXY, report.message
    assert any(line.startswith("CONNECT operator.example:8443") for line in _ForwardingProxy.seen)
