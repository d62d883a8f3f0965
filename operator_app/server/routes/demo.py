"""Demo databases only: the traffic simulator switch (``/admin/demo/traffic``).

On a demo database any signed-in user may flip it — the demo operator's window has
only the operator's token, and a demo holds no real data to protect. On any other
database the route does not exist for anyone (404), so no role can reach it there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from operator_app.server.auth import AnyUser
from operator_app.server.errors import ApiProblem
from operator_app.server.routes import AUTHENTICATED, problems
from operator_app.server.schemas import Strict
from operator_app.server.traffic import MAX_INTERVAL_S, MIN_INTERVAL_S, TrafficSimulator

router = APIRouter(prefix="/admin/demo", tags=["demo"])


class DemoTraffic(BaseModel):
    enabled: bool
    interval_s: float = Field(description="Mean seconds between simulated contacts")


class DemoTrafficUpdate(Strict):
    enabled: bool
    interval_s: float | None = Field(
        default=None,
        ge=MIN_INTERVAL_S,
        le=MAX_INTERVAL_S,
        description="Mean seconds between simulated contacts (jittered ±50 %); left out: unchanged",
    )


async def _demo_simulator(request: Request, principal: AnyUser) -> TrafficSimulator:
    simulator: TrafficSimulator = request.app.state.traffic
    if not await run_in_threadpool(simulator.database_is_demo):
        raise ApiProblem(
            404, "Simulated traffic exists only on demo databases (created with init --demo)."
        )
    return simulator


DemoSimulator = Annotated[TrafficSimulator, Depends(_demo_simulator)]
_DESCRIPTION = (
    "Demo databases only (404 elsewhere), where any signed-in user may use it: "
    "while enabled, a random customer calls the demo operator (`incoming_contact` event) "
    "or writes into one of their conversations (through the change feed) every few seconds."
)


@router.get(
    "/traffic",
    response_model=DemoTraffic,
    responses=problems(*AUTHENTICATED, 404),
    summary="Whether simulated customer traffic is on",
    description=_DESCRIPTION,
)
async def get_traffic(simulator: DemoSimulator) -> DemoTraffic:
    state = await run_in_threadpool(simulator.load_state)
    return DemoTraffic(enabled=state.enabled, interval_s=state.interval_s)


@router.put(
    "/traffic",
    response_model=DemoTraffic,
    responses=problems(*AUTHENTICATED, 404),
    summary="Switch simulated customer traffic on or off",
    description=_DESCRIPTION,
)
async def put_traffic(body: DemoTrafficUpdate, simulator: DemoSimulator) -> DemoTraffic:
    state = await run_in_threadpool(
        lambda: simulator.configure(enabled=body.enabled, interval_s=body.interval_s)
    )
    return DemoTraffic(enabled=state.enabled, interval_s=state.interval_s)
