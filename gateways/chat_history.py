"""GET the last messages of a channel's chat, paging backwards with a cursor."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.pagination import decode_time_cursor, encode_cursor, first_param
from gateways.state import Services
from projections.chat_history_reads import Cursor, last_messages, listed


def _cursor(request: Request) -> Cursor | None:
    after = decode_time_cursor(request.query_params.get("after"))
    return None if after is None else Cursor(*after)


def _public(row: Any) -> dict[str, Any]:
    badges, emotes = listed(row)
    return {"id": row.message_id, "user_id": row.user_id, "username": row.username,
            "display_name": row.display_name, "text": row.text, "badges": badges,
            "emotes": emotes, "sent_at": row.sent_at.isoformat() + "Z"}


async def chat_messages(request: Request) -> Response:
    """Newest first; `after` continues from the previous page, across day buckets."""
    services = Services.of(request)
    channel = request.path_params["name"].lower()
    first = first_param(request, default=50)
    rows = await asyncio.to_thread(last_messages, await services.history.live(), channel,
                                   first + 1, _cursor(request))
    page = rows[:first]
    cursor = (encode_cursor([page[-1].sent_at.isoformat(), page[-1].message_id])
              if len(rows) > first else None)
    return JSONResponse({"data": [_public(r) for r in page], "pagination": {"cursor": cursor}})
