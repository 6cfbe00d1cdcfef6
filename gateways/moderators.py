"""A channel's moderators: listed by anyone, granted and taken away by the broadcaster."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.channel_commands import AddModerator, RemoveModerator
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.responses import written
from gateways.state import Services
from gateways.users import existing_user
from projections.channel_reads import list_moderators

SCOPE = "channel:manage:moderators"


class NewModerator(Body):
    username: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{4,25}$")]


async def add_moderator(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, NewModerator)
    user_id, username = await existing_user(request, body.username)
    channel = request.path_params["name"].lower()
    command = AddModerator(channel=channel, user_id=user_id, username=username,
                           actor_id=str(caller.user_id), actor_admin=caller.admin)
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"user_id": user_id, "username": username}),
                        status_code=201)


async def remove_moderator(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    user_id, username = await existing_user(request, request.path_params["username"])
    channel = request.path_params["name"].lower()
    command = RemoveModerator(channel=channel, user_id=user_id, username=username,
                              actor_id=str(caller.user_id), actor_admin=caller.admin)
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"user_id": user_id, "username": username}))


async def moderators(request: Request) -> Response:
    async with Services.of(request).pool.connection() as conn:
        rows = await list_moderators(conn, request.path_params["name"].lower())
    return JSONResponse({"data": [
        {"user_id": str(r["user_id"]), "username": r["username"],
         "added_at": r["added_at"].isoformat()} for r in rows
    ]})
