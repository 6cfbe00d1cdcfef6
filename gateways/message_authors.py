"""Who wrote a recent chat message, so a deletion can name its author and the channel's decider
can check the deleter's rank against them. Kept in Redis, shared by every gateway, for as long
as a message may be deleted (six hours, as on Twitch)."""

from __future__ import annotations

import redis.asyncio as aioredis

DELETABLE_S = 6 * 3600


def _key(channel: str, message_id: str) -> str:
    return f"chat-author:{channel}:{message_id}"


async def remember(redis: aioredis.Redis, channel: str, message_id: str, user_id: str) -> None:
    await redis.set(_key(channel, message_id), user_id, ex=DELETABLE_S)


async def author_of(redis: aioredis.Redis, channel: str, message_id: str) -> str | None:
    found = await redis.get(_key(channel, message_id))
    return None if found is None else found.decode() if isinstance(found, bytes) else str(found)
