"""Create Clip and Get Clips: Castline's clips (gateways.clips) in Twitch's terms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field
from pydantic.json_schema import SkipJsonSchema
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import Principal
from gateways.clips import SCOPE, live_clip, public_clip
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page, require_scope, user_of
from gateways.helix.params import rfc3339
from gateways.helix.staff import BroadcasterId, channel_of
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Refusal
from gateways.state import Services
from projections import clip_reads

LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(weeks=1)  # a week on from it is no error
ClipIds = Annotated[list[UUID], Field(max_length=100, description="clip ids (repeatable)"),
                    Refusal("invalid_parameter", "id must be clip ids, at most 100")]


class CreateQuery(HelixQuery):
    broadcaster_id: BroadcasterId
    has_delay: bool = False  # accepted for Twitch's clients; Castline adds no delay
    duration: Annotated[float, Field(ge=0, le=3600, description="5-60 s, default 30"),
                        Refusal("invalid_parameter", "duration is seconds, 5 to 60")] = 30


class ClipsQuery(HelixQuery):
    REPEATED: ClassVar[frozenset[str]] = frozenset({"id"})

    broadcaster_id: Annotated[UUID | SkipJsonSchema[None], Field(
        description="the broadcaster's user id"), Refusal(
        "invalid_parameter", "broadcaster_id must be a user's id")] = None
    id: ClipIds = Field(default_factory=list)
    started_at: Annotated[AwareDatetime | None, Refusal(
        "invalid_parameter", "started_at must be an RFC 3339 time")] = None
    ended_at: Annotated[AwareDatetime | None, Refusal(
        "invalid_parameter", "ended_at must be an RFC 3339 time")] = None
    first: First = 20
    after: TimeCursor = None

    def window(self) -> tuple[datetime, datetime] | None:
        """When the listed clips were made: from started_at to ended_at, or a week after it
        when ended_at is not given, as on Twitch; None for any time."""
        if self.started_at is None:
            if self.ended_at is not None:
                raise ApiError(400, "invalid_parameter", "ended_at needs started_at")
            return None
        ended_at = self.ended_at or min(self.started_at, LATEST) + timedelta(weeks=1)
        if ended_at < self.started_at:
            raise ApiError(400, "invalid_parameter", "ended_at is before started_at")
        return self.started_at, ended_at


@helix
async def create_clip(request: Request, caller: Principal) -> Response:
    require_scope(caller, SCOPE)
    user = user_of(caller)
    query = CreateQuery.of(request)
    services = Services.of(request)
    async with services.pool.connection() as conn:
        channel = await channel_of(conn, query.broadcaster_id)
    try:
        event = await live_clip(services, user, channel["channel"], query.duration)
    except ApiError as refused:
        if refused.error == "not_live":
            raise ApiError(404, "not_found", "The broadcaster in broadcaster_id must be "
                                             "broadcasting live") from refused
        raise
    await services.producer.send(event)
    return JSONResponse({"data": [{"id": event.clip_id,
                                   "edit_url": f"{_site(request)}/clips/{event.clip_id}"}]},
                        status_code=202)


def _site(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def helix_clip(services: Services, request: Request, row: dict[str, Any]) -> dict[str, Any]:
    clip = public_clip(services, row)
    return {
        "id": clip["id"], "url": f"{_site(request)}/clips/{clip['id']}",
        "embed_url": clip["url"], "broadcaster_id": row["broadcaster_id"],
        "broadcaster_name": row["display_name"], "creator_id": row["creator_id"],
        "creator_name": row["creator_name"] or "", "video_id": row["video_id"] or "",
        "game_id": str(row["game_id"] or ""), "language": row["language"] or "other",
        "title": row["title"], "view_count": row["view_count"],
        "created_at": rfc3339(row["created_at"]), "thumbnail_url": "",
        "duration": clip["duration_s"], "vod_offset": clip["vod_offset_s"],
        "is_featured": False,
    }


@helix
async def get_clips(request: Request, _caller: Principal) -> Response:
    query = ClipsQuery.of(request)
    if (query.broadcaster_id is None) == (not query.id):
        raise ApiError(400, "invalid_parameter", "give one of broadcaster_id or id")
    services = Services.of(request)
    async with services.reads.connection() as conn:
        if query.id:
            rows = [r for r in await clip_reads.get_clips(conn, [str(i) for i in query.id])
                    if r["status"] == "ready"]
            return page([helix_clip(services, request, r) for r in rows])
        channel = await channel_of(conn, query.broadcaster_id)  # type: ignore[arg-type]
        rows = await clip_reads.channel_clips(conn, channel["channel"], query.first + 1,
                                              query.after, query.window())
    shown = rows[:query.first]
    cursor = None
    if len(rows) > query.first:
        cursor = encode_cursor([shown[-1]["created_at"].isoformat(), shown[-1]["id"]])
    return page([helix_clip(services, request, r) for r in shown], cursor)
