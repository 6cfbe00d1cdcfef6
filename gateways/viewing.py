"""Watching: player tokens and heartbeats, and the directory of live channels by viewers."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.base import Event
from events.views import ViewHeartbeat
from gateways import login_limits
from gateways.auth import principal
from gateways.bodies import Body, parse_body
from gateways.channel_views import CategoryFilter, TagFilter, public_channel
from gateways.errors import ApiError
from gateways.pagination import AFTER, BAD_CURSOR, First, cursor_of, encode_cursor
from gateways.player_tokens import client_address
from gateways.queries import Query
from gateways.responses import appended
from gateways.state import Services
from gateways.watching import admit
from projections.channel_reads import live_channels, live_session

CHANNEL = re.compile(r"^[a-z0-9_]{4,25}$")


PlayerToken = Annotated[str, Field(min_length=1, max_length=1024)]


class Heartbeat(Body):
    player_token: PlayerToken
    quality: Annotated[str, Field(max_length=16)] | None = None


async def player_session(request: Request) -> Response:
    """A player of a live channel asks for its token; a few per address (or user) and hour."""
    name = _channel_name(request)
    await _require_live(Services.of(request), name)
    return await issued_player_token(request, name, {"channel": name})


async def issued_player_token(request: Request, subject: str,
                              data: dict[str, Any]) -> Response:
    """A player token for what a player plays (a channel's name, or a video's), counted
    against the caller's tokens of the hour."""
    services, caller = Services.of(request), await principal(request)
    address = client_address(request)
    holder = (f"user:{caller.user_id}" if caller is not None and caller.user_id
              else f"address:{address}")
    await login_limits.counted(services.redis, f"player-tokens:{holder}",
                               services.settings.player_tokens_per_address,
                               services.settings.player_token_window_s, "player sessions")
    issued = services.players.issue(subject, address)
    return JSONResponse({"data": {
        **data, "player_token": issued.token, "expires_at": issued.expires_at.isoformat(),
        "heartbeat_every_s": max(services.settings.viewer_window_s // 2, 1)}}, status_code=201)


@dataclass(frozen=True)
class RecordingView:
    """A verified heartbeat of a player of a recording (a VOD or a clip)."""

    row: dict[str, Any]  # the recording's, from its read model
    viewer_id: str
    player_session: str
    user_id: str | None
    quality: str | None


async def recording_view(request: Request, path: str, subject: str,
                         existing: Callable[[Services], Awaitable[dict[str, Any]]]
                         ) -> RecordingView:
    """The heartbeat at `path`/heartbeat of a player whose token was issued for `subject` at
    `path`/player-sessions; 404 when the recording is gone."""
    body = await parse_body(request, Heartbeat)
    services, caller = Services.of(request), await principal(request)
    player = services.players.verify(body.player_token, subject, client_address(request),
                                     f"{path}/player-sessions")
    row = await existing(services)
    user_id = caller.user_id if caller else None
    return RecordingView(row, user_id or player.anonymous_viewer, player.session, user_id,
                         body.quality)


async def counted(request: Request, event: Event, data: dict[str, Any]) -> Response:
    """A heartbeat's event appended: 202 with its position."""
    position = await Services.of(request).producer.send(event)
    return JSONResponse(appended(str(event.event_id), position, data), status_code=202)


async def heartbeat(request: Request) -> Response:
    """A player says it is playing a live channel; one viewer per user, or per player, and no
    more anonymous players per address than the cap."""
    name = _channel_name(request)
    body = await parse_body(request, Heartbeat)
    services, caller = Services.of(request), await principal(request)
    address = client_address(request)
    player = services.players.verify(body.player_token, name, address)
    await _require_live(services, name)
    user_id = caller.user_id if caller else None
    viewer_id = user_id or player.anonymous_viewer
    anonymous_from = None if user_id else (address, player.session)
    if not await admit(services.redis, services.admission, name, viewer_id, anonymous_from):
        raise ApiError(429, "too_many_viewers",
                       f"this address already has {services.admission.anonymous_per_address} "
                       "anonymous players counted in this channel; sign in to count more",
                       headers={"Retry-After": str(services.admission.window_s)})
    event = ViewHeartbeat(channel=name, viewer_id=viewer_id, player_session=player.session,
                          user_id=user_id, quality=body.quality)
    return await counted(request, event, {"channel": name})


async def _require_live(services: Services, name: str) -> None:
    async with services.pool.connection() as conn:
        exists, live = await live_session(conn, name)
    if not exists:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    if not live:
        raise ApiError(409, "not_live", f"{name} is offline: players count only while it is live")


MAX_VIEWERS = 2**31 - 1  # the read model's viewer_count is an int


def _live_position(position: Any) -> tuple[int, str]:
    """[viewers, channel] of the last channel of a page of the directory."""
    if not (isinstance(position, list) and len(position) == 2 and isinstance(position[0], int)
            and 0 <= position[0] <= MAX_VIEWERS and isinstance(position[1], str)):
        raise ValueError("not [viewers, channel]")
    return position[0], position[1]


class DirectoryQuery(Query):
    first: First = 20
    after: Annotated[tuple[int, str] | None, cursor_of(_live_position), Field(description=AFTER),
                     BAD_CURSOR] = None
    category: CategoryFilter = None
    tag: TagFilter = None


async def directory(request: Request) -> Response:
    """Live channels, most viewers first, optionally of one category."""
    services = Services.of(request)
    query = DirectoryQuery.of(request)
    async with services.pool.connection() as conn:
        rows = await live_channels(conn, query.first + 1, query.after, query.category,
                                   query.tag)
    page = rows[:query.first]
    cursor = (encode_cursor([page[-1]["viewer_count"], page[-1]["channel"]])
              if len(rows) > query.first else None)
    data = [public_channel(r, services.settings) for r in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})


def _channel_name(request: Request) -> str:
    name: str = request.path_params["name"].lower()
    if CHANNEL.match(name) is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    return name
