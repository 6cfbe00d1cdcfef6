"""Helix's rate limit: a bucket of points per minute for each app and user (one point a
request), told in Ratelimit-Limit, Ratelimit-Remaining and Ratelimit-Reset (when the bucket is
full again, epoch seconds). Counted in Redis in fixed windows, so every gateway shares it.
Tokens that name nobody are counted by the caller's address before any token is looked up,
so a flood of bad tokens is held off without reaching the token store."""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis.asyncio as aioredis

WINDOW_S = 60


@dataclass(frozen=True)
class Bucket:
    limit: int
    used: int
    reset_at: int

    @property
    def exhausted(self) -> bool:
        return self.used > self.limit

    def headers(self) -> dict[str, str]:
        return {"Ratelimit-Limit": str(self.limit),
                "Ratelimit-Remaining": str(max(0, self.limit - self.used)),
                "Ratelimit-Reset": str(self.reset_at)}


async def take_point(redis: aioredis.Redis, client_id: str, user_id: str | None,
                     limit: int) -> Bucket:
    """One point from the bucket of the app, or of the app and user for a user's token."""
    key = f"helix-points:{client_id}:{user_id or 'app'}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, WINDOW_S, nx=True)
        pipe.ttl(key)
        used, _, ttl = await pipe.execute()
    return Bucket(limit, int(used), int(time.time()) + max(int(ttl), 1))


def _refused_key(address: str) -> str:
    return f"helix-refused-tokens:{address}"


async def refused_tokens(redis: aioredis.Redis, address: str, limit: int) -> Bucket:
    """The address's bucket of tokens refused this window (read, not taken from)."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.get(_refused_key(address))
        pipe.ttl(_refused_key(address))
        used, ttl = await pipe.execute()
    return Bucket(limit, int(used or 0), int(time.time()) + max(int(ttl), 1))


async def count_refused_token(redis: aioredis.Redis, address: str) -> None:
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(_refused_key(address))
        pipe.expire(_refused_key(address), WINDOW_S, nx=True)
        await pipe.execute()
