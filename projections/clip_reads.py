"""Reads of the clips read model: a channel's clips newest first, one clip, and what a live
clip needs of the channel (its live session and when it began)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

COLUMNS = ("k.clip_id::text AS id, k.channel, k.creator_id::text AS creator_id, "
           "u.username AS creator_name, c.owner_id::text AS broadcaster_id, k.title, "
           "k.video_id::text AS video_id, k.start_ms, k.requested_ms, k.duration_ms, k.status, "
           "k.object_key, k.failure, k.created_at, k.view_count, c.display_name, c.language, "
           "g.id AS game_id")
FROM = ("clips k JOIN channels c ON c.channel = k.channel "
        "LEFT JOIN users u ON u.user_id = k.creator_id "
        "LEFT JOIN categories g ON g.name = c.category")


async def channel_clips(conn: AsyncConnection[Any], channel: str, first: int,
                        before: tuple[datetime, str] | None,
                        made: tuple[datetime, datetime] | None = None) -> list[dict[str, Any]]:
    """The channel's cut clips, newest first, from after the (created_at, id) a page ended on;
    only those made from made[0] up to made[1], given that."""
    after = "AND (k.created_at, k.clip_id) < (%s, %s::uuid) " if before else ""
    within = "AND k.created_at >= %s AND k.created_at < %s " if made else ""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS} FROM {FROM} WHERE k.channel = %s AND k.status = 'ready' "
            f"{after}{within}ORDER BY k.created_at DESC, k.clip_id DESC LIMIT %s",
            (channel, *(before or ()), *(made or ()), first))
        return await cur.fetchall()


async def get_clips(conn: AsyncConnection[Any], clip_ids: list[str]) -> list[dict[str, Any]]:
    """The clips with these ids, whatever their status."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE k.clip_id = ANY(%s::uuid[]) "
                          "ORDER BY k.created_at DESC", (clip_ids,))
        return await cur.fetchall()


async def live_since(conn: AsyncConnection[Any],
                     channel: str) -> tuple[bool, str | None, datetime | None]:
    """Whether the channel exists, its live session and when that began (None offline)."""
    cur = await conn.execute(
        "SELECT c.live_session_id::text, s.started_at FROM channels c "
        "LEFT JOIN streams s ON s.session_id = c.live_session_id WHERE c.channel = %s",
        (channel,))
    row = await cur.fetchone()
    if row is None:
        return False, None, None
    return True, row[0], row[1] if row[0] else None
