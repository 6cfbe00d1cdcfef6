"""Queries for Helix's ads, subscriptions and bits endpoints (gateways.helix): a channel's ad
schedule as its decider keeps it, its current subscribers, and its cheerers ranked by bits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

SUBSCRIBER = (
    "SELECT s.user_id, u.username, u.display_name, s.tier, s.gifted_by, "
    "g.username AS gifter_login, g.display_name AS gifter_name FROM subscriptions s "
    "JOIN users u ON u.user_id = s.user_id LEFT JOIN users g ON g.user_id = s.gifted_by "
    "WHERE s.channel = %(channel)s AND s.ended_at IS NULL"
)


async def ad_schedule(conn: AsyncConnection[Any], channel: str) -> dict[str, Any]:
    """live_since, every_min, schedule_duration_s and the latest breaks (started, ends: epoch
    seconds), as the channel's decider last stored them; a channel without any has none."""
    cur = await conn.execute("SELECT state->'ads' FROM channel_decider_states "
                             "WHERE channel = %s", (channel,))
    row = await cur.fetchone()
    stored = row[0] if row and isinstance(row[0], dict) else {}
    return {"live_since": None, "every_min": 0, "schedule_duration_s": 60, "breaks": [],
            **stored}


async def subscribers(conn: AsyncConnection[Any], channel: str, user_ids: list[str],
                      first: int, after: str | None) -> list[dict[str, Any]]:
    """Current subscribers (only those of `user_ids` when it names any) by login."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"{SUBSCRIBER} AND (cardinality(%(ids)s::uuid[]) = 0 "
            "OR s.user_id = ANY(%(ids)s::uuid[])) AND u.username > %(after)s "
            "ORDER BY u.username LIMIT %(limit)s",
            {"channel": channel, "ids": user_ids, "after": after or "", "limit": first})
        return await cur.fetchall()


async def subscriber_tiers(conn: AsyncConnection[Any], channel: str) -> list[int]:
    """The tier of each current subscriber, for the channel's totals."""
    cur = await conn.execute("SELECT tier FROM subscriptions WHERE channel = %s "
                             "AND ended_at IS NULL", (channel,))
    return [int(row[0]) for row in await cur.fetchall()]


async def cheerers(conn: AsyncConnection[Any], channel: str, span: tuple[datetime, datetime]
                   | None, user_id: str | None, count: int) -> list[dict[str, Any]]:
    """Users by the bits they cheered in the channel within `span` (all time when None), most
    first, ranked; with `user_id`, only that user's rank."""
    params = {"channel": channel, "start": span[0] if span else None,
              "end": span[1] if span else None, "user": user_id, "limit": count}
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT * FROM (SELECT m.user_id, u.username, u.display_name, "
            "-sum(m.bits) AS score, rank() OVER (ORDER BY -sum(m.bits) DESC, u.username) "
            "AS rank FROM bits_movements m JOIN ledger_entries l ON l.event_id = m.event_id "
            "AND l.account = 'viewer:' || m.user_id::text JOIN users u ON u.user_id = m.user_id "
            "WHERE l.source = 'cheer' AND l.channel = %(channel)s "
            "AND (%(start)s::timestamptz IS NULL OR (m.occurred_at >= %(start)s::timestamptz "
            "AND m.occurred_at < %(end)s::timestamptz)) "
            "GROUP BY m.user_id, u.username, u.display_name) ranked "
            "WHERE %(user)s::uuid IS NULL OR ranked.user_id = %(user)s::uuid "
            "ORDER BY ranked.rank LIMIT %(limit)s", params)
        return await cur.fetchall()
