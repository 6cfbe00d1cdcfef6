"""Follows: follow and unfollow a channel, list what one follows."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.social import ChannelFollowed, ChannelUnfollowed
from gateways.auth import require_user
from gateways.channel_views import public_channel
from gateways.errors import ApiError
from gateways.pagination import NamePage, encode_cursor
from gateways.responses import appended
from gateways.state import Services
from projections.channel_reads import followed_channels, get_channel

SCOPE = "user:edit"


async def _existing_channel(request: Request) -> str:
    name: str = request.path_params["name"].lower()
    async with Services.of(request).pool.connection() as conn:
        if await get_channel(conn, name) is None:
            raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    return name


async def follow(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    channel = await _existing_channel(request)
    if channel == caller.username:
        raise ApiError(422, "invalid_follow", "a channel cannot follow itself")
    event = ChannelFollowed(channel=channel, user_id=str(caller.user_id),
                            username=str(caller.username))
    position = await Services.of(request).producer.send(event)
    return JSONResponse(appended(str(event.event_id), position, {"channel": channel}),
                        status_code=202)


async def unfollow(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    channel = await _existing_channel(request)
    event = ChannelUnfollowed(channel=channel, user_id=str(caller.user_id))
    position = await Services.of(request).producer.send(event)
    return JSONResponse(appended(str(event.event_id), position, {"channel": channel}),
                        status_code=202)


async def following(request: Request) -> Response:
    caller = await require_user(request)
    services = Services.of(request)
    query = NamePage.of(request)
    async with services.reads.connection() as conn:
        rows = await followed_channels(conn, str(caller.user_id), query.first + 1, query.after)
    page = rows[:query.first]
    cursor = encode_cursor(page[-1]["channel"]) if len(rows) > query.first else None
    data = [{**public_channel(r, services.settings),
             "followed_at": r["followed_at"].isoformat()} for r in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})
