"""Reads of the videos read model: a channel's VODs newest first, one VOD, who owns one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

COLUMNS = ("v.video_id::text AS id, v.channel, v.title, v.category, v.started_at, v.ended_at, "
           "v.duration_ms, v.renditions, v.recorded_at, v.view_count")


async def channel_videos(conn: AsyncConnection[Any], channel: str, first: int,
                         before: tuple[datetime, str] | None) -> list[dict[str, Any]]:
    """Newest first, from after the (recorded_at, id) a page ended on."""
    after = "AND (v.recorded_at, v.video_id) < (%s, %s::uuid) " if before else ""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS} FROM videos v WHERE v.channel = %s AND v.deleted_at IS NULL "
            f"{after}ORDER BY v.recorded_at DESC, v.video_id DESC LIMIT %s",
            (channel, *(before or ()), first))
        return await cur.fetchall()


async def get_video(conn: AsyncConnection[Any], video_id: str) -> dict[str, Any] | None:
    """A VOD not deleted, with its channel's owner."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS}, c.owner_id::text AS owner_id FROM videos v "
            "JOIN channels c ON c.channel = v.channel "
            "WHERE v.video_id = %s AND v.deleted_at IS NULL", (video_id,))
        return await cur.fetchone()


HELIX = (f"{COLUMNS}, v.session_id::text AS session_id, c.owner_id::text AS owner_id, "
         "c.display_name, c.language FROM videos v JOIN channels c ON c.channel = v.channel "
         "LEFT JOIN categories g ON g.name = v.category WHERE v.deleted_at IS NULL")
NO_FILTERS = dict.fromkeys(("ids", "owner", "game", "since", "language"))


async def videos_by(conn: AsyncConnection[Any], filters: dict[str, Any], first: int,
                    before: tuple[datetime, str] | None) -> list[dict[str, Any]]:
    """VODs, newest first, by their ids, their broadcaster's id or their category's id, since
    a time, in a language (the filters given: `ids`, `owner`, `game`, `since`, `language`),
    with their channel's names."""
    after = "AND (v.recorded_at, v.video_id) < (%(at)s, %(id)s::uuid) " if before else ""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {HELIX} AND (%(ids)s::uuid[] IS NULL OR v.video_id = ANY(%(ids)s::uuid[])) "
            "AND (%(owner)s::uuid IS NULL OR c.owner_id = %(owner)s::uuid) "
            "AND (%(game)s::int IS NULL OR g.id = %(game)s::int) "
            "AND (%(since)s::timestamptz IS NULL OR v.recorded_at >= %(since)s::timestamptz) "
            "AND (%(language)s::text IS NULL OR coalesce(c.language, 'other') = %(language)s) "
            f"{after}"
            "ORDER BY v.recorded_at DESC, v.video_id DESC LIMIT %(first)s",
            {**NO_FILTERS, **filters, "first": first, "at": before[0] if before else None,
             "id": before[1] if before else None})
        return await cur.fetchall()
