"""Which WebSocket sessions are open, on any gateway: a Redis key per session, kept while the
session lives, so that a subscription created through any gateway can name it."""

from __future__ import annotations

from datetime import datetime

import redis.asyncio as aioredis

CHANGES = "eventsub:subscriptions"  # pub/sub: "added <id>", "removed <id>", "revoked <id>"


def _key(session_id: str) -> str:
    return f"eventsub:session:{session_id}"


class SessionRegistry:
    def __init__(self, redis: aioredis.Redis, ttl_s: int) -> None:
        self.redis = redis
        self.ttl_s = ttl_s

    async def keep(self, session_id: str, connected_at: datetime) -> None:
        await self.redis.set(_key(session_id), connected_at.isoformat(), ex=self.ttl_s)

    async def connected_at(self, session_id: str) -> datetime | None:
        value = await self.redis.get(_key(session_id))
        if isinstance(value, bytes):
            value = value.decode()
        return datetime.fromisoformat(value) if value else None

    async def drop(self, session_id: str) -> None:
        await self.redis.delete(_key(session_id))
