"""Reads of the subscriptions, for the gateway: a subscriber has the benefits until ended_at
is set (the scheduler ends a subscription once its last period is over)."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

COLUMNS = ("s.channel, s.tier, s.started_at, s.period, s.period_end, s.cancelled_at, "
           "s.ended_at, s.end_reason, g.username AS gifted_by")


async def subscriber_tier(conn: AsyncConnection[Any], channel: str, user_id: str) -> int | None:
    cur = await conn.execute(
        "SELECT tier FROM subscriptions WHERE channel = %s AND user_id = %s "
        "AND ended_at IS NULL", (channel, user_id))
    row = await cur.fetchone()
    return None if row is None else int(row[0])


async def subscriptions_of(conn: AsyncConnection[Any], user_id: str) -> list[dict[str, Any]]:
    """The user's subscriptions, current ones first."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS} FROM subscriptions s LEFT JOIN users g ON g.user_id = s.gifted_by "
            "WHERE s.user_id = %s ORDER BY s.ended_at IS NOT NULL, s.channel", (user_id,))
        return await cur.fetchall()


async def subscribers_of(conn: AsyncConnection[Any], channel: str, first: int,
                         after: str | None) -> list[dict[str, Any]]:
    """The channel's current subscribers by username, from after `after`."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT u.username, {COLUMNS} FROM subscriptions s "
            "JOIN users u ON u.user_id = s.user_id LEFT JOIN users g ON g.user_id = s.gifted_by "
            "WHERE s.channel = %s AND s.ended_at IS NULL AND u.username > %s "
            "ORDER BY u.username LIMIT %s", (channel, after or "", first))
        return await cur.fetchall()


async def gift_recipients(conn: AsyncConnection[Any], gift_id: str) -> list[str]:
    cur = await conn.execute(
        "SELECT u.username FROM subscriptions s JOIN users u ON u.user_id = s.user_id "
        "WHERE s.gift_id = %s ORDER BY u.username", (gift_id,))
    return [row[0] for row in await cur.fetchall()]
