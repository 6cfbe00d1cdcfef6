"""Queries on the read models for the Helix API (gateways.helix): users, live streams, channels
and categories (Helix's games) looked up by the ids and logins Twitch's clients send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from projections.user_reads import PUBLIC as USER_COLUMNS

CHANNEL = (
    "c.channel, c.display_name, c.title, c.category, c.owner_id, c.tags, c.language, "
    "c.viewer_count, s.started_at, s.session_id, g.id AS game_id FROM channels c "
    "LEFT JOIN streams s ON s.session_id = c.live_session_id "
    "LEFT JOIN categories g ON g.name = c.category"
)
# Categories ranked by the viewers of their live channels, then by name, past (viewers, name):
# those with live channels (summed over the live channels only), then the others by name, each
# part read no further than the page; so a page costs the live channels, not the catalog.
TOP_CATEGORIES = (
    "WITH live AS (SELECT category AS name, sum(viewer_count)::int AS viewers FROM channels "
    "WHERE live_session_id IS NOT NULL GROUP BY category) "
    "SELECT * FROM ((SELECT g.id, g.name, l.viewers FROM live l JOIN categories g USING (name) "
    "WHERE %(viewers)s::int IS NULL OR (l.viewers, %(name)s::text) < (%(viewers)s::int, g.name) "
    "ORDER BY l.viewers DESC, g.name LIMIT %(limit)s) UNION ALL "
    "(SELECT g.id, g.name, 0 FROM categories g WHERE NOT EXISTS "
    "(SELECT 1 FROM live l WHERE l.name = g.name) AND (%(viewers)s::int IS NULL "
    "OR %(viewers)s::int > 0 OR g.name > %(name)s::text) ORDER BY g.name LIMIT %(limit)s)) v "
    "ORDER BY v.viewers DESC, v.name LIMIT %(limit)s"
)


async def _all(conn: AsyncConnection[Any], sql: str, params: dict[str, Any]
               ) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(sql.encode(), params)
        return await cur.fetchall()


async def users(conn: AsyncConnection[Any], ids: list[str], logins: list[str]
                ) -> list[dict[str, Any]]:
    return await _all(
        conn, f"SELECT {USER_COLUMNS}, email FROM users WHERE user_id = ANY(%(ids)s::uuid[]) "
        "OR username = ANY(%(logins)s::text[]) ORDER BY username",
        {"ids": ids, "logins": logins})


async def live_streams(conn: AsyncConnection[Any], filters: dict[str, Any], first: int,
                       after: tuple[int, str] | None) -> list[dict[str, Any]]:
    """Live channels, most viewers first, of the given owners, logins, categories and
    languages (an empty list filters nothing); `after` is the (viewers, channel) of the last
    page's end."""
    return await _all(
        conn, f"SELECT {CHANNEL} WHERE c.live_session_id IS NOT NULL "
        "AND (cardinality(%(ids)s::uuid[]) = 0 OR c.owner_id = ANY(%(ids)s::uuid[])) "
        "AND (cardinality(%(logins)s::text[]) = 0 OR c.channel = ANY(%(logins)s::text[])) "
        "AND (cardinality(%(games)s::int[]) = 0 OR g.id = ANY(%(games)s::int[])) "
        "AND (cardinality(%(languages)s::text[]) = 0 OR c.language = ANY(%(languages)s::text[])) "
        "AND (%(viewers)s::int IS NULL OR (c.viewer_count, %(name)s::text) "
        "< (%(viewers)s::int, c.channel)) "
        "ORDER BY c.viewer_count DESC, c.channel LIMIT %(limit)s",
        {**filters, "limit": first, "viewers": after[0] if after else None,
         "name": after[1] if after else None})


async def channels_of(conn: AsyncConnection[Any], owner_ids: list[str]) -> list[dict[str, Any]]:
    return await _all(conn, f"SELECT {CHANNEL} WHERE c.owner_id = ANY(%(ids)s::uuid[]) "
                            "ORDER BY c.channel", {"ids": owner_ids})


async def categories(conn: AsyncConnection[Any], ids: list[int], names: list[str]
                     ) -> list[dict[str, Any]]:
    return await _all(
        conn, "SELECT id, name FROM categories WHERE id = ANY(%(ids)s::int[]) "
        "OR lower(name) = ANY(%(names)s::text[]) ORDER BY name",
        {"ids": ids, "names": [name.lower() for name in names]})


async def top_categories(conn: AsyncConnection[Any], first: int,
                         after: tuple[int, str] | None) -> list[dict[str, Any]]:
    """Categories by their live viewers, then by name; `after` is the last (viewers, name)."""
    return await _all(
        conn, TOP_CATEGORIES, {"limit": first, "viewers": after[0] if after else None,
         "name": after[1] if after else None})


async def followers(conn: AsyncConnection[Any], channel: str, user_id: str | None, first: int,
                    after: tuple[datetime, str] | None) -> tuple[int, list[dict[str, Any]]]:
    """How many follow the channel (kept by the follows projection; or, with `user_id`, whether
    that user does), and a page of them, the latest first; `after` is the last (followed_at,
    user id) of the page before."""
    params = {"channel": channel, "user": user_id, "limit": first,
              "at": after[0] if after else None, "id": after[1] if after else None}
    rows = await _all(
        conn, "SELECT f.user_id, f.username, u.display_name, f.followed_at FROM follows f "
        "JOIN users u USING (user_id) WHERE f.channel = %(channel)s "
        "AND (%(user)s::uuid IS NULL OR f.user_id = %(user)s::uuid) "
        "AND (%(at)s::timestamptz IS NULL OR (f.followed_at, f.user_id::text) "
        "< (%(at)s::timestamptz, %(id)s::text)) "
        "ORDER BY f.followed_at DESC, f.user_id::text DESC LIMIT %(limit)s", params)
    total = await _all(
        conn, "SELECT count(*) AS total FROM follows WHERE channel = %(channel)s "
        "AND user_id = %(user)s::uuid" if user_id else
        "SELECT greatest(coalesce(sum(followers), 0), 0) AS total FROM follower_counts "
        "WHERE channel = %(channel)s", params)
    return int(total[0]["total"]), rows


async def followed(conn: AsyncConnection[Any], user_id: str, owner_id: str | None, first: int,
                   after: tuple[datetime, str] | None) -> tuple[int, list[dict[str, Any]]]:
    """How many channels the user follows (or, with `owner_id`, whether they follow that
    broadcaster's), and a page of them, the latest first; `after` as for followers, with the
    channel's name."""
    params = {"user": user_id, "owner": owner_id, "limit": first,
              "at": after[0] if after else None, "name": after[1] if after else None}
    rows = await _all(
        conn, "SELECT c.owner_id, c.channel, c.display_name, f.followed_at FROM follows f "
        "JOIN channels c ON c.channel = f.channel WHERE f.user_id = %(user)s::uuid "
        "AND (%(owner)s::uuid IS NULL OR c.owner_id = %(owner)s::uuid) "
        "AND (%(at)s::timestamptz IS NULL OR (f.followed_at, c.channel) "
        "< (%(at)s::timestamptz, %(name)s::text)) "
        "ORDER BY f.followed_at DESC, c.channel DESC LIMIT %(limit)s", params)
    total = await _all(
        conn, "SELECT count(*) AS total FROM follows f JOIN channels c ON c.channel = f.channel "
        "WHERE f.user_id = %(user)s::uuid AND (%(owner)s::uuid IS NULL "
        "OR c.owner_id = %(owner)s::uuid)", params)
    return int(total[0]["total"]), rows


async def moderates(conn: AsyncConnection[Any], channel: str, user_id: str) -> bool:
    found = await _all(conn, "SELECT 1 FROM channel_moderators WHERE channel = %(channel)s "
                             "AND user_id = %(user)s::uuid", {"channel": channel, "user": user_id})
    return bool(found)
