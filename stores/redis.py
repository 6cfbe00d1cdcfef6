"""Redis clients."""

from __future__ import annotations

import redis
import redis.asyncio as aioredis


def client(url: str, timeout_s: float | None = None) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)


def async_client(url: str) -> aioredis.Redis:
    return aioredis.Redis.from_url(url)
