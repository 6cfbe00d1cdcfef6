"""Queries on the users read model, for the gateways."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

# A streamer is a user who has streamed (as on Twitch); everyone else is a viewer.
PUBLIC = (
    "user_id, username, display_name, bio, profile_image_url, chat_color, created_at, "
    "EXISTS (SELECT 1 FROM streams s WHERE s.channel = users.username) AS has_streamed"
)


async def get_user(conn: AsyncConnection[Any], username: str) -> dict[str, Any] | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {PUBLIC} FROM users WHERE username = %s", (username,))
        return await cur.fetchone()


async def get_account(conn: AsyncConnection[Any], user_id: str) -> dict[str, Any] | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {PUBLIC}, email FROM users WHERE user_id = %s", (user_id,))
        return await cur.fetchone()


async def names_of(conn: AsyncConnection[Any], user_ids: list[str]) -> dict[str, tuple[str, str]]:
    """user id -> (username, display name), for the ids that exist."""
    async with conn.cursor() as cur:
        await cur.execute("SELECT user_id::text, username, display_name FROM users "
                          "WHERE user_id = ANY(%s::uuid[])", (user_ids,))
        return {user_id: (username, display) for user_id, username, display in
                await cur.fetchall()}
