"""Failed sign-ins counted per account and per address in Redis; over the limit, wait."""

from __future__ import annotations

import redis.asyncio as aioredis

from gateways.errors import ApiError

WINDOW_S = 15 * 60
PER_ACCOUNT = 5
PER_ADDRESS = 20


def _keys(login: str, address: str) -> tuple[str, str]:
    return f"login-failures:account:{login.lower()}", f"login-failures:address:{address}"


async def check(redis: aioredis.Redis, login: str, address: str) -> None:
    """Refuse before checking the password when either counter is at its limit."""
    account, by_address = _keys(login, address)
    counts = await redis.mget(account, by_address)
    limited = [(key, limit) for key, limit, count in
               ((account, PER_ACCOUNT, counts[0]), (by_address, PER_ADDRESS, counts[1]))
               if count is not None and int(count) >= limit]
    if limited:
        wait = max([int(await redis.ttl(key)) for key, _ in limited])
        raise ApiError(429, "too_many_attempts",
                       f"too many failed sign-ins; try again in {max(wait, 1)} s",
                       headers={"Retry-After": str(max(wait, 1))})


async def record_failure(redis: aioredis.Redis, login: str, address: str) -> None:
    async with redis.pipeline(transaction=True) as pipe:
        for key in _keys(login, address):
            pipe.incr(key)
            pipe.expire(key, WINDOW_S, nx=True)
        await pipe.execute()


async def record_success(redis: aioredis.Redis, login: str) -> None:
    await redis.delete(_keys(login, "")[0])
