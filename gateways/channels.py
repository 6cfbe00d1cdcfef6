"""Channel endpoints: update info, read one, list. Channels come with accounts."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from pydantic import Field, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.channel_commands import UpdateChannelInfo
from events.channels import CHANNELS_TOPIC
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.errors import ApiError
from gateways.reads import requested_position, wait_for_position
from gateways.responses import written
from gateways.state import Services
from projections.channel_reads import get_channel, list_channels

Title = Annotated[str, Field(min_length=1, max_length=140)]
Category = Annotated[str, Field(min_length=1, max_length=100)]
PROJECTION = "channels"


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
        await wait_for_position(services.pool, PROJECTION, (CHANNELS_TOPIC,), position,
                                services.settings.read_wait_max_s)
    name = request.path_params["name"].lower()
    async with services.pool.connection() as conn:
        row = await get_channel(conn, name)
    if row is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    return JSONResponse({"data": _public(row, services.settings.hls)})


async def browse_channels(request: Request) -> Response:
    services = Services.of(request)
    first = _first(request)
    after = _cursor(request.query_params.get("after"))
    category = request.query_params.get("category")
    async with services.pool.connection() as conn:
        rows = await list_channels(conn, first + 1, after, category)
    page = rows[:first]
    cursor = _encode_cursor(page[-1]["channel"]) if len(rows) > first else None
    data = [_public(r, services.settings.hls) for r in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})


def _public(row: dict[str, Any], hls_base: str) -> dict[str, Any]:
    live = row["live_session_id"] is not None
    return {
        "name": row["channel"], "display_name": row["display_name"], "title": row["title"],
        "category": row["category"], "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(), "version": row["version"],
        "broadcaster_id": str(row["owner_id"]) if row["owner_id"] else None,
        "live": live,
        "live_since": row["live_since"].isoformat() if live else None,
        "playlist_url": f"{hls_base}/{row['channel']}.m3u8" if live else None,
    }


def _first(request: Request) -> int:
    raw = request.query_params.get("first", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise ApiError(400, "invalid_parameter", "first must be an integer from 1 to 100", "first")
    return int(raw)


def _encode_cursor(name: str) -> str:
    return base64.urlsafe_b64encode(name.encode()).decode()


def _cursor(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return base64.b64decode(raw.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ApiError(
            400, "invalid_cursor", "after is not a cursor from this API", "after"
        ) from error
