"""Running the app under uvicorn, with a shutdown that lets every response finish."""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from operator_app.server.app import create_app
from operator_app.server.db import Database
from operator_app.server.events import EventHub
from operator_app.server.settings import ServerSettings


class DropQueryStrings(logging.Filter):
    """Access-log lines without query strings (searches carry names and phone numbers)
    and without survey link secrets (``/s/<token>`` becomes ``/s/***``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path = _SURVEY_LINK.sub("/s/***", args[2].split("?", 1)[0])
            record.args = (args[0], args[1], path, args[3], args[4])
        return True


_SURVEY_LINK = re.compile(r"^/s/.*")


class GracefulServer(uvicorn.Server):
    """Ends open event streams as soon as a stop signal arrives, so each stream's
    response completes properly and the graceful shutdown does not wait on them."""

    def __init__(self, config: uvicorn.Config, hub: EventHub) -> None:
        super().__init__(config)
        self.hub = hub

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.hub.close_soon()
        super().handle_exit(sig, frame)


def serve(
    db: Database,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    settings: ServerSettings | None = None,
    workers: int = 1,
) -> None:
    """Serve until SIGINT/SIGTERM. The caller owns ``db``."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "ssl_certfile": tls_cert,
        "ssl_keyfile": tls_key,
        "server_header": False,
        "ws": "none",
        "timeout_graceful_shutdown": 5,
    }
    settings = settings or ServerSettings()
    if workers > 1:
        from operator_app.server.workers import serve_workers

        settings = dataclasses.replace(settings, workers=workers)
        serve_workers(db, workers=workers, settings=settings, uvicorn_options=options)
        return
    app = create_app(db, settings)
    config = uvicorn.Config(app, **options)
    server = GracefulServer(config, app.state.context.hub)  # configures logging
    logging.getLogger("uvicorn.access").addFilter(DropQueryStrings())
    server.run()
