"""Get Videos and Delete Videos: Castline's VODs (gateways.videos), its past broadcasts, in
Twitch's shape. Castline has neither highlights nor uploads: every video is an archive."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.vods import VodDeleted
from gateways.auth import Principal
from gateways.channels import Language
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page, require_scope, user_of
from gateways.helix.params import GameId, rfc3339
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Refusal
from gateways.state import Services
from gateways.videos import SCOPE
from projections.video_reads import videos_by

MAX_DELETED = 5  # Twitch deletes at most five videos a call
PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=30)}
VideoIds = Annotated[list[UUID], Field(max_length=100, description="video ids"), Refusal(
    "invalid_parameter", "id: at most 100 video ids")]


class VideosQuery(HelixQuery):
    """Exactly one of id, user_id and game_id."""

    REPEATED: ClassVar[frozenset[str]] = frozenset({"id"})

    id: VideoIds = Field(default_factory=list)
    user_id: Annotated[UUID | None, Refusal(
        "invalid_parameter", "user_id must be a user's id")] = None
    game_id: Annotated[GameId | None, Refusal(
        "invalid_parameter", "game_id must be a number")] = None
    language: Annotated[Language | None, Refusal(
        "invalid_parameter", "language: a two-letter code or other")] = None
    period: Annotated[Literal["all", "day", "week", "month"], Refusal(
        "invalid_parameter", "period is all, day, week or month")] = "all"
    sort: Annotated[Literal["time"], Field(description="only time: Castline ranks nothing "
                                           "else"), Refusal(
        "invalid_parameter", "sort: only time")] = "time"
    type: Annotated[Literal["all", "archive", "highlight", "upload"], Refusal(
        "invalid_parameter", "type is all, archive, highlight or upload")] = "all"
    first: First = 20
    after: TimeCursor = None


class DeleteVideosQuery(HelixQuery):
    REPEATED: ClassVar[frozenset[str]] = frozenset({"id"})

    id: Annotated[list[UUID], Field(min_length=1, max_length=MAX_DELETED), Refusal(
        "invalid_parameter", "id: one to five video ids")]


def twitch_duration(duration_ms: int) -> str:
    """1h2m3s, as Twitch writes a video's length."""
    hours, rest = divmod(round(duration_ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    shown = (f"{hours}h" if hours else "") + (f"{minutes}m" if hours or minutes else "")
    return f"{shown}{seconds}s"


def helix_video(row: dict[str, Any], site: str) -> dict[str, Any]:
    return {
        "id": row["id"], "stream_id": row["session_id"], "user_id": row["owner_id"],
        "user_login": row["channel"], "user_name": row["display_name"],
        "title": row["title"], "description": "", "created_at": rfc3339(row["started_at"]),
        "published_at": rfc3339(row["recorded_at"]), "url": f"{site}/videos/{row['id']}",
        "thumbnail_url": "", "viewable": "public", "view_count": row["view_count"],
        "language": row["language"] or "other", "type": "archive",
        "duration": twitch_duration(row["duration_ms"]), "muted_segments": None,
    }


def _filters(query: VideosQuery, now: datetime) -> dict[str, Any]:
    named = [bool(query.id), query.user_id is not None, query.game_id is not None]
    if sum(named) != 1:
        raise ApiError(400, "invalid_parameter", "give exactly one of id, user_id and game_id")
    return {"ids": [str(i) for i in query.id] or None,
            "owner": str(query.user_id) if query.user_id else None,
            "game": int(query.game_id) if query.game_id else None,
            "since": now - PERIODS[query.period] if query.period in PERIODS else None,
            "language": query.language}


@helix
async def get_videos(request: Request, _caller: Principal) -> Response:
    query = VideosQuery.of(request)
    filters = _filters(query, datetime.now(UTC))
    if query.type in ("highlight", "upload"):
        return page([])
    first = len(query.id) if query.id else query.first
    async with Services.of(request).reads.connection() as conn:
        rows = await videos_by(conn, filters, first + 1, None if query.id else query.after)
    shown = rows[:first]
    cursor = None
    if len(rows) > first and not query.id:
        cursor = encode_cursor([shown[-1]["recorded_at"].isoformat(), shown[-1]["id"]])
    site = str(request.base_url).rstrip("/")
    return page([helix_video(row, site) for row in shown], cursor)


@helix
async def delete_videos(request: Request, caller: Principal) -> Response:
    """Every video named must be the token's user's (401 otherwise, as on Twitch; a platform
    admin may delete any) and exist (404); then each is deleted as the web app deletes one."""
    require_scope(caller, SCOPE)
    user = user_of(caller)
    query = DeleteVideosQuery.of(request)
    ids = list(dict.fromkeys(str(i) for i in query.id))
    services = Services.of(request)
    async with services.pool.connection() as conn:
        rows = await videos_by(conn, {"ids": ids}, len(ids), None)
    missing = set(ids) - {row["id"] for row in rows}
    if missing:
        raise ApiError(404, "not_found", f"no video {sorted(missing)[0]}")
    if not caller.admin and any(row["owner_id"] != user for row in rows):
        raise ApiError(401, "unauthorized", "the token's user may delete only their own videos")
    await asyncio.gather(*(services.producer.send(VodDeleted(
        channel=row["channel"], video_id=row["id"], reason="deleted", by_user_id=user))
        for row in rows))
    return JSONResponse({"data": ids})
