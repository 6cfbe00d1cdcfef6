"""What a raid's gateway reads of the two channels before the raiding channel decides."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

PARTY = (
    "SELECT c.channel, c.display_name, c.owner_id::text AS owner_id, "
    "c.live_session_id IS NOT NULL AS live, c.viewer_count, c.raids_from FROM channels c "
)


async def raid_party(conn: AsyncConnection[Any], channel: str | None = None,
                     owner_id: str | None = None) -> dict[str, Any] | None:
    """A channel by its name or by its owner's id."""
    where = "WHERE c.channel = %s" if channel is not None else "WHERE c.owner_id = %s::uuid"
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(PARTY + where, (channel if channel is not None else owner_id,))
        return await cur.fetchone()


async def follows(conn: AsyncConnection[Any], user_id: str | None, channel: str) -> bool:
    if user_id is None:
        return False
    cur = await conn.execute("SELECT 1 FROM follows WHERE channel = %s AND user_id = %s",
                             (channel, user_id))
    return await cur.fetchone() is not None
