"""Channel endpoints: update info, read one, list. Channels come with accounts."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.channel_commands import UpdateChannelInfo
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.channel_views import public_channel
from gateways.errors import ApiError
from gateways.pagination import decode_cursor, encode_cursor, first_param
from gateways.reads import requested_position, wait_for_position
from gateways.responses import written
from gateways.state import Services
from projections.channel_reads import get_channel, list_channels

Title = Annotated[str, Field(min_length=1, max_length=140)]
Category = Annotated[str, Field(min_length=1, max_length=100)]


class ChannelInfoPatch(Body):
    title: Title | None = None
    category: Category | None = None

    @model_validator(mode="after")
    def something_to_change(self) -> ChannelInfoPatch:
        if self.title is None and self.category is None:
            raise ValueError("give at least one of title, category")
        return self


async def update_channel(request: Request) -> Response:
    """The broadcaster (or an admin) changes title and/or category; the decider checks who."""
    caller = await require_user(request, "channel:manage:broadcast")
    body = await parse_body(request, ChannelInfoPatch)
    name = request.path_params["name"].lower()
    command = UpdateChannelInfo(channel=name, title=body.title, category=body.category,
                                actor_id=caller.user_id, actor_admin=caller.admin)
    outcome = await Services.of(request).commands.submit(command)
    data = {"name": name, **body.model_dump(exclude_none=True)}
    return JSONResponse(written(outcome, data))


async def read_channel(request: Request) -> Response:
    services = Services.of(request)
    position = requested_position(request)
    if position is not None:
        await wait_for_position(services.pool, position, services.settings.read_wait_max_s)
    name = request.path_params["name"].lower()
    async with services.pool.connection() as conn:
        row = await get_channel(conn, name)
    if row is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    return JSONResponse({"data": public_channel(row, services.settings.hls)})


async def browse_channels(request: Request) -> Response:
    services = Services.of(request)
    first = first_param(request)
    after = decode_cursor(request.query_params.get("after"), str)
    category = request.query_params.get("category")
    async with services.pool.connection() as conn:
        rows = await list_channels(conn, first + 1, after, category)
    page = rows[:first]
    cursor = encode_cursor(page[-1]["channel"]) if len(rows) > first else None
    data = [public_channel(r, services.settings.hls) for r in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})
