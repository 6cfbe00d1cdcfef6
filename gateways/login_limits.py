"""Failed sign-ins counted per account and per address in Redis; over the limit, wait."""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

from castline.settings import Settings
from gateways.errors import ApiError


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        return cls(settings.login_failures_per_account, settings.login_failures_per_address,
                   settings.login_failure_window_s)


def _keys(login: str, address: str) -> tuple[str, str]:
    return f"login-failures:account:{login.lower()}", f"login-failures:address:{address}"


async def check(redis: aioredis.Redis, limits: LoginLimits, login: str, address: str) -> None:
    """Refuse before checking the password when either counter is at its limit."""
    account, by_address = _keys(login, address)
    counts = await redis.mget(account, by_address)
    limited = [(key, limit) for key, limit, count in
               ((account, limits.per_account, counts[0]),
                (by_address, limits.per_address, counts[1]))
               if count is not None and int(count) >= limit]
    if limited:
        wait = max([int(await redis.ttl(key)) for key, _ in limited])
        raise ApiError(429, "too_many_attempts",
                       f"too many failed sign-ins; try again in {max(wait, 1)} s",
                       headers={"Retry-After": str(max(wait, 1))})


async def record_failure(
    redis: aioredis.Redis, limits: LoginLimits, login: str, address: str
) -> None:
    async with redis.pipeline(transaction=True) as pipe:
        for key in _keys(login, address):
            pipe.incr(key)
            pipe.expire(key, limits.window_s, nx=True)
        await pipe.execute()


async def record_success(redis: aioredis.Redis, login: str) -> None:
    await redis.delete(_keys(login, "")[0])
