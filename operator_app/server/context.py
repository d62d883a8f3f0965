"""What every request handler needs, held once per app: database, settings, hub, limiter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from operator_app.server.db import Database
from operator_app.server.events import EventHub
from operator_app.server.leases import new_holder_id
from operator_app.server.ratelimit import LoginRateLimiter
from operator_app.server.settings import ServerSettings
from operator_app.server.token_cache import TokenCache


@dataclass(frozen=True, slots=True)
class ServerContext:
    db: Database
    settings: ServerSettings
    hub: EventHub
    login_limiter: LoginRateLimiter
    tokens: TokenCache = field(default_factory=TokenCache)
    # Names this app instance in leases (jobs that run in one worker only).
    worker_id: str = field(default_factory=new_holder_id)

    def now(self) -> datetime:
        return self.settings.clock()

    def announce_change(self, seq: int | None) -> None:
        """After a commit that moved the change feed to ``seq``: wake the clients' pullers
        (``None``: nothing was written, nothing to say)."""
        if seq is not None:
            self.hub.publish("change", {"seq": seq})


# async: a plain attribute read must not cost a trip through the thread pool.
async def get_context(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.context
    return context


Context = Annotated[ServerContext, Depends(get_context)]
