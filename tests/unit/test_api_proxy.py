"""The proxy setting: requests go through it; a SOCKS proxy without its package is a
clear configuration error, not a crash."""

from __future__ import annotations

import asyncio
import importlib.util

import pytest

from operator_app.api import ApiClient
from operator_app.api.errors import ApiError, ConfigurationError
from operator_app.gui.live_settings import connection_options
from operator_app.services.settings_schema import defaults


def test_requests_go_through_the_proxy() -> None:
    async def go() -> list[str]:
        seen: list[str] = []

        async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append((await reader.readline()).decode().strip())
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(proxy, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            api = ApiClient(
                "http://operator.example:8765", proxy=f"http://127.0.0.1:{port}", retries=0
            )
            async with api:
                with pytest.raises(ApiError):
                    await api.version()
        return seen

    seen = asyncio.run(go())
    assert seen and seen[0].startswith("GET http://operator.example:8765/api/")


@pytest.mark.skipif(importlib.util.find_spec("socksio") is not None, reason="socksio present")
def test_socks_proxy_without_its_package_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="socksio"):
        ApiClient("https://operator.example", proxy="socks5://127.0.0.1:1080")


def test_connection_options_follow_the_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values = defaults()
    options = connection_options(values)
    assert set(options) == {"timeouts"} and options["timeouts"].read == 30.0
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    values.update(
        {
            "connection.proxy": "http://proxy.example:3128",
            "connection.ca_bundle": str(ca),
            "connection.timeout_s": 3.0,
        }
    )
    options = connection_options(values)
    assert options["proxy"] == "http://proxy.example:3128"
    assert options["ca_bundle"] == str(ca)
    assert (options["timeouts"].connect, options["timeouts"].read) == (3.0, 3.0)
