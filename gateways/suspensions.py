"""Platform admins suspend a channel from streaming, and lift the suspension."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.stream_commands import ReinstateChannel, SuspendChannel
from gateways.auth import require_admin
from gateways.bodies import Body, parse_body
from gateways.responses import written
from gateways.state import Services


class Suspension(Body):
    reason: Annotated[str, Field(min_length=1, max_length=200)]


async def suspend(request: Request) -> Response:
    caller = await require_admin(request)
    body = await parse_body(request, Suspension)
    channel = request.path_params["name"].lower()
    outcome = await Services.of(request).commands.submit(SuspendChannel(
        channel=channel, reason=body.reason, actor_id=str(caller.user_id), actor_admin=True))
    return JSONResponse(written(outcome, {"channel": channel, "suspended": True}))


async def reinstate(request: Request) -> Response:
    caller = await require_admin(request)
    channel = request.path_params["name"].lower()
    outcome = await Services.of(request).commands.submit(ReinstateChannel(
        channel=channel, actor_id=str(caller.user_id), actor_admin=True))
    return JSONResponse(written(outcome, {"channel": channel, "suspended": False}))
