"""GET the last messages of a channel's chat, paging backwards with a cursor."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.errors import ApiError
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Query
from gateways.state import Services
from projections.channel_reads import get_channel
from projections.chat_history_reads import Cursor, chat_modes, last_messages, listed


class ChatPage(Query):
    first: First = 50
    after: TimeCursor = None


def public_message(row: Any) -> dict[str, Any]:
    badges, emotes = listed(row)
    return {"id": row.message_id, "user_id": row.user_id, "username": row.username,
            "display_name": row.display_name, "text": row.text, "badges": badges,
            "emotes": emotes, "color": row.color or "", "sent_at": row.sent_at.isoformat() + "Z"}


async def chat_messages(request: Request) -> Response:
    """Newest first; `after` continues from the previous page, across day buckets."""
    services = Services.of(request)
    channel = request.path_params["name"].lower()
    query = ChatPage.of(request)
    after = None if query.after is None else Cursor(*query.after)
    rows = await asyncio.to_thread(last_messages, await services.history.live(), channel,
                                   query.first + 1, after)
    page = rows[:query.first]
    cursor = (encode_cursor([page[-1].sent_at.isoformat(), page[-1].message_id])
              if len(rows) > query.first else None)
    return JSONResponse({"data": [public_message(r) for r in page],
                         "pagination": {"cursor": cursor}})


async def chat_settings(request: Request) -> Response:
    """The chat modes in force, as anyone in the chat can see them."""
    services = Services.of(request)
    channel = request.path_params["name"].lower()
    async with services.reads.connection() as conn:
        if await get_channel(conn, channel) is None:
            raise ApiError(404, "channel_not_found", f"no channel named {channel!r}")
    modes = await asyncio.to_thread(chat_modes, await services.history.live(), channel)
    return JSONResponse({"data": {"channel": channel, **modes}})
