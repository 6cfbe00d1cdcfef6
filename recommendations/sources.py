"""Where the recommendation inputs come from: live channels and follows from PostgreSQL, watch
minutes and co-viewing from the analytics rollups in ClickHouse."""

from __future__ import annotations

from typing import Any

from clickhouse_driver import Client
from psycopg import AsyncConnection

from recommendations.inputs import CoViewingInputs, CoViewingPair, LiveChannel

# Each pair once (channel < co_channel): the graph makes it symmetric.
COVIEWING = """
    SELECT channel, co_channel, count() AS viewers
    FROM (SELECT viewer_id, channel FROM watch_minutes_by_viewer
          WHERE watch_minutes >= %(min_minutes)s) AS watched
    ALL INNER JOIN
         (SELECT viewer_id, channel AS co_channel FROM watch_minutes_by_viewer
          WHERE watch_minutes >= %(min_minutes)s) AS co USING viewer_id
    WHERE channel < co_channel
    GROUP BY channel, co_channel"""

CHANNEL_VIEWERS = """
    SELECT channel, count() FROM watch_minutes_by_viewer
    WHERE watch_minutes >= %(min_minutes)s GROUP BY channel"""

VIEWER_MINUTES = """
    SELECT channel, uniqMerge(minutes) FROM watch_by_viewer
    WHERE viewer_id = %(viewer_id)s GROUP BY channel"""


def coviewing(client: Client, min_minutes: int) -> CoViewingInputs:
    """Viewers two channels share, counting a viewer on a channel from `min_minutes` watched;
    with each channel's viewers, so that pairs weigh as cosine similarity."""
    params = {"min_minutes": min_minutes}
    pairs = tuple(CoViewingPair(a, b, float(viewers))
                  for a, b, viewers in client.execute(COVIEWING, params))
    totals = {channel: float(n) for channel, n in client.execute(CHANNEL_VIEWERS, params)}
    return CoViewingInputs(pairs, totals)


def watch_minutes(client: Client, viewer_id: str) -> dict[str, float]:
    rows = client.execute(VIEWER_MINUTES, {"viewer_id": viewer_id})
    return {channel: float(minutes) for channel, minutes in rows}


async def live_channels(conn: AsyncConnection[Any]) -> dict[str, tuple[LiveChannel, str, str]]:
    """Every live channel, with its display name and title."""
    cursor = await conn.execute(
        "SELECT channel, category, viewer_count, display_name, title FROM channels "
        "WHERE live_session_id IS NOT NULL")
    return {channel: (LiveChannel(channel, category, viewers), display_name, title)
            for channel, category, viewers, display_name, title in await cursor.fetchall()}


async def follows(conn: AsyncConnection[Any], user_id: str) -> frozenset[str]:
    cursor = await conn.execute("SELECT channel FROM follows WHERE user_id = %s", (user_id,))
    return frozenset(channel for (channel,) in await cursor.fetchall())


async def categories(conn: AsyncConnection[Any], channels: list[str]) -> dict[str, str]:
    cursor = await conn.execute(
        "SELECT channel, category FROM channels WHERE channel = ANY(%s)", (channels,))
    return dict(await cursor.fetchall())
