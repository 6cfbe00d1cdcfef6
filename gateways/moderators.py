"""A channel's moderators: listed by anyone, granted and taken away by the broadcaster."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.channel_commands import AddModerator, RemoveModerator
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.responses import written
from gateways.state import Services
from projections.channel_reads import list_moderators
from projections.user_reads import get_user

SCOPE = "channel:manage:moderators"


class NewModerator(Body):
    username: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{4,25}$")]


async def _target(request: Request, username: str) -> tuple[str, str]:
    async with Services.of(request).pool.connection() as conn:
        row = await get_user(conn, username.lower())
    if row is None:
        raise ApiError(404, "user_not_found", f"no user named {username.lower()!r}", "username")
    return str(row["user_id"]), row["username"]


async def add_moderator(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, NewModerator)
    user_id, username = await _target(request, body.username)
    channel = request.path_params["name"].lower()
    command = AddModerator(channel=channel, user_id=user_id, username=username,
                           actor_id=str(caller.user_id), actor_admin=caller.admin)
    outcome = await Services.of(request).commands.submit(command)
    return JSONResponse(written(outcome, {"user_id": user_id, "username": username}),
                        status_code=201)


async def remove_moderator(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    user_id, username = await _target(request, request.path_params["username"])
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
