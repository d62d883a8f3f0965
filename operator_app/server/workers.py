"""``serve --workers N``: several uvicorn worker processes on one listening socket.

The parent binds the socket, sets what only one process should set (the demo traffic
switch), makes the counter file the workers share, and hands the rest of the
configuration to the workers through one environment variable; uvicorn spawns them
and each builds its app with :func:`create_worker_app`. What one worker would keep in
memory goes through the database instead (events, the sign-in limit, one-worker jobs:
``ServerSettings.workers``).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import signal
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from operator_app.server.app import create_app
from operator_app.server.db import Database
from operator_app.server.delivery_settings import DeliverySettings
from operator_app.server.events import EventHub
from operator_app.server.serving import DropQueryStrings
from operator_app.server.settings import ServerSettings
from operator_app.server.shared_counter import SUPPORTED, create_counter_file
from operator_app.server.traffic import TrafficState, write_traffic_state

ENV_WORKER_CONFIG = "OPERATOR_APP_SERVER_WORKER"
FACTORY = "operator_app.server.workers:create_worker_app"


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What ``serve`` decided that each worker needs (delivery settings are read from the
    environment by each worker itself, as ``serve`` reads them)."""

    database_url: str
    workers: int
    shared_state: str | None
    refit_at: str | None  # HH:MM
    simulate_traffic: bool

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> WorkerConfig:
        raw = os.environ.get(ENV_WORKER_CONFIG)
        if not raw:
            raise RuntimeError(f"{ENV_WORKER_CONFIG} is not set: start workers with `serve`")
        return cls(**json.loads(raw))

    def settings(self) -> ServerSettings:
        from datetime import time

        return ServerSettings(
            delivery=DeliverySettings.from_env(),
            refit_at=time.fromisoformat(self.refit_at) if self.refit_at else None,
            simulate_traffic=self.simulate_traffic,
            workers=self.workers,
            shared_state=Path(self.shared_state) if self.shared_state else None,
        )


def create_worker_app() -> FastAPI:
    """uvicorn's app factory in each worker process."""
    config = WorkerConfig.from_env()
    db = Database(config.database_url)
    if config.shared_state:
        db.share_writer_turn(Path(config.shared_state).with_name("sqlite-writers.lock"))
    atexit.register(db.dispose)
    app = create_app(db, config.settings())
    logging.getLogger("uvicorn.access").addFilter(DropQueryStrings())
    _end_streams_on_exit(app.state.context.hub)
    return app


def _end_streams_on_exit(hub: EventHub) -> None:
    """As :class:`~operator_app.server.serving.GracefulServer` does for one process: on a
    stop signal, end the open event streams first, then let uvicorn shut down gracefully.
    uvicorn has installed its handlers by the time it loads the app; ours runs first."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(sig)
        if not callable(previous):
            continue

        def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
            hub.close_soon()
            previous(signum, frame)

        signal.signal(sig, handler)


def serve_workers(
    db: Database,
    *,
    workers: int,
    settings: ServerSettings,
    uvicorn_options: dict[str, Any],
) -> None:
    """Serve with ``workers`` processes until SIGINT/SIGTERM. The caller owns ``db``."""
    write_traffic_state(db, TrafficState(settings.simulate_traffic, settings.traffic_interval_s))
    db.dispose()  # the parent serves nothing; workers open their own connections
    folder = Path(tempfile.mkdtemp(prefix="operator-app-server-"))
    try:
        counters = create_counter_file(folder / "counters") if SUPPORTED else None
        worker = WorkerConfig(
            database_url=db.url.render_as_string(hide_password=False),
            workers=workers,
            shared_state=str(counters) if counters else None,
            refit_at=settings.refit_at.strftime("%H:%M") if settings.refit_at else None,
            simulate_traffic=settings.simulate_traffic,
        )
        os.environ[ENV_WORKER_CONFIG] = worker.to_env()  # spawned workers inherit it
        config = uvicorn.Config(
            FACTORY,
            factory=True,
            workers=workers,
            # A worker still importing on a busy machine is not hung: uvicorn's 5 s
            # default would kill and restart it.
            timeout_worker_healthcheck=30,
            **uvicorn_options,
        )
        logging.getLogger("uvicorn.access").addFilter(DropQueryStrings())
        sock = config.bind_socket()
        try:
            Multiprocess(config, sockets=[sock]).run()
        finally:
            sock.close()
    finally:
        os.environ.pop(ENV_WORKER_CONFIG, None)
        shutil.rmtree(folder, ignore_errors=True)
