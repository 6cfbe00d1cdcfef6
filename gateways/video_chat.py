"""A VOD's chat replay: the channel's chat history over the broadcast's time, oldest first,
each message with its offset into the video, paged forwards; what moderators hid stays hidden."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.chat_history import public_message
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Query
from gateways.state import Services
from gateways.videos import existing_video, video_id_of
from projections.chat_history_reads import Cursor
from projections.chat_replay_reads import replayed_messages


class ReplayPage(Query):
    offset_s: Annotated[float, Field(ge=0, le=7 * 86400, description="where in the video to "
                                     "start, in seconds (without a cursor)")] = 0
    first: First = 100
    after: TimeCursor = None


def _naive_utc(moment: datetime) -> datetime:
    """Chat history's times are UTC without a zone, as Cassandra gives them back."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


async def video_chat(request: Request) -> Response:
    services = Services.of(request)
    video = await existing_video(services, video_id_of(request))
    query = ReplayPage.of(request)
    started = _naive_utc(video["started_at"])
    start = (Cursor(_naive_utc(query.after[0]), query.after[1]) if query.after else
             Cursor(started + timedelta(seconds=query.offset_s), ""))
    rows = await asyncio.to_thread(replayed_messages, await services.history.live(),
                                   video["channel"], start, _naive_utc(video["ended_at"]),
                                   query.first + 1)
    page = rows[:query.first]
    cursor = (encode_cursor([page[-1].sent_at.isoformat(), page[-1].message_id])
              if len(rows) > query.first else None)
    return JSONResponse({"data": [_replayed(row, started) for row in page],
                         "pagination": {"cursor": cursor}})


def _replayed(row: Any, started: datetime) -> dict[str, Any]:
    return {**public_message(row), "offset_s": (row.sent_at - started).total_seconds()}
