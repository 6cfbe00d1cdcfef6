"""VODs: a channel's past broadcasts, one VOD, and its broadcaster deleting it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.views import VodViewHeartbeat
from events.vods import VodDeleted
from gateways.auth import require_user
from gateways.errors import ApiError
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Query
from gateways.reads import ReadYourWrites, wait_for_query_position
from gateways.responses import appended
from gateways.state import Services
from gateways.viewing import counted, issued_player_token, recording_view
from projections.channel_reads import get_channel
from projections.video_reads import channel_videos, get_video

SCOPE = "channel:manage:videos"


class VideoPage(Query):
    first: First = 20
    after: TimeCursor = None


def video_id_of(request: Request) -> str:
    raw = request.path_params["video_id"]
    try:
        return str(UUID(raw))
    except ValueError as error:
        raise ApiError(400, "invalid_parameter", "a video id is a UUID", "video_id") from error


def public_video(services: Services, row: dict[str, Any]) -> dict[str, Any]:
    base = f"{services.settings.vods}/{row['id']}"
    return {
        "id": row["id"], "channel": row["channel"], "title": row["title"],
        "category": row["category"], "created_at": row["recorded_at"].isoformat(),
        "started_at": row["started_at"].isoformat(), "ended_at": row["ended_at"].isoformat(),
        "duration_s": row["duration_ms"] / 1000, "view_count": row["view_count"],
        "playlist_url": f"{base}/master.m3u8",
        "renditions": [{"name": name, "playlist_url": f"{base}/{name}/index.m3u8"}
                       for name in row["renditions"]],
    }


async def list_videos(request: Request) -> Response:
    services = Services.of(request)
    name = request.path_params["name"].lower()
    query = VideoPage.of(request)
    async with services.reads.connection() as conn:
        if await get_channel(conn, name) is None:
            raise ApiError(404, "not_found", f"no channel {name!r}")
        rows = await channel_videos(conn, name, query.first + 1, query.after)
    page = rows[:query.first]
    cursor = None
    if len(rows) > query.first:
        cursor = encode_cursor([page[-1]["recorded_at"].isoformat(), page[-1]["id"]])
    return JSONResponse({"data": [public_video(services, row) for row in page],
                         "pagination": {"cursor": cursor}})


async def read_video(request: Request) -> Response:
    services = Services.of(request)
    video_id = video_id_of(request)
    await wait_for_query_position(ReadYourWrites.of(request), services.pool,
                                  services.settings.read_wait_max_s)
    return JSONResponse({"data": public_video(services, await existing_video(services, video_id))})


async def existing_video(services: Services, video_id: str) -> dict[str, Any]:
    async with services.pool.connection() as conn:
        row = await get_video(conn, video_id)
    if row is None:
        raise ApiError(404, "not_found", f"no video {video_id}")
    return row


def _subject(video_id: str) -> str:
    """What a VOD player's token is signed for: never a channel's name."""
    return f"vod:{video_id}"


async def video_player_session(request: Request) -> Response:
    """A player of a VOD asks for its token, as a live channel's does."""
    video_id = video_id_of(request)
    await existing_video(Services.of(request), video_id)
    return await issued_player_token(request, _subject(video_id), {"video_id": video_id})


async def video_heartbeat(request: Request) -> Response:
    """A player says it is playing a VOD: each player session is one view of it."""
    video_id = video_id_of(request)
    view = await recording_view(request, f"/api/v1/videos/{video_id}", _subject(video_id),
                                lambda services: existing_video(services, video_id))
    event = VodViewHeartbeat(channel=view.row["channel"], video_id=video_id,
                             viewer_id=view.viewer_id, player_session=view.player_session,
                             user_id=view.user_id, quality=view.quality)
    return await counted(request, event, {"video_id": video_id})


async def delete_video(request: Request) -> Response:
    """The channel's broadcaster (or an admin); the files go once the deletion is projected."""
    caller = await require_user(request, SCOPE)
    services = Services.of(request)
    video_id = video_id_of(request)
    row = await existing_video(services, video_id)
    if row["owner_id"] != caller.user_id and not caller.admin:
        raise ApiError(403, "forbidden", "only the channel's broadcaster may delete its videos")
    event = VodDeleted(channel=row["channel"], video_id=video_id, reason="deleted",
                       by_user_id=caller.user_id)
    position = await services.producer.send(event)
    return JSONResponse(appended(str(event.event_id), position,
                                 {"id": video_id, "deleted": True}), status_code=202)
