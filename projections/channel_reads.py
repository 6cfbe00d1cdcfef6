"""Queries on the channels read model, for the gateways."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

COLUMNS = (
    "c.channel, c.display_name, c.title, c.category, c.created_at, c.updated_at, c.version, "
    "c.owner_id, c.live_session_id, s.started_at AS live_since, c.viewer_count, c.tags, "
    "c.language, c.suspended, c.raids_from, "
    "(SELECT count(*) FROM follows f WHERE f.channel = c.channel) AS followers, "
    "(SELECT u.profile_image_url FROM users u WHERE u.user_id = c.owner_id) AS profile_image_url"
)
FROM = "channels c LEFT JOIN streams s ON s.session_id = c.live_session_id"


async def get_channel(conn: AsyncConnection[Any], channel: str) -> dict[str, Any] | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE c.channel = %s", (channel,))
        return await cur.fetchone()


async def live_session(conn: AsyncConnection[Any], channel: str) -> tuple[bool, bool]:
    """Whether the channel exists, and whether it is live: what a heartbeat needs, cheaply."""
    cur = await conn.execute("SELECT live_session_id FROM channels WHERE channel = %s",
                             (channel,))
    row = await cur.fetchone()
    return row is not None, row is not None and row[0] is not None


async def list_channels(
    conn: AsyncConnection[Any], first: int, after: str | None, category: str | None,
    tag: str | None = None,
) -> list[dict[str, Any]]:
    """Ordered by name; `after` is the last name of the previous page."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS} FROM {FROM} "
            "WHERE (%(after)s::text IS NULL OR c.channel > %(after)s) "
            "AND (%(category)s::text IS NULL OR c.category = %(category)s) "
            "AND (%(tag)s::text IS NULL OR %(tag)s = ANY(c.tags)) "
            "ORDER BY c.channel LIMIT %(limit)s",
            {"after": after, "category": category, "limit": first, "tag": tag},
        )
        return await cur.fetchall()


async def checkpoint(
    conn: AsyncConnection[Any], projection: str, topic: str, partition: int
) -> int:
    cur = await conn.execute(
        'SELECT "offset" FROM projection_checkpoints '
        "WHERE projection = %s AND topic = %s AND partition = %s",
        (projection, topic, partition),
    )
    row = await cur.fetchone()
    return -1 if row is None else int(row[0])


async def list_moderators(conn: AsyncConnection[Any], channel: str) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            "SELECT user_id, username, added_at FROM channel_moderators WHERE channel = %s "
            "ORDER BY username", (channel,))
        return await cur.fetchall()


async def live_channels(
    conn: AsyncConnection[Any], first: int, after: tuple[int, str] | None, category: str | None,
    tag: str | None = None,
) -> list[dict[str, Any]]:
    """Live channels, most viewers first; `after` is the (viewers, name) the last page ended on."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS} FROM {FROM} WHERE c.live_session_id IS NOT NULL "
            "AND (%(category)s::text IS NULL OR c.category = %(category)s) "
            "AND (%(tag)s::text IS NULL OR %(tag)s = ANY(c.tags)) "
            "AND (%(viewers)s::int IS NULL OR (c.viewer_count, %(name)s::text) "
            "< (%(viewers)s::int, c.channel)) "
            "ORDER BY c.viewer_count DESC, c.channel LIMIT %(limit)s",
            {"category": category, "tag": tag, "limit": first,
             "viewers": after[0] if after else None,
             "name": after[1] if after else None},
        )
        return await cur.fetchall()


async def followed_channels(
    conn: AsyncConnection[Any], user_id: str, first: int, after: str | None
) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {COLUMNS}, fw.followed_at FROM {FROM} "
            "JOIN follows fw ON fw.channel = c.channel AND fw.user_id = %(user)s "
            "WHERE (%(after)s::text IS NULL OR c.channel > %(after)s) "
            "ORDER BY c.channel LIMIT %(limit)s",
            {"user": user_id, "after": after, "limit": first},
        )
        return await cur.fetchall()


async def find_category(conn: AsyncConnection[Any], name: str) -> str | None:
    cur = await conn.execute("SELECT name FROM categories WHERE lower(name) = lower(%s)", (name,))
    row = await cur.fetchone()
    return None if row is None else str(row[0])


async def search_categories(conn: AsyncConnection[Any], prefix: str, first: int) -> list[str]:
    cur = await conn.execute(
        "SELECT name FROM categories WHERE lower(name) LIKE lower(%s) || '%%' ORDER BY name "
        "LIMIT %s", (prefix.replace("%", r"\%").replace("_", r"\_"), first))
    return [str(row[0]) for row in await cur.fetchall()]


async def follow_time(conn: AsyncConnection[Any], channel: str, user_id: str) -> Any:
    """When the user followed the channel, or None."""
    cur = await conn.execute("SELECT followed_at FROM follows WHERE channel = %s AND user_id = %s",
                             (channel, user_id))
    row = await cur.fetchone()
    return None if row is None else row[0]
