"""The broadcaster's dashboard: summaries of the channel's recent streams, from ClickHouse."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from analytics.stream_summary import LATEST, StreamSummary, recent_streams
from analytics.versions import live_database, reading
from config.settings import Settings
from gateways.auth import require_user
from gateways.errors import ApiError
from gateways.pagination import First, TimeCursor, encode_cursor
from gateways.queries import Query
from gateways.state import Services
from projections.channel_reads import get_channel


class SummaryPage(Query):
    first: First = 10
    after: TimeCursor = None


async def stream_summaries(request: Request) -> Response:
    """Newest first; only the channel's broadcaster (or an admin) may read them."""
    caller = await require_user(request, "analytics:read")
    services = Services.of(request)
    name = request.path_params["name"].lower()
    query = SummaryPage.of(request)
    async with services.pool.connection() as conn:
        channel = await get_channel(conn, name)
        database = await live_database(conn, services.settings)
    if channel is None:
        raise ApiError(404, "not_found", f"no channel {name!r}")
    if str(channel["owner_id"]) != caller.user_id and not caller.admin:
        raise ApiError(403, "forbidden", "only the channel's broadcaster may read its analytics")
    summaries = await asyncio.to_thread(_read, services.settings, database, name,
                                        query.first + 1, query.after or LATEST)
    page = summaries[:query.first]
    cursor = encode_cursor(list(page[-1].cursor)) if len(summaries) > query.first else None
    return JSONResponse({"data": [_public(s) for s in page], "pagination": {"cursor": cursor}})


def _read(settings: Settings, database: str, channel: str, first: int,
          before: tuple[datetime, str]) -> list[StreamSummary]:
    with reading(settings, database) as client:
        return recent_streams(client, channel, first, before)


def _public(summary: StreamSummary) -> dict[str, Any]:
    return {
        "session_id": summary.session_id,
        "started_at": summary.started_at.isoformat(),
        "ended_at": summary.ended_at.isoformat() if summary.ended_at else None,
        "live": summary.ended_at is None,
        "peak_viewers": summary.peak_viewers,
        "average_viewers": summary.average_viewers,
        "unique_viewers": summary.unique_viewers,
        "watch_minutes": summary.watch_minutes,
        "new_followers": summary.new_followers,
        "chat": {"messages": summary.chat_messages, "chatters": summary.chatters},
        "revenue": [{"currency": r.currency, "cheers": r.cheers_minor,
                     "donations": r.donations_minor, "subscriptions": r.subscriptions_minor,
                     "ads": r.ads_minor, "total": r.total_minor} for r in summary.revenue],
    }
