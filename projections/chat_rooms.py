"""A chat room as an IRC client is told of it on joining: the channel's id and its chat modes as
the channel's decider last stored them."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

MODES = ("slow_mode_s", "followers_only_s", "subscriber_only", "emote_only")


async def chat_modes(conn: AsyncConnection[Any], channel: str) -> dict[str, Any]:
    """slow_mode_s, followers_only_s, subscriber_only and emote_only; a channel whose modes
    were never set has them all off."""
    cur = await conn.execute("SELECT state->'chat_modes' FROM channel_decider_states "
                             "WHERE channel = %s", (channel,))
    row = await cur.fetchone()
    stored = row[0] if row and isinstance(row[0], dict) else {}
    return {"slow_mode_s": 0, "followers_only_s": None, "subscriber_only": False,
            "emote_only": False, **{k: v for k, v in stored.items() if k in MODES}}
