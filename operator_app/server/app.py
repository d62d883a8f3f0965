"""The FastAPI application: routes under ``/api/v1``, OpenAPI at ``/openapi.json``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from operator_app import __version__
from operator_app.server import survey_page
from operator_app.server.context import ServerContext
from operator_app.server.db import Database
from operator_app.server.errors import install_error_handlers
from operator_app.server.events import EventHub
from operator_app.server.middleware import ApiEnvelope
from operator_app.server.ratelimit import LoginRateLimiter
from operator_app.server.refit_schedule import start_refit_schedule
from operator_app.server.routes import (
    admin,
    auth,
    customers,
    demo,
    events,
    meta,
    metrics,
    reviews,
    surveys,
    sync,
    upsell_rules,
    users,
    value_metrics,
)
from operator_app.server.settings import API_PREFIX, ServerSettings
from operator_app.server.survey_runtime import SurveyRuntime
from operator_app.server.token_cache import forget_on_account_writes
from operator_app.server.traffic import TrafficSimulator

DESCRIPTION = """Reference server of operator-app.

Authenticate with `POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`.
Errors are RFC 9457 problem+json documents whose `type` is a stable
`urn:operator-app:problem:<slug>`. Every response carries `X-API-Version`.
"""


def create_app(db: Database, settings: ServerSettings | None = None) -> FastAPI:
    """The app for ``db``. The caller owns ``db`` (and disposes of it after serving)."""
    settings = settings or ServerSettings()
    context = ServerContext(
        db=db,
        settings=settings,
        hub=EventHub(settings.event_ring_size),
        login_limiter=LoginRateLimiter(
            allowed=settings.login_failures_allowed,
            window=settings.login_failure_window,
            clock=settings.clock,
        ),
    )

    forget_on_account_writes(db.write_engine, context.tokens)
    runtime = SurveyRuntime(context)
    traffic = TrafficSimulator(context)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        context.hub.attach(asyncio.get_running_loop())
        runtime.start()  # the survey delivery worker
        schedule = _app.state.refit_task = start_refit_schedule(context)
        traffic.start()  # idle unless switched on (demo databases only)
        yield
        await traffic.stop()
        if schedule is not None:
            schedule.cancel()
        context.hub.close()
        await runtime.stop()

    app = FastAPI(
        title="operator-app server",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.context = context
    app.state.surveys = runtime
    app.state.traffic = traffic
    install_error_handlers(app)
    for module in (
        meta,
        auth,
        sync,
        events,
        customers,
        surveys,
        reviews,
        metrics,
        admin,
        upsell_rules,
        users,
        value_metrics,
        demo,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(survey_page.router)  # /s/{token}: the customers' page, outside the API
    app.add_middleware(ApiEnvelope, max_bytes=settings.max_body_bytes)
    return app
