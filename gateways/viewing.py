"""Watching: player heartbeats, and the directory of live channels by viewers."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.views import ViewHeartbeat
from gateways.auth import principal
from gateways.bodies import Body, parse_body
from gateways.channel_views import public_channel
from gateways.errors import ApiError
from gateways.pagination import decode_cursor, encode_cursor, first_param
from gateways.responses import appended
from gateways.state import Services
from projections.channel_reads import live_channels

CHANNEL = re.compile(r"^[a-z0-9_]{4,25}$")


class Heartbeat(Body):
    player_session: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
    quality: Annotated[str, Field(max_length=16)] | None = None


async def heartbeat(request: Request) -> Response:
    """A player (signed in or not) says it is playing; one viewer per user, or per player."""
    name = request.path_params["name"].lower()
    if not _is_channel_name(name):
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    body = await parse_body(request, Heartbeat)
    caller = await principal(request)
    user_id = caller.user_id if caller else None
    viewer_id = user_id or f"anon:{body.player_session}"
    event = ViewHeartbeat(channel=name, viewer_id=viewer_id, player_session=body.player_session,
                          user_id=user_id, quality=body.quality)
    position = await Services.of(request).producer.send(event)
    return JSONResponse(appended(str(event.event_id), position, {"channel": name}),
                        status_code=202)


async def directory(request: Request) -> Response:
    """Live channels, most viewers first, optionally of one category."""
    services = Services.of(request)
    first = first_param(request)
    after = decode_cursor(request.query_params.get("after"), list)
    if after is not None and not (len(after) == 2 and isinstance(after[0], int)
                                  and isinstance(after[1], str)):
        raise ApiError(400, "invalid_cursor", "after is not a cursor from this API", "after")
    async with services.pool.connection() as conn:
        rows = await live_channels(conn, first + 1, tuple(after) if after else None,
                                   request.query_params.get("category"),
                                   request.query_params.get("tag"))
    page = rows[:first]
    cursor = (encode_cursor([page[-1]["viewer_count"], page[-1]["channel"]])
              if len(rows) > first else None)
    data = [public_channel(r, services.settings.hls) for r in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})


def _is_channel_name(name: str) -> bool:
    return CHANNEL.match(name) is not None
