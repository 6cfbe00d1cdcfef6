"""Queries for Helix's moderation endpoints (gateways.helix): a channel's moderators and the
signed-in users among its viewers, a page at a time in name order."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row


async def moderators(conn: AsyncConnection[Any], channel: str, user_ids: list[str],
                     first: int, after: str | None) -> list[dict[str, Any]]:
    """The channel's moderators (only those of `user_ids` when it names any) past `after`."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT m.user_id, m.username, u.display_name FROM channel_moderators m "
            "JOIN users u USING (user_id) WHERE m.channel = %(channel)s "
            "AND (cardinality(%(ids)s::uuid[]) = 0 OR m.user_id = ANY(%(ids)s::uuid[])) "
            "AND m.username > %(after)s ORDER BY m.username LIMIT %(limit)s",
            {"channel": channel, "ids": user_ids, "after": after or "", "limit": first})
        return await cur.fetchall()


async def users_among(conn: AsyncConnection[Any], user_ids: list[str], first: int,
                      after: str | None) -> tuple[int, list[dict[str, Any]]]:
    """How many of the ids are users', and a page of those users past `after`."""
    params = {"ids": user_ids, "after": after or "", "limit": first}
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT user_id, username, display_name FROM users "
            "WHERE user_id = ANY(%(ids)s::uuid[]) AND username > %(after)s "
            "ORDER BY username LIMIT %(limit)s", params)
        rows = await cur.fetchall()
        await cur.execute("SELECT count(*) AS total FROM users "
                          "WHERE user_id = ANY(%(ids)s::uuid[])", params)
        total = await cur.fetchone()
    return int(total["total"]) if total else 0, rows
