"""Clips: any signed-in viewer cuts 5-60 s from a live stream's last 90 s or from a VOD; a
channel's clips, one clip, and its views."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.clips import ClipDeleted, ClipRequested, ClipViewHeartbeat
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.clip_windows import ClipRefused, live_cut, vod_cut
from gateways.errors import ApiError
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Query
from gateways.reads import ReadYourWrites, wait_for_query_position
from gateways.responses import appended
from gateways.state import Services
from gateways.videos import existing_video, video_id_of
from gateways.viewing import counted, issued_player_token, recording_view
from projections.channel_reads import get_channel
from projections.clip_reads import channel_clips, get_clips, live_since

SCOPE = "clips:edit"
Seconds = Annotated[float, Field(ge=0, le=86_400 * 7)]
ClipTitle = Annotated[str, Field(min_length=1, max_length=140)]


class LiveClip(Body):
    duration_s: Seconds = 30
    offset_s: Seconds = 0  # how long before now the clip ends
    title: ClipTitle | None = None


class VodClip(Body):
    start_s: Seconds
    duration_s: Seconds = 30
    title: ClipTitle | None = None


class ClipPage(Query):
    first: First = 20
    after: TimeCursor = None


def clip_id_of(request: Request) -> str:
    try:
        return str(UUID(request.path_params["clip_id"]))
    except ValueError as error:
        raise ApiError(400, "invalid_parameter", "a clip id is a UUID", "clip_id") from error


def public_clip(services: Services, row: dict[str, Any]) -> dict[str, Any]:
    ready = row["status"] == "ready"
    return {
        "id": row["id"], "channel": row["channel"], "title": row["title"],
        "creator_id": row["creator_id"], "creator_name": row["creator_name"],
        "video_id": row["video_id"], "status": row["status"],
        "created_at": row["created_at"].isoformat(),
        "vod_offset_s": row["start_ms"] / 1000 if row["video_id"] else None,
        "duration_s": (row["duration_ms"] if ready else row["requested_ms"]) / 1000,
        "view_count": row["view_count"], "failure": row["failure"],
        "url": f"{services.settings.vods}/clips/{row['id']}/clip.mp4" if ready else None,
    }


def _refused(refusal: ClipRefused) -> ApiError:
    return ApiError(422, refusal.error, refusal.message, refusal.field)


async def requested(request: Request, event: ClipRequested) -> Response:
    position = await Services.of(request).producer.send(event)
    return JSONResponse(appended(str(event.event_id), position,
                                 {"id": event.clip_id, "status": "pending",
                                  "edit_url": f"/clips/{event.clip_id}"}), status_code=202)


async def live_clip(services: Services, user_id: str, name: str, duration_s: float,
                    offset_s: float = 0, title: str | None = None) -> ClipRequested:
    """The request for a clip of the channel's live stream, ending offset_s before now."""
    async with services.pool.connection() as conn:
        exists, session_id, since = await live_since(conn, name)
        channel = await get_channel(conn, name) if exists else None
    if channel is None:
        raise ApiError(404, "not_found", f"no channel {name!r}")
    try:
        cut = live_cut(datetime.now(UTC), since, duration_s, offset_s)
    except ClipRefused as refusal:
        raise _refused(refusal) from refusal
    return ClipRequested(
        channel=name, clip_id=str(uuid4()), creator_id=user_id, duration_ms=cut.duration_ms,
        title=title or channel["title"] or name, session_id=session_id, start_at=cut.start_at)


async def clip_live(request: Request) -> Response:
    caller = await require_user(request, SCOPE)
    body = await parse_body(request, LiveClip)
    return await requested(request, await live_clip(
        Services.of(request), str(caller.user_id), request.path_params["name"].lower(),
        body.duration_s, body.offset_s, body.title))


async def clip_video(request: Request) -> Response:
    """A clip of a VOD, start_s into it."""
    caller = await require_user(request, SCOPE)
    services, video_id = Services.of(request), video_id_of(request)
    body = await parse_body(request, VodClip)
    video = await existing_video(services, video_id)
    try:
        cut = vod_cut(video["duration_ms"], body.start_s, body.duration_s)
    except ClipRefused as refusal:
        raise _refused(refusal) from refusal
    return await requested(request, ClipRequested(
        channel=video["channel"], clip_id=str(uuid4()), creator_id=str(caller.user_id),
        duration_ms=cut.duration_ms, title=body.title or video["title"] or video["channel"],
        video_id=video_id, start_ms=cut.start_ms))


async def list_clips(request: Request) -> Response:
    services = Services.of(request)
    name = request.path_params["name"].lower()
    query = ClipPage.of(request)
    async with services.reads.connection() as conn:
        if await get_channel(conn, name) is None:
            raise ApiError(404, "not_found", f"no channel {name!r}")
        rows = await channel_clips(conn, name, query.first + 1, query.after)
    page = rows[:query.first]
    cursor = None
    if len(rows) > query.first:
        cursor = encode_cursor([page[-1]["created_at"].isoformat(), page[-1]["id"]])
    return JSONResponse({"data": [public_clip(services, row) for row in page],
                         "pagination": {"cursor": cursor}})


async def existing_clip(services: Services, clip_id: str) -> dict[str, Any]:
    async with services.pool.connection() as conn:
        rows = await get_clips(conn, [clip_id])
    if not rows or rows[0]["status"] == "deleted":
        raise ApiError(404, "not_found", f"no clip {clip_id}")
    return rows[0]


async def delete_clip(request: Request) -> Response:
    """The channel's broadcaster, the clip's creator or an admin; the file goes once the
    deletion is projected."""
    caller = await require_user(request, SCOPE)
    services, clip_id = Services.of(request), clip_id_of(request)
    row = await existing_clip(services, clip_id)
    if caller.user_id not in (row["broadcaster_id"], row["creator_id"]) and not caller.admin:
        raise ApiError(403, "forbidden",
                       "only the channel's broadcaster or the clip's creator may delete it")
    event = ClipDeleted(channel=row["channel"], clip_id=clip_id, by_user_id=caller.user_id)
    position = await services.producer.send(event)
    return JSONResponse(appended(str(event.event_id), position, {"id": clip_id, "deleted": True}),
                        status_code=202)


async def read_clip(request: Request) -> Response:
    services, clip_id = Services.of(request), clip_id_of(request)
    await wait_for_query_position(ReadYourWrites.of(request), services.pool,
                                  services.settings.read_wait_max_s)
    return JSONResponse({"data": public_clip(services, await existing_clip(services, clip_id))})


def _subject(clip_id: str) -> str:
    return f"clip:{clip_id}"


async def clip_player_session(request: Request) -> Response:
    clip_id = clip_id_of(request)
    await existing_clip(Services.of(request), clip_id)
    return await issued_player_token(request, _subject(clip_id), {"clip_id": clip_id})


async def clip_heartbeat(request: Request) -> Response:
    """A player plays a clip: each player session is one view of it."""
    clip_id = clip_id_of(request)
    view = await recording_view(request, f"/api/v1/clips/{clip_id}", _subject(clip_id),
                                lambda services: existing_clip(services, clip_id))
    event = ClipViewHeartbeat(channel=view.row["channel"], clip_id=clip_id,
                              viewer_id=view.viewer_id, player_session=view.player_session,
                              user_id=view.user_id)
    return await counted(request, event, {"clip_id": clip_id})
